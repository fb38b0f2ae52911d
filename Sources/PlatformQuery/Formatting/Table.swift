/// Aligned text tables for lists of records and platforms.
enum Table {
  /// True when a list is non-empty and holds only records (platforms included).
  static func isTabular(_ items: [Value]) -> Bool {
    guard !items.isEmpty else { return false }
    for item in items {
      guard case .record(let record) = item, record.kind == .plain || record.kind == .platform else {
        return false
      }
    }
    return true
  }

  /// The columns of a list of records, the union of their keys in order of first appearance.
  /// A platform shows all its fields but the article's descriptive ones (`owner`, `role`, …,
  /// `owner_stake`), which its card shows.
  static func columns(of items: [Value]) -> [String] {
    var columns: [String] = []
    for item in items {
      guard case .record(let record) = item else { continue }
      if record.kind == .platform {
        for key in record.keys where !columns.contains(key) && !Dataset.hiddenInTables.contains(key) {
          columns.append(key)
        }
      } else {
        for key in record.keys where !columns.contains(key) { columns.append(key) }
      }
    }
    return columns
  }

  /// Renders records as a table, one row each, with the given columns (all by default).
  static func render(_ items: [Value], columns requested: [String]? = nil) -> String {
    let columns = requested ?? self.columns(of: items)
    var rows: [[String]] = [columns]
    var numeric = [Bool](repeating: true, count: columns.count)
    for item in items {
      guard case .record(let record) = item else { continue }
      var row: [String] = []
      for (index, column) in columns.enumerated() {
        let value = record[column] ?? .nil
        if value.numericValue == nil, !isNil(value) { numeric[index] = false }
        row.append(cell(value))
      }
      rows.append(row)
    }
    return layout(rows, rightAligned: numeric)
  }

  static func isNil(_ value: Value) -> Bool {
    if case .nil = value { return true }
    return false
  }

  static func cell(_ value: Value) -> String {
    switch value {
    case .nil: return "—"
    case .string(let s): return s
    default: return value.inline
    }
  }

  /// Lays out rows (the first is the header) in columns separated by two spaces, with a rule
  /// under the header; columns flagged in `rightAligned` align right.
  static func layout(_ rows: [[String]], rightAligned: [Bool]) -> String {
    guard let header = rows.first else { return "" }
    var widths = header.map { $0.characterCount }
    for row in rows {
      for (index, cell) in row.enumerated() where index < widths.count {
        widths[index] = max(widths[index], cell.characterCount)
      }
    }
    var lines: [String] = []
    for (rowIndex, row) in rows.enumerated() {
      var parts: [String] = []
      for (index, cell) in row.enumerated() {
        let padding = String(repeating: " ", count: widths[index] - cell.characterCount)
        let right = rowIndex > 0 && index < rightAligned.count && rightAligned[index]
        parts.append(right ? padding + cell : cell + padding)
      }
      lines.append(trimTrailing(parts.joined(separator: "  ")))
      if rowIndex == 0 {
        lines.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
      }
    }
    return lines.joined(separator: "\n")
  }

  static func trimTrailing(_ line: String) -> String {
    var line = line
    while line.last == " " { line.removeLast() }
    return line
  }
}
