#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Number display: plain numbers to 6 significant digits (integers exact), quantities compact to
/// 3 significant digits with K/M/B/T suffixes, never binary noise.
enum NumberFormat {
  /// Formats one double with a C format such as `%.6g`.
  static func c(_ format: String, _ value: Double) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    _ = withVaList([value]) { arguments in
      vsnprintf(&buffer, buffer.count, format, arguments)
    }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// The largest whole number below which every whole number is exact in a double: 2^53.
  static let exactIntegerLimit = 9_007_199_254_740_992.0

  /// A plain number: whole numbers exactly up to 2^53, otherwise 6 significant digits.
  static func plain(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    if value == 0 { return "0" }
    // Whole within ±2^53: converting to an integer and back is exact (no call to `round`).
    if abs(value) <= exactIntegerLimit, case let whole = Int64(value), Double(whole) == value {
      return decimal(whole)
    }
    return significant(value, digits: 6)
  }

  /// A whole number with thousands separators: `9,986`.
  static func grouped(_ value: Int64) -> String {
    let digits = decimal(value.magnitude > UInt64(Int64.max) ? 0 : Int64(value.magnitude))
    var out = value < 0 ? "-" : ""
    for (index, character) in digits.enumerated() {
      if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
      out.append(character)
    }
    return out
  }

  /// A number as pq writes it into files and JSON: at 15 significant digits, which removes the
  /// binary noise of decimal arithmetic (`0.59 - 0.57` is 0.02, `0.57 × 100` is 57) and keeps
  /// every digit a decimal figure has.
  static func shown(_ value: Double) -> Double {
    guard value.isFinite, value != 0 else { return value }
    // The digits `significant` would write, as an integer and a count of decimals: the decimal
    // they spell is integer / 10^decimals, and with both exact in a double (below 2^53, and a
    // power of ten up to 10^15) one division rounds it exactly as reading the text back would
    // (Clinger's fast path), without the text. `shownMatchesReadingTheTextBack` holds the two
    // to the same answers.
    if let (integer, decimals) = scaledDigits(value, digits: 15) {
      if integer == 0 { return 0 }
      let result = integer / powersOfTen[decimals]
      return value < 0 ? -result : result
    }
    return Double(significant(value, digits: 15)) ?? value
  }

  /// `|value|` rounded to `digits` significant digits as a whole number of 10^-`decimals`
  /// (70.4 to 15 digits: 704000000000000 and 13), when it can be computed exactly in a double:
  /// a magnitude from 1e-6 to 1e15 and at most 15 decimals; nil otherwise.
  static func scaledDigits(_ value: Double, digits: Int) -> (integer: Double, decimals: Int)? {
    let magnitude = abs(value)
    guard magnitude < 1e15, magnitude >= 1e-6 else { return nil }
    let decimals = max(0, digits - (Int(floor(log10(magnitude))) + 1))
    return scaled(value, decimals: decimals).map { ($0, decimals) }
  }

  /// `|value|` × 10^`decimals` rounded to a whole number, when that is exact in a double (at
  /// most 15 decimals, below 10^15); nil otherwise.
  static func scaled(_ value: Double, decimals: Int) -> Double? {
    guard decimals <= 15 else { return nil }
    let scaled = abs(value) * powersOfTen[decimals]
    guard scaled < 1e15 else { return nil }
    return scaled.rounded()
  }

  /// A finite number as pq writes it into files and `--json`, times 10^`shift` (2 for a
  /// percentage or points written as shown: 0.57 as `57`): whole numbers up to 2^53 exactly,
  /// anything else with the fewest of 15, 16 or 17 significant digits that read back as the same
  /// double. Reading is exact too (`decimal(_:shift:)`, the readers of CSV, JSON and pq
  /// notation), so saving and loading never changes a number, not even in its last bit: the
  /// fuzzer found `8888888888888888888888877777800` saved at 15 digits and read back as another
  /// number. Decimal figures (up to 15 digits) are written as they were read; a computed ratio
  /// may take 17 digits, which is the number pq holds.
  static func written(_ n: Double, shift: Int = 0) -> String {
    if shift == 0, n == n.rounded(), abs(n) <= exactIntegerLimit { return decimal(Int64(n)) }
    // The common case: 15 digits, written by integer arithmetic, and exact.
    let scaled = shift == 0 ? n : n * Arithmetic.power(10, Double(shift))
    if scaled.isFinite {
      let text = significant(scaled, digits: 15)
      if decimal(text, shift: -shift) == n { return text == "-0" ? "0" : text }
    }
    // Then 15, 16 and 17 digits from printf; 17 always read back as the same double.
    var text = ""
    for digits in 15...17 {
      let (mantissa, exponent) = scientific(n, digits: digits)
      text = decimalText(mantissa: mantissa, exponent: exponent + shift, negative: n < 0)
      if decimal(text, shift: -shift) == n { break }
    }
    return text == "-0" ? "0" : text
  }

  /// The significant digits of `n` (trailing zeros removed, no sign or point) and the decimal
  /// exponent of the first, from printf's `%.*e` (correctly rounded).
  static func scientific(_ n: Double, digits: Int) -> (digits: [UInt8], exponent: Int) {
    let text = c("%.\(digits - 1)e", abs(n))
    var mantissa: [UInt8] = []
    var exponent = 0
    var bytes = text.utf8.makeIterator()
    while let byte = bytes.next() {
      if byte >= 0x30, byte <= 0x39 {
        mantissa.append(byte)
      } else if byte == UInt8(ascii: "e") {
        exponent = Int(String(decoding: Array(IteratorSequence(bytes)), as: UTF8.self)) ?? 0
        break
      }
    }
    while mantissa.count > 1, mantissa.last == UInt8(ascii: "0") { mantissa.removeLast() }
    return (mantissa, exponent)
  }

  /// Digits `d.ddd × 10^exponent` written as pq writes numbers: positional between 1e-6 and
  /// 1e15 (`0.000123`, `57.25`), otherwise `8.88888888888889e30`.
  static func decimalText(mantissa: [UInt8], exponent: Int, negative: Bool) -> String {
    var out: [UInt8] = negative ? [UInt8(ascii: "-")] : []
    if mantissa == [UInt8(ascii: "0")] { return "0" }
    if exponent >= 15 || exponent < -6 {
      out.append(mantissa[0])
      if mantissa.count > 1 {
        out.append(UInt8(ascii: "."))
        out.append(contentsOf: mantissa[1...])
      }
      out.append(UInt8(ascii: "e"))
      out.append(contentsOf: String(exponent).utf8)
    } else if exponent >= 0 {
      let whole = exponent + 1
      for index in 0..<whole { out.append(index < mantissa.count ? mantissa[index] : UInt8(ascii: "0")) }
      if mantissa.count > whole {
        out.append(UInt8(ascii: "."))
        out.append(contentsOf: mantissa[whole...])
      }
    } else {
      out.append(contentsOf: "0.".utf8)
      out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -exponent - 1))
      out.append(contentsOf: mantissa)
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The number a decimal text spells (`57.25`, `1.5e-7`, digits and one point, an optional
  /// sign and exponent) times 10^`shift`, rounded once: `57.123%` is 57.123 × 10^-2 exactly
  /// rounded, not 57.123 rounded and then divided by 100 (which can miss by a bit, so that
  /// writing the number as shown and reading it back would change it). Nil when the text is
  /// not such a number.
  static func decimal(_ text: String, shift: Int) -> Double? {
    if shift == 0 { return Double(text) }
    var mantissa = Substring(text)
    var exponent = 0
    if let e = text.utf8.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
      mantissa = text[..<e]
      guard let given = Int(text[text.utf8.index(after: e)...]) else { return nil }
      exponent = given
    }
    // An exponent beyond any double's range stays beyond it after the shift.
    let total = exponent.addingReportingOverflow(shift)
    guard !total.overflow else { return nil }
    return Double(mantissa + "e" + String(max(-100_000, min(100_000, total.partialValue))))
  }

  /// An integer's decimal digits, written straight into a small buffer (`String(_:)` on an
  /// integer goes through generic description code, several times slower).
  static func decimal(_ value: Int64) -> String {
    if value == 0 { return "0" }
    var length = value < 0 ? 1 : 0
    var rest = value.magnitude
    while rest > 0 {
      length += 1
      rest /= 10
    }
    // Up to 15 ASCII bytes become a small string without being validated again, which
    // `String(decoding:as:)` would do.
    return String(unsafeUninitializedCapacity: length) { buffer in
      var magnitude = value.magnitude
      var position = length
      while magnitude > 0 {
        position -= 1
        buffer[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
        magnitude /= 10
      }
      if value < 0 { buffer[0] = UInt8(ascii: "-") }
      return length
    }
  }

  /// `value` to `digits` significant digits, trailing zeros removed, no exponent below 1e15.
  static func significant(_ value: Double, digits: Int) -> String {
    if value == 0 { return "0" }
    let magnitude = abs(value)
    if magnitude >= 1e15 || magnitude < 1e-6 {
      let text = c("%.\(digits)g", value)
      return trimExponent(text)
    }
    let decimals = max(0, digits - (Int(floor(log10(magnitude))) + 1))
    if let fast = fixed(value, decimals: decimals) { return fast }
    var text = c("%.\(decimals)f", value)
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    if text == "-0" { text = "0" }
    return text
  }

  static let powersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
  ]

  /// `value` with `decimals` decimals and trailing zeros removed, computed with integers when
  /// the scaled value is exact enough (`scaled`); nil otherwise (the caller falls back to printf).
  static func fixed(_ value: Double, decimals: Int) -> String? {
    guard let whole = scaled(value, decimals: decimals) else { return nil }
    let negative = value < 0
    var integer = Int64(whole)
    if integer == 0 { return "0" }
    var places = decimals
    while places > 0, integer % 10 == 0 {
      integer /= 10
      places -= 1
    }
    var digitCount = 0
    var rest = integer
    while rest > 0 {
      digitCount += 1
      rest /= 10
    }
    // `-`, then the whole part (at least `0`), then `.` and exactly `places` decimals.
    let wholeDigits = Swift.max(digitCount - places, 1)
    let length = (negative ? 1 : 0) + wholeDigits + (places > 0 ? 1 + places : 0)
    // Written byte by byte from the right: no string index arithmetic, no validation.
    return String(unsafeUninitializedCapacity: length) { buffer in
      var position = length
      var remaining = integer
      for _ in 0..<places {
        position -= 1
        buffer[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
        remaining /= 10
      }
      if places > 0 {
        position -= 1
        buffer[position] = UInt8(ascii: ".")
      }
      repeat {
        position -= 1
        buffer[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
        remaining /= 10
      } while remaining > 0
      if negative { buffer[0] = UInt8(ascii: "-") }
      return length
    }
  }

  static func trimExponent(_ text: String) -> String {
    guard let e = text.firstIndex(of: "e") else { return text }
    var mantissa = String(text[..<e])
    var exponent = String(text[text.index(after: e)...])
    if mantissa.contains(".") {
      while mantissa.hasSuffix("0") { mantissa.removeLast() }
      if mantissa.hasSuffix(".") { mantissa.removeLast() }
    }
    if exponent.hasPrefix("+") { exponent.removeFirst() }
    let negative = exponent.hasPrefix("-")
    if negative { exponent.removeFirst() }
    while exponent.count > 1, exponent.hasPrefix("0") { exponent.removeFirst() }
    if negative { exponent = "-" + exponent }
    return mantissa + "e" + exponent
  }

  static let scales: [(suffix: String, scale: Double)] = [
    ("", 1), ("K", 1e3), ("M", 1e6), ("B", 1e9), ("T", 1e12),
  ]

  /// A compact number: `70.4M`, `698K`, `1B`, `2.6`, to `digits` significant digits. Rounding that
  /// reaches 1000 of one suffix promotes to the next (`1M`, never `1000K`).
  static func compact(_ value: Double, digits: Int = 3) -> String {
    if !value.isFinite { return plain(value) }
    let sign = value < 0 ? "-" : ""
    let magnitude = abs(value)
    var level = 0
    while level < scales.count - 1, magnitude >= scales[level + 1].scale { level += 1 }
    while true {
      let text = significant(magnitude / scales[level].scale, digits: digits)
      if level < scales.count - 1, reachesThousand(text) {
        level += 1
        continue
      }
      // Most numbers need no sign or no suffix: each `+` of strings costs a hundred instructions.
      let suffix = scales[level].suffix
      if sign.isEmpty || text == "0" { return suffix.isEmpty ? text : text + suffix }
      return sign + text + suffix
    }
  }

  /// A number of percent or percentage points to `digits` significant digits; from 1,000 on,
  /// every whole digit with thousands separators (`9,986`), so that no rounded-away digit is
  /// ever written as a zero. Beyond 10^15 the exponent form.
  static func percentage(_ value: Double, digits: Int) -> String {
    guard value.isFinite else { return plain(value) }
    let magnitude = abs(value)
    if magnitude >= 1e15 { return significant(value, digits: digits) }
    // Decided on the value as shown (999.95 shows as 1,000, with every digit).
    if Double(significant(magnitude, digits: digits)) ?? magnitude >= 1000 {
      // Rounded as the decimal reads (961,585,790.5% is stored as 9,615,857.904999…).
      let whole = Int64(shown(magnitude).rounded())
      return (value < 0 ? "-" : "") + grouped(whole)
    }
    let text = significant(value, digits: digits)
    return text == "-0" ? "0" : text
  }

  /// Whether a non-negative number's text, as `significant` makes it, is 1000 or more: four
  /// digits or more before any decimal point (an exponent form is never that large here).
  static func reachesThousand(_ text: String) -> Bool {
    if text.utf8.count < 4 { return false }
    var digits = 0
    for byte in text.utf8 {
      if byte == UInt8(ascii: ".") { break }
      guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return false }
      digits += 1
    }
    return digits >= 4
  }

  /// A quantity with its margin of error, when it has one: `59% ± 3 pp`, `2 pp ± 4.2 pp`,
  /// `70.4M users ± 2M users`, `1.04 ± 0.07`.
  static func quantity(_ value: Double, _ unit: Unit, margin: Margin?, digits: Int = 3) -> String {
    guard let margin else { return quantity(value, unit, digits: digits) }
    // A count names its unit once: `650K ± 50K users`, not `650K users ± 50K users`.
    if !unit.factors.isEmpty, !unit.isMoney, unit.factors.allSatisfy({ $0.power > 0 }) {
      return compact(value, digits: digits) + " ± " + compact(margin.halfWidth, digits: 2) + " "
        + unit.name(plural: true)
    }
    return quantity(value, unit, digits: digits) + " ± " + margin.shown(in: unit)
  }

  /// A quantity in its unit: `70.4M users`, `$2.6M`, `57%`, `2 pp`, `$2.84 per user`.
  static func quantity(_ value: Double, _ unit: Unit, digits: Int = 3) -> String {
    if unit.factors.isEmpty {
      switch unit.scale {
      // A number with sources but no unit (a ratio of figures) is a quantity like the figures it
      // comes from: 3 significant digits, the same reading wherever a ratio is shown.
      case .none: return compact(value, digits: digits)
      case .percent: return percentage(value * 100, digits: digits) + "%"
      case .points: return percentage(value * 100, digits: digits) + " pp"
      }
    }
    let money = unit.factors.first { $0.name == "USD" && $0.power == 1 }
    if money != nil {
      let rest = Unit(factors: unit.factors.filter { $0.name != "USD" })
      let number = (value < 0 ? "-$" : "$") + compact(abs(value), digits: digits)
      if rest.factors.isEmpty { return number }
      if rest.factors.allSatisfy({ $0.power < 0 }) { return number + Unit.perWords(rest.factors) }
      return number + "·" + rest.name(plural: false)
    }
    // Only a denominator (a plain number over visits): `0.005 per visit`, not `0.005 1 per visit`.
    if unit.factors.allSatisfy({ $0.power < 0 }) {
      return compact(value, digits: digits) + Unit.perWords(unit.factors)
    }
    let plural = abs(value) != 1
    return compact(value, digits: digits) + " " + unit.name(plural: plural)
  }
}

extension NumberFormat {
  /// The fewest significant digits, from 3 up to 15, at which values that differ are all shown
  /// differently in `unit` (3.504M and 3.496M need 4: `3.504M`, `3.496M`). Equal values (as `==`
  /// finds them) may share a text. Sorted once, then only neighbours are compared.
  static func distinguishingDigits(_ values: [Double], _ unit: Unit) -> Int {
    let sorted = values.filter(\.isFinite).sorted()
    var pairs: [(Double, Double)] = []
    for (a, b) in zip(sorted, sorted.dropFirst()) where !Arithmetic.same(a, b) { pairs.append((a, b)) }
    if pairs.isEmpty { return 3 }
    for digits in 3...15
    where pairs.allSatisfy({ quantity($0.0, unit, digits: digits) != quantity($0.1, unit, digits: digits) }) {
      return digits
    }
    return 15
  }

  /// Values shown side by side in `unit`, each with the digits that tell them apart.
  static func together(_ values: [Double], _ unit: Unit) -> [String] {
    let digits = distinguishingDigits(values, unit)
    return values.map { quantity($0, unit, digits: digits) }
  }

  /// A ratio as a multiple (`101×`, `1.002×`): `1×` only for a ratio of equal values.
  static func multiple(_ ratio: Double) -> String {
    compact(ratio, digits: distinguishingDigits([ratio, 1], .none)) + "×"
  }
}
