/// The value `chart()` makes: a record of kind `.chart` holding the title, the bars (label and
/// value, sources included), the scale and the footnotes. It shows as bars in a terminal and
/// becomes SVG with `svg()` or `save(chart, "file.svg")`: one chart, two drawings.
enum Chart {
  static let shape = Shape(keys: ["title", "bars", "log", "width", "unicode", "footnotes"], kind: .chart)
  static let barShape = Shape(keys: ["label", "value"])

  struct Parts {
    var title: String
    var bars: [BarChart.Bar]
    var logarithmic: Bool
    var width: Int
    var unicode: Bool
    var footnotes: [String]
  }

  static func parts(_ record: Record) -> Parts {
    var bars: [BarChart.Bar] = []
    if case .list(let items)? = record["bars"] {
      for item in items {
        guard case .record(let bar) = item else { continue }
        let value = bar["value"] ?? .nil
        bars.append(
          BarChart.Bar(
            label: bar["label"]?.text ?? "", value: value.numericValue,
            shown: value.numericValue == nil ? "" : value.inline))
      }
    }
    var footnotes: [String] = []
    if case .list(let lines)? = record["footnotes"] { footnotes = lines.map(\.text) }
    return Parts(
      title: record["title"]?.text ?? "", bars: bars, logarithmic: record["log"]?.isTruthy ?? false,
      width: Int(record["width"]?.numericValue ?? 80), unicode: record["unicode"]?.isTruthy ?? true,
      footnotes: footnotes)
  }

  /// The chart in a terminal: bars, then the source line and caveats.
  static func text(_ record: Record) -> String {
    let chart = parts(record)
    return BarChart.render(
      title: chart.title, bars: chart.bars, width: chart.width, logarithmic: chart.logarithmic,
      unicode: chart.unicode) + "\n" + chart.footnotes.joined(separator: "\n")
  }

  /// The chart as SVG.
  static func svg(_ record: Record) -> String {
    let chart = parts(record)
    var notes = chart.footnotes.map { $0.hasPrefix("  - ") ? "• " + $0.dropFirst(4) : $0 }
    if chart.logarithmic {
      let perDecade = SVGChart.plotWidth / Double(BarChart.decades(chart.bars))
      notes.insert("Log scale: each \(SVGChart.px(perDecade)) px of a bar is ×10.", at: 0)
    }
    return SVGChart.render(
      title: chart.title, bars: chart.bars, logarithmic: chart.logarithmic, footnotes: notes)
  }
}
