/// A chart as SVG: the same bars, scale, labels, sources and caveats as the terminal chart, for
/// a story or a notebook. Fixed geometry (720 px wide, 28 px a bar), text as text, a `<title>`
/// and `<desc>` for screen readers, and the same bytes for the same chart.
enum SVGChart {
  /// The pixel geometry, documented in docs/data.md ("Charts").
  static let width = 720.0
  static let labelWidth = 170.0
  static let valueWidth = 150.0
  static let barHeight = 22.0
  static let rowHeight = 30.0
  static let top = 56.0
  static let fontStack = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
  static let barColour = "#2f6690"
  /// The longest bar.
  static let plotWidth = width - labelWidth - valueWidth - 20

  /// The SVG text of a chart.
  static func render(
    title: String, bars: [BarChart.Bar], logarithmic: Bool, footnotes: [String]
  ) -> String {

    let fractions = BarChart.fractions(bars, logarithmic: logarithmic)
    let errorBars = BarChart.errorBars(bars, logarithmic: logarithmic)
    let notes = footnotes.flatMap { wrapped($0, columns: 110) }
    let height = top + Double(bars.count) * rowHeight + 16 + Double(notes.count) * 16 + 12
    var out = ""
    out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(px(width))\" height=\"\(px(height))\" "
    out +=
      "viewBox=\"0 0 \(px(width)) \(px(height))\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" "
    out += "font-family=\"\(escape(fontStack))\">\n"
    out += "  <title id=\"chart-title\">\(escape(title))</title>\n"
    let description = bars.map { "\($0.label): \($0.value == nil ? "no figure" : $0.shown)" }.joined(
      separator: "; ")
    out +=
      "  <desc id=\"chart-desc\">\(escape(description + ". " + footnotes.joined(separator: " ")))</desc>\n"
    out += "  <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
    out +=
      "  <text x=\"16\" y=\"30\" font-size=\"17\" font-weight=\"600\" fill=\"#111111\">\(escape(title))</text>\n"
    for (index, bar) in bars.enumerated() {
      let y = top + Double(index) * rowHeight
      let textY = px(y + barHeight / 2 + 5)
      out +=
        "  <text x=\"\(px(labelWidth))\" y=\"\(textY)\" font-size=\"13\" text-anchor=\"end\" fill=\"#222222\">"
      out += "\(escape(bar.label))</text>\n"
      guard bar.value != nil, let fraction = fractions[index] else {
        out +=
          "  <text x=\"\(px(labelWidth + 10))\" y=\"\(textY)\" font-size=\"13\" fill=\"#777777\">(no figure)</text>\n"
        continue
      }
      let length = max(fraction * plotWidth, fraction > 0 ? 1 : 0)
      out += "  <rect class=\"bar\" x=\"\(px(labelWidth + 10))\" y=\"\(px(y))\" width=\"\(px(length))\" "
      out += "height=\"\(px(barHeight))\" fill=\"\(barColour)\"/>\n"
      // An error bar: a line from the margin's low end to its high end, with end caps.
      var labelX = labelWidth + 16 + length
      if let (low, high) = errorBars[index] {
        let (x1, x2, middle) = (
          labelWidth + 10 + low * plotWidth, labelWidth + 10 + high * plotWidth, y + barHeight / 2
        )
        out += "  <g class=\"error-bar\" stroke=\"#111111\" stroke-width=\"1.5\">"
        out += "<line x1=\"\(px(x1))\" y1=\"\(px(middle))\" x2=\"\(px(x2))\" y2=\"\(px(middle))\"/>"
        out += "<line x1=\"\(px(x1))\" y1=\"\(px(middle - 6))\" x2=\"\(px(x1))\" y2=\"\(px(middle + 6))\"/>"
        out +=
          "<line x1=\"\(px(x2))\" y1=\"\(px(middle - 6))\" x2=\"\(px(x2))\" y2=\"\(px(middle + 6))\"/></g>\n"
        labelX = max(labelX, x2 + 6)
      }
      out += "  <text x=\"\(px(labelX))\" y=\"\(textY)\" font-size=\"13\" fill=\"#222222\">"
      out += "\(escape(bar.shown))</text>\n"
    }
    var y = top + Double(bars.count) * rowHeight + 16
    for line in notes {
      out += "  <text x=\"16\" y=\"\(px(y))\" font-size=\"11\" fill=\"#555555\">\(escape(line))</text>\n"
      y += 16
    }
    return out + "</svg>\n"
  }

  /// A length with one decimal and no trailing `.0`: the same text for the same number.
  static func px(_ value: Double) -> String {
    let tenths = Int64((value * 10).rounded())
    return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(abs(tenths % 10))"
  }

  /// Text for XML: `&`, `<`, `>` and quotes escaped.
  static func escape(_ text: String) -> String { Markup.escape(text) }

  static func wrapped(_ text: String, columns: Int) -> [String] {
    Table.wrap(text, width: columns)
  }
}
