/// The span of days a figure covers: `2024`, `2024-09`, `2024-09-30`, `2024-Q3`, `2024-H1`,
/// ranges `2024-01/2024-09`, SDMX spellings (`2024-S1`, `2024-M09`) and words (`September 2024`,
/// `January–September 2024`, `first half of 2024`, `Q3 2024`). It keeps the text as written and
/// knows how it lies against another period: the same, within, overlapping, or apart.
public struct Period: Hashable, Sendable, CustomStringConvertible {
  /// The period as written.
  public let text: String
  /// The first day, as days since 1970-01-01.
  public let firstDay: Int
  /// The last day, inclusive.
  public let lastDay: Int

  /// The text as written.
  public var description: String { text }

  /// The forms `Period.parse` reads, for error notes.
  public static let acceptedForms =
    "2024, 2024-09, 2024-09-30, 2024-Q3, 2024-H1, 2024-S1, 2024-M09, 2024-W44 (ISO week), 2024-01/2024-09, September 2024, January–September 2024, first half of 2024, Q3 2024"

  /// Reads a period, or nil when the text is not one of the accepted forms.
  public static func parse(_ written: String) -> Period? {
    let text = written.trimmingSpaces
    guard let (first, last) = span(text) else { return nil }
    return Period(text: text, firstDay: first, lastDay: last)
  }

  /// How two periods lie against each other.
  public enum Relation: Equatable, Sendable {
    /// The same days.
    case same
    /// This period lies inside the other.
    case within
    /// The other period lies inside this one.
    case contains
    /// They share some days: `months` is the length of the shared part, in months (0 when less
    /// than half a month).
    case overlapping(months: Int, days: Int)
    /// They share no days: `months` from the start of one to the start of the other.
    case apart(months: Int, days: Int)
  }

  /// How this period lies against `other`.
  public func relation(to other: Period) -> Relation {
    if firstDay == other.firstDay, lastDay == other.lastDay { return .same }
    if firstDay >= other.firstDay, lastDay <= other.lastDay { return .within }
    if other.firstDay >= firstDay, other.lastDay <= lastDay { return .contains }
    let sharedFirst = max(firstDay, other.firstDay)
    let sharedLast = min(lastDay, other.lastDay)
    if sharedFirst <= sharedLast {
      let days = sharedLast - sharedFirst + 1
      return .overlapping(months: Int((Double(days) / 30.44).rounded()), days: days)
    }
    let (a, b) = firstDay < other.firstDay ? (self, other) : (other, self)
    let (ay, am, _) = Period.civil(a.firstDay)
    let (by, bm, _) = Period.civil(b.firstDay)
    return .apart(months: (by - ay) * 12 + (bm - am), days: b.firstDay - a.firstDay)
  }

  /// The relation in words, for a caveat: nil when the periods are the same.
  public func difference(from other: Period) -> String? {
    switch relation(to: other) {
    case .same: return nil
    case .within: return "periods differ: \(text) lies within \(other.text)"
    case .contains: return "periods differ: \(other.text) lies within \(text)"
    case .overlapping(let months, let days):
      let amount = months > 0 ? plural(months, "month") : plural(days, "day")
      return "periods overlap by \(amount) (\(text) vs \(other.text))"
    case .apart(let months, let days):
      let amount = months > 0 ? plural(months, "month") : plural(days, "day")
      // Counted start to start: for a month against a quarter (2024-11 vs 2024-Q3) that is not
      // the gap between them, so the caveat says how it counts, and that the lengths differ.
      let lengths = (Double(lastDay - firstDay + 1), Double(other.lastDay - other.firstDay + 1))
      if max(lengths.0, lengths.1) > 1.2 * min(lengths.0, lengths.1) {
        return
          "periods are \(amount) apart, start to start, and of different lengths (\(text) vs \(other.text))"
      }
      return "periods are \(amount) apart (\(text) vs \(other.text))"
    }
  }

  // MARK: Reading

  static let monthNames = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
  ]

  /// The month (1–12) a word names, full or in three letters (`sept` too), or nil.
  static func month(_ word: Substring) -> Int? {
    let lowered = word.lowercased().replacingDot()
    if let index = monthNames.firstIndex(of: lowered) { return index + 1 }
    if lowered == "sept" { return 9 }
    if lowered.count == 3, let index = monthNames.firstIndex(where: { $0.hasPrefix(lowered) }) {
      return index + 1
    }
    return nil
  }

  static func year(_ text: Substring) -> Int? {
    guard text.count == 4, text.allSatisfy(\.isASCIIDigit), let year = Int(text), year >= 1000 else {
      return nil
    }
    return year
  }

  static func number(_ text: Substring, digits: Int) -> Int? {
    guard text.count == digits, text.allSatisfy(\.isASCIIDigit) else { return nil }
    return Int(text)
  }

  /// First and last day of a month range within a year.
  static func months(_ year: Int, _ first: Int, _ last: Int) -> (Int, Int)? {
    guard (1...12).contains(first), (1...12).contains(last), first <= last else { return nil }
    return (day(year, first, 1), day(year, last, daysIn(year, last)))
  }

  static func span(_ text: String) -> (Int, Int)? {
    if text.isEmpty { return nil }
    if let numeric = numericSpan(text) { return numeric }
    // A range written with `/`: each side a period.
    if let slash = text.firstIndex(of: "/") {
      guard let start = span(String(text[..<slash]).trimmingSpaces),
        let end = span(String(text[text.index(after: slash)...]).trimmingSpaces), start.0 <= end.1
      else { return nil }
      return (start.0, end.1)
    }
    let lowered = text.lowercased()
    let words = lowered.split(whereSeparator: { $0 == " " || $0 == "\u{a0}" })
    // Words: `September 2024`, `January–September 2024`, `first half of 2024`, `Q3 2024`, `H1 2024`.
    if words.count == 2, let year = year(words[1]) {
      if let m = month(words[0]) { return months(year, m, m) }
      let parts = words[0].split(whereSeparator: { $0 == "–" || $0 == "-" || $0 == "—" })
      if parts.count == 2, let from = month(parts[0]), let to = month(parts[1]) {
        return months(year, from, to)
      }
      return quarterOrHalf(String(words[0]), year)
    }
    if words.count == 4, words[1] == "half", words[2] == "of", let year = year(words[3]) {
      switch words[0] {
      case "first": return months(year, 1, 6)
      case "second": return months(year, 7, 12)
      default: return nil
      }
    }
    if words.count == 4, words[1] == "quarter", words[2] == "of", let year = year(words[3]) {
      let ordinals = ["first", "second", "third", "fourth"]
      guard let index = ordinals.firstIndex(of: String(words[0])) else { return nil }
      return months(year, index * 3 + 1, index * 3 + 3)
    }
    guard words.count == 1 else { return nil }
    // Notation: `2024`, `2024-09`, `2024-09-30`, `2024-Q3`, `2024-H1`, `2024-S1`, `2024-M09`.
    let parts = lowered.split(separator: "-", omittingEmptySubsequences: false)
    guard let year = year(parts[0]) else { return nil }
    switch parts.count {
    case 1: return months(year, 1, 12)
    case 2:
      if let month = number(parts[1], digits: 2) { return months(year, month, month) }
      let tag = parts[1]
      if tag.hasPrefix("m"), let month = number(tag.dropFirst(), digits: 2) {
        return months(year, month, month)
      }
      // An ISO week: `2024-W44`, Monday to Sunday.
      if tag.hasPrefix("w"), let week = number(tag.dropFirst(), digits: 2), week >= 1,
        week <= weeksIn(isoYear: year)
      {
        let first = isoWeekOne(year) + 7 * (week - 1)
        return (first, first + 6)
      }
      return quarterOrHalf(String(tag), year)
    case 3:
      guard let month = number(parts[1], digits: 2), let dayOfMonth = number(parts[2], digits: 2),
        (1...12).contains(month), (1...daysIn(year, month)).contains(dayOfMonth)
      else { return nil }
      let d = day(year, month, dayOfMonth)
      return (d, d)
    default: return nil
    }
  }

  /// `2024`, `2024-09` and `2024-09-30` read by byte, without lowering or splitting the text:
  /// the forms a daily series comes in, one distinct period a row (nil for any other form, which
  /// `span` reads as before).
  static func numericSpan(_ text: String) -> (Int, Int)? {
    var digits: [Int] = []
    digits.reserveCapacity(8)
    var dashes: [Int] = []
    for (index, byte) in text.utf8.enumerated() {
      if byte >= 0x30, byte <= 0x39 {
        digits.append(Int(byte - 0x30))
      } else if byte == UInt8(ascii: "-") {
        dashes.append(index)
      } else {
        return nil
      }
    }
    func value(_ range: Range<Int>) -> Int { digits[range].reduce(0) { $0 * 10 + $1 } }
    let count = text.utf8.count
    switch (count, dashes) {
    case (4, []):
      let year = value(0..<4)
      return year >= 1000 ? months(year, 1, 12) : nil
    case (7, [4]):
      let year = value(0..<4)
      return year >= 1000 ? months(year, value(4..<6), value(4..<6)) : nil
    case (10, [4, 7]):
      let (year, month, dayOfMonth) = (value(0..<4), value(4..<6), value(6..<8))
      guard year >= 1000, (1...12).contains(month), (1...daysIn(year, month)).contains(dayOfMonth) else {
        return nil
      }
      let d = day(year, month, dayOfMonth)
      return (d, d)
    default: return nil
    }
  }

  /// `q3`, `h1`, `s1` of a year.
  static func quarterOrHalf(_ tag: String, _ year: Int) -> (Int, Int)? {
    guard tag.count == 2, let index = Int(tag.dropFirst()) else { return nil }
    switch tag.first {
    case "q": return (1...4).contains(index) ? months(year, index * 3 - 2, index * 3) : nil
    case "h", "s": return (1...2).contains(index) ? months(year, index * 6 - 5, index * 6) : nil
    default: return nil
    }
  }

  // MARK: Calendar arithmetic (proleptic Gregorian)

  static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

  static func daysIn(_ year: Int, _ month: Int) -> Int {
    switch month {
    case 2: return isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// The day of the week of a day number, Monday 0 to Sunday 6 (1970-01-01 was a Thursday).
  static func weekday(_ days: Int) -> Int { ((days % 7) + 7 + 3) % 7 }

  /// The Monday that starts ISO week 1 of `year`: the week with the year's first Thursday.
  static func isoWeekOne(_ year: Int) -> Int {
    let fourth = day(year, 1, 4)
    return fourth - weekday(fourth)
  }

  /// 52 or 53.
  static func weeksIn(isoYear year: Int) -> Int { (isoWeekOne(year + 1) - isoWeekOne(year)) / 7 }

  /// The ISO week a day falls in, as its year and number.
  static func isoWeek(of days: Int) -> (year: Int, week: Int) {
    let thursday = days - weekday(days) + 3
    let year = civil(thursday).year
    return (year, (thursday - isoWeekOne(year)) / 7 + 1)
  }

  /// Days since 1970-01-01 of a date (the civil-from-days algorithm, inverted).
  static func day(_ year: Int, _ month: Int, _ day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The date of a day number.
  static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let d = dayOfYear - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yearOfEra + era * 400 + (m <= 2 ? 1 : 0), m, d)
  }
}

extension Character {
  var isASCIIDigit: Bool { asciiValue.map { $0 >= 48 && $0 <= 57 } ?? false }
}

extension String {
  func replacingDot() -> String { hasSuffix(".") ? String(dropLast()) : self }
}
