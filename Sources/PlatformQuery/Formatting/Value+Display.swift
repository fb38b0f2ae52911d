extension Value: CustomStringConvertible {
  /// The display form, as `print` writes a value at the top level: strings raw, quantities
  /// compact, lists of records and platforms as aligned tables.
  public var description: String { rendered(width: nil) }

  /// The display form fitted to a terminal `width` columns wide: table cells wrap inside their
  /// columns, caveats wrap with a hanging indent. With nil (a pipe, a file) nothing wraps.
  public func rendered(width: Int?) -> String {
    switch self {
    case .string(let text): return text
    case .list(let items) where Table.isTabular(items): return Table.render(items, width: width)
    case .record(let record):
      switch record.kind {
      case .platform: return PlatformCard.render(record, width: width)
      case .comparison, .platformComparison: return ComparisonDisplay.render(record, width: width)
      case .chart: return Chart.text(record)
      case .caveat: return Caveat(self)?.description ?? inline
      default: return inline
      }
    default: return inline
    }
  }

  /// The one-line form used inside lists and records: strings quoted. A list or record nested
  /// deeper than `Value.deepestResult` is not written out (it would be written by recursion, as
  /// deep as it nests): a placeholder says what it is.
  public var inline: String {
    switch self {
    case .list, .record:
      if nests(deeperThan: Value.deepestResult) {
        return "<\(typeName) nested more than \(Value.deepestResult) deep>"
      }
      // A value built of itself (`a = [a, a]` in a loop) is small in memory and vast as text.
      if textSize(atMost: Value.longestText) > Value.longestText {
        return "<\(typeName) of more than \(Value.longestText) bytes as text>"
      }
      return inlineText
    default: return inlineText
    }
  }

  /// `inline` without the depth check, for the parts of a value already checked.
  var inlineText: String {
    switch self {
    case .nil: return "nil"
    case .bool(let b): return b ? "true" : "false"
    case .number(let n): return NumberFormat.plain(n)
    case .quantity(let n, let measure): return NumberFormat.quantity(n, measure.unit, margin: measure.margin)
    case .string(let text): return Value.quote(text)
    case .list(let items): return "[" + items.map(\.inlineText).joined(separator: ", ") + "]"
    case .record(let record):
      if case .module(let name) = record.kind { return "<module \(name)>" }
      if record.kind == .caveat, let caveat = Caveat(self) { return Value.quote(caveat.description) }
      if record.kind == .platform, case .string(let name)? = record["name"] { return "<platform \(name)>" }
      return "{" + record.pairs.map { "\(Value.key($0.0)): \($0.1.inlineText)" }.joined(separator: ", ") + "}"
    case .function(let function): return "<fn \(function.name)>"
    }
  }

  /// The text a value contributes to `print`, interpolation and `join`: strings raw, the rest inline.
  var text: String {
    if case .string(let s) = self { return s }
    if case .record(let record) = self, record.kind == .caveat, let caveat = Caveat(self) {
      return caveat.description
    }
    return inline
  }

  static func key(_ name: String) -> String {
    let isIdentifier =
      !name.isEmpty && name.utf8.allSatisfy(isIdentifierPart) && !isDigit(name.utf8.first ?? 0)
      && Keyword(rawValue: name) == nil
    return isIdentifier ? name : quote(name)
  }

  /// A string in pq literal syntax.
  static func quote(_ text: String) -> String {
    escaped(text) { scalar in
      scalar == "\0" ? "\\0" : "\\u{" + String(scalar.value, radix: 16) + "}"
    }
  }

  /// True when quoting `text` must escape something: a quote, a backslash or a control character.
  static func needsEscape(_ text: String) -> Bool {
    text.utf8.contains { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
  }

  /// A string in double quotes with `"`, `\\`, line breaks and tabs escaped, and every other
  /// control character written by `control`: the one quoting loop behind pq literals and JSON.
  static func escaped(_ text: String, control: (Unicode.Scalar) -> String) -> String {
    // Most text needs no escape: quoted whole, without walking its scalars (saving 200,000 rows
    // as JSON spent 40% of its time here).
    if !needsEscape(text) { return "\"" + text + "\"" }
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          out += control(scalar)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
