import PQTestSupport
import Testing

@testable import PlatformQuery

/// Charts as SVG. Expected bar lengths are worked out by hand from the geometry in
/// docs/data.md: 380 px of plot; linear bars in proportion to the largest figure, log bars to
/// the decades from one below the smallest figure to the one above the largest.
@Suite struct SVGChartTests {
  func svg(_ expression: String) throws -> String {
    try show("svg(\(expression))")
  }

  /// The `width` attribute of each `<rect class="bar">`, in order.
  func barWidths(_ svg: String) -> [Double] {
    svg.split(separator: "\n").filter { $0.contains("class=\"bar\"") }.compactMap { line -> Double? in
      let parts = line.split(separator: " width=\"", maxSplits: 1, omittingEmptySubsequences: false)
      guard parts.count == 2 else { return nil }
      return Double(parts[1].prefix { $0 != "\"" })
    }
  }

  @Test func linearBarsAreProportionalToTheFigures() throws {
    // 70.4M → 380 px; 698K → 380 × 698K / 70.4M = 3.77 px.
    let chart = try svg("chart(with_figure(platforms, \"mau\"), \"mau\")")
    #expect(barWidths(chart) == [380, 3.8])
  }

  @Test func logBarsAreProportionalToTheLogarithms() throws {
    // Decades 10^4 to 10^8: (log10(70.4M) − 4) / 4 × 380 = 365.5; (log10(698K) − 4) / 4 × 380 = 175.2.
    let chart = try svg("chart(with_figure(platforms, \"mau\"), \"mau\", log: true)")
    #expect(barWidths(chart) == [365.5, 175.2])
    #expect(chart.contains("Log scale: each 95 px of a bar is ×10."))
  }

  @Test func titleDescriptionLabelsSourcesAndCaveatsAreText() throws {
    let chart = try svg("chart(with_figure(platforms, \"revenue\"), \"revenue\")")
    #expect(chart.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\""))
    #expect(chart.contains("<title id=\"chart-title\">revenue (USD)</title>"))
    #expect(chart.contains("<desc id=\"chart-desc\">X: $2B; Truth Social: $2.6M."))
    #expect(chart.contains(">$2B</text>") && chart.contains(">$2.6M</text>"))
    #expect(chart.contains(">source: source not named in the article"))
    #expect(chart.contains("x.revenue is an estimate"))
    #expect(!chart.contains("<path"))
  }

  @Test func theSameChartGivesTheSameBytes() throws {
    let expression = "chart(with_figure(platforms, \"web_visits\"), \"web_visits\", log: true)"
    #expect(try svg(expression) == (try svg(expression)))
  }

  @Test func figuresWithoutASourceSaySoAndTextIsEscaped() throws {
    let chart = try svg("chart([{name: \"A & <B>\", v: 1}, {name: \"C\", v: 2}], \"v\")")
    #expect(chart.contains(">A &amp; &lt;B&gt;</text>"))
    #expect(chart.contains("2 figures with no source"))
  }

  @Test(arguments: [
    ("chart([], \"mau\")", "there is nothing to chart: the list is empty"),
    ("chart(platforms, \"dau\")", "no field 'dau'"),
    ("chart([{name: \"a\", v: nil}], \"v\")", "no record has a figure for 'v'"),
    (
      "chart([{name: \"a\", v: -1}, {name: \"b\", v: 2}], \"v\", log: true)",
      "a log scale needs positive figures"
    ),
    ("svg(\"bars\")", "must be a chart"),
  ])
  func badInputGetsTheTerminalChartsErrors(_ row: (String, String)) {
    let error = failure(row.0)
    #expect(error?.message.contains(row.1) == true, "\(row.0): \(String(describing: error?.message))")
  }
}
