import PQTestSupport
import Testing

@testable import PlatformQuery

/// Names bound before running: errors at check time, slots, captured variables.
@Suite struct ResolverTests {
  func check(_ text: String) -> PQError? {
    let pq = makeInterpreter().0
    do {
      try pq.check(text, name: "t.pq")
      return nil
    } catch {
      return error
    }
  }

  @Test func undefinedNameWithSuggestion() throws {
    let error = try #require(check("let total = 1\nprint(totl)"))
    #expect(error.kind == .syntax)
    #expect(
      error.rendered(color: false) == """
        t.pq:2:7: error: 'totl' is not defined
        2 | print(totl)
          |       ^~~~
        note: did you mean 'total'?
        """)
  }

  @Test func assignmentRules() throws {
    #expect(check("let a = 1\na = 2")?.message == "cannot assign to 'a': it is a constant")
    #expect(check("ratio = 2")?.notes == ["'ratio' is built in; define your own with 'let ratio = …'"])
    #expect(check("b = 2")?.message == "'b' is not defined")
    #expect(check("var a = 1\na = 2\nfn f(p) { p = 3 }") == nil)
  }

  @Test func controlFlowOutOfPlace() throws {
    #expect(check("break")?.message == "'break' outside a loop")
    #expect(check("continue")?.message == "'continue' outside a loop")
    #expect(check("return 1")?.message == "'return' outside a function")
    #expect(
      check("while true { fn f() { break } }")?.notes == ["a function body cannot break the loop around it"])
  }

  @Test func scopes() throws {
    #expect(check("if true { let inner = 1 }\ninner")?.message == "'inner' is not defined")
    #expect(check("let a = 1\nlet a = 2")?.message == "'a' is already defined in this scope")
    #expect(check("let a = 1\nif true { let a = 2 }") == nil)
    #expect(check("fn a() { b() }\nfn b() { 1 }") == nil)
  }

  @Test func reportsSeveralErrors() throws {
    let error = try #require(check("print(aa)\nprint(bb)\nprint(cc)"))
    #expect(error.followUps.count == 2)
  }

  @Test func capturedVariablesLiveInEnvironments() throws {
    let (pq, _) = makeInterpreter()
    try pq.evaluate(
      """
      fn make() {
        var count = 0
        let add = fn(n) { count += n; count }
        let get = fn() { count }
        [add, get]
      }
      let pair = make()
      pair[0](5)
      pair[0](2)
      """)
    #expect(try pq.evaluate("pair[1]()").description == "7")
  }
}
