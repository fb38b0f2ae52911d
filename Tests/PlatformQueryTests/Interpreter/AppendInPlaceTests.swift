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
      let grown = Runtime.append(.number(Double(n)), to: slot)
      #expect(grown?.count == n + 1)
      #expect(grown?.copied == false)
    }
    guard case .list(let grown) = slot.pointee else {
      Issue.record("the slot holds no list")
      return
    }
    #expect(grown.withUnsafeBufferPointer { $0.baseAddress } == before)
    #expect(grown.map(\.numericValue) == (0..<10).map { Double($0) })
  }

  /// A slot without a list is left as it was, for the ordinary `+` to answer.
  @Test func aSlotWithoutAListIsUnchanged() {
    let slot = UnsafeMutablePointer<Value>.allocate(capacity: 1)
    defer {
      slot.deinitialize(count: 1)
      slot.deallocate()
    }
    for value: Value in [.nil, .number(5), .string("a long string that is not stored inline")] {
      slot.initialize(to: value)
      #expect(Runtime.append(.number(1), to: slot) == nil)
      #expect(slot.pointee.description == value.description)
      slot.deinitialize(count: 1)
    }
    slot.initialize(to: .nil)
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
}
