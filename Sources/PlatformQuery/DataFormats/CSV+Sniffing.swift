/// What a CSV file does not say and the reader works out: a semicolon or tab delimiter, and
/// columns written with decimal commas.
extension DataFile {
  /// A number written with a decimal comma as pq notation: `1.234,5` is `1234.5`, `40,5%` is
  /// `40.5%`, `1.234` is `1234` (a dot groups thousands); nil for text that is not such a number.
  static func decimalCommaNumber(_ text: String) -> String? {
    let trimmed = text.trimmingSpaces
    var body = Substring(trimmed)
    var prefix = ""
    var suffix = ""
    if body.hasPrefix("-") {
      prefix = "-"
      body = body.dropFirst()
    }
    if body.hasPrefix("$") {
      prefix += "$"
      body = body.dropFirst()
    }
    if body.hasSuffix("%") {
      suffix = "%"
      body = body.dropLast()
    }
    body = Substring(body.trimmingSpaces)
    let parts = body.split(separator: ",", omittingEmptySubsequences: false)
    guard parts.count <= 2, let whole = parts.first, !whole.isEmpty else { return nil }
    let groups = whole.split(separator: ".", omittingEmptySubsequences: false)
    guard groups.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
      groups.dropFirst().allSatisfy({ $0.count == 3 }), groups[0].count <= (groups.count > 1 ? 3 : 15)
    else { return nil }
    var out = prefix + groups.joined()
    if parts.count == 2 {
      guard !parts[1].isEmpty, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
      out += "." + parts[1]
    }
    return out + suffix
  }

  /// A cell of a column read with decimal commas, as pq notation (text that is no such number
  /// unchanged: it is then read, or refused, as any cell).
  static func decimalCommaRead(_ text: String) -> String { decimalCommaNumber(text) ?? text }

  /// The columns of a semicolon-separated export that write decimal commas: every number-like
  /// cell reads as one, and at least one cannot be read otherwise (`2,5`, `1.234,5`). A column
  /// whose separators could be read either way (`1,000` or `1.234` alone: one, or a thousand) is
  /// refused at its first such cell rather than guessed.
  static func decimalCommaColumns(_ source: Source, dialect: Dialect) throws(PQError) -> (Set<Int>, [String])
  {
    var reader = CSVRows(source, dialect: dialect)
    guard let header = try reader.next() else { return ([], []) }
    var sure = Set<Int>()
    var against = Set<Int>()
    var ambiguous: [Int: (String, Int)] = [:]
    // A column found against is settled: its other cells are not read (a column of `4360.7M`
    // was read cell by cell, as characters, for the whole file).
    var isAgainst = [Bool](repeating: false, count: header.count)
    var row = CSVRow(source)
    while try reader.next(into: &row) {
      for column in 0..<min(row.count, header.count) where !isAgainst[column] {
        // Most cells have neither separator: passed over without making their text.
        guard row.withBytes(column, { $0.contains(UInt8(ascii: ",")) || $0.contains(UInt8(ascii: ".")) })
        else { continue }
        let offset = row.offset(column)
        let cell = row.trimmed(column)
        guard let read = decimalCommaNumber(cell) else {
          // A number only pq's own notation reads (`1,234.5`, `2.5`): not a decimal-comma column.
          if row.withTrimmedBytes(column, { Literal.parseSimple(bytes: $0) }) != nil
            || Literal.parse(cell) != nil
          {
            against.insert(column)
            isAgainst[column] = true
          }
          continue
        }
        let commaDigits = cell.split(separator: ",").dropFirst().first.map { $0.filter(\.isNumber).count }
        let either =
          (cell.contains(",") && !cell.contains(".") && commaDigits == 3)
          || (!cell.contains(",") && Literal.parse(cell) != nil)
        if either {
          if ambiguous[column] == nil { ambiguous[column] = (cell, offset) }
        } else if read != cell {
          sure.insert(column)
        }
      }
    }
    let decided = sure.subtracting(against)
    for (column, (text, offset)) in ambiguous.sorted(by: { $0.key < $1.key })
    where !decided.contains(column) && !against.contains(column) {
      throw cellError(
        "'\(text)' in column '\(header[column].0.trimmingSpaces)' could be read with a decimal comma, as semicolon files write numbers, or not: pq does not guess",
        text, at: offset, in: source,
        notes: [
          "write the numbers without separators, or describe the column in a datapackage.json with \"decimalChar\" and \"groupChar\""
        ])
    }
    return (decided, decided.sorted().map { header[$0].0.trimmingSpaces })
  }

  /// The delimiter of a `.csv` file without a descriptor whose header has no comma but has
  /// semicolons or tabs (spreadsheets in much of Europe write `;`), or nil for a comma.
  static func sniffedDelimiter(_ bytes: [UInt8]) -> UInt8? {
    let header = bytes.prefix { $0 != 0x0A && $0 != 0x0D }
    guard !header.contains(UInt8(ascii: ",")) else { return nil }
    if header.contains(UInt8(ascii: ";")) { return UInt8(ascii: ";") }
    if header.contains(0x09) { return 0x09 }
    return nil
  }

  /// Cells that mean "no figure" in a column of numbers, as spreadsheets and statistics
  /// packages write it; read as empty cells (docs/data.md, "Files").
  static let missingMarkers: Set<String> = [
    "NA", "N/A", "n/a", "na", "NaN", "nan", "null", "NULL", "-", "–", "—",
  ]
}
