import PlatformQuery
import Synchronization

/// pq's machine mode (`pq machine`): a session for programs rather than people, one JSON object
/// per line each way. The Jupyter kernel is built on it; any tool can be. docs/notebooks.md
/// describes the protocol; in short, a request is `{"id": …, "op": …, …}` and every request gets
/// exactly one `"event": "result"` line with the same id, after any `"event": "output"` lines
/// (what `print` wrote while it ran):
///
/// - `evaluate` (`code`, optional `name` for diagnostics): the value as `text`, and `html` for
///   tables, `svg` for charts, `json` when the value has a JSON form; or an `error`;
/// - `complete` (`code`, `cursor` in Unicode code points): `matches`, `start`, `end`;
/// - `inspect` (`code`, `cursor`): `found` and Markdown `text` (a built-in's help, a figure's
///   provenance);
/// - `is_complete` (`code`): `complete`, `incomplete` or `invalid`;
/// - `reset`: a fresh interpreter; `quit`: ends the session.
///
/// Bindings persist from one `evaluate` to the next; an evaluation that fails defines nothing.
/// Interrupting is done from outside (the `pq machine` command maps SIGINT to
/// ``Interpreter/cancellation``): the evaluation ends with a `limit` error whose `reason` is
/// `cancelled`, and earlier bindings stay.
public final class MachineSession {
  /// The protocol's version, announced in the `ready` line.
  public static let protocolVersion = 1

  let makeInterpreter: (@escaping @Sendable (String) -> Void) -> Interpreter
  let emit: @Sendable (String) -> Void
  /// The id of the request being handled, for the output lines its evaluation writes.
  let currentID = Mutex<JSONTree>(.null)
  /// The interpreter the session evaluates in (replaced by `reset`).
  public private(set) var interpreter: Interpreter

  /// A session. `makeInterpreter` makes an interpreter whose `print` output goes to the closure
  /// it is given (the session turns it into output lines); `emit` writes one line of the protocol
  /// (without its newline) and should flush it.
  public init(
    makeInterpreter: @escaping (@escaping @Sendable (String) -> Void) -> Interpreter,
    emit: @escaping @Sendable (String) -> Void
  ) {
    self.makeInterpreter = makeInterpreter
    self.emit = emit
    // A placeholder until `self` exists; replaced at once by one whose output is tagged.
    interpreter = makeInterpreter { _ in }
    interpreter = makeInterpreter(outputSink())
  }

  func outputSink() -> @Sendable (String) -> Void {
    let emit = self.emit
    let box = Box(self)
    return { text in
      guard let session = box.session else { return }
      let id = session.currentID.withLock { $0 }
      emit(JSONTree.object([("id", id), ("event", .string("output")), ("text", .string(text))]).text)
    }
  }

  /// A weak reference that can cross into the `@Sendable` output closure. `@unchecked
  /// Sendable`: a weak reference is not checkable, and the closure is called only from the
  /// session's own evaluations, on the thread that handles its lines.
  final class Box: @unchecked Sendable {
    weak var session: MachineSession?
    init(_ session: MachineSession) { self.session = session }
  }

  /// The first line a session writes: who is listening.
  public var readyLine: String {
    JSONTree.object([
      ("event", .string("ready")), ("version", .string(Interpreter.version)),
      ("protocol", .int(MachineSession.protocolVersion)),
    ]).text
  }

  /// Handles one request line; returns false when the session should end (`quit`).
  @discardableResult
  public func handle(line: String) -> Bool {
    let request: JSONTree
    do {
      request = try JSONTree.parse(Array(line.utf8))
    } catch {
      reply(.null, failure("protocol", "the request is not JSON: \(error.message)"))
      return true
    }
    let id = request["id"] ?? .null
    guard case .object = request, let op = request["op"]?.string else {
      reply(id, failure("protocol", "a request is an object with an \"op\" string"))
      return true
    }
    currentID.withLock { $0 = id }
    defer { currentID.withLock { $0 = .null } }
    switch op {
    case "evaluate":
      guard let code = request["code"]?.string else {
        reply(id, failure("protocol", "evaluate needs a \"code\" string"))
        return true
      }
      reply(id, evaluate(code, name: request["name"]?.string ?? "<cell>"))
    case "complete", "inspect":
      guard let code = request["code"]?.string else {
        reply(id, failure("protocol", "\(op) needs a \"code\" string"))
        return true
      }
      let scalars = Array(code.unicodeScalars)
      let cursor = max(0, min(request["cursor"]?.int ?? scalars.count, scalars.count))
      reply(id, op == "complete" ? complete(scalars, cursor) : inspect(scalars, cursor))
    case "is_complete":
      guard let code = request["code"]?.string else {
        reply(id, failure("protocol", "is_complete needs a \"code\" string"))
        return true
      }
      reply(id, [("status", .string("ok")), ("complete", .string(completeness(code)))])
    case "reset":
      interpreter = makeInterpreter(outputSink())
      reply(id, [("status", .string("ok"))])
    case "quit":
      reply(id, [("status", .string("ok"))])
      return false
    default:
      reply(
        id,
        failure(
          "protocol", "unknown op '\(op)': evaluate, complete, inspect, is_complete, reset and quit are known"
        ))
    }
    return true
  }

  func reply(_ id: JSONTree, _ fields: [(String, JSONTree)]) {
    emit(JSONTree.object([("id", id), ("event", .string("result"))] + fields).text)
  }

  func failure(_ kind: String, _ message: String) -> [(String, JSONTree)] {
    [
      ("status", .string("error")),
      (
        "error",
        .object([("kind", .string(kind)), ("message", .string(message)), ("rendered", .string(message))])
      ),
    ]
  }

  // MARK: Operations

  func evaluate(_ code: String, name: String) -> [(String, JSONTree)] {
    interpreter.cancellation.reset()
    let value: Value
    do {
      value = try interpreter.evaluate(code, name: name)
    } catch {
      var fields: [(String, JSONTree)] = [
        ("kind", .string(error.kind.rawValue)), ("message", .string(error.message)),
        ("notes", .array(error.notes.map { .string($0) })),
        ("rendered", .string(error.rendered(color: false))),
      ]
      if let location = error.location {
        fields += [("line", .int(location.line)), ("column", .int(location.column))]
      }
      if let reason = error.limitReason { fields.append(("reason", .string(reason.rawValue))) }
      return [("status", .string("error")), ("error", .object(fields))]
    }
    if case .nil = value { return [("status", .string("ok")), ("text", .null)] }
    interpreter.setGlobal("_", value)
    var fields: [(String, JSONTree)] = [
      ("status", .string("ok")), ("text", .string(value.rendered(width: nil))),
    ]
    if let html = value.html { fields.append(("html", .string(html))) }
    if let svg = value.svg { fields.append(("svg", .string(svg))) }
    // A number that carries caveats: each caveat's fields, and the one line the prompt shows.
    if let line = value.caveatLine(hint: "caveats(_)") {
      fields.append(("caveat_line", .string(line)))
      fields.append(
        (
          "caveats",
          .array(
            value.structuredCaveats.map { caveat in
              .object([
                ("kind", .string(caveat.kind.rawValue)), ("text", .string(caveat.text)),
                ("subjects", .array(caveat.subjects.map { .string($0) })),
                ("values", .array(caveat.values.map { .string($0) })),
              ])
            })
        ))
    }
    if case .function = value {
    } else if value.svg == nil, let json = try? JSON.encode(value, pretty: false),
      let tree = try? JSONTree.parse(Array(json.utf8))
    {
      fields.append(("json", tree))
    }
    return fields
  }

  func complete(_ scalars: [Unicode.Scalar], _ cursor: Int) -> [(String, JSONTree)] {
    var lineStart = cursor
    while lineStart > 0, scalars[lineStart - 1] != "\n" { lineStart -= 1 }
    var line = ""
    line.unicodeScalars.append(contentsOf: scalars[lineStart..<cursor])
    let found = interpreter.completions(for: line, cursor: line.count)
    let word = String(line.dropFirst(found.start))
    return [
      ("status", .string("ok")), ("matches", .array(found.candidates.map { .string($0) })),
      ("start", .int(cursor - word.unicodeScalars.count)), ("end", .int(cursor)),
    ]
  }

  func inspect(_ scalars: [Unicode.Scalar], _ cursor: Int) -> [(String, JSONTree)] {
    func isPart(_ scalar: Unicode.Scalar) -> Bool {
      scalar.isASCII && (isIdentifierPart(UInt8(scalar.value)) || scalar == ".")
    }
    var start = cursor
    var end = cursor
    while start > 0, isPart(scalars[start - 1]) { start -= 1 }
    while end < scalars.count, isPart(scalars[end]), scalars[end] != "." { end += 1 }
    var path = ""
    path.unicodeScalars.append(contentsOf: scalars[start..<end])
    while path.hasPrefix(".") { path.removeFirst() }
    guard let text = interpreter.inspection(of: path) else {
      return [("status", .string("ok")), ("found", .bool(false))]
    }
    return [("status", .string("ok")), ("found", .bool(true)), ("text", .string(text))]
  }

  func completeness(_ code: String) -> String {
    if interpreter.isIncomplete(code) { return "incomplete" }
    do {
      let source = Source(name: "<cell>", text: code)
      _ = try LargeStack.run { () throws(PQError) in try Parser.parse(source) }
      return "complete"
    } catch {
      return "invalid"
    }
  }
}
