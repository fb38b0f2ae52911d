/// The display of one platform: its descriptive fields, then each metric with its source.
enum PlatformCard {
  static func render(_ platform: Record, width: Int? = nil) -> String {
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
    return Table.layout(rows, rightAligned: [], width: width, header: false)
  }
}
