/// The value `chart()` makes: a record of kind `.chart` holding the title, the bars (label and
/// value, sources included), the scale and the footnotes. It shows as bars in a terminal and
/// becomes SVG with `svg()` or `save(chart, "file.svg")`: one chart, two drawings.
enum Chart {
  static let shape = Shape(
    keys: ["title", "bars", "log", "width", "unicode", "sources", "caveats"], kind: .chart)
  static let barShape = Shape(keys: ["label", "value"])

  struct Parts {
    var title: String
    var bars: [BarChart.Bar]
    var logarithmic: Bool
    var width: Int
    var unicode: Bool
    /// The source line's entries (`Similarweb, September 2024`).
    var sources: [String]
    /// The caveats of weighing the bars against each other.
    var caveats: [Caveat]
  }

  static func parts(_ record: Record) -> Parts {
    var bars: [BarChart.Bar] = []
    if case .list(let items)? = record["bars"] {
      let records = items.compactMap { item -> Record? in
        if case .record(let bar) = item { return bar }
        return nil
      }
      // The bars' labels side by side: digits enough to tell different values apart.
      let shown = Table.cells(records.map { $0["value"] ?? .nil })
      for (bar, text) in zip(records, shown) {
        let value = bar["value"] ?? .nil
        bars.append(
          BarChart.Bar(
            label: bar["label"]?.text ?? "", value: value.numericValue,
            shown: value.numericValue == nil ? "" : text, margin: Margin.of(value)?.halfWidth))
      }
    }
    var sources: [String] = []
    if case .list(let lines)? = record["sources"] { sources = lines.map(\.text) }
    var caveats: [Caveat] = []
    if case .list(let items)? = record["caveats"] { caveats = items.compactMap(Caveat.init) }
    return Parts(
      title: record["title"]?.text ?? "", bars: bars, logarithmic: record["log"]?.isTruthy ?? false,
      width: Int(record["width"]?.numericValue ?? 80), unicode: record["unicode"]?.isTruthy ?? true,
      sources: sources, caveats: caveats)
  }

  /// The lines under a chart: the sources, then the caveats (`bullet` before each) or "none".
  static func footnotes(_ chart: Parts, bullet: String) -> [String] {
    var lines = ["source: " + chart.sources.joined(separator: "; ")]
    lines.append(chart.caveats.isEmpty ? "caveats: none" : "caveats:")
    lines += chart.caveats.map { bullet + $0.description }
    return lines
  }

  /// The chart in a terminal: bars, then the source line and caveats.
  static func text(_ record: Record) -> String {
    let chart = parts(record)
    return BarChart.render(
      title: chart.title, bars: chart.bars, width: chart.width, logarithmic: chart.logarithmic,
      unicode: chart.unicode) + "\n" + footnotes(chart, bullet: "  - ").joined(separator: "\n")
  }

  /// The chart as SVG.
  static func svg(_ record: Record) -> String {
    let chart = parts(record)
    var notes = footnotes(chart, bullet: "• ")
    if chart.logarithmic {
      let perDecade = SVGChart.plotWidth / Double(BarChart.decades(chart.bars))
      notes.insert("Log scale: each \(SVGChart.px(perDecade)) px of a bar is ×10.", at: 0)
    }
    return SVGChart.render(
      title: chart.title, bars: chart.bars, logarithmic: chart.logarithmic, footnotes: notes)
  }
}
