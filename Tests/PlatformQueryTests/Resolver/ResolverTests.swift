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

  /// The one-pass name check (`Resolver.check`, what `check` and the editor use) finds exactly the
  /// errors the two passes of `resolve` find (the second pass only places captured variables),
  /// on every script of the repository and on generated programs full of name mistakes.
  @Test func theOnePassCheckFindsWhatResolvingFinds() throws {
    var sources = ["examples", "stdlib", "Tests", "bench", "docs"].flatMap { files(in: $0, ending: ".pq") }
      .compactMap(readText)
    var random = SplitMix(state: 0x5E50_1FE0)
    let statements = [
      "let a = 1", "var b = a", "fn f(x) { x + a + c }", "b = f(2)", "let a = 2", "c = 3", "print(d)",
      "let g = fn(y) { let h = fn() { y + b }; h() }", "for i in range(3) { b += i + j }", "return 1",
      "while b < 10 { let k = b; b = k + 1 }", "ratio = 1", "import nosuchmodule", "x.mau + q",
    ]
    for _ in 0..<300 {
      sources.append(
        (0..<random.int(1...8)).map { _ in statements[random.int(0...(statements.count - 1))] }
          .joined(separator: "\n"))
    }
    let globals = Interpreter().scope
    for text in sources {
      let tree: SyntaxTree
      do {
        tree = try LargeStack.run { () throws(PQError) in try Parser.parse(Source(name: "t.pq", text: text)) }
      } catch { continue }
      func messages(_ body: () throws(PQError) -> Void) -> [String] {
        do {
          try body()
          return []
        } catch {
          return ([error] + error.followUps).map { "\($0.span?.start ?? -1): \($0.message)" }
        }
      }
      let full = messages { () throws(PQError) in
        _ = try LargeStack.run { () throws(PQError) in
          try Resolver.resolve(tree, mode: .script, globals: globals)
        }
      }
      let check = messages { () throws(PQError) in
        try LargeStack.run { () throws(PQError) in try Resolver.check(tree, mode: .script, globals: globals) }
      }
      #expect(full == check, "\(text)")
    }
  }
}
