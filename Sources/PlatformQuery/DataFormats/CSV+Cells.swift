/// One CSV cell read as a value: pq notation, ranges (`600K..700K`), text, and the unit its
/// column gives.
extension DataFile {
  /// One cell. `headed` says the unit was written in the header (`share (%)`), which is the only
  /// way a bare number in a percent column is read as a percentage: `57` under `news_share` could
  /// be 57% or 0.57 as a fraction, so it is an error rather than a guess.
  /// The two ends of a range cell (`600K..700K`, `$1M..$2M`, `55%..61%`): text that starts as
  /// a number does and has `..` once between two non-empty ends; nil for any other text.
  static func intervalEnds(_ text: String) -> (String, String)? {
    // Most cells have no `..`: found without copying the text (this runs for every cell).
    var previousDot = false
    var hasDots = false
    for byte in text.utf8 {
      let dot = byte == UInt8(ascii: ".")
      if dot, previousDot {
        hasDots = true
        break
      }
      previousDot = dot
    }
    guard hasDots else { return nil }
    let bytes = Array(text.utf8)
    guard let first = bytes.first,
      (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) || first == UInt8(ascii: "$")
        || first == UInt8(ascii: "-")
    else { return nil }
    var found: Int?
    var index = 0
    while index + 1 < bytes.count {
      if bytes[index] == UInt8(ascii: "."), bytes[index + 1] == UInt8(ascii: ".") {
        guard found == nil else { return nil }
        found = index
        index += 2
        continue
      }
      index += 1
    }
    guard let found, found > 0, found + 2 < bytes.count else { return nil }
    return (
      String(decoding: bytes[..<found], as: UTF8.self), String(decoding: bytes[(found + 2)...], as: UTF8.self)
    )
  }

  static func cell(
    _ raw: String, unit: Unit?, headed: Bool = false, column: String, source: Source, offset: Int
  ) throws(PQError) -> Value {
    let text = raw.trimmingSpaces
    if text.isEmpty { return .nil }
    // Most cells are one plain number (`70.4M`, `$2B`, `57%`): read in one pass over the bytes,
    // which no range, code or word passes.
    if let number = Literal.parseSimple(text) {
      return try fitted(
        number, text: text, raw: raw, unit: unit, headed: headed, column: column, source: source,
        offset: offset)
    }
    if text == "true" { return .bool(true) }
    if text == "false" { return .bool(false) }
    // A range a source states (`600K..700K`): its midpoint, with half its width as the margin.
    if let (low, high) = intervalEnds(text) {
      let lowValue = try cell(low, unit: unit, headed: headed, column: column, source: source, offset: offset)
      let highValue = try cell(
        high, unit: unit, headed: headed, column: column, source: source, offset: offset)
      do throws(PQError) {
        return try Margin.interval(lowValue, highValue)
      } catch {
        throw PQError(
          .runtime, "'\(text)' in column '\(column)': " + error.message, source: source,
          span: Span(start: offset, end: offset + raw.utf8.count), notes: error.notes)
      }
    }
    // A code with a leading zero (a ZIP code, `08123`) is text, not the number 8123.
    guard !Literal.looksLikeCode(text), let number = Literal.parse(text) else {
      // A column with a unit (a metric's, or one its header gives) is a column of numbers:
      // `NA` or `-` there is no figure, as in any column of numbers (docs/data.md).
      if unit != nil, DataFile.missingMarkers.contains(text) { return .nil }
      if unit != nil {
        throw PQError(
          .runtime, "'\(text)' in column '\(column)' is not a number", source: source,
          span: Span(start: offset, end: offset + raw.utf8.count),
          notes: ["numbers may be written 70.4M, $2B, 57% or 1,000"])
      }
      return .string(text)
    }
    return try fitted(
      number, text: text, raw: raw, unit: unit, headed: headed, column: column, source: source, offset: offset
    )
  }

  /// A number read from a cell, given its column's unit: a bare number takes it (a percentage
  /// only when the header says so), a number with another unit is an error at the cell.
  static func fitted(
    _ number: Value, text: String, raw: String, unit: Unit?, headed: Bool, column: String, source: Source,
    offset: Int
  ) throws(PQError) -> Value {
    if let fitted = ColumnUnit(unit).fit(number) { return fitted }
    guard let unit, let value = number.numericValue else { return number }
    if number.unit.isNone {
      if unit.shownFactor != 1 {
        let symbol = unit.scale == .percent ? "%" : "pp"
        guard headed else {
          throw PQError(
            .runtime, "'\(text)' in column '\(column)' has no \(symbol) sign, so its scale is unclear",
            source: source, span: Span(start: offset, end: offset + raw.utf8.count),
            notes: [
              "write \(text)\(symbol) in the cell, or head the column '\(column) (\(symbol))' to read bare numbers as \(unit)"
            ])
        }
        // Read as if the cell had the sign: the decimal scaled before it is rounded.
        let exact = Literal.parse(text + symbol)?.numericValue ?? value / unit.shownFactor
        return Value.make(exact, unit, nil)
      }
      return Value.make(value, unit, nil)
    }
    guard number.unit == unit else {
      throw PQError(
        .runtime, "'\(text)' is in \(number.unit), but column '\(column)' holds \(unit)", source: source,
        span: Span(start: offset, end: offset + raw.utf8.count))
    }
    return number
  }

  /// A column's unit with what fitting a number to it needs, worked out once a column: the
  /// measure its bare numbers share (one for the column, not one a cell) and whether they may
  /// take the unit at all.
  struct ColumnUnit {
    let unit: Unit?
    /// Whether a bare number takes the unit (not a percentage or points, whose scale a bare
    /// number leaves unclear).
    let takesBare: Bool
    /// The measure of the column's bare numbers; nil for a unit that is none (plain numbers).
    let measure: Measure?

    init(_ unit: Unit?) {
      self.unit = unit
      takesBare = unit.map { $0.shownFactor == 1 } ?? true
      measure = unit.flatMap { $0.isNone ? nil : Measure.shared($0) ?? Measure(unit: $0) }
    }

    /// `number` fitted to the column, or nil when only `fitted` can say (with the cell's text).
    /// (Nil written `Optional.none`: `Value` is written `nil` too, and that would be `.nil`.)
    func fit(_ number: Value) -> Value? {
      guard let unit else { return number }
      switch number {
      case .number(let value):
        guard takesBare else { return Optional.none }
        return measure.map { .quantity(value, $0) } ?? number
      case .quantity(_, let given):
        guard given === measure || given.unit == unit else { return Optional.none }
        return number
      default:
        return number
      }
    }
  }

  /// An error at a cell of a data file: its span the cell's text from `offset` (at least one
  /// byte, so that an empty cell still has a caret).
  static func cellError(
    _ message: String, _ text: String, at offset: Int, in source: Source, notes: [String] = []
  ) -> PQError {
    PQError(
      .runtime, message, source: source, span: Span(start: offset, end: offset + max(1, text.utf8.count)),
      notes: notes)
  }

  /// Writes records as CSV: a header from the union of keys, units in the header where a column
  /// is not a known metric, numbers in full precision.
  /// The provenance columns a CSV file may have, read into each figure of the row: the fields
  /// of `figure()`, plus `period_note` (the words for a period that is not given) and
  /// `approximate` (the word that marks an approximate figure, as "roughly").
  static let csvProvenanceColumns =
    Builtins.provenanceFields + ["period_note", "approximate", "margin", "confidence"]
}
