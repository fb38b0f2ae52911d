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
  }

  /// Draws bars scaled to fit `width` columns; on a log scale, bar length follows the order of
  /// magnitude from one decade below the smallest value.
  static func render(title: String, bars: [Bar], width: Int, logarithmic: Bool, unicode: Bool) -> String {
    let labelWidth = min(24, bars.map(\.label.displayWidth).max() ?? 0)
    let valueWidth = bars.map(\.shown.displayWidth).max() ?? 0
    var barWidth = max(10, width - labelWidth - valueWidth - 4)
    let positive = bars.compactMap(\.value).filter { $0 > 0 }
    let maximum = bars.compactMap(\.value).max() ?? 0
    let floorExponent = positive.min().map { log10($0).rounded(.down) - 1 } ?? 0
    let ceilingExponent = positive.max().map { max(log10($0).rounded(.up), floorExponent + 1) } ?? 1
    let decades = max(1, Int(ceilingExponent - floorExponent))
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
      var fraction: Double
      if logarithmic {
        fraction = value > 0 ? (log10(value) - floorExponent) / (ceilingExponent - floorExponent) : 0
      } else {
        fraction = maximum > 0 ? max(0, value) / maximum : 0
      }
      fraction = min(1, max(0, fraction))
      let drawn = draw(fraction * Double(barWidth), unicode: unicode)
      lines.append("\(label)  \(drawn.padding(barWidth))  \(bar.shown)")
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
    let positive = bars.compactMap(\.value).filter { $0 > 0 }
    let floorExponent = positive.min().map { log10($0).rounded(.down) - 1 } ?? 0
    let ceilingExponent = positive.max().map { max(log10($0).rounded(.up), floorExponent + 1) } ?? 1
    return max(1, Int(ceilingExponent - floorExponent))
  }

  /// Each bar's length as a fraction of the full width (nil for a bar without a figure): of the
  /// largest value, or on a log scale of the decades from one below the smallest value.
  static func fractions(_ bars: [Bar], logarithmic: Bool) -> [Double?] {
    let positive = bars.compactMap(\.value).filter { $0 > 0 }
    let maximum = bars.compactMap(\.value).max() ?? 0
    let floorExponent = positive.min().map { log10($0).rounded(.down) - 1 } ?? 0
    let ceilingExponent = positive.max().map { max(log10($0).rounded(.up), floorExponent + 1) } ?? 1
    return bars.map { bar in
      guard let value = bar.value else { return nil }
      let fraction =
        logarithmic
        ? (value > 0 ? (log10(value) - floorExponent) / (ceilingExponent - floorExponent) : 0)
        : (maximum > 0 ? max(0, value) / maximum : 0)
      return min(1, max(0, fraction))
    }
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
