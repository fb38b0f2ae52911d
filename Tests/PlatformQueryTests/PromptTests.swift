import Testing

@testable import PlatformQuery

/// Completion, continuation and history-line logic used by the prompt.
@Suite struct PromptTests {
  let pq = makeInterpreter().0

  @Test func completesFieldsAfterADot() {
    let (start, candidates) = pq.completions(for: "x.m", cursor: 3)
    #expect(start == 2)
    #expect(candidates == ["mau"])
    #expect(pq.completions(for: "truth.", cursor: 6).candidates.contains("suspended_accounts"))
    #expect(pq.completions(for: "nothing.", cursor: 8).candidates.isEmpty)
  }

  @Test func completesGlobalsKeywordsAndBuiltins() {
    #expect(pq.completions(for: "rat", cursor: 3).candidates == ["ratio"])
    #expect(pq.completions(for: "let a = tru", cursor: 11).candidates == ["true", "truth"])
    #expect(pq.completions(for: "whi", cursor: 3).candidates == ["while"])
    _ = try? pq.evaluate("let my_value = 1")
    #expect(pq.completions(for: "my_", cursor: 3).candidates == ["my_value"])
  }

  @Test func completesCommands() {
    #expect(pq.completions(for: ":he", cursor: 3).candidates == ["help"])
  }

  @Test func unfinishedInputContinues() {
    #expect(pq.isIncomplete("fn f(n) {"))
    #expect(pq.isIncomplete("[1, 2,"))
    #expect(pq.isIncomplete("1 +"))
    #expect(pq.isIncomplete("\"open string"))
    #expect(pq.isIncomplete("platforms \\"))
    #expect(!pq.isIncomplete("1 + 2"))
    #expect(!pq.isIncomplete("1 + )"))
  }

  @Test func multiLineInputBecomesOneHistoryLine() {
    #expect(Interpreter.singleLine("fn f(n) {\n  n * 2\n}") == "fn f(n) { n * 2; }")
    #expect(Interpreter.singleLine("let a = 1 +\n  2") == "let a = 1 + 2")
    #expect(Interpreter.singleLine("platforms\n  |> len") == "platforms |> len")
    #expect(Interpreter.singleLine("let a = 1 # one\nlet b = 2") == "let a = 1; let b = 2")
  }

  @Test func failedInputDefinesNothing() throws {
    #expect(failure("let doomed = 1 / 0", pq) != nil)
    #expect(failure("doomed", pq)?.message == "'doomed' is not defined")
    try pq.evaluate("var n = 1")
    #expect(failure("n = 5; error(\"stop\")", pq) != nil)
    #expect(try show("n", pq) == "5")
  }

  @Test func letMayShadowAtThePrompt() throws {
    try pq.evaluate("let a = 1")
    try pq.evaluate("let f = fn() { a }")
    try pq.evaluate("let a = 2")
    #expect(try show("[a, f()]", pq) == "[2, 1]")
  }
}
