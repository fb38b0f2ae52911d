/// The display of one platform: its descriptive fields, then each metric with its source.
enum PlatformCard {
  static func render(_ platform: Record) -> String {
    var rows: [[String]] = []
    for (key, value) in platform.pairs {
      let shown: String
      var source = ""
      switch value {
      case .nil: shown = Metric.named(key) == nil ? "—" : "— (no figure in the article)"
      case .string(let text): shown = text
      default:
        shown = value.inline
        if let figure = value.provenance?.figures.first {
          source = "\(figure.publisher), \(figure.period)"
        }
      }
      rows.append([key, shown, source])
    }
    return Table.layoutPlain(rows)
  }
}

extension Table {
  /// Rows in aligned columns without a header.
  static func layoutPlain(_ rows: [[String]]) -> String {
    var widths: [Int] = []
    for row in rows {
      for (index, cell) in row.enumerated() {
        if index >= widths.count { widths.append(0) }
        widths[index] = max(widths[index], cell.characterCount)
      }
    }
    return rows.map { row in
      trimTrailing(
        row.enumerated().map { index, cell in
          cell + String(repeating: " ", count: widths[index] - cell.characterCount)
        }
        .joined(separator: "  "))
    }.joined(separator: "\n")
  }
}
