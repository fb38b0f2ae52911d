import PQTestSupport
import Synchronization
import Testing

@testable import PlatformQuery
@testable import PlatformQueryTools

/// The JSON-lines mode under the notebook kernel, in process through `MachineSession` (the binary
/// `pq machine` is tested in pqTests).
@Suite struct MachineSessionTests {
  /// A session whose lines are collected.
  final class Recorder: Sendable {
    let lines = Mutex<[JSONTree]>([])
    func take() -> [JSONTree] {
      lines.withLock { lines in
        defer { lines = [] }; return lines
      }
    }
  }

  static func session() -> (MachineSession, Recorder) {
    let recorder = Recorder()
    let session = MachineSession(
      makeInterpreter: { output in
        var options = Interpreter.Options()
        options.output = output
        return Interpreter(options: options)
      },
      emit: { line in
        guard let tree = try? JSONTree.parse(Array(line.utf8)) else {
          Issue.record("not JSON: \(line)")
          return
        }
        recorder.lines.withLock { $0.append(tree) }
      })
    return (session, recorder)
  }

  static func request(_ fields: [(String, JSONTree)]) -> String { JSONTree.object(fields).text }

  @Test func evaluateSharesBindingsAndStreamsOutput() {
    let (session, recorder) = Self.session()
    session.handle(
      line: Self.request([("id", .int(1)), ("op", .string("evaluate")), ("code", .string("let a = 2"))]))
    #expect(
      recorder.take() == [
        .object([("id", .int(1)), ("event", .string("result")), ("status", .string("ok")), ("text", .null)])
      ])
    session.handle(
      line: Self.request([
        ("id", .string("two")), ("op", .string("evaluate")),
        ("code", .string("print(\"a is\", a)\na * x.mau")),
      ]))
    let lines = recorder.take()
    #expect(lines.count == 2)
    #expect(lines.first?["event"] == .string("output") && lines.first?["text"] == .string("a is 2\n"))
    #expect(lines.first?["id"] == .string("two"))
    #expect(lines.last?["text"] == .string("141M users"))
    #expect(lines.last?["json"]?["unit"] == .string("users"))
    // `_` holds the last value, as at the prompt.
    session.handle(
      line: Self.request([("id", .int(3)), ("op", .string("evaluate")), ("code", .string("_ / 2"))]))
    #expect(recorder.take().last?["text"] == .string("70.4M users"))
  }

  @Test func richForms() {
    let (session, recorder) = Self.session()
    session.handle(
      line: Self.request([
        ("id", .int(1)), ("op", .string("evaluate")), ("code", .string("compare(x, truth)")),
      ]))
    let table = recorder.take().last
    #expect(table?["html"]?.string?.hasPrefix("<table class=\"pq\"><thead><tr><th>metric</th>") == true)
    #expect(
      table?["html"]?.string?.contains(
        "<li>suspended_accounts: the article gives no figure for Truth Social</li>") == true)
    #expect(table?["text"]?.string?.contains("caveats:") == true)
    session.handle(
      line: Self.request([
        ("id", .int(2)), ("op", .string("evaluate")), ("code", .string("chart([x, truth], \"mau\")")),
      ]))
    let chart = recorder.take().last
    #expect(chart?["svg"]?.string?.hasPrefix("<svg") == true)
    #expect(chart?["html"] == nil)
    session.handle(
      line: Self.request([("id", .int(3)), ("op", .string("evaluate")), ("code", .string("x"))]))
    #expect(recorder.take().last?["html"]?.string?.contains("<td>70.4M users</td>") == true)
    // A number with caveats carries them, field by field, and the prompt's line.
    session.handle(
      line: Self.request([
        ("id", .int(4)), ("op", .string("evaluate")), ("code", .string("ratio(x.revenue, truth.revenue)")),
      ]))
    let ratio = recorder.take().last
    #expect(
      ratio?["caveat_line"]?.string?.hasPrefix("3 caveats: no period given; definitions differ") == true)
    guard case .array(let caveats)? = ratio?["caveats"], caveats.count == 3 else {
      Issue.record("no caveats in \(String(describing: ratio))")
      return
    }
    #expect(caveats[1]["kind"] == .string("definition"))
    #expect(caveats[1]["values"] == .array([.string("advertising revenue"), .string("revenue")]))
    session.handle(
      line: Self.request([
        ("id", .int(5)), ("op", .string("evaluate")), ("code", .string("ratio(x.mau, truth.mau)")),
      ]))
    #expect(recorder.take().last?["caveats"] == nil)
  }

  @Test func errorsCarryTheDiagnosticAndDefineNothing() {
    let (session, recorder) = Self.session()
    session.handle(
      line: Self.request([
        ("id", .int(1)), ("op", .string("evaluate")), ("code", .string("let b = 1\nx.news_share + 5")),
        ("name", .string("<cell 4>")),
      ]))
    let error = recorder.take().last?["error"]
    #expect(error?["kind"] == .string("runtime"))
    #expect(error?["line"] == .int(2) && error?["column"] == .int(14))
    #expect(
      error?["rendered"]?.string?.hasPrefix(
        "<cell 4>:2:14: error: cannot add a plain number and a percentage") == true)
    #expect(error?["rendered"]?.string?.contains("^") == true)
    session.handle(
      line: Self.request([("id", .int(2)), ("op", .string("evaluate")), ("code", .string("b"))]))
    #expect(recorder.take().last?["error"]?["message"] == .string("'b' is not defined"))
  }

  @Test func completeInspectAndCompleteness() {
    let (session, recorder) = Self.session()
    // Cursor positions count Unicode code points, as Jupyter's do.
    let code = "let s = \"😀\"; x.we"
    session.handle(
      line: Self.request([
        ("id", .int(1)), ("op", .string("complete")), ("code", .string(code)),
        ("cursor", .int(code.unicodeScalars.count)),
      ]))
    let completion = recorder.take().last
    #expect(completion?["matches"] == .array([.string("web_visits")]))
    #expect(completion?["start"] == .int(code.unicodeScalars.count - 2))
    session.handle(
      line: Self.request([
        ("id", .int(2)), ("op", .string("inspect")), ("code", .string("ratio(truth.mau, 1)")),
        ("cursor", .int(13)),
      ]))
    let inspection = recorder.take().last
    #expect(inspection?["found"] == .bool(true))
    #expect(inspection?["text"]?.string?.hasPrefix("**truth.mau** = 698K users") == true)
    for (code, expected) in [("fn f() {", "incomplete"), ("1 +* 2", "invalid"), ("1 + 2", "complete")] {
      session.handle(
        line: Self.request([("id", .int(3)), ("op", .string("is_complete")), ("code", .string(code))]))
      #expect(recorder.take().last?["complete"] == .string(expected), "\(code)")
    }
  }

  @Test func resetAndProtocolErrors() {
    let (session, recorder) = Self.session()
    session.handle(
      line: Self.request([("id", .int(1)), ("op", .string("evaluate")), ("code", .string("let kept = 1"))]))
    session.handle(line: Self.request([("id", .int(2)), ("op", .string("reset"))]))
    session.handle(
      line: Self.request([("id", .int(3)), ("op", .string("evaluate")), ("code", .string("kept"))]))
    #expect(recorder.take().last?["error"]?["message"] == .string("'kept' is not defined"))
    session.handle(line: "not json")
    session.handle(line: #"{"id": 7, "op": "fly"}"#)
    session.handle(line: #"{"id": 8, "op": "evaluate"}"#)
    let errors = recorder.take().map { $0["error"]?["kind"] }
    #expect(errors == [.string("protocol"), .string("protocol"), .string("protocol")])
    #expect(session.handle(line: #"{"id": 9, "op": "quit"}"#) == false)
  }

}
