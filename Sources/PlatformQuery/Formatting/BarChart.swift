#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Horizontal bar charts in text: Unicode eighth-blocks, or `#` when only ASCII will do.
enum BarChart {
  /// One bar: its label, value and the value's display.
  struct Bar {
    var label: String
    var value: Double?
    var shown: String
    /// The half-width of the value's margin of error, drawn as an error bar.
    var margin: Double? = nil
  }

  /// The ends of each bar's error bar as fractions of the full width (nil without a margin),
  /// on the scale `fractions` uses.
  static func errorBars(_ bars: [Bar], logarithmic: Bool) -> [(low: Double, high: Double)?] {
    let scale = Scale(bars, logarithmic: logarithmic)
    return bars.map { bar in
      guard let value = bar.value, let margin = bar.margin, margin > 0 else { return nil }
      return (scale.fraction(value - margin), scale.fraction(value + margin))
    }
  }

  /// Where a value lies along the bars: of the largest value (or the largest end of an error
  /// bar, so that every error bar fits), or on a log scale of the decades from one below the
  /// smallest value.
  struct Scale {
    let logarithmic: Bool
    let maximum: Double
    let floorExponent: Double
    let ceilingExponent: Double

    init(_ bars: [Bar], logarithmic: Bool) {
      self.logarithmic = logarithmic
      let positive = bars.compactMap(\.value).filter { $0 > 0 }
      maximum = bars.compactMap { bar in bar.value.map { $0 + (bar.margin ?? 0) } }.max() ?? 0
      let bottom = positive.min().map { log10($0).rounded(.down) - 1 } ?? 0
      floorExponent = bottom
      let top = bars.compactMap { bar in bar.value.map { $0 + (bar.margin ?? 0) } }.filter { $0 > 0 }.max()
      ceilingExponent = top.map { max(log10($0).rounded(.up), bottom + 1) } ?? 1
    }

    func fraction(_ value: Double) -> Double {
      let fraction =
        logarithmic
        ? (value > 0 ? (log10(value) - floorExponent) / (ceilingExponent - floorExponent) : 0)
        : (maximum > 0 ? max(0, value) / maximum : 0)
      return min(1, max(0, fraction))
    }
  }

  /// Draws bars scaled to fit `width` columns; on a log scale, bar length follows the order of
  /// magnitude from one decade below the smallest value.
  static func render(title: String, bars: [Bar], width: Int, logarithmic: Bool, unicode: Bool) -> String {
    let labelWidth = min(24, bars.map(\.label.displayWidth).max() ?? 0)
    let valueWidth = bars.map(\.shown.displayWidth).max() ?? 0
    var barWidth = max(10, width - labelWidth - valueWidth - 4)
    let scale = Scale(bars, logarithmic: logarithmic)
    let decades = max(1, Int(scale.ceilingExponent - scale.floorExponent))
    if logarithmic {
      // A whole number of columns per decade, so that the legend states the scale exactly.
      barWidth = max(decades, barWidth / decades * decades)
    }
    var lines = [title]
    for bar in bars {
      let label = bar.label.prefix(columns: labelWidth).padding(labelWidth)
      guard let value = bar.value else {
        lines.append("\(label)  (no figure)")
        continue
      }
      var drawn = draw(scale.fraction(value) * Double(barWidth), unicode: unicode)
      // An error bar: the columns from the low end to the high end of the margin shaded (`▒`,
      // `~` in ASCII), the bar solid up to the low end.
      if let margin = bar.margin, margin > 0 {
        let low = Int((scale.fraction(value - margin) * Double(barWidth)).rounded())
        let high = max(low + 1, Int((scale.fraction(value + margin) * Double(barWidth)).rounded()))
        drawn =
          String(repeating: unicode ? "█" : "#", count: low)
          + String(repeating: unicode ? "▒" : "~", count: high - low)
      }
      lines.append("\(label)  \(drawn.padding(barWidth))  \(bar.shown)")
    }
    if bars.contains(where: { ($0.margin ?? 0) > 0 }) {
      lines.append(
        "(\(unicode ? "▒" : "~"): the margin of error, from its low end to its high end)")
    }
    if logarithmic {
      let perDecade = barWidth / decades
      let times = unicode ? "×" : "x"
      lines.append("(log scale: each \(perDecade) column\(perDecade == 1 ? "" : "s") is \(times)10)")
    }
    return lines.joined(separator: "\n")
  }

  /// The decades a log scale spans: from one below the smallest positive figure to the one
  /// above the largest.
  static func decades(_ bars: [Bar]) -> Int {
    let scale = Scale(bars, logarithmic: true)
    return max(1, Int(scale.ceilingExponent - scale.floorExponent))
  }

  /// Each bar's length as a fraction of the full width (nil for a bar without a figure), on
  /// the chart's `Scale`.
  static func fractions(_ bars: [Bar], logarithmic: Bool) -> [Double?] {
    let scale = Scale(bars, logarithmic: logarithmic)
    return bars.map { bar in bar.value.map(scale.fraction) }
  }

  static func draw(_ length: Double, unicode: Bool) -> String {
    guard unicode else { return String(repeating: "#", count: Int(length.rounded())) }
    let eighths = Int((length * 8).rounded())
    let partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
    var text = String(repeating: "█", count: eighths / 8) + partials[eighths % 8]
    if text.isEmpty, length > 0 { text = "▏" }
    return text
  }
}
