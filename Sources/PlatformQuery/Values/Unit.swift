/// A unit: a product of base units with integer powers (users, USD per user, …), plus whether the
/// number is a percentage or percentage points. Percentages are dimensionless: `57%` is 0.57.
public struct Unit: Hashable, Sendable, CustomStringConvertible {
  /// How a dimensionless number is scaled for display.
  public enum Scale: Hashable, Sendable {
    /// An ordinary number.
    case none
    /// A percentage: 0.57 shows as `57%`.
    case percent
    /// Percentage points, the difference of two percentages: 0.02 shows as `2 pp`.
    case points
  }

  /// Base units (singular names: `user`, `visit`, `account`, `USD`) and their powers, sorted.
  public var factors: [Factor]
  /// Percent, percentage points, or neither.
  public var scale: Scale

  /// One base unit raised to a power.
  public struct Factor: Hashable, Sendable {
    /// The base unit's singular name.
    public var name: String
    /// The power, never zero.
    public var power: Int
  }

  /// Units are equal when their scales and factors are. Without factors (a ratio, a percentage)
  /// no array is compared: the generic comparison of two empty arrays cost 60 instructions, on
  /// every computed value (`Value.make`).
  public static func == (lhs: Unit, rhs: Unit) -> Bool {
    guard lhs.scale == rhs.scale else { return false }
    if lhs.factors.isEmpty || rhs.factors.isEmpty { return lhs.factors.isEmpty && rhs.factors.isEmpty }
    return lhs.factors == rhs.factors
  }

  /// Creates a unit from factors and a scale.
  public init(factors: [Factor] = [], scale: Scale = .none) {
    self.factors = factors.filter { $0.power != 0 }.sorted { $0.name < $1.name }
    self.scale = scale
  }

  /// A single base unit, e.g. `Unit.base("user")`.
  public static func base(_ name: String) -> Unit { Unit(factors: [Factor(name: name, power: 1)]) }

  /// No unit: a plain number.
  public static let none = Unit()
  /// US dollars.
  public static let usd = Unit.base("USD")
  /// Users (people, e.g. monthly active users).
  public static let users = Unit.base("user")
  /// Visits to a website.
  public static let visits = Unit.base("visit")
  /// Accounts.
  public static let accounts = Unit.base("account")
  /// A percentage.
  public static let percent = Unit(scale: .percent)
  /// Percentage points.
  public static let points = Unit(scale: .points)

  /// The factor between a number as stored and as shown: 100 for percent and points (0.57 is
  /// shown as `57%`), 1 otherwise. `round`, `value`, `as_unit`, JSON and CSV all work in the
  /// number as shown.
  public var shownFactor: Double { factors.isEmpty && scale != .none ? 100 : 1 }

  /// True for a plain number.
  public var isNone: Bool { factors.isEmpty && scale == .none }
  /// True when the unit has no base units (plain, percent or points).
  public var isDimensionless: Bool { factors.isEmpty }
  var isMoney: Bool { factors.count == 1 && factors[0] == Factor(name: "USD", power: 1) }

  /// The unit's name as messages show it: `users`, `USD`, `percent`, `pp`, `USD per user`.
  public var description: String {
    if factors.isEmpty {
      switch scale {
      case .none: return "a plain number"
      case .percent: return "percent"
      case .points: return "pp"
      }
    }
    return name(plural: true)
  }

  /// The unit's words after a number: `users`, `USD per user`, `visits per user`.
  func name(plural: Bool) -> String {
    // The common case, one counted thing (`users`, `visits`), without building word lists.
    if factors.count == 1, factors[0].power == 1 {
      return plural ? Unit.plural(factors[0].name) : factors[0].name
    }
    let numerator = factors.filter { $0.power > 0 }
    let denominator = factors.filter { $0.power < 0 }
    var words: [String] = []
    for (index, factor) in numerator.enumerated() {
      let word = index == 0 && plural ? Unit.plural(factor.name) : factor.name
      words.append(factor.power == 1 ? word : "\(word)^\(factor.power)")
    }
    return (words.isEmpty ? "1" : words.joined(separator: "·")) + Unit.perWords(denominator)
  }

  /// ` per user`, ` per user^2 per visit`: the words after a numerator for factors that divide.
  static func perWords(_ factors: [Factor]) -> String {
    factors.map { " per " + ($0.power == -1 ? $0.name : "\($0.name)^\(-$0.power)") }.joined()
  }

  static func plural(_ name: String) -> String {
    name == "USD" || name.hasSuffix("s") ? name : name + "s"
  }

  /// The product of two units: powers add; a percentage times a count is a count.
  static func * (lhs: Unit, rhs: Unit) -> Unit {
    if rhs.factors.isEmpty, rhs.scale == .none { return lhs }
    if lhs.factors.isEmpty, lhs.scale == .none { return rhs }
    let factors = merge(lhs.factors, rhs.factors)
    let scale: Scale = !factors.isEmpty ? .none : (lhs.scale != .none ? lhs.scale : rhs.scale)
    var result = Unit()
    result.factors = factors
    result.scale = scale
    return result
  }

  /// Merges two sorted factor lists, adding powers of the same base and dropping zeros.
  static func merge(_ a: [Factor], _ b: [Factor]) -> [Factor] {
    var result: [Factor] = []
    result.reserveCapacity(a.count + b.count)
    var i = 0
    var j = 0
    while i < a.count || j < b.count {
      if j == b.count || (i < a.count && a[i].name < b[j].name) {
        result.append(a[i])
        i += 1
      } else if i == a.count || b[j].name < a[i].name {
        result.append(b[j])
        j += 1
      } else {
        let power = a[i].power + b[j].power
        if power != 0 { result.append(Factor(name: a[i].name, power: power)) }
        i += 1
        j += 1
      }
    }
    return result
  }

  /// The quotient of two units: equal units give a plain number, others a rate.
  static func / (lhs: Unit, rhs: Unit) -> Unit {
    if lhs == rhs { return .none }
    let inverse = Unit(factors: rhs.factors.map { Factor(name: $0.name, power: -$0.power) })
    var result = lhs * inverse
    if result.factors.isEmpty {
      // A share divided by a number is still a share (57% / 2 is 28.5%); divided by a share or
      // by points it is a plain ratio of two fractions (2pp / 57% is 0.0351, not "3.51 pp", and
      // 57% / 2pp is 28.5, not "2,850%").
      result.scale = rhs.scale == .none ? lhs.scale : .none
    }
    return result
  }

  /// The unit raised to an integer power.
  func raised(to power: Int) -> Unit {
    Unit(factors: factors.map { Factor(name: $0.name, power: $0.power * power) })
  }

  /// Parses a unit name as `load` and `unit()` accept it: `users`, `USD`, `%`, `pp`, `USD per user`.
  ///
  /// Strict: each part between `per`s is one word — letters, digits, `_`, `-` or `$`, not starting
  /// with a digit — so that a phrase (`"light years"`, `"monthly active users"`: a definition put
  /// where the unit goes) is refused (nil) rather than made into a unit of its own.
  public static func parse(_ text: String) -> Unit? {
    let parts = words(text)
    guard let first = parts.first, !first.isEmpty else { return nil }
    switch first {
    case "%", "percent": return parts.count == 1 ? .percent : nil
    case "pp", "points", "percentage points": return parts.count == 1 ? .points : nil
    default: break
    }
    guard parts.allSatisfy(isUnitWord) else { return nil }
    var unit = Unit.base(singular(first))
    for part in parts.dropFirst() { unit = unit / Unit.base(singular(part)) }
    return unit
  }

  /// What every message refusing a unit name says next.
  public static let namingNote =
    "a unit is one word or 'A per B': users, visits, accounts, USD, %, pp, USD per user"

  /// One word of a unit name: letters (any script), digits, `_`, `-`, currency signs (`$`,
  /// `€`, `£`); not starting with a digit or `-`.
  static func isUnitWord(_ word: String) -> Bool {
    guard let first = word.unicodeScalars.first, !("0"..."9").contains(first), first != "-" else {
      return false
    }
    return word.unicodeScalars.allSatisfy {
      $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
        || $0.properties.generalCategory == .currencySymbol
    }
  }

  /// The parts of a unit name between ` per `, lowercased and trimmed. ASCII names (all of the
  /// article's and nearly every file's) are read byte by byte: `lowercased()` and a split on a
  /// string cost a thousand times more, and the names are read at every start.
  static func words(_ text: String) -> [String] {
    guard text.utf8.allSatisfy({ $0 < 0x80 }) else {
      return text.lowercased().split(separator: " per ").map { $0.trimmingSpaces }
    }
    let bytes = text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    let separator: [UInt8] = Array(" per ".utf8)
    var parts: [String] = []
    var start = 0
    var index = 0
    while index + separator.count <= bytes.count {
      if bytes[index] == 0x20, bytes[index..<(index + separator.count)].elementsEqual(separator) {
        if index > start {
          parts.append(String(decoding: bytes[start..<index], as: UTF8.self).trimmingSpaces)
        }
        index += separator.count
        start = index
      } else {
        index += 1
      }
    }
    if start < bytes.count { parts.append(String(decoding: bytes[start...], as: UTF8.self).trimmingSpaces) }
    return parts
  }

  static func singular(_ word: String) -> String {
    if word == "usd" || word == "$" || word == "dollars" || word == "dollar" { return "USD" }
    return word.hasSuffix("s") ? String(word.dropLast()) : word
  }
}

extension StringProtocol {
  package var trimmingSpaces: String {
    // Most text (every cell of a clean file) has nothing to trim.
    // Checked over the bytes in place: `utf8.last` walks back through the view's indices.
    if let text = self as? String {
      let clean = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
        guard let first = bytes.first, let last = bytes.last else { return false }
        return first != 0x20 && first != 0x09 && first != 0x0D && first != 0x0A && last != 0x20
          && last != 0x09 && last != 0x0D && last != 0x0A
      }
      if clean == true { return text }
    }
    var slice = Substring(self)
    // "\r\n" is one character, which equals neither "\r" nor "\n": it is trimmed too.
    func isSpace(_ character: Character) -> Bool {
      character == " " || character == "\t" || character == "\r" || character == "\n" || character == "\r\n"
    }
    while let first = slice.first, isSpace(first) { slice = slice.dropFirst() }
    while let last = slice.last, isSpace(last) { slice = slice.dropLast() }
    return String(slice)
  }
}
