#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The arithmetic and comparison rules of pq values: units must agree for `+ - mod` and
/// comparisons (a plain number adopts the other side's unit), `*` and `/` combine units, and
/// results carry the provenance of their sourced operands.
enum Arithmetic {
  /// How a value is named in an operator error: its unit for numbers, else its type.
  static func describe(_ value: Value) -> String {
    switch value {
    case .nil: return "nil"
    case .bool: return "a bool"
    case .number: return "a plain number"
    case .quantity(_, let measure): return measure.unit.description
    case .string: return "a string"
    case .list: return "a list"
    case .record(let record): return record.kind == .platform ? "a platform" : "a record"
    case .function: return "a function"
    }
  }

  static func failure(_ op: BinaryOperator, _ lhs: Value, _ rhs: Value) -> PQError {
    let a = describe(lhs)
    let b = describe(rhs)
    let message: String
    switch op {
    case .add: message = "cannot add \(a) and \(b)"
    case .subtract: message = "cannot subtract \(b) from \(a)"
    case .multiply: message = "cannot multiply \(a) by \(b)"
    case .divide: message = "cannot divide \(a) by \(b)"
    case .remainder: message = "cannot take the remainder of \(a) by \(b)"
    case .power: message = "cannot raise \(a) to the power \(b)"
    default: message = "cannot compare \(a) and \(b)"
    }
    var notes: [String] = []
    let scales: Set<Unit.Scale> = [lhs.unit.scale, rhs.unit.scale]
    if lhs.unit.factors.isEmpty, rhs.unit.factors.isEmpty, scales == [.percent, .points] {
      notes.append(
        "a percentage and a difference in percentage points are different things: percent ± pp is percent (57% + 2pp is 59%); pp minus percent and comparing the two have no meaning"
      )
    } else if case .quantity = lhs, case .quantity = rhs, op == .add || op == .subtract || op.isComparison {
      notes.append("both sides need the same unit; divide to get a rate or a ratio instead")
    }
    return PQError(.runtime, message, notes: notes)
  }

  /// Applies a binary operator to two values. With `tracking` off, the result carries no
  /// provenance (for built-ins that describe the computation themselves).
  static func apply(_ op: BinaryOperator, _ lhs: Value, _ rhs: Value, tracking: Bool = true) throws(PQError)
    -> Value
  {
    switch (lhs, rhs) {
    case (.number(let a), .number(let b)):
      let result = try plain(op, a, b)
      return op.isComparison ? .bool(result != 0) : .number(result)
    case (.number, .quantity), (.quantity, .number), (.quantity, .quantity):
      return try quantity(op, lhs, rhs, tracking: tracking)
    case (.string(let a), .string(let b)):
      switch op {
      case .add: return .string(a + b)
      case .less: return .bool(a < b)
      case .lessEqual: return .bool(a <= b)
      case .greater: return .bool(a > b)
      case .greaterEqual: return .bool(a >= b)
      case .equal: return .bool(a == b)
      case .notEqual: return .bool(a != b)
      default: throw failure(op, lhs, rhs)
      }
    case (.list(let a), .list(let b)) where op == .add:
      return .list(a + b)
    default:
      if op == .equal { return .bool(try equal(lhs, rhs)) }
      if op == .notEqual { return .bool(try !equal(lhs, rhs)) }
      throw failure(op, lhs, rhs)
    }
  }

  static func plain(_ op: BinaryOperator, _ a: Double, _ b: Double) throws(PQError) -> Double {
    switch op {
    case .add: return try finite(decimal(a + b, a, b), op, a, b)
    case .subtract: return try finite(decimal(a - b, a, b), op, a, b)
    case .multiply: return try finite(a * b, op, a, b)
    case .divide:
      if b == 0 { throw PQError(.runtime, "division by zero") }
      return try finite(a / b, op, a, b)
    case .remainder:
      if b == 0 { throw PQError(.runtime, "remainder by zero ('mod 0')") }
      if !remainderIsExact(a) {
        throw PQError(
          .runtime,
          "cannot take \(NumberFormat.plain(a)) mod \(NumberFormat.plain(b)): past 2^53 (9007199254740992) "
            + "whole numbers are not held exactly, so its last digits, and the remainder, would be noise",
          notes: [
            "pq's numbers are 64-bit floating point: keep the number below 2^53, for example by taking the mod at each step"
          ])
      }
      return remainder(a, b)
    case .power:
      let result = power(a, b)
      if result.isNaN {
        throw PQError(.runtime, "\(NumberFormat.plain(a)) ^ \(NumberFormat.plain(b)) is not a real number")
      }
      return try finite(result, op, a, b)
    case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
      return op.compare(a, b) == true ? 1 : 0
    case .margin, .interval:
      // Made by `MarginNode`, never by plain arithmetic.
      throw PQError(.runtime, "a margin of error goes with a quantity: write 59% ± 3pp")
    }
  }

  /// The operation names used when a result is too large.
  static func operationName(_ op: BinaryOperator) -> String {
    switch op {
    case .add: return "addition"
    case .subtract: return "subtraction"
    case .multiply: return "multiplication"
    case .divide: return "division"
    case .power: return "power"
    default: return op.rawValue
    }
  }

  /// `result` when it is a finite number; otherwise the error that pq gives instead of `inf`
  /// or `nan`, naming the operation and its operands.
  @inline(__always)
  static func finite(_ result: Double, _ op: BinaryOperator, _ a: Double, _ b: Double) throws(PQError)
    -> Double
  {
    if result.isFinite { return result }
    throw tooLarge(
      operationName(op) + " " + NumberFormat.plain(a) + " \(op.rawValue) " + NumberFormat.plain(b))
  }

  /// The error for a result beyond the range of a double (about ±1.8e308).
  static func tooLarge(_ what: String) -> PQError {
    PQError(
      .runtime, "the result of \(what) is too large for a number",
      notes: ["pq numbers reach about ±1.8e308; a result beyond that is an error, never inf or nan"])
  }

  /// The sum or difference of `a` and `b` as a decimal calculator gives it: the double nearest
  /// to the result rounded to 15 significant digits at the scale of the larger operand. Binary
  /// fractions make `51.23% - 44.33%` come out as 6.900000000000006 pp and `1.0001 - 1` as
  /// 0.00009999999999998899; for operands of up to 15 significant digits this gives 6.9 and
  /// 0.0001 exactly. Whole numbers are left alone (their sums are exact).
  @inline(__always)
  static func decimal(_ result: Double, _ a: Double, _ b: Double) -> Double {
    // A whole result (every sum of whole numbers) is already the decimal one.
    if isWhole(result) { return result }
    return snapped(result, scale: Swift.max(abs(a), abs(b)))
  }

  /// 10^k for k from 0 to 22, all exact. Written as literals, the table is static data: a
  /// table computed at first use is reached through a `swift_once` check on every read (nbody:
  /// 17.5M instructions of 1.77G). `ArithmeticTablesTests` checks both tables against
  /// `Arithmetic.power`.
  static let powersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
    1e19, 1e20, 1e21, 1e22,
  ]

  /// 10^k for k from -23 to 16, at index k + 23, as `1 / Arithmetic.power(10, -k)` gives them:
  /// decade bounds for `snapped`. Each literal is that double (10^-23 written in hex: the
  /// nearest double to the decimal is another).
  static let decadeBounds: [Double] = [
    0x1.82db34012b252p-77, 1e-22, 1e-21, 1e-20, 1e-19, 1e-18, 1e-17, 1e-16, 1e-15, 1e-14, 1e-13, 1e-12,
    1e-11, 1e-10, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
    1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
  ]

  /// The bits of 1e-8 and of 1e15 less 1e-8's: `snapped`'s range of scales, tested as one
  /// unsigned comparison of bits (`ArithmeticTablesTests` checks them).
  static let lowestScaleBits: UInt64 = 0x3E45_798E_E230_8C3A
  static let scaleBitsSpan: UInt64 = 0x430C_6BF5_2634_0000 - 0x3E45_798E_E230_8C3A

  @inline(never)
  static func snapped(_ result: Double, scale: Double) -> Double {
    // 1e-8 ≤ scale < 1e15 in one comparison: positive doubles order as their bits, and a
    // negative or NaN scale falls outside. A finite, nonzero result likewise: its bits without
    // the sign, less one, are below those of infinity less one.
    guard scale.bitPattern &- lowestScaleBits < scaleBitsSpan,
      (result.bitPattern << 1) &- 1 < UInt64(0xFFE0_0000_0000_0000) - 1
    else { return result }
    // The decimal exponent of the scale from its binary one (78913 / 2^18 ≈ log10 2), then
    // corrected against the decade bounds: no call into libm on this path.
    // The binary exponent read from the bits (`scale` is a normal number here): `exponent`
    // is a call.
    let exponent = Int((scale.bitPattern >> 52) & 0x7FF) - 1023
    var decade = (exponent * 78913) >> 18
    if scale >= decadeBounds[decade + 24] { decade += 1 }
    if scale < decadeBounds[decade + 23] { decade -= 1 }
    // 15 significant digits of the scale: a grid of 10^(decade - 14), applied as a division by
    // an exact power of ten so that the result is the double nearest to the decimal.
    let places = 14 - decade
    guard places >= 0, places <= 22 else { return result }
    let scaled = result * powersOfTen[places]
    guard abs(scaled) < 9.0e15 else { return result }
    let steps = Double(Int64(scaled + (scaled < 0 ? -0.5 : 0.5)))
    return steps / powersOfTen[places]
  }

  /// Whether two numbers are the same figure: equal, or, when either has a fractional part or is
  /// beyond 2^53,
  /// within the binary noise of decimal arithmetic (a relative 4e-15, the 15 significant digits
  /// pq writes). So `0.1 + 0.2 == 0.3` and `59% - 57% == 2pp`, and a value read back from a file
  /// equals the one saved. Whole numbers compare exactly, so integers up to 2^53 stay distinct.
  @inline(__always)
  static func same(_ x: Double, _ y: Double) -> Bool {
    if x == y { return true }
    // Cheapest test first: almost every pair of different numbers is far apart.
    guard abs(x - y) <= 4e-15 * Swift.max(abs(x), abs(y)) else { return false }
    // Whole numbers up to 2^53 are exact and compare exactly; beyond it a double holds only
    // about 16 significant digits, like any fraction.
    return !isWhole(x) || !isWhole(y) || abs(x) > NumberFormat.exactIntegerLimit
  }

  /// Whether a number is finite and whole. Written without `rounded()`, which on the baseline
  /// x86-64 target is a call into libm: this test sits on the hot path of every `+` and `-`.
  @inline(__always)
  static func isWhole(_ x: Double) -> Bool {
    // Below 2^52, adding 2^52 rounds the magnitude to a whole number (the doubles from 2^52 to
    // 2^53 are exactly the whole numbers), so taking 2^52 away again gives it back only when it
    // was whole: two additions, where a conversion to Int64 and back also checked its range.
    // From 2^52 on, every finite double is whole.
    let magnitude = abs(x)
    return magnitude < 0x1p52 ? (magnitude + 0x1p52) - 0x1p52 == magnitude : x.isFinite
  }

  /// Whether `a mod b` can be answered: `a` within ±2^53, where every whole number is held
  /// exactly. Past it a number's last digits are lost (`2147483647 * 1103515245` is
  /// 2369780942852698515, held as 2369780942852698624), and its remainder would look exact and
  /// be wrong; pq refuses it. NaN is not exact either.
  @inline(__always)
  static func remainderIsExact(_ a: Double) -> Bool {
    abs(a) < 0x1p53
  }

  /// `a mod b` with the sign of `b` (as in Python and Lua); whole numbers use integer division.
  @inline(__always)
  static func remainder(_ a: Double, _ b: Double) -> Double {
    // Within ±9e15 the conversions cannot trap, and converting back tells whether they were exact.
    if abs(a) < 9.0e15, abs(b) < 9.0e15, case let x = Int64(a), case let y = Int64(b), Double(x) == a,
      Double(y) == b, y != 0
    {
      let r = x % y
      return Double(r != 0 && (r < 0) != (y < 0) ? r + y : r)
    }
    let r = a.truncatingRemainder(dividingBy: b)
    return r != 0 && (r < 0) != (b < 0) ? r + b : r
  }

  static func power(_ a: Double, _ b: Double) -> Double {
    if b == b.rounded(), abs(b) <= 64 {
      var result = 1.0
      var base = a
      var exponent = Int(abs(b))
      while exponent > 0 {
        if exponent & 1 == 1 { result *= base }
        base *= base
        exponent >>= 1
      }
      return b < 0 ? 1 / result : result
    }
    return pow(a, b)
  }

  /// The unit of `a op b` for `+`, `-`, `mod` and comparisons, or nil when they do not agree.
  ///
  /// The rules for percentages (docs/language.md, "Percentages and points"):
  /// - percent − percent is points; percent + percent is percent;
  /// - percent ± points and points + percent are percent (`57% + 2pp` is `59%`); points − percent
  ///   is an error, and so is comparing a percentage with points, either way round;
  /// - a plain number never meets a percentage or points: its scale is ambiguous (see `scaleAmbiguity`).
  static func additiveUnit(_ op: BinaryOperator, _ a: Unit, _ b: Unit) -> Unit? {
    if a == b {
      return op == .subtract && a.scale == .percent && a.factors.isEmpty ? .points : a
    }
    if a.isNone { return b.scale == .none ? b : nil }
    if b.isNone { return a.scale == .none ? a : nil }
    if a.factors.isEmpty, b.factors.isEmpty {
      if a.scale == .percent, b.scale == .points, op == .add || op == .subtract { return .percent }
      if a.scale == .points, b.scale == .percent, op == .add { return .percent }
    }
    return nil
  }

  /// The error for a plain number meeting a percentage or points in `+`, `-`, `mod` or a
  /// comparison, whose note offers the readings it could have meant; nil when that is not the case.
  static func scaleAmbiguity(_ op: BinaryOperator, _ lhs: Value, _ rhs: Value) -> PQError? {
    guard op != .multiply, op != .divide, op != .power else { return nil }
    let plainOnLeft = lhs.unit.isNone && rhs.unit.factors.isEmpty && rhs.unit.scale != .none
    let plainOnRight = rhs.unit.isNone && lhs.unit.factors.isEmpty && lhs.unit.scale != .none
    guard plainOnLeft || plainOnRight else { return nil }
    let number = (plainOnLeft ? lhs : rhs).numericValue ?? 0
    let other = plainOnLeft ? rhs.unit : lhs.unit
    let written = NumberFormat.plain(number)
    let what = other.scale == .percent ? "a percentage" : "percentage points"
    var notes: [String]
    let comparison = op.isComparison || op == .equal || op == .notEqual
    if comparison {
      notes = ["did you mean \(written)\(other.scale == .percent ? "%" : "pp")?"]
    } else {
      notes = [
        "did you mean \(written)% or \(written)pp? a plain number next to \(what) could be either scale, so pq does not guess"
      ]
    }
    if abs(number) < 1, number != 0, other.scale == .percent {
      notes.append(
        "pq writes percentages as percent: \(NumberFormat.plain(number * 100))% is \(written) as a fraction")
    }
    let verb: String
    switch op {
    case .add: verb = "add a plain number and \(what)"
    case .subtract: verb = "subtract a plain number and \(what)"
    case .remainder: verb = "take the remainder of a plain number and \(what)"
    default: verb = "compare a plain number with \(what)"
    }
    if comparison { return PQError(.runtime, "cannot \(verb)", notes: notes) }
    return PQError(
      .runtime, "cannot \(verb): is \(written) meant as \(written)% or \(written)pp?", notes: notes)
  }

  static func quantity(_ op: BinaryOperator, _ lhs: Value, _ rhs: Value, tracking: Bool = true)
    throws(PQError) -> Value
  {
    let a = lhs.numericValue ?? 0
    let b = rhs.numericValue ?? 0
    let unitA = lhs.unit
    let unitB = rhs.unit
    let unit: Unit
    switch op {
    case .multiply:
      unit = unitA * unitB
    case .divide:
      unit = unitA / unitB
    case .power:
      guard unitB.isDimensionless else { throw failure(op, lhs, rhs) }
      if unitA.isDimensionless {
        unit = .none
      } else {
        guard b == b.rounded(), abs(b) <= 8 else {
          throw PQError(.runtime, "cannot raise \(unitA) to a fractional or large power")
        }
        unit = unitA.raised(to: Int(b))
      }
    default:
      guard let agreed = additiveUnit(op, unitA, unitB) else {
        throw scaleAmbiguity(op, lhs, rhs) ?? failure(op, lhs, rhs)
      }
      unit = agreed
    }
    if op.isComparison {
      // Compared as shown (57% as 57), the scale at which pq writes them.
      let factor = Swift.max(unitA.shownFactor, unitB.shownFactor)
      return .bool(try plain(op, a * factor, b * factor) != 0)
    }
    let result = try plain(op, a, b)
    // Margins of error carried to first order (Margin.propagate); nil for exact numbers.
    let margin = try Margin.propagate(op, a, b, Margin.of(lhs), Margin.of(rhs))
    guard tracking else { return Value.make(result, unit, nil, margin: margin) }
    var provenance = combine(op, lhs, rhs, unit: unit)
    // 59% + 57%: shares of different platforms' users add up to no share of anything.
    if op == .add, unit.scale == .percent, let combined = provenance,
      let wholes = CaveatRules.wholes(combined.figureList, mean: false)
    {
      provenance = combined.adding([wholes])
    }
    // x.mau + 5M: the typed number has no source, so the sum is not "sourced" throughout.
    let typed: Value? = lhs.sourcedMeasure == nil ? lhs : rhs.sourcedMeasure == nil ? rhs : nil
    if op == .add || op == .subtract, let combined = provenance, let typed,
      typed.numericValue.map({ $0 != 0 }) == true
    {
      provenance = combined.adding([CaveatRules.typedNumber(typed.inline, added: op == .add)])
    }
    // x.mau - d.users, where the file gave `users` no unit: read in users, and said so.
    if op == .add || op == .subtract, let combined = provenance, let note = CaveatRules.unitRead(lhs, rhs) {
      provenance = combined.adding([note])
    }
    return Value.make(result, unit, provenance, margin: margin)
  }

  /// The provenance of `lhs op rhs`, made for a result in `unit`; nil when neither side has any.
  static func combine(_ op: BinaryOperator, _ lhs: Value, _ rhs: Value, unit: Unit = .none) -> Provenance? {
    let left = lhs.sourcedMeasure
    let right = rhs.sourcedMeasure
    if left == nil, right == nil { return nil }
    let precedence = op.precedence
    let rightAssociative = op == .power
    let leftText = operandText(lhs, left, needs: rightAssociative ? precedence + 1 : precedence)
    let rightText = operandText(rhs, right, needs: rightAssociative ? precedence : precedence + 1)
    return Provenance.combine(
      text: .written(Provenance.bounded("\(leftText) \(op.rawValue) \(rightText)")), precedence: precedence,
      left, right, unit: unit)
  }

  static func operandText(_ value: Value, _ measure: Measure?, needs precedence: Int) -> String {
    guard let measure else { return value.inline }
    // A figure's text is its label, which binds tightest.
    if let figure = measure.asFigure { return figure.label }
    guard let provenance = measure.storedProvenance else { return value.inline }
    return provenance.precedence < precedence ? "(\(provenance.expression))" : provenance.expression
  }

  /// Deep equality. Numbers with different units are an error; values of different types are
  /// simply unequal (so `x.mau == nil` is false, not an error).
  static func equal(_ lhs: Value, _ rhs: Value) throws(PQError) -> Bool {
    switch (lhs, rhs) {
    case (.list, .list), (.record, .record): return try equalNested(lhs, rhs)
    default: return try equalItems(lhs, rhs)
    }
  }

  /// Lists and records compared item by item on a worklist, first items first, never by
  /// recursion: two lists nested 900,000 deep compare in constant stack.
  ///
  /// Parts that share their storage are equal without being walked (`a == a`, and a value
  /// built of itself, `a = [a, a]`); `check`, when given, is called every 65,536 pairs with that
  /// count, so that a long comparison counts its work and stops at the limits. `leaf` compares
  /// the values that are not both lists or both records (pq's `==` by default; Swift's `==`
  /// also compares their sources).
  static func equalNested(
    _ lhs: Value, _ rhs: Value, check: ((Int) throws(PQError) -> Void)? = nil,
    leaf: (Value, Value) throws(PQError) -> Bool = Arithmetic.equalItems
  ) throws(PQError) -> Bool {
    var pending: [(Value, Value)] = [(lhs, rhs)]
    var compared = 0
    while let (a, b) = pending.popLast() {
      compared &+= 1
      if compared & 0xFFFF == 0, let check { try check(0x10000) }
      if let left = a.storageAddress, left == b.storageAddress { continue }
      switch (a, b) {
      case (.list(let x), .list(let y)):
        guard x.count == y.count else { return false }
        for index in x.indices.reversed() { pending.append((x[index], y[index])) }
      case (.record(let x), .record(let y)):
        guard x.keys == y.keys else { return false }
        for index in x.values.indices.reversed() { pending.append((x.values[index], y.values[index])) }
      default:
        guard try leaf(a, b) else { return false }
      }
    }
    return true
  }

  /// Equality of two values that are not both lists or both records.
  static func equalItems(_ lhs: Value, _ rhs: Value) throws(PQError) -> Bool {
    switch (lhs, rhs) {
    case (.nil, .nil): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.number(let a), .number(let b)): return same(a, b)
    case (.number, .quantity), (.quantity, .number), (.quantity, .quantity):
      guard additiveUnit(.equal, lhs.unit, rhs.unit) != nil else {
        throw scaleAmbiguity(.equal, lhs, rhs) ?? failure(.equal, lhs, rhs)
      }
      let factor = Swift.max(lhs.unit.shownFactor, rhs.unit.shownFactor)
      return same((lhs.numericValue ?? 0) * factor, (rhs.numericValue ?? 0) * factor)
    case (.string(let a), .string(let b)): return a == b
    case (.list, .list), (.record, .record): return try equalNested(lhs, rhs)
    case (.function(let a), .function(let b)): return a === b
    default: return false
    }
  }

  /// Orders two values for `sort`: numbers (equal units), strings; nil sorts last.
  static func less(_ lhs: Value, _ rhs: Value) throws(PQError) -> Bool {
    switch (lhs, rhs) {
    case (.nil, _): return false
    case (_, .nil): return true
    case (.bool(let a), .bool(let b)): return !a && b
    default:
      guard case .bool(let result) = try apply(.less, lhs, rhs) else { return false }
      return result
    }
  }
}
