import PQTestSupport
import Testing

@testable import PlatformQuery

/// `xs += [x]` grows the list in its slot: the list is moved out, appended to and moved back,
/// never copied (a copy on every append made building a list quadratic).
@Suite struct AppendInPlaceTests {
  /// The list's storage is the same before and after appends that fit its capacity: a second
  /// reference during the append would have made the array copy itself elsewhere.
  @Test func anAppendKeepsTheListsStorage() {
    var items: [Value] = []
    items.reserveCapacity(16)
    items.append(.number(0))
    let before = items.withUnsafeBufferPointer { $0.baseAddress }
    let slot = UnsafeMutablePointer<Value>.allocate(capacity: 1)
    defer {
      slot.deinitialize(count: 1)
      slot.deallocate()
    }
    slot.initialize(to: .list(items))
    items = []
    for n in 1..<10 {
      let grown = Runtime.append(.number(Double(n)), toListIn: slot)
      #expect(grown.count == n + 1)
      #expect(grown.copied == false)
      #expect(grown.gained == 0)
    }
    guard case .list(let grown) = slot.pointee else {
      Issue.record("the slot holds no list")
      return
    }
    #expect(grown.withUnsafeBufferPointer { $0.baseAddress } == before)
    #expect(grown.map(\.numericValue) == (0..<10).map { Double($0) })
  }

  /// A list another value shares is copied to grow (and says so); a list without room gains
  /// room by doubling and says how much.
  @Test func aSharedListIsCopiedAndAFullOneGains() {
    let slot = UnsafeMutablePointer<Value>.allocate(capacity: 1)
    defer {
      slot.deinitialize(count: 1)
      slot.deallocate()
    }
    var items: [Value] = [.number(1), .number(2)]
    items.reserveCapacity(8)
    slot.initialize(to: .list(items))
    let shared = Runtime.append(.bool(true), toListIn: slot)
    #expect(shared.copied && shared.count == 3 && shared.gained == 0)
    #expect(items.count == 2)
    items = []
    guard case .list(var full) = slot.pointee else { return }
    let room = full.capacity - full.count
    full = []
    for _ in 0..<room { _ = Runtime.append(.nil, toListIn: slot) }
    let (count, capacity) = { () -> (Int, Int) in
      guard case .list(let items) = slot.pointee else { return (0, -1) }
      return (items.count, items.capacity)
    }()
    #expect(count == capacity)
    let grown = Runtime.append(.nil, toListIn: slot)
    #expect(grown.count == count + 1 && !grown.copied && grown.gained == count + 1)
  }

  /// Locals, globals and captured variables all grow in place, and other kinds of value give
  /// the ordinary errors.
  @Test func everyKindOfVariableAppends() throws {
    let script = """
      var g = []
      for i in range(5) { g += [i * 2] }
      fn local() {
        var l = [1]
        for i in range(3) { l += [str(i)] }
        return l
      }
      fn maker() {
        var acc = []
        return fn(v) {
          acc += [v]
          return acc
        }
      }
      let m = maker()
      m(1)
      """
    let (pq, _) = makeInterpreter()
    try pq.run(script: script, name: "appends")
    #expect(try show("g", pq) == "[0, 2, 4, 6, 8]")
    #expect(try show("local()", pq) == "[1, \"0\", \"1\", \"2\"]")
    #expect(try show("m(2)", pq) == "[1, 2]")
    #expect(throws: PQError.self) { try pq.evaluate("var s = \"a\"\ns += [1]") }
    #expect(try show("var n = [[1]]\nn += [[2]]\nn", pq) == "[[1], [2]]")
  }

  /// `t += [e]` against the ordinary `t = t + [e]`, over every kind of element (constants of
  /// each kind, which the append makes without a call, and computed values of each kind), every
  /// kind of variable (a global, a function's local, a variable a closure captured), lists
  /// shared or not, and values that are not lists: the same value afterwards, or the same error
  /// at the same place.
  @Test func appendsAnswerAsTheOrdinaryAdd() throws {
    let elements = [
      "true", "false", "nil", "0", "-2.5", "1e300", "\"text\"", "5%", "x.mau", "[1, [2]]", "{a: 1}",
      "fn(v) { v }", "i", "i * 0.1", "str(i)", "t", "ratio(x.mau, truth.mau)", "1 / 0",
    ]
    let starts = ["[]", "[1, \"a\"]", "shared", "nil", "\"s\"", "3", "{a: 1}", "x.mau"]
    var checked = 0
    for element in elements {
      for start in starts {
        for form in 0..<3 {
          func program(_ statement: String) -> String {
            let body = """
              var shared = [7]
              var t = \(start)
              let keep = shared
              for i in range(3) { \(statement) }
              """
            switch form {
            case 0: return body + "\nlet out = [t, keep, shared]"
            case 1: return "fn go() {\n\(body)\nreturn [t, keep, shared]\n}\nlet out = go()"
            default:
              return
                "fn go() {\n\(body)\nlet more = fn() { t += [1]; t = t }\nmore()\nreturn [t, keep, shared]\n}\nlet out = go()"
            }
          }
          let appended = outcome(program("t += [\(element)]"))
          let ordinary = outcome(program("t = t + [\(element)]"))
          #expect(appended == ordinary, "t = \(start), t += [\(element)], form \(form)")
          checked += 1
        }
      }
    }
    #expect(checked == 18 * 8 * 3)
  }

  /// A program's `out`, or its error and the text at the error's place.
  private func outcome(_ script: String) -> String {
    let (pq, _) = makeInterpreter()
    do {
      try pq.run(script: script, name: "append")
      return try show("out", pq)
    } catch let error as PQError {
      // The text under the error's span, the compound operator read as the plain one.
      let bytes = Array(script.utf8)
      let place = error.span.map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) } ?? "-"
      return "\(error.message) at \(place == "+=" ? "+" : place)"
    } catch {
      return "\(error)"
    }
  }

  /// An append is charged one element and the room its list gains, not the whole list again:
  /// a list of 250,000 built by `+=` fits a 16 MiB budget (its elements and their room take
  /// about 14 MiB), and one of 400,000 does not.
  @Test func anAppendIsChargedItsElement() {
    let (pq, _) = makeInterpreter(limits: Limits(memory: 16 << 20))
    #expect(failure("var xs = []\nfor i in range(250000) { xs += [i] }", pq) == nil)
    let (small, _) = makeInterpreter(limits: Limits(memory: 16 << 20))
    let error = failure("var xs = []\nfor i in range(400000) { xs += [i] }", small)
    #expect(error?.limitReason == .memory, "\(String(describing: error))")
  }
}
