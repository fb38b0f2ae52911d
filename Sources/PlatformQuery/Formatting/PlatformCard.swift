/// The display of one platform: its descriptive fields, then each metric with its source.
enum PlatformCard {
  static func render(_ platform: Record, width: Int? = nil) -> String {
    model(platform).text(width: width)
  }

  /// The card as a table without a header: field, value, source.
  static func model(_ platform: Record) -> TableModel {
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
    return TableModel(rows: rows, rightAligned: [], header: false)
  }
}
