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
          let appended = outcome(program(start, "t += [\(element)]", form, closure: "t += [1]; t = t"))
          // `[t][0]` is not a read of `t` alone, so this sum is never done in place.
          let ordinary = outcome(
            program(start, "t = [t][0] + [\(element)]", form, closure: "t += [1]; t = t"))
          #expect(appended == ordinary, "t = \(start), t += [\(element)], form \(form)")
          checked += 1
        }
      }
    }
    #expect(checked == 18 * 8 * 3)
  }

  /// `t = t + e`, grown in place when `e` cannot change `t` (`AddInPlaceNode`), against the
  /// ordinary sum `t = [t][0] + e`: every kind of right side — lists, texts, interpolations,
  /// `t` itself, numbers, figures, nil, records, a call (never in place) — over the same starts
  /// and kinds of variable as the append above: the same value afterwards, or the same error at
  /// the same place.
  @Test func addingToItselfAnswersAsTheOrdinarySum() throws {
    let rights = [
      "[i]", "[true, nil]", "[]", "[t]", "t", "\"ab\"", "\"x\\(i * 2)\"", "\"\"", "1", "i * 0.5", "5%",
      "x.mau", "nil", "{a: 1}", "[1] + [i]", "shared", "[shared[0] + i]", "str(i)", "1 / 0",
      "[truth][i mod 1].suspended_accounts",
    ]
    let starts = ["[]", "[1, \"a\"]", "shared", "nil", "\"s\"", "3", "{a: 1}", "x.mau", "\"\""]
    var checked = 0
    for right in rights {
      for start in starts {
        for form in 0..<3 {
          let sum = "t = t + \(right)"
          let inPlace = outcome(program(start, sum, form, closure: sum))
          let ordinarySum = "t = [t][0] + \(right)"
          let ordinary = outcome(program(start, ordinarySum, form, closure: ordinarySum))
          #expect(inPlace == ordinary, "t = \(start), t = t + \(right), form \(form)")
          checked += 1
        }
      }
    }
    #expect(checked == 20 * 9 * 3)
  }

  /// The sums done in place, and those that are not: what is added must not be able to change
  /// the variable — a call may (`t = t + f()` with an `f` that sets `t` adds to the old `t`).
  @Test func onlyWhatCannotChangeTheVariableIsAddedInPlace() throws {
    func inPlace(_ statement: String) throws -> Bool {
      let found = try NumericPathTests.statements(
        of: AddInPlaceNode.self, in: "fn f(u) { var t = []\n\(statement) }")
      return !found.isEmpty
    }
    #expect(try inPlace("t = t + [1]"))
    #expect(try inPlace("t = t + [u, \"\\(u)\", u[0].k, -u.n, not u, {a: u}]"))
    #expect(try !inPlace("t = t + [len(u)]"))
    #expect(try !inPlace("t = u + [1]"))
    #expect(try !inPlace("t = [1] + t"))
    #expect(try !inPlace("t = t - [1]"))
    let (pq, _) = makeInterpreter()
    try pq.run(script: "var t = [1]\nfn f() { t = [9]; [2] }\nt = t + f()", name: "impure")
    #expect(try show("t", pq) == "[1, 2]")
  }

  /// Built by `xs = xs + [x]` and `s = s + "…"`, a list and a text grow in place: under a budget
  /// of 16 MiB a list of 100,000 and a text of 400,000 characters are made, where the ordinary
  /// sum, copying the whole each time, passes the budget within a few thousand; and a size limit
  /// stops the sum with the variable as it was.
  @Test func aSumWithItselfIsChargedWhatItGains() throws {
    let (pq, _) = makeInterpreter(limits: Limits(memory: 16 << 20))
    #expect(failure("var xs = []\nfor i in range(100000) { xs = xs + [i] }", pq) == nil)
    #expect(failure("var s = \"\"\nfor i in range(200000) { s = s + \"ab\" }", pq) == nil)
    #expect(try show("[len(xs), len(s)]", pq) == "[100000, 400000]")
    let copied = failure("var ys = []\nfor i in range(100000) { ys = [ys][0] + [i] }", pq)
    #expect(copied?.limitReason == .memory, "\(String(describing: copied))")
    let (small, _) = makeInterpreter(limits: Limits(maximumLength: 30))
    _ = try small.evaluate("var s = repeat(\"a\", 25)")
    _ = try small.evaluate("var xs = range(25)")
    let error = failure("s = s + s", small)
    #expect(error?.limitReason == .size, "\(String(describing: error))")
    #expect(try show("len(s)", small) == "25")
    let listError = failure("xs = xs + xs", small)
    #expect(listError?.limitReason == .size, "\(String(describing: listError))")
    #expect(try show("len(xs)", small) == "25")
  }

  /// `statement` run three times on `t` (which starts as `start`) in a loop, `t` a global
  /// (form 0), a function's local (1), or a variable a closure captures and changes once more
  /// by `closure` (2); `out` holds `t`, and the list `shared` that `t` may share with `keep`.
  private func program(_ start: String, _ statement: String, _ form: Int, closure: String) -> String {
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
        "fn go() {\n\(body)\nlet more = fn() { \(closure) }\nmore()\nreturn [t, keep, shared]\n}\nlet out = go()"
    }
  }

  /// A program's `out`, or its error, the text at the error's place and the error's notes.
  private func outcome(_ script: String) -> String {
    let (pq, _) = makeInterpreter()
    do {
      try pq.run(script: script, name: "append")
      return try show("out", pq)
    } catch let error as PQError {
      // The text under the error's span, the compound operator read as the plain one.
      let bytes = Array(script.utf8)
      let place = error.span.map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) } ?? "-"
      return "\(error.message) at \(place == "+=" ? "+" : place) (\(error.notes.joined(separator: "; ")))"
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
