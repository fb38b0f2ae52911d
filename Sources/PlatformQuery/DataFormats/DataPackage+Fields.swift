/// A data package field's cells read as the field declares them: types and formats, missing
/// values, constraints.
extension DataPackage.Field {
  /// One cell as the field declares it: nil for a missing value, text for a string, a number as
  /// the field writes numbers (`decimalChar`, `groupChar`, `bareNumber`), a boolean by its
  /// `trueValues` and `falseValues`, a period for a year, year-month or date. A cell that is not
  /// what the field says, or breaks one of its constraints, is an error at the cell.
  func read(
    _ raw: String, missing: [String], unit: Unit?, headed: Bool, source: Source, offset: Int,
    descriptor: String
  ) throws(PQError) -> Value {
    let span = Span(start: offset, end: offset + max(1, raw.utf8.count))
    func failure(_ message: String, _ notes: [String] = []) -> PQError {
      PQError(.runtime, message, source: source, span: span, notes: notes)
    }
    let declared = "as \(descriptor) declares field '\(name)'"
    if (missingValues ?? missing).contains(raw) {
      if constraints.required {
        throw failure("field '\(name)' is required, and this cell is empty (\(descriptor))")
      }
      return .nil
    }
    let text = raw
    var value: Value
    switch type ?? .any {
    case .string:
      switch format ?? "default" {
      case "email":
        guard text.contains("@"), !text.hasPrefix("@"), !text.hasSuffix("@") else {
          throw failure("'\(text)' is not an email address, \(declared)")
        }
      case "uri":
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex, !text.contains(" ") else {
          throw failure("'\(text)' is not a URI, \(declared)")
        }
      case "uuid":
        let groups = text.split(separator: "-", omittingEmptySubsequences: false).map(\.count)
        guard groups == [8, 4, 4, 4, 12], text.allSatisfy({ $0 == "-" || $0.isHexDigit }) else {
          throw failure("'\(text)' is not a UUID, \(declared)")
        }
      default: break
      }
      value = .string(text)
    case .any:
      value = .string(text)
    case .boolean:
      if trueValues.contains(text) {
        value = .bool(true)
      } else if falseValues.contains(text) {
        value = .bool(false)
      } else {
        throw failure(
          "'\(text)' is not a boolean, \(declared)",
          [
            "its true values are " + trueValues.joined(separator: ", ") + "; its false values "
              + falseValues.joined(separator: ", ")
          ])
      }
    case .number, .integer:
      guard let number = number(text) else {
        let kind = type == .integer ? "an integer" : "a number"
        var notes: [String] = []
        if Literal.parse(text) != nil {
          notes.append(
            "pq's notation (70.4M, 57%) is read in a column the schema does not type; here write plain numbers"
          )
        }
        if decimalChar != "." || !groupChar.isEmpty {
          notes.append(
            "this field writes decimals with '\(decimalChar)'"
              + (groupChar.isEmpty ? "" : " and groups with '\(groupChar)'"))
        }
        throw failure("'\(text)' is not \(kind), \(declared)", notes)
      }
      value = try DataFile.fitted(
        .number(number), text: text, raw: raw, unit: unit, headed: headed || self.unit != nil, column: name,
        source: source, offset: offset)
    case .year:
      let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
      guard digits.count == 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
        throw failure("'\(text)' is not a year, \(declared)", ["a year is written 2024"])
      }
      value = .string(text)
    case .yearmonth:
      guard text.count == 7, Period.parse(text) != nil, text.dropFirst(4).first == "-" else {
        throw failure(
          "'\(text)' is not a year and month, \(declared)", ["a year and month is written 2024-09"])
      }
      value = .string(text)
    case .datetime:
      // ISO 8601, kept as written: a date, `T`, a time (and a zone).
      let date = String(text.prefix(10))
      let rest = text.dropFirst(10)
      guard Self.isoDate(date, format: "default") != nil, rest.first == "T" || rest.first == " ",
        Self.isTime(String(rest.dropFirst()))
      else {
        throw failure(
          "'\(text)' is not a date and time, \(declared)", ["a date and time is written 2024-09-30T14:05:00Z"]
        )
      }
      value = .string(text)
    case .time:
      guard Self.isTime(text) else {
        throw failure("'\(text)' is not a time, \(declared)", ["a time is written 14:05:00"])
      }
      value = .string(text)
    case .date:
      guard let iso = Self.isoDate(text, format: format ?? "default") else {
        throw failure(
          "'\(text)' is not a date, \(declared)",
          [format.map { "its format is \($0)" } ?? "a date is written 2024-09-30"])
      }
      value = .string(iso)
    }
    try check(value, text: text, failure)
    return value
  }

  /// The number a cell writes, as Table Schema reads it: an optional sign, digits (grouped by
  /// `groupChar`), a decimal part after `decimalChar`, an exponent; `NaN`, `INF`, `-INF`. With
  /// `bareNumber: false` the text around the number (`€`, `%`) is dropped.
  func number(_ raw: String) -> Double? {
    var text = raw.trimmingSpaces
    if ["NaN", "INF", "-INF"].contains(text), type == .number {
      return text == "NaN" ? .nan : text == "INF" ? .infinity : -.infinity
    }
    if !bareNumber {
      let scalars = Array(text.unicodeScalars)
      func isNumeric(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.numericType != nil && scalar.isASCII
      }
      guard let first = scalars.firstIndex(where: isNumeric), let last = scalars.lastIndex(where: isNumeric)
      else {
        return nil
      }
      var start = first
      if start > 0, scalars[start - 1] == "-" || scalars[start - 1] == "+" { start -= 1 }
      text = String(String.UnicodeScalarView(scalars[start...last]))
    }
    if !groupChar.isEmpty {
      text = text.split(separator: Character(groupChar), omittingEmptySubsequences: false).joined()
    }
    if decimalChar != "." {
      guard !text.contains(".") || groupChar == "." else { return nil }
      text = text.split(separator: Character(decimalChar), omittingEmptySubsequences: false).joined(
        separator: ".")
    }
    guard let first = text.first, first.isNumber || first == "-" || first == "+" || first == "." else {
      return nil
    }
    guard text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }), let number = Double(text)
    else {
      return nil
    }
    if type == .integer {
      guard !text.contains("."), !text.lowercased().contains("e"), abs(number) < 9.007_199_254_740_992e15
      else {
        return nil
      }
    }
    return number
  }

  /// `14:05:00`, with an optional fraction and zone (`Z`, `+01:00`).
  static func isTime(_ text: String) -> Bool {
    let parts = text.prefix(8).split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 3,
      parts.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
      let hours = Int(parts[0]), let minutes = Int(parts[1]), let seconds = Int(parts[2]),
      hours < 24, minutes < 60, seconds < 61
    else { return false }
    let rest = text.dropFirst(8)
    return rest.allSatisfy { $0.isASCII && ($0.isNumber || ".:+-Z".contains($0)) }
  }

  /// A date cell as `YYYY-MM-DD`: ISO by default and for `any`; a pattern of `%Y`, `%m`, `%d`
  /// and `%y` otherwise.
  static func isoDate(_ text: String, format: String) -> String? {
    func valid(_ year: Int, _ month: Int, _ day: Int) -> String? {
      guard (1...12).contains(month), (1...31).contains(day) else { return nil }
      let iso = padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2)
      return Period.parse(iso) != nil ? iso : nil
    }
    if format == "default" || format == "any" {
      let parts = text.split(separator: "-", omittingEmptySubsequences: false)
      guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
        let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
      else { return nil }
      return valid(year, month, day)
    }
    var year: Int?
    var month: Int?
    var day: Int?
    var input = Substring(text)
    var pattern = Substring(format)
    while let mark = pattern.first {
      if mark == "%", pattern.count >= 2 {
        let code = pattern.dropFirst().first
        pattern = pattern.dropFirst(2)
        let width = code == "Y" ? 4 : 2
        let digits = input.prefix(width).prefix { $0.isASCII && $0.isNumber }
        guard digits.count == width || (code != "Y" && digits.count >= 1), let number = Int(digits) else {
          return nil
        }
        input = input.dropFirst(digits.count)
        switch code {
        case "Y": year = number
        case "y": year = 2000 + number
        case "m": month = number
        case "d": day = number
        default: return nil
        }
      } else {
        guard input.first == mark else { return nil }
        input = input.dropFirst()
        pattern = pattern.dropFirst()
      }
    }
    guard input.isEmpty, let year, let month, let day else { return nil }
    return valid(year, month, day)
  }

  /// The field's constraints on one value (uniqueness is the file's to check).
  func check(_ value: Value, text: String, _ failure: (String, [String]) -> PQError) throws(PQError) {
    let rule = "breaks the constraint of field '\(name)'"
    func order(_ bound: Value) -> (Double?, String?) {
      switch bound {
      case .number(let n): return (n, nil)
      case .string(let s): return (number(s) ?? Double(s), s)
      default: return (nil, nil)
      }
    }
    func compare(_ bound: Value) -> Int? {
      // A year is text that orders as its number; a date or year-month as its text.
      var number = value.numericValue
      if number == nil, type == .year, case .string(let s) = value { number = Double(s) }
      if let n = number, let b = order(bound).0 { return n < b ? -1 : n > b ? 1 : 0 }
      if case .string(let s) = value, let b = order(bound).1 { return s < b ? -1 : s > b ? 1 : 0 }
      return nil
    }
    if let minimum = constraints.minimum, let side = compare(minimum), side < 0 {
      throw failure("'\(text)' \(rule): minimum \(minimum.text)", [])
    }
    if let maximum = constraints.maximum, let side = compare(maximum), side > 0 {
      throw failure("'\(text)' \(rule): maximum \(maximum.text)", [])
    }
    if let allowed = constraints.allowed {
      let found = allowed.contains { option in
        if let n = value.numericValue, let b = order(option).0 { return n == b }
        if case .bool(let flag) = value, case .bool(let other) = option { return flag == other }
        return option.text == text || option.text == value.text
      }
      if !found {
        throw failure("'\(text)' \(rule): one of " + allowed.map(\.text).joined(separator: ", "), [])
      }
    }
    if let pattern = constraints.pattern, let regex = try? Regex(pattern) {
      guard (try? regex.wholeMatch(in: text)) != nil else {
        throw failure("'\(text)' \(rule): the pattern \(pattern)", [])
      }
    }
    if let least = constraints.minLength, text.count < least {
      throw failure("'\(text)' \(rule): at least \(least) characters", [])
    }
    if let most = constraints.maxLength, text.count > most {
      throw failure("'\(text)' \(rule): at most \(most) characters", [])
    }
  }
}

/// `7` as `07`, `2024` as `2024`.
func padded(_ number: Int, _ width: Int) -> String {
  let digits = String(number)
  return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
