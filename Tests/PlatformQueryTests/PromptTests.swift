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

  @Test func completesInsideStrings() {
    // Metric names inside a string argument of rank, top, chart, get…
    let line = "rank(platforms, \"web"
    #expect(pq.completions(for: line, cursor: line.count) == (17, ["web_visits"]))
    let get = "get(x, \"s"
    #expect(pq.completions(for: get, cursor: get.count).candidates == ["suspended_accounts"])
    // File names inside load("…") only for an interpreter that may touch files (this one may not).
    let load = "load(\"/et"
    #expect(pq.completions(for: load, cursor: load.count).candidates == [])
    var options = Interpreter.Options()
    options.fileAccess = .all
    let withFiles = Interpreter(options: options)
    #expect(withFiles.completions(for: load, cursor: load.count).candidates == ["/etc/"])
    // A string that is no function's path or metric completes nothing; neither does a plain name
    // typed inside one.
    let other = "print(\"ra"
    #expect(pq.completions(for: other, cursor: other.count).candidates == [])
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
