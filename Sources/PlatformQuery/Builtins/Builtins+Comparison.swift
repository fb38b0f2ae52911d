extension Builtins {
  /// The result of a named derivation (`ratio(a, b)`) carrying its inputs' provenance.
  static func derived(_ name: String, _ a: Value, _ b: Value, _ result: Value) -> Value {
    guard let number = result.numericValue else { return result }
    return derived(name, a, b, number: number, unit: result.unit, margin: Margin.of(result))
  }

  /// `derived` for a result given as its number, unit and margin of error (nil: exact; a
  /// result of inputs with margins that carries none says so in its caveats).
  static func derived(
    _ name: String, _ a: Value, _ b: Value, number: Double, unit: Unit, margin: Margin? = nil
  )
    -> Value
  {
    // Two figures (`ratio(x.mau, truth.mau)`, each row of `compare`): their provenance made at
    // once, as the general path below makes it (bench/README.md, "2026-12-02 (late morning)").
    // A difference, share or change reads a figure without a unit in the other's unit, and says
    // so (a ratio or a rate divides the units instead).
    let unitRead = name == "ratio" || name == "per" ? nil : CaveatRules.unitRead(a, b)
    if let figureA = a.asFigure, let figureB = b.asFigure {
      var provenance = Provenance.ofTwo(
        figureA, figureB, text: .call(name, .figure(figureA), .figure(figureB)), precedence: 10, unit: unit)
      if let unitRead { provenance = provenance.adding([unitRead]) }
      if margin == nil { return .quantity(number, provenance) }
      return Value.make(number, unit, provenance, margin: margin)
    }
    let left = a.sourcedMeasure
    let right = b.sourcedMeasure
    if left == nil, right == nil { return Value.make(number, unit, nil, margin: margin) }
    let text = Provenance.Text.call(name, Provenance.Part(a, left), Provenance.Part(b, right))
    var provenance = Provenance.combine(text: text, precedence: 10, left, right, unit: unit)
    // Weighing a sourced figure against a bare number: the number's side has no source, and
    // the result must not claim otherwise.
    if let combined = provenance, left == nil || right == nil {
      let unsourced = left == nil ? a : b
      provenance = combined.adding([Provenance.noSource(unsourced)])
    }
    if let combined = provenance, let unitRead { provenance = combined.adding([unitRead]) }
    return Value.make(number, unit, provenance, margin: margin)
  }

  /// `ratio(a, b)`: a / b in the unit their division gives, with both inputs' provenance.
  static func ratio(_ a: Value, _ b: Value) throws(PQError) -> Value {
    let x = a.numericValue ?? 0
    let y = b.numericValue ?? 0
    let quotient = try Arithmetic.plain(.divide, x, y)
    let margin = try Margin.propagate(.divide, x, y, Margin.of(a), Margin.of(b))
    return derived("ratio", a, b, number: quotient, unit: a.unit / b.unit, margin: margin)
  }

  /// Two numbers for a comparison built-in, with errors that name the missing figure.
  static func numbers(_ arguments: Arguments) throws(PQError) -> (Value, Value) {
    for index in 0..<2 where arguments[index].numericValue == nil {
      throw arguments.typeError(index, "a number")
    }
    return (arguments[0], arguments[1])
  }

  /// Checks that two values share a unit, for share and pct_change.
  static func sameUnit(_ arguments: Arguments, _ a: Value, _ b: Value) throws(PQError) {
    guard Arithmetic.additiveUnit(.subtract, a.unit, b.unit) != nil else {
      throw arguments.failure(
        "the two figures must have the same unit, not \(a.unit) and \(b.unit)",
        notes: ["use ratio(a, b) to divide figures of different units"])
    }
  }

  static func percentChange(_ from: Value, _ to: Value) throws(PQError) -> Value {
    let a = from.numericValue ?? 0
    let b = to.numericValue ?? 0
    guard a != 0 else {
      throw PQError(.runtime, "pct_change: the starting figure is 0, so the change has no percentage")
    }
    // (b - a) / |a| = b/a - 1 to first order: d/da = -b/a², d/db = 1/a.
    var margin: Margin?
    let ma = Margin.of(from)
    let mb = Margin.of(to)
    if ma != nil || mb != nil {
      let x = (ma?.halfWidth ?? 0) * b / (a * a)
      let y = (mb?.halfWidth ?? 0) / a
      margin = Margin(
        halfWidth: (x * x + y * y).squareRoot(), confidence: try Margin.combinedConfidence(ma, mb),
        isCombined: ma != nil && mb != nil)
    }
    return derived("pct_change", from, to, number: (b - a) / abs(a), unit: .percent, margin: margin)
  }

  static let data: [NativeFunction] = [
    NativeFunction(
      "ratio(a, b)", doc: "How many times b fits in a: a / b, with units and sources.",
      example: "ratio(x.mau, truth.mau)"
    ) { arguments throws(PQError) in
      let (a, b) = try numbers(arguments)
      guard b.numericValue != 0 else { throw arguments.error(1, "division by zero: the second figure is 0") }
      return try ratio(a, b)
    },
    NativeFunction(
      "diff(a, b)", doc: "a - b in their common unit (percent minus percent is pp).",
      example: "diff(x.news_share, truth.news_share)"
    ) { arguments throws(PQError) in
      let (a, b) = try numbers(arguments)
      try sameUnit(arguments, a, b)
      return derived("diff", a, b, try Arithmetic.apply(.subtract, a, b, tracking: false))
    },
    NativeFunction(
      "pct_change(from, to)", doc: "The change from one figure to another, as a percentage.",
      example: "pct_change(truth.mau, x.mau)"
    ) { arguments throws(PQError) in
      let (a, b) = try numbers(arguments)
      try sameUnit(arguments, a, b)
      return try percentChange(a, b)
    },
    NativeFunction(
      "share(part, whole)", doc: "part as a percentage of whole (same unit).",
      example: "share(truth.mau, x.mau + truth.mau)"
    ) { arguments throws(PQError) in
      let (a, b) = try numbers(arguments)
      try sameUnit(arguments, a, b)
      guard let whole = b.numericValue, whole != 0 else { throw arguments.error(1, "the whole is 0") }
      let part = a.numericValue ?? 0
      let margin = try Margin.propagate(.divide, part, whole, Margin.of(a), Margin.of(b))
      return derived("share", a, b, number: part / whole, unit: .percent, margin: margin)
    },
    NativeFunction(
      "compare(a, b)",
      doc: "Two figures (both, difference, ratio, change, caveats) or two platforms side by side.",
      example: "compare(x, truth)"
    ) { arguments throws(PQError) in
      if case .record(let a) = arguments[0], case .record(let b) = arguments[1], a.kind == .platform,
        b.kind == .platform
      {
        return Comparison.platforms(a, b, dataName: arguments.runtime.dataName)
      }
      let (a, b) = try numbers(arguments)
      return try Comparison.figures(a, b)
    },
    NativeFunction(
      "rank(list, metric)",
      doc: "Records ranked by a metric, largest first; those without a figure come last, unranked.",
      example: "rank(platforms, \"mau\")"
    ) { arguments throws(PQError) in
      .list(try Comparison.rank(arguments, limit: nil))
    },
    NativeFunction(
      "top(list, metric, n?)",
      doc:
        "The records in the first n (3) places for a metric (competition ranking: ties at the last place are all kept).",
      example: "top(platforms, \"web_visits\", 2)"
    ) { arguments throws(PQError) in
      let n = arguments.optional(2) == nil ? 3 : try arguments.integer(2)
      guard n >= 0 else { throw arguments.error(2, "n cannot be negative") }
      return .list(try Comparison.rank(arguments, limit: n))
    },
    NativeFunction(
      "margin(value)",
      doc:
        "The margin of error of a number, in its unit (a percentage's in points), or nil when it has none. Its confidence: explain(value).",
      example: "margin(figure(59%, margin: 3pp, confidence: 95%))"
    ) { arguments throws(PQError) in
      let value = arguments[0]
      guard value.numericValue != nil else { throw arguments.typeError(0, "a number") }
      guard let margin = Margin.of(value) else { return .nil }
      let unit = Margin.unit(for: value.unit)
      return Value.make(margin.halfWidth, unit, nil)
    },
    NativeFunction(
      "within_margin(a, b)",
      doc:
        "True when the gap between two figures lies within their combined margin of error: no difference worth reporting. False when it does not, or neither has a margin.",
      example: "within_margin(figure(59%, margin: 3pp), figure(57%, margin: 3pp))"
    ) { arguments throws(PQError) in
      let (a, b) = try numbers(arguments)
      try sameUnit(arguments, a, b)
      _ = try Margin.combinedConfidence(Margin.of(a), Margin.of(b))
      return .bool(Margin.gap(a, b)?.within ?? false)
    },
    NativeFunction(
      "per(value, base, n)",
      doc:
        "A rate per n units of the base: per(users, adults, 100) is users per 100 adults, with the sources and caveats of both.",
      example: "per(x.mau, figure(262M, unit: \"adults\", source: \"Census\", period: \"2024\"), 100)"
    ) { arguments throws(PQError) in
      let (a, b) = try numbers(arguments)
      guard let count = arguments[2].numericValue, arguments[2].unit.isNone, count > 0, count.isFinite else {
        throw arguments.error(
          2, "n is how many of the base the rate is per: a positive plain number, such as 100")
      }
      guard let base = b.numericValue, base != 0 else { throw arguments.error(1, "the base is 0") }
      let x = a.numericValue ?? 0
      // The base's unit as `100 adults`, so the rate reads `7.63 users per 100 adults`.
      let written = NumberFormat.plain(count)
      let baseUnit: Unit
      if b.unit.isNone {
        baseUnit = Unit.base(written)
      } else if b.unit.factors.count == 1, b.unit.factors[0].power == 1, b.unit.scale == .none {
        let name = b.unit.factors[0].name
        baseUnit = count == 1 ? Unit.base(name) : Unit.base(written + " " + Unit.plural(name))
      } else {
        throw arguments.error(1, "per needs a base that counts one thing (adults, users), not \(b.unit)")
      }
      let margin = try Margin.propagate(.divide, x, base, Margin.of(a), Margin.of(b)).map {
        Margin(halfWidth: $0.halfWidth * count, confidence: $0.confidence, isCombined: $0.isCombined)
      }
      return derived("per", a, b, number: x / base * count, unit: a.unit / baseUnit, margin: margin)
    },
    NativeFunction(
      "platform(name)", doc: "The platform with this name (case-insensitive; former names too).",
      example: "platform(\"truth social\")"
    ) { arguments throws(PQError) in
      let name = try arguments.string(0)
      guard case .list(let all)? = arguments.runtime.globalValue("platforms") else {
        throw arguments.failure("no platform data is loaded")
      }
      var names: [String] = []
      for item in all {
        guard case .record(let record) = item, case .string(let candidate)? = record["name"] else { continue }
        names.append(candidate)
        if candidate.lowercased() == name.lowercased() { return item }
        if case .string(let former)? = record["formerly"], former.lowercased() == name.lowercased() {
          return item
        }
      }
      throw arguments.error(
        0, "the article names no platform '\(name)'",
        notes: Suggestion.note(for: name, in: names) + ["platforms: " + names.joined(separator: ", ")])
    },
    NativeFunction(
      "metrics()", doc: "Every platform metric with its unit and definition.", example: "metrics()"
    ) {
      _ throws(PQError) in
      .list(
        (Metric.all + [Metric.ownerStake]).map { metric in
          .record(
            Record([
              ("field", .string(metric.field)), ("unit", .string(metric.unit.description)),
              ("definition", .string(metric.definition)),
            ]))
        })
    },
  ]
}
