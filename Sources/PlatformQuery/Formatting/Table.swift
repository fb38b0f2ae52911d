/// Aligned text tables for lists of records and platforms.
package enum Table {
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

  /// Renders records as a table, one row each, with the given columns (all by default), fitted
  /// to `width` when there is one.
  static func render(_ items: [Value], columns requested: [String]? = nil, width: Int? = nil) -> String {
    model(items, columns: requested).text(width: width)
  }

  /// Records as rows under a header of their columns; numeric columns align right.
  static func model(_ items: [Value], columns requested: [String]? = nil) -> TableModel {
    let columns = requested ?? self.columns(of: items)
    var rows: [[String]] = [columns]
    var numeric = [Bool](repeating: true, count: columns.count)
    let records = items.compactMap { item -> Record? in
      if case .record(let record) = item { return record }
      return nil
    }
    // Column by column, so that values of a column are shown side by side (`cells`).
    var columnCells: [[String]] = []
    for (index, column) in columns.enumerated() {
      let values = records.map { $0[column] ?? .nil }
      for value in values where value.numericValue == nil && !isNil(value) { numeric[index] = false }
      columnCells.append(cells(values))
    }
    for position in records.indices { rows.append(columnCells.map { $0[position] }) }
    var model = TableModel(rows: rows, rightAligned: numeric)
    if let ranked = rankedValues(items, columns: columns) { model.caveats = rankingCaveats(ranked) }
    return model
  }

  /// The ranked values of a ranking (`rank`, `top`: columns `rank`, `name`, perhaps `period`,
  /// then the metric), or nil for a list that is not one.
  static func rankedValues(_ items: [Value], columns: [String]? = nil) -> [Value]? {
    guard case .record(let first)? = items.first else { return nil }
    let keys = columns ?? first.keys
    guard keys.count == 3 || (keys.count == 4 && keys[2] == "period"), keys[0] == "rank", keys[1] == "name",
      let metric = keys.last
    else { return nil }
    return items.compactMap { item -> Value? in
      guard case .record(let record) = item, let value = record[metric], value.numericValue != nil else {
        return nil
      }
      return value
    }
  }

  /// Under a ranking (`rank`, `top`), what makes its figures not like for like: the caveats of
  /// weighing them all against each other, as `compare` gives for two. Nothing when no value has
  /// a source; "none" only when every value has one and nothing differs.
  static func rankingCaveats(_ values: [Value]) -> TableModel.Notes? {
    // Numbers typed or loaded without any source are ranked without a caveat line (there is
    // nothing to weigh but the unit they are read in); sourced ones say "none" only when
    // nothing differs.
    if !values.contains(where: { !$0.inputFigures.isEmpty }) {
      return Comparison.unitlessNote(values).map {
        TableModel.Notes(title: "caveats:", items: [$0.description])
      }
    }
    let caveats = CaveatRules.weighing(values)
    if caveats.isEmpty {
      return TableModel.Notes(title: "caveats: none (same sources, periods and definitions)", items: [])
    }
    return TableModel.Notes(title: "caveats:", items: caveats.map(\.description))
  }

  static func isNil(_ value: Value) -> Bool {
    if case .nil = value { return true }
    return false
  }

  /// Cells for values shown side by side: quantities of one unit get the significant digits
  /// that tell different values apart (`3.504M`, `3.496M`), the rest their usual cell.
  static func cells(_ values: [Value]) -> [String] {
    var unit: Unit?
    var numbers: [Double] = []
    for value in values {
      let (number, valueUnit): (Double, Unit)
      switch value {
      case .quantity(let n, let measure): (number, valueUnit) = (n, measure.unit)
      case .number(let n): (number, valueUnit) = (n, .none)
      default: continue
      }
      if let unit, unit != valueUnit { return values.map(cell) }
      unit = valueUnit
      numbers.append(number)
    }
    guard let unit, numbers.count > 1 else { return values.map(cell) }
    let digits = NumberFormat.distinguishingDigits(numbers, unit)
    if digits == 3 { return values.map(cell) }
    return values.map { value in
      switch value {
      case .quantity(let number, _), .number(let number):
        return NumberFormat.quantity(number, unit, digits: digits)
      default: return cell(value)
      }
    }
  }

  static func cell(_ value: Value) -> String {
    switch value {
    case .nil: return "—"
    case .string(let s): return s
    default: return value.inline
    }
  }

  /// Lays out rows (the first is the header) in columns separated by two spaces, with a rule
  /// under the header; columns flagged in `rightAligned` align right. With a `width` (a
  /// terminal's), text columns narrow and their cells wrap on word boundaries so the table fits;
  /// numbers never wrap. A table too wide even then is shown one record per block
  /// (`field: value`). Without a width (a pipe or a file) nothing wraps.
  static func layout(_ rows: [[String]], rightAligned: [Bool], width: Int? = nil, header: Bool = true)
    -> String
  {
    guard let first = rows.first else { return "" }
    let columnCount = rows.map(\.count).max() ?? first.count
    var widths = [Int](repeating: 0, count: columnCount)
    for row in rows {
      for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.displayWidth) }
    }
    if let width,
      let fitted = fit(widths, rows: rows, rightAligned: rightAligned, header: header, limit: width)
    {
      widths = fitted
    } else if let width {
      return blocks(rows, width: width, header: header)
    }
    var lines: [String] = []
    for (rowIndex, row) in rows.enumerated() {
      let isHeader = header && rowIndex == 0
      let wrapped = row.enumerated().map { index, cell in wrap(cell, width: widths[index]) }
      let height = wrapped.map(\.count).max() ?? 1
      for line in 0..<height {
        var parts: [String] = []
        for (index, pieces) in wrapped.enumerated() {
          let cell = line < pieces.count ? pieces[line] : ""
          let padding = String(repeating: " ", count: max(0, widths[index] - cell.displayWidth))
          let right = !isHeader && index < rightAligned.count && rightAligned[index]
          parts.append(right ? padding + cell : cell + padding)
        }
        lines.append(trimTrailing(parts.joined(separator: "  ")))
      }
      if isHeader {
        lines.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
      }
    }
    return lines.joined(separator: "\n")
  }

  /// Column widths that fit `limit`, narrowing the widest text columns first (to no less than
  /// 12 columns, or their widest header word), or nil when even that is too wide.
  static func fit(_ natural: [Int], rows: [[String]], rightAligned: [Bool], header: Bool, limit: Int)
    -> [Int]?
  {
    let gaps = 2 * max(0, natural.count - 1)
    if natural.reduce(0, +) + gaps <= limit { return natural }
    // A column is a number column when every cell but the header is empty, a dash or a number.
    let numeric = natural.indices.map { index in
      (index < rightAligned.count && rightAligned[index])
        || rows.dropFirst(header ? 1 : 0).allSatisfy { row in
          index >= row.count || row[index].isEmpty || row[index] == "—"
            || row[index].first.map { $0.isNumber || $0 == "$" || $0 == "-" || $0 == "+" } == true
              && !row[index].contains(" ")
            || row[index].hasSuffix(" pp")
        }
    }
    var minimum = natural.indices.map { index -> Int in
      if numeric[index] { return natural[index] }
      let headerWord = header ? (rows[0].count > index ? rows[0][index].displayWidth : 0) : 0
      return min(natural[index], max(12, headerWord))
    }
    if minimum.reduce(0, +) + gaps > limit { return nil }
    var widths = natural
    var excess = widths.reduce(0, +) + gaps - limit
    while excess > 0 {
      // Narrow the widest column that can still give.
      guard
        let index = widths.indices.filter({ widths[$0] > minimum[$0] }).max(by: { widths[$0] < widths[$1] })
      else { return nil }
      let give = min(excess, widths[index] - minimum[index], max(1, widths[index] / 8))
      widths[index] -= give
      excess -= give
    }
    minimum = widths
    return minimum
  }

  /// A cell's text in lines of at most `width` columns, broken at spaces (a word longer than a
  /// line is cut).
  static func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0, text.displayWidth > width else { return [text] }
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
      var word = word
      let needed = current.isEmpty ? word.displayWidth : current.displayWidth + 1 + word.displayWidth
      if needed <= width {
        current += (current.isEmpty ? "" : " ") + word
        continue
      }
      if !current.isEmpty { lines.append(current) }
      current = ""
      while word.displayWidth > width {
        let piece = word.prefix(columns: width)
        lines.append(piece)
        word = String(word.dropFirst(piece.count))
      }
      current = word
    }
    if !current.isEmpty || lines.isEmpty { lines.append(current) }
    return lines
  }

  /// One record per block, `field: value`, values wrapped to the width: for tables too wide for
  /// the terminal even with narrowed columns.
  static func blocks(_ rows: [[String]], width: Int, header: Bool) -> String {
    guard header, let names = rows.first else {
      return rows.map { $0.joined(separator: "  ") }.joined(separator: "\n")
    }
    let nameWidth = names.map(\.displayWidth).max() ?? 0
    var out: [String] = []
    for row in rows.dropFirst() {
      if !out.isEmpty { out.append("") }
      for (index, name) in names.enumerated() {
        let value = index < row.count ? row[index] : ""
        let pieces = wrap(value, width: max(12, width - nameWidth - 2))
        out.append(trimTrailing(name.padding(nameWidth) + "  " + pieces[0]))
        for piece in pieces.dropFirst() { out.append(String(repeating: " ", count: nameWidth + 2) + piece) }
      }
    }
    return out.joined(separator: "\n")
  }

  /// Text wrapped to a width at spaces, later lines indented by `indent` columns: caveats,
  /// help and banners on a terminal. Without a width the text is left as it is.
  package static func wrapLines(_ text: String, width: Int?, indent: Int = 0) -> String {
    guard let width, width > indent + 12 else { return text }
    return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
      let line = String(line)
      guard line.displayWidth > width else { return line }
      // Keep a list item's indentation (`  - `) for the lines that follow.
      let leading = line.prefix { $0 == " " || $0 == "-" }.count
      let hang = max(indent, leading)
      let pieces = wrap(String(line.dropFirst(leading)), width: width - max(leading, hang))
      return
        ([String(line.prefix(leading)) + pieces[0]]
        + pieces.dropFirst().map { String(repeating: " ", count: hang) + $0 })
        .joined(separator: "\n")
    }.joined(separator: "\n")
  }

  static func trimTrailing(_ line: String) -> String {
    var line = line
    while line.last == " " { line.removeLast() }
    return line
  }
}
