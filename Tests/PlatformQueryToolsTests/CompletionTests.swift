import PQTestSupport
import Testing

@testable import PlatformQuery
@testable import PlatformQueryTools

/// Completion, continuation and history-line logic the prompt and the notebook use.
@Suite struct CompletionTests {
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

  /// Tab inside `rank(d, "` offers the loaded file's columns, not the article's metrics.
  @Test func completionOffersTheLoadedColumns() throws {
    let folder = temporaryDirectory()
    try FileSystem.writeAtomically(
      folder + "/s.csv", Array("name,period,registered,visits\nbluesky,2024-01,10M,5M\n".utf8))
    let (pq, _) = makeInterpreter(files: .folders([folder]))
    try pq.run(source: Source(name: "<t>", text: "let d = load(\"\(folder)/s.csv\")"))
    let line = "rank(d, \"re"
    #expect(pq.completions(for: line, cursor: line.count).candidates == ["registered"])
    let all = "top(d, \""
    #expect(
      pq.completions(for: all, cursor: all.count).candidates == ["name", "period", "registered", "visits"])
    // The article's metrics where the list is not a loaded one.
    let article = "rank(platforms, \"ma"
    #expect(pq.completions(for: article, cursor: article.count).candidates == ["mau"])
  }
}
