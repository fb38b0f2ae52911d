import PlatformQuery
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Numbers as pq shows them (significant digits, percentages and points, ties, files, ASCII),
/// through the real binary; first written as the "honest numbers" table of issue 13. Expected values
/// are worked out by hand from the article's figures, not taken from pq's output:
/// 70.4M / 698K = 100.86 (3 significant digits: 101); (70.4M − 698K) / 698K = 99.8596, 9,985.96%
/// (9,986%); ($2B − $2.6M) / $2.6M = 768.2308, 76,823.08% (76,823%).
@Suite struct ShownNumbersTests {
  /// `pq -e EXPR`: stdout on success, and the status.
  func evaluate(_ expression: String, _ flags: [String] = []) -> ProcessResult {
    runPQ(flags + ["-e", expression])
  }

  @Test(arguments: [
    ("round(x.news_share)", "59%"), ("round(33.3%)", "33%"), ("round(59.4%)", "59%"),
    ("round(33.3%, 1)", "33.3%"),
    ("floor(59.9%)", "59%"), ("ceil(57.1%)", "58%"), ("round(0.5%)", "1%"),
    ("57% + 2pp", "59%"), ("2pp + 57%", "59%"), ("57% - 2pp", "55%"), ("as_unit(2, \"pp\")", "2 pp"),
    ("as_unit(57, \"%\")", "57%"), ("value(57%)", "57"), ("value(59% - 57%)", "2"),
    ("pct_change(truth.mau, x.mau)", "9,986%"), ("ratio(x.mau, truth.mau)", "101"),
    ("2 ^ 53", "9007199254740992"), ("1234567890123456", "1234567890123456"),
    ("-(2 ^ 53)", "-9007199254740992"),
    ("x.mau + 5M", "75.4M users"), ("x.revenue * 2", "$4B"),
  ])
  func answers(_ row: (String, String)) {
    let result = evaluate(row.0)
    #expect(result.status == 0, "\(row.0): \(result.stderr)")
    #expect(result.stdout == row.1 + "\n", "\(row.0)")
  }

  @Test func oneReadingOfARatioEverywhere() {
    // ratio, compare (platforms and figures), headline and explain all read 101.
    #expect(evaluate("ratio(x.mau, truth.mau)").stdout == "101\n")
    #expect(evaluate("compare(x, truth)").stdout.contains("698K users               101×\n"))
    #expect(evaluate("compare(x.mau, truth.mau)").stdout.contains("\nratio       101×\n"))
    #expect(evaluate("headline(x, truth, \"mau\")").stdout.hasPrefix("X has 101 times Truth Social's"))
    #expect(evaluate("explain(ratio(x.mau, truth.mau))").stdout.hasPrefix("ratio(x.mau, truth.mau) = 101\n"))
    #expect(evaluate("compare(x.revenue, truth.revenue)").stdout.contains("\nchange      +76,823%"))
  }

  @Test(arguments: [
    (
      "x.news_share + 5",
      "-e:1:14: error: cannot add a plain number and a percentage: is 5 meant as 5% or 5pp?",
      "note: did you mean 5% or 5pp?"
    ),
    (
      "x.news_share > 50", "-e:1:14: error: cannot compare a plain number with a percentage",
      "note: did you mean 50%?"
    ),
    (
      "50 < x.news_share", "-e:1:4: error: cannot compare a plain number with a percentage",
      "note: did you mean 50%?"
    ),
    (
      "filter(platforms, fn(p) { get(p, \"news_share\", 0) > 58 })",
      "error: cannot compare a plain number with a percentage",
      "note: did you mean 58%?"
    ),
    ("let g = 59% - 57%\n57% > g", "-e:2:5: error: cannot compare percent and pp", "different things"),
    ("let g = 59% - 57%\ng < 57%", "-e:2:3: error: cannot compare pp and percent", "different things"),
    ("let g = 59% - 57%\ng - 57%", "-e:2:3: error: cannot subtract percent from pp", "different things"),
    ("1e300 * 1e10", "error: the result of multiplication", "never inf or nan"),
    ("-(999999999T * 1e300) + 999999999T * 1e300", "is too large for a number", "never inf or nan"),
  ])
  func refusals(_ row: (String, String, String)) {
    let result = evaluate(row.0)
    #expect(result.status == 1, "\(row.0)")
    #expect(result.stdout == "", "\(row.0)")
    #expect(result.stderr.contains(row.1), "\(row.0): \(result.stderr)")
    #expect(result.stderr.contains(row.2), "\(row.0): \(result.stderr)")
  }

  @Test func jsonCarriesPercentAndPointsAsShownWithoutNoise() {
    // Figures carry their provenance after the value and unit.
    #expect(
      evaluate("x.news_share - truth.news_share", ["--json"]).stdout.hasPrefix(
        "{\"value\": 2, \"unit\": \"pp\", \"expression\": \"x.news_share - truth.news_share\""))
    #expect(
      evaluate("x.news_share", ["--json"]).stdout.hasPrefix(
        "{\"value\": 59, \"unit\": \"%\", \"label\": \"x.news_share\""))
    #expect(evaluate("57% - 55%", ["--json"]).stdout == "{\"value\": 2, \"unit\": \"pp\"}\n")
    #expect(evaluate("0.1 + 0.2", ["--json"]).stdout == "0.3\n")
  }

  @Test func filesHoldNoBinaryNoiseAndReadBackTheSame() throws {
    let folder = temporaryFolder()
    let script = """
      let rows = [{name: "A", share: 57%, gap: 59% - 57%, n: 0.1 + 0.2}, {name: "B", share: 14%, gap: 2pp, n: 1}]
      save(rows, "t.csv")
      save(rows, "t.json")
      print(load("t.csv") == rows, load("t.json") == rows)
      """
    let result = runPQ(["-"], stdin: script, directory: folder)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "true true\n")
    let csv = String(decoding: try FileSystem.read(folder + "/t.csv"), as: UTF8.self)
    #expect(csv == "name,share,gap,n\nA,57%,2pp,0.3\nB,14%,2pp,1\n")
    let json = String(decoding: try FileSystem.read(folder + "/t.json"), as: UTF8.self)
    #expect(json.contains("\"share\": {\"value\": 57, \"unit\": \"%\"}"))
    #expect(json.contains("\"gap\": {\"value\": 2, \"unit\": \"pp\"}"))
    #expect(json.contains("\"n\": 0.3"))
  }

  @Test func tiesShareAPlace() {
    let records = "[{name: \"A\", v: 5}, {name: \"B\", v: 7}, {name: \"C\", v: 7}, {name: \"D\", v: 3}]"
    #expect(
      evaluate("map(rank(\(records), \"v\"), fn(r) { [r.name, r.rank] })").stdout
        == "[[\"B\", 1], [\"C\", 1], [\"A\", 3], [\"D\", 4]]\n")
    // top keeps every record tied at its last place.
    #expect(evaluate("map(top(\(records), \"v\", 1), fn(r) { r.name })").stdout == "[\"B\", \"C\"]\n")
    #expect(evaluate("map(top(\(records), \"v\", 3), fn(r) { r.name })").stdout == "[\"B\", \"C\", \"A\"]\n")
    // A tie is a tie as the figures read, binary noise or not (0.1 + 0.2 and 0.3).
    #expect(
      evaluate(
        "map(rank([{name: \"a\", v: 0.1 + 0.2}, {name: \"b\", v: 0.3}, {name: \"c\", v: 0.1}], \"v\"), fn(r) { r.rank })"
      )
      .stdout == "[1, 1, 3]\n")
  }

  @Test func asciiMeansASCIIEverywhere() {
    for expression in [
      "compare(x, truth)", "explain(ratio(x.revenue, truth.revenue))", "chart(platforms, \"mau\", log: true)",
      "x", "source(x.mau)", "quote(x.news_share)", "x.revenue + x.mau",
    ] {
      let result = evaluate(expression, ["--ascii"])
      #expect(
        ASCII.isASCII(result.stdout) && ASCII.isASCII(result.stderr),
        "\(expression): \(result.stdout)\(result.stderr)")
      #expect(!(result.stdout + result.stderr).isEmpty)
    }
    #expect(evaluate("compare(x, truth)", ["--ascii"]).stdout.contains("  101x\n"))
  }

  @Test func theDataFollowsTheArticlesWords() {
    // "roughly 5.3 million": approximate; X's ad revenue: no period stated.
    #expect(
      evaluate("caveats(x.suspended_accounts)").stdout.contains(
        "x.suspended_accounts is approximate (the source says “roughly”)"))
    #expect(evaluate("source(x.revenue)[0].period").stdout == "not stated; reported November 2024\n")
    #expect(
      evaluate("caveats(ratio(x.revenue, truth.revenue))").stdout.contains("no period is given for x.revenue")
    )
    #expect(evaluate("caveats(truth.owner_stake)").stdout.contains("approximate (the source says “around”)"))
  }
}
