import PQTestSupport
import Testing

@testable import PlatformQuery

/// Ratio and comparison built-ins, provenance and caveats.
@Suite struct ComparisonTests {
  @Test func ratioKeepsSources() throws {
    #expect(try show("ratio(x.mau, truth.mau)") == "101")
    let explanation = try show("explain(ratio(x.mau, truth.mau))")
    #expect(explanation.hasPrefix("ratio(x.mau, truth.mau) = 101\n"))
    #expect(explanation.contains("Similarweb, September 2024"))
    #expect(explanation.contains("“In September Truth Social had 698,000 active monthly users"))
    #expect(explanation.hasSuffix("caveats: none (same sources, periods and definitions)"))
  }

  /// A figure's `explain` lines are kept per pair of column widths: the same figure explained
  /// alone and beside a longer label is padded for each, however often and in whatever order.
  @Test func explainPadsEachFigureToItsTable() throws {
    let alone = try show("explain(x.mau)")
    let beside = try show("explain(ratio(x.mau, truth.mau))")
    #expect(alone.contains("\n  x.mau  70.4M users  Similarweb"), "\(alone)")
    #expect(beside.contains("\n  x.mau      70.4M users  Similarweb"), "\(beside)")
    #expect(beside.contains("\n  truth.mau  698K users   Similarweb"), "\(beside)")
    // The quote is indented under the value column of each table.
    #expect(alone.contains("\n         “In September"), "\(alone)")
    #expect(beside.contains("\n             “In September"), "\(beside)")
    for _ in 0..<3 {
      #expect(try show("explain(x.mau)") == alone)
      #expect(try show("explain(ratio(x.mau, truth.mau))") == beside)
    }
  }

  @Test func diffOfPercentagesIsPoints() throws {
    #expect(try show("diff(x.news_share, truth.news_share)") == "2 pp")
    #expect(try show("x.news_share - truth.news_share") == "2 pp")
  }

  @Test func shareAndChange() throws {
    #expect(try show("share(truth.mau, x.mau + truth.mau)") == "0.982%")
    #expect(try show("pct_change(truth.web_visits, x.web_visits)") == "8,750%")
    #expect(failure("share(x.mau, x.revenue)")?.message.contains("same unit") == true)
    #expect(failure("pct_change(0, 5)")?.message.contains("starting figure is 0") == true)
  }

  @Test func revenueComparisonCarriesACaveat() throws {
    let caveats = try show("caveats(ratio(x.revenue, truth.revenue))")
    #expect(
      caveats.contains(
        "no period is given for x.revenue (not stated; reported November 2024), so the periods cannot be compared"
      ))
    #expect(caveats.contains("x.revenue is an estimate"))
    #expect(try show("caveats(x.mau / truth.mau)") == "[]")
  }

  @Test func comparePlatformsShowsEveryMetric() throws {
    let table = try show("compare(x, truth)")
    let lines = table.split(separator: "\n").map(String.init)
    #expect(lines[0].hasPrefix("metric") && lines[0].contains("X vs Truth Social"))
    #expect(lines[2].hasPrefix("mau") && lines[2].hasSuffix("101×"))
    #expect(lines[3].hasPrefix("web_visits") && lines[3].hasSuffix("88.5×"))
    #expect(lines[4].hasPrefix("revenue") && lines[4].hasSuffix("769× *"))
    // Neither news share is dated in the article: the comparison is marked.
    #expect(lines[5].hasPrefix("news_share") && lines[5].hasSuffix("+2 pp *"))
    #expect(
      table.contains(
        "news_share: no period is given for x.news_share or truth.news_share, so the periods cannot be compared"
      ))
    #expect(
      lines[6].hasPrefix("suspended_accounts") && lines[6].contains("5.3M accounts")
        && lines[6].hasSuffix("—"))
    #expect(table.contains("revenue: definitions differ (advertising revenue vs revenue)"))
    #expect(table.contains("suspended_accounts: the article gives no figure for Truth Social"))
  }

  /// A platform whose fields were set by hand: every row marked `*` has a caveat under its
  /// metric saying why, a ratio of different units shows its unit rather than "×", and a plain
  /// number against a percentage is not compared at all (it could be either scale).
  @Test(arguments: [
    "p.web_visits = 5000000", "p.mau = x.revenue", "p.news_share = 0.5", "p.news_share = x.mau",
    "p.mau = x.mau + truth.mau", "p.revenue = ratio(x.revenue, truth.revenue) * truth.revenue",
    "p.suspended_accounts = 3", "p.news_share = diff(x.news_share, truth.news_share)",
  ])
  func everyMarkedRowIsExplained(change: String) throws {
    let (pq, _) = makeInterpreter()
    try pq.run(script: "var p = x\n\(change)", name: "setup.pq")
    for expression in ["compare(p, truth)", "compare(truth, p)"] {
      let table = try show(expression, pq)
      let lines = table.split(separator: "\n").map(String.init)
      let caveats = lines.drop { $0 != "caveats:" }.dropFirst().map { $0.dropFirst(4) }
      for line in lines.prefix(7).dropFirst(2) {
        let metric = String(line.prefix { $0 != " " })
        if line.hasSuffix(" *") {
          #expect(caveats.contains { $0.hasPrefix(metric + ":") }, "\(expression): \(line)")
        }
        // "×" is a multiple: only for figures of one unit.
        if line.contains("×") { #expect(!line.contains(" per "), "\(line)") }
      }
    }
  }

  /// Points against a percentage: a difference of shares and a share are not compared (it was
  /// shown "+3.51 pp", a ratio read as a difference), in a table row and between two numbers.
  @Test func pointsAgainstAPercentageAreNotCompared() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(script: "var p = x\np.news_share = diff(x.news_share, truth.news_share)", name: "setup.pq")
    let table = try show("compare(p, truth)", pq)
    let lines = table.split(separator: "\n").map(String.init)
    #expect(lines[5].hasPrefix("news_share") && lines[5].hasSuffix("—"), "\(lines[5])")
    #expect(
      table.contains("news_share: 57% is a share and 2 pp a difference of shares, so they are not compared"))
    #expect(try pq.evaluate("compare(2pp, 57%).ratio").description == "nil")
    #expect(
      try pq.evaluate("compare(0.5, 2pp).caveats").description.contains(
        "0.5 is a plain number and 2 pp a difference in points, so they are not compared (is 0.5 meant as 0.5 pp, or as a fraction?)"
      ))
  }

  /// Two numbers, one a percentage and one plain: no ratio (0.5 could be 0.5% or 50%), and why.
  @Test(arguments: ["compare(x.news_share, 0.5)", "compare(0.5, x.news_share)"])
  func aPlainNumberAgainstAPercentageHasNoRatio(expression: String) throws {
    let (pq, _) = makeInterpreter()
    #expect(try pq.evaluate(expression + ".ratio").description == "nil")
    let caveats = try pq.evaluate(expression + ".caveats").description
    #expect(
      caveats.contains(
        "0.5 is a plain number and 59% a percentage, so they are not compared (is 0.5 meant as 0.5%, or as a fraction?)"
      ))
    #expect(!caveats.contains("only the ratio is meaningful"))
    // Dividing a share by a number is still arithmetic: it scales the share.
    #expect(try pq.evaluate("ratio(x.news_share, 0.5)").description == "118%")
  }

  /// A plain number beside a count: `-` reads it in the count's unit, and so does the ratio
  /// (it was `0.005 per visit` beside a difference of `-995M visits`, and `$1B` for `$2B`
  /// against 2), with a note that says so.
  @Test func aPlainNumberBesideACountIsReadInItsUnit() throws {
    let (pq, _) = makeInterpreter()
    for (expression, ratio, note) in [
      (
        "compare(5000000, x.web_visits)", "0.005",
        "5000000 has no unit, so it is taken to be in visits"
      ),
      (
        "compare(x.web_visits, 5000000)", "200",
        "5000000 has no unit, so it is taken to be in visits"
      ),
      ("compare(x.revenue, 2)", "1B", "2 has no unit, so it is taken to be in USD"),
    ] {
      #expect(try pq.evaluate(expression + ".ratio").description == ratio, "\(expression)")
      #expect(try pq.evaluate(expression + ".caveats").description.contains(note), "\(expression)")
      #expect(!(try show(expression, pq)).contains(" per "), "\(expression)")
    }
    try pq.run(script: "var p = x\np.web_visits = 5000000", name: "setup.pq")
    let table = try show("compare(p, x)", pq)
    #expect(table.split(separator: "\n")[3].hasSuffix(" 0.005× *"), "\(table)")
    #expect(table.contains("web_visits: 5000000 has no unit, so it is taken to be in visits"))
    // `ratio` itself is division, whose units combine: a rate, as `5000000 / x.web_visits` is.
    #expect(try show("ratio(5000000, x.web_visits)", pq) == "0.005 per visit")
  }

  /// `rank`, `top` and `chart` put a plain number among counts on the counts' scale, as `-`
  /// does: each says so under the table or chart (they said nothing, or only "no source").
  @Test func rankingsAndChartsSayAPlainNumberIsReadInTheirUnit() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(script: "var p = x\np.name = \"P\"\np.mau = 5000000\nvar q = p\nq.mau = 7", name: "setup.pq")
    let note = "5000000 has no unit, so it is taken to be in users"
    #expect(try show("rank([x, truth, p], \"mau\")", pq).contains("caveats:\n  - \(note)"))
    #expect(try show("top([x, truth, p], \"mau\", 2)", pq).contains(note))
    #expect(try show("chart([x.mau, p.mau])", pq).contains(note))
    #expect(
      try show("rank([x, p, q], \"mau\")", pq).contains(
        "2 values have no unit, so they are taken to be in users"))
    // Plain numbers among plain numbers, and counts among counts, have nothing to say.
    #expect(!(try show("rank([p, q], \"mau\")", pq)).contains("caveats"))
    #expect(!(try show("rank([x, truth], \"mau\")", pq)).contains("no unit"))
  }

  /// The change is from the second value to the first: it needs the second to be nonzero (it
  /// looked at the first, so `compare(x.mau, 0)` failed and `compare(0, x.mau)` gave no change).
  @Test func theChangeNeedsItsStartingValue() throws {
    let (pq, _) = makeInterpreter()
    #expect(try pq.evaluate("compare(x.mau, 0).change").description == "nil")
    #expect(try show("compare(0, x.mau).change", pq) == "-100%")
  }

  @Test func handSetFieldsAreNamedInTheCaveats() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(
      script: "var p = x\np.mau = x.revenue\np.news_share = 0.5\np.web_visits = 5000000", name: "setup.pq")
    let table = try show("compare(p, truth)", pq)
    let lines = table.split(separator: "\n").map(String.init)
    #expect(lines[2].hasPrefix("mau") && lines[2].hasSuffix("$2.87K per user *"))
    #expect(table.contains("mau: different units (USD and users): only the ratio is meaningful"))
    #expect(lines[5].hasPrefix("news_share") && lines[5].hasSuffix("—"))
    #expect(
      table.contains(
        "news_share: 0.5 is a plain number and 57% a percentage, so they are not compared (is 0.5 meant as 0.5%, or as a fraction?)"
      ))
    #expect(
      table.contains(
        "web_visits: 5000000 has no source, so nothing can be said about its period or definition"))
    // The built-in platforms raise none of these.
    let builtIn = try show("compare(x, truth)", pq)
    #expect(!builtIn.contains("different units") && !builtIn.contains("has no source"))
  }

  @Test func compareFiguresHasEveryPart() throws {
    let (pq, _) = makeInterpreter()
    try pq.evaluate("let c = compare(x.mau, truth.mau)")
    #expect(try show("c.difference", pq) == "69.7M users")
    #expect(try show("c.ratio", pq) == "101")
    #expect(try show("c.change", pq) == "9,986%")
    #expect(try show("type(c)", pq) == "comparison")
    #expect(try show("c", pq).contains("caveats: none"))
  }

  @Test func unitErrorPointsAtTheOperator() throws {
    let error = try #require(failure("x.revenue + x.mau"))
    #expect(error.message == "cannot add USD and users")
    #expect(error.location?.column == 11)
  }

  @Test func missingFigureErrorsNameTheField() throws {
    let error = try #require(failure("truth.suspended_accounts * 2"))
    #expect(error.message.contains("no figure for Truth Social's suspended_accounts"))
    #expect(error.location?.column == 1)
    let inCall = try #require(failure("ratio(x.suspended_accounts, truth.suspended_accounts)"))
    #expect(inCall.message.contains("no figure for Truth Social's suspended_accounts"))
    #expect(inCall.location?.column == 29)
  }

  @Test func unknownFieldSuggests() throws {
    let error = try #require(failure("x.maus"))
    #expect(error.message == "platform X has no field 'maus'")
    #expect(error.notes == ["did you mean 'mau'?"])
  }

  @Test func rankAndTop() throws {
    #expect(try show("map(top(platforms, \"mau\", 5), fn(r) { r.name })") == "[\"X\", \"Truth Social\"]")
    #expect(try show("rank(platforms, \"mau\")[9].rank") == "nil")
    #expect(try show("len(rank(platforms, \"web_visits\"))") == "10")
    #expect(failure("rank(platforms, \"maus\")")?.notes.first == "did you mean 'mau'?")
  }

  @Test func sumKeepsProvenance() throws {
    #expect(try show("sum([x.mau, truth.mau])") == "71.1M users")
    #expect(try show("explain(sum([x.mau, truth.mau]))").hasPrefix("sum(x.mau, truth.mau) = 71.1M users"))
  }

  @Test func chartDrawsBarsAndDegradesToASCII() throws {
    let chart = try show("chart(top(platforms, \"mau\"), \"mau\", width: 40)")
    #expect(chart.contains("X             " + String(repeating: "█", count: 13) + "  70.4M users"))
    #expect(chart.contains("Truth Social  ▏ "))
    #expect(chart.contains("70.4M users"))
    var options = Interpreter.Options()
    options.unicode = false
    let ascii = try Interpreter(options: options).evaluate(
      "chart(top(platforms, \"mau\"), \"mau\", log: true, width: 40)")
    // By hand: 40 − 12 − 11 − 4 = 13 columns, four decades (10^4 to 10^8), so 12 columns, 3 a
    // decade: X (log10(70.4M) − 4) × 3 = 11.5 → 12 #; Truth Social 1.84 × 3 = 5.5 → 6 #.
    let lines = ascii.description.split(separator: "\n").map(String.init)
    #expect(lines[1] == "X             ############  70.4M users")
    #expect(lines[2] == "Truth Social  ######        698K users")
    #expect(lines[3] == "(log scale: each 3 columns is x10)")
    #expect(!ascii.description.contains("█"))
  }

  /// Worked by hand: width 60 leaves 60 - 12 (label) - 11 (value) - 4 = 33 columns; the values
  /// span 10^4 to 10^8, four decades, so the bar is 32 columns, 8 a decade. X: (log10(70.4M) - 4)
  /// × 8 = 30.78 columns (30 full, 6/8); Truth Social: (log10(698K) - 4) × 8 = 14.75 (14, 6/8).
  /// Bars share one scale: values that do not compare (users beside USD, a plain number beside a
  /// percentage, a percentage beside points) are refused, in a series and in a metric of records.
  @Test(arguments: [
    ("chart([x.mau, x.revenue])", "cannot compare users and USD"),
    ("chart([x.news_share, 0.5])", "cannot compare a plain number with a percentage"),
    ("chart([x.news_share, 2pp])", "cannot compare percent and pp"),
    ("svg(chart([x.mau, x.revenue]))", "cannot compare users and USD"),
  ])
  func chartsRefuseBarsOfTwoScales(expression: String, reason: String) throws {
    let error = try #require(failure(expression))
    #expect(error.message == "chart: a chart's bars share one scale, and " + reason)
    #expect(error.notes.last == "chart one metric at a time, or divide to chart a rate or a ratio")
  }

  @Test func aMetricOfRecordsInTwoUnitsIsRefused() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(script: "var p = x\np.mau = x.revenue", name: "setup.pq")
    let error = try #require(failure("chart([p, truth], \"mau\")", pq))
    #expect(error.message.hasSuffix("cannot compare USD and users"))
    #expect(try show("chart([x.mau, 5M])").contains("5000000"))
  }

  @Test func logChartLegendStatesTheScaleExactly() throws {
    let chart = try show("chart(with_figure(platforms, \"mau\"), \"mau\", log: true, width: 60)")
    let lines = chart.split(separator: "\n").map(String.init)
    #expect(lines[1] == "X             " + String(repeating: "█", count: 30) + "▊   70.4M users")
    #expect(
      lines[2] == "Truth Social  " + String(repeating: "█", count: 14) + "▊"
        + String(repeating: " ", count: 17) + "  698K users")
    #expect(lines[3] == "(log scale: each 8 columns is ×10)")
    // Width 70: 43 columns, 40 used, 10 a decade: 38.48 and 18.44 columns.
    let wide = try show("chart(with_figure(platforms, \"mau\"), \"mau\", log: true, width: 70)")
    #expect(wide.contains("X             " + String(repeating: "█", count: 38) + "▌   70.4M users"))
    #expect(
      wide.contains(
        "\n(log scale: each 10 columns is ×10)\nsource: Similarweb, September 2024\ncaveats: none"))
  }

  @Test func headlineReadsWell() throws {
    #expect(
      try show("headline(x, truth, \"mau\")")
        == "X has 101 times Truth Social's monthly active users on the mobile apps (70.4M users vs 698K users; Similarweb, September 2024)."
    )
  }
}

/// A ranking says under its table what makes its figures not like for like.
@Suite struct RankingCaveatTests {
  @Test func rankingRevenueNamesTheCaveats() throws {
    let shown = try show("rank(platforms, \"revenue\")")
    #expect(
      shown.contains(
        "caveats:\n  - no period is given for x.revenue (not stated; reported November 2024), so the periods cannot be compared"
      ))
    #expect(shown.contains("x.revenue is an estimate"))
    let top = try show("top(platforms, \"revenue\", 1)")
    #expect(top.contains("x.revenue is an estimate"))
  }

  @Test func plainNumbersHaveNoCaveatLineAndUnsourcedValuesAreCounted() throws {
    let plain = try show("rank([{name: \"a\", n: 2}, {name: \"b\", n: 1}], \"n\")")
    #expect(!plain.contains("caveats"))
    let mixed = try show(
      "rank([{name: \"a\", mau: x.mau}, {name: \"b\", mau: as_unit(5, \"users\")}], \"mau\")")
    #expect(mixed.contains("1 of the 2 values has no source"))
    #expect(!mixed.contains("caveats: none"))
  }

  @Test func theHTMLFormHasTheSameCaveats() throws {
    let (pq, _) = makeInterpreter()
    let html = try #require(try pq.evaluate("rank(platforms, \"revenue\")").html)
    #expect(
      html.contains(
        "<li>no period is given for x.revenue (not stated; reported November 2024), so the periods cannot be compared</li>"
      ))
    #expect(html.contains("<li>definitions differ (advertising revenue vs revenue)</li>"))
  }
}
