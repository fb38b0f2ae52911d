#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Builtins {
  /// Applies a function to a number, keeping its unit and provenance.
  static func mapNumber(
    _ arguments: Arguments, _ name: String, extra: String = "", _ transform: (Double) -> Double
  )
    throws(PQError) -> Value
  {
    switch arguments[0] {
    case .number(let n): return .number(transform(n))
    case .quantity(let n, let measure):
      // The expression says every argument (`round(r, 1)`), so an explanation reads as called.
      let provenance = measure.provenance.map {
        Provenance.combine("\(name)(\($0.expression)\(extra))", precedence: 10, [$0])
      }
      // abs, round, floor and ceil move the number, not its uncertainty: the margin stays.
      return Value.make(transform(n), measure.unit, provenance ?? nil, margin: measure.margin)
    default: throw arguments.typeError(0, "a number")
    }
  }

  /// Applies a rounding function to a number as shown in its unit (`59.4%` rounds as 59.4, not
  /// as 0.594), to `digits` decimals, keeping the unit and provenance.
  static func roundShown(_ arguments: Arguments, _ name: String, _ rule: FloatingPointRoundingRule)
    throws(PQError) -> Value
  {
    let digits = arguments.optional(1) == nil ? 0 : try arguments.integer(1)
    guard (-15...15).contains(digits) else { throw arguments.error(1, "digits must be between -15 and 15") }
    let factor = arguments[0].unit.shownFactor
    let scale = Arithmetic.power(10, Double(digits))
    return try mapNumber(arguments, name, extra: arguments.optional(1) == nil ? "" : ", \(digits)") { n in
      let shown = n * factor * scale
      // The shown number is rounded as its decimal text reads, not as its binary value: 0.5% is
      // 0.5 even though 0.005 × 100 is 0.49999999999999994.
      let cleaned = Double(NumberFormat.significant(shown, digits: 15)) ?? shown
      return cleaned.rounded(rule) / scale / factor
    }
  }

  /// `roundShown` of a plain number with no digits, as `NativeFunction.numeric` gives it, or
  /// NaN where the call must answer. `roundShown` rounds the number as its 15 significant digits
  /// read, which moves it by at most |n|·5e-15 and never across zero; wherever that cannot take it
  /// across the boundary `rule` decides at (a whole number for floor and ceil, a half for round),
  /// the number rounds as it is. Closer than |n|·1e-13 to one, at zero and from 1e15 on: NaN.
  static func roundedPlain(_ n: Double, _ rule: FloatingPointRoundingRule) -> Double {
    guard abs(n) < 1e15, n != 0 else { return .nan }  // NaN fails the first test
    let whole = Double(Int64(n))
    // Exact: `whole` is `n` without its fraction, in the same binade or below.
    let fraction = abs(n - whole)
    if fraction == 0 { return n }
    let margin = Swift.max(abs(n), 1) * 1e-13
    switch rule {
    case .toNearestOrAwayFromZero:
      guard abs(fraction - 0.5) > margin else { return .nan }
    default:
      guard fraction > margin, fraction < 1 - margin else { return .nan }
    }
    return n.rounded(rule)
  }

  static let numbers: [NativeFunction] = [
    NativeFunction(
      "abs(n)", doc: "The absolute value, keeping the unit.", example: "abs(-3)", numeric: { abs($0) }
    ) {
      arguments throws(PQError) in
      try mapNumber(arguments, "abs") { Swift.abs($0) }
    },
    NativeFunction(
      "round(n, digits?)",
      doc: "Rounds to a number of decimal places (0 by default) in the unit as shown: round(59.4%) is 59%.",
      example: "round(33.3%, 1)", numeric: { roundedPlain($0, .toNearestOrAwayFromZero) }
    ) { arguments throws(PQError) in
      try roundShown(arguments, "round", .toNearestOrAwayFromZero)
    },
    NativeFunction(
      "floor(n, digits?)", doc: "Rounds down, to a number of decimal places in the unit as shown.",
      example: "floor(2.7)", numeric: { roundedPlain($0, .down) }
    ) {
      arguments throws(PQError) in try roundShown(arguments, "floor", .down)
    },
    NativeFunction(
      "ceil(n, digits?)", doc: "Rounds up, to a number of decimal places in the unit as shown.",
      example: "ceil(2.1)", numeric: { roundedPlain($0, .up) }
    ) {
      arguments throws(PQError) in try roundShown(arguments, "ceil", .up)
    },
    NativeFunction(
      "sqrt(n)", doc: "The square root of a plain number.", example: "sqrt(2)",
      numeric: { $0 >= 0 ? $0.squareRoot() : .nan }
    ) {
      arguments throws(PQError) in
      let n = try arguments.plainNumber(0)
      guard n >= 0 else { throw arguments.error(0, "cannot take the square root of a negative number") }
      return .number(n.squareRoot())
    },
    NativeFunction("log10(n)", doc: "The base-10 logarithm of a positive number.", example: "log10(1M)") {
      arguments throws(PQError) in
      let n = try arguments.number(0)
      guard n > 0 else { throw arguments.error(0, "log10 needs a positive number") }
      // To first order, d log10(n) = dn / (n ln 10).
      if let margin = Margin.of(arguments[0]) {
        return Value.make(
          log10(n), .none, nil,
          margin: Margin(
            halfWidth: margin.halfWidth / (n * 2.302585092994046), confidence: margin.confidence,
            isCombined: margin.isCombined))
      }
      return .number(log10(n))
    },
    NativeFunction(
      "min(...values)", variadicFrom: 1, doc: "The smallest of the arguments, or of one list.",
      example: "min(3, 1, 2)"
    ) { arguments throws(PQError) in try extreme(arguments, smallest: true) },
    NativeFunction(
      "max(...values)", variadicFrom: 1, doc: "The largest of the arguments, or of one list.",
      example: "max(platforms |> map(fn(p) { p.name }))"
    ) { arguments throws(PQError) in try extreme(arguments, smallest: false) },
    NativeFunction(
      "sum(list)", doc: "The total of a list of numbers (units must agree; sources are kept).",
      example: "sum([x.mau, truth.mau])"
    ) { arguments throws(PQError) in try total(try arguments.list(0), arguments, mean: false) },
    NativeFunction(
      "mean(list)", doc: "The arithmetic mean of a list of numbers.", example: "mean([1, 2, 3, 4])"
    ) {
      arguments throws(PQError) in
      let items = try arguments.list(0)
      guard !items.isEmpty else { throw arguments.error(0, "the mean of an empty list is undefined") }
      return try Arithmetic.apply(
        .divide, try total(items, arguments, mean: true), .number(Double(items.count)))
    },
    NativeFunction(
      "unit(value)", doc: "The unit of a number as text: users, USD, percent, pp, USD per user, or \"\".",
      example: "unit(x.revenue / x.mau)"
    ) { arguments throws(PQError) in
      guard arguments[0].numericValue != nil else { throw arguments.typeError(0, "a number") }
      let unit = arguments[0].unit
      return .string(unit.isNone ? "" : unit.description)
    },
    NativeFunction(
      "value(n)",
      doc: "The bare number as shown, without unit, sources or margin of error (57% gives 57, 2 pp gives 2).",
      example: "value(x.mau)"
    ) { arguments throws(PQError) in
      let n = try arguments.number(0)
      return .number(NumberFormat.shown(n * arguments[0].unit.shownFactor))
    },
    NativeFunction(
      "as_unit(n, unit)",
      doc:
        "Gives a number a unit, as shown: users, visits, accounts, USD, % (57 is 57%), pp, or \"A per B\".",
      example: "as_unit(2, \"pp\")"
    ) { arguments throws(PQError) in
      _ = try arguments.number(0)
      let shown = arguments[0].numericValue.map { $0 * arguments[0].unit.shownFactor } ?? 0
      let name = try arguments.string(1)
      guard let unit = Unit.parse(name) else {
        throw arguments.error(1, "'\(name)' is not a unit", notes: [Unit.namingNote])
      }
      // The margin is read in the new unit as the number is (as shown: 3 of a plain 59 is 3 pp
      // of 59%).
      let margin = Margin.of(arguments[0]).map {
        Margin(
          halfWidth: $0.halfWidth * arguments[0].unit.shownFactor / unit.shownFactor,
          confidence: $0.confidence,
          isCombined: $0.isCombined)
      }
      return Value.make(shown / unit.shownFactor, unit, arguments[0].provenance, margin: margin)
    },
  ]

  static func extreme(_ arguments: Arguments, smallest: Bool) throws(PQError) -> Value {
    var items = arguments.values
    if items.count == 1, case .list(let list) = items[0] { items = list }
    guard var best = items.first else { throw arguments.failure("needs at least one value") }
    for item in items.dropFirst() {
      let better = smallest ? try Arithmetic.less(item, best) : try Arithmetic.less(best, item)
      if better { best = item }
    }
    return best
  }

  /// The total of `items`, whose provenance says when they are shares of different wholes
  /// (for a `mean`, that the mean is unweighted).
  static func total(_ items: [Value], _ arguments: Arguments, mean: Bool) throws(PQError) -> Value {
    guard var result = items.first else { return .number(0) }
    var allPlain = true
    for item in items {
      guard item.numericValue != nil else {
        throw arguments.error(0, "can only sum numbers, and the list holds \(Arithmetic.describe(item))")
      }
      if case .quantity = item { allPlain = false }
    }
    if allPlain {
      var sum = 0.0
      for item in items { if case .number(let n) = item { sum += n } }
      return .number(sum)
    }
    // The number and unit by adding as `+` does, without provenance; then the provenance of all
    // the items at once (one pass, not one combination per item).
    for item in items.dropFirst() { result = try Arithmetic.apply(.add, result, item, tracking: false) }
    // Each item's measure, a figure's taken as it is (its provenance is not made for this).
    let measures = items.map(\.sourcedMeasure)
    guard measures.contains(where: { $0 != nil }) else { return result }
    let figures = items.reduce(0) { $0 + $1.inputFigureCount }
    let first = items.lazy.flatMap(\.inputFigures).prefix(3).map(\.label)
    let expression: String
    if figures <= Provenance.listedFigures, items.allSatisfy({ $0.inputFigures.count == 1 }) {
      expression = "sum(" + items.compactMap { $0.inputFigures.first?.label }.joined(separator: ", ") + ")"
    } else {
      expression = "sum(" + first.joined(separator: ", ") + ", … \(items.count) values in all)"
    }
    guard var provenance = Provenance.combine(expression, precedence: 10, measures: measures) else {
      return result
    }
    if result.unit.scale == .percent, let wholes = CaveatRules.wholes(provenance.figureList, mean: mean) {
      provenance = provenance.adding([wholes])
    }
    // The sum's margin, in quadrature as `+` makes it (a mean divides it as it divides the sum).
    return Value.make(result.numericValue ?? 0, result.unit, provenance, margin: Margin.of(result))
  }
}
