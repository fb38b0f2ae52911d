/// `compare` and `rank`: weighing figures and platforms against each other.
enum Comparison {
  /// Compares two figures: both values, the difference and change when units agree, the ratio,
  /// and the caveats their sources raise.
  static func figures(_ a: Value, _ b: Value) throws(PQError) -> Value {
    let sameUnit = Arithmetic.additiveUnit(.subtract, a.unit, b.unit) != nil
    let difference: Value =
      sameUnit
      ? Builtins.derived("diff", a, b, try Arithmetic.apply(.subtract, a, b, tracking: false)) : .nil
    // 59% against 0.5: the plain number could be 0.5% or 50%, so no ratio is given (a table row
    // of `compare` on two platforms says the same).
    let unlike = unlikeScales(a, b)
    let weighable = unlike == nil && b.numericValue != 0
    let adopted = weighable ? try adoptedUnitRatio(a, b) : nil
    let ratio: Value =
      if let adopted { adopted.ratio } else if weighable { try Builtins.ratio(a, b) } else { .nil }
    let change: Value = sameUnit && b.numericValue != 0 ? try Builtins.percentChange(b, a) : .nil
    var caveats: [Caveat] = []
    if let unlike {
      caveats.append(unlike)
    } else if let adopted {
      caveats.append(adopted.note)
    } else if !sameUnit {
      caveats.append(
        Caveat(
          .scale, subjects: [a.inline, b.inline], values: ["\(a.unit)", "\(b.unit)"],
          text: "different units (\(a.unit) and \(b.unit)): only the ratio is meaningful"))
    }
    if let judgement = CaveatRules.marginJudgement(a, b) { caveats.insert(judgement, at: 0) }
    for side in [a, b] where side.inputFigures.isEmpty { caveats.append(Provenance.noSource(side)) }
    for caveat in CaveatRules.across([a, b]) { Caveat.add(caveat, to: &caveats) }
    return .record(
      Record(
        shape: figuresShape, values: [a, b, difference, ratio, change, .list(caveats.map(\.value))]))
  }

  /// Compares two platforms metric by metric.
  static let rowShape = Shape(keys: ["metric", "a", "b", "vs", "marked", "caveats"])
  static let platformsShape = Shape(keys: ["a", "b", "rows", "caveats"], kind: .platformComparison)
  static let figuresShape = Shape(
    keys: ["a", "b", "difference", "ratio", "change", "caveats"], kind: .comparison)

  /// `dataName` is what the built-in data is called in a note about a missing figure.
  static func platforms(_ a: Record, _ b: Record, dataName: String = "the article") -> Value {
    let nameA = a.platformField(0)?.text ?? "a"
    let nameB = b.platformField(0)?.text ?? "b"
    var rows: [Value] = []
    rows.reserveCapacity(Metric.all.count)
    var caveats: [Value] = []
    caveats.reserveCapacity(2 * Metric.all.count)
    for (position, metric) in Metric.all.enumerated() {
      let left = a.platformField(position + 1) ?? .nil
      let right = b.platformField(position + 1) ?? .nil
      var vs = Value.nil
      var row: [Caveat] = []
      // The caveats of two figures, as values made once per pair and metric (the common row).
      var pairValues: [Value]?
      if left.numericValue != nil, let y = right.numericValue {
        if let judgement = CaveatRules.marginJudgement(left, right) { row.append(judgement) }
        if left.isPercent, right.isPercent {
          vs =
            (try? Builtins.derived(
              "diff", left, right, Arithmetic.apply(.subtract, left, right, tracking: false))) ?? .nil
        } else if let note = unlikeScales(left, right) {
          row.append(note)
        } else if y != 0 {
          vs = (try? Builtins.ratio(left, right)) ?? .nil
          // A ratio with a unit: a plain number beside a count (`p.web_visits = 5000000`), read
          // in the count's unit as `-` reads it; or `p.mau = x.revenue`, a rate (USD per user),
          // not a multiple — each said, as `compare` of two figures says it. (A ratio without a
          // unit had units that agree: nothing more to look at.)
          if vs.hasUnit {
            if let adopted = try? adoptedUnitRatio(left, right) {
              vs = adopted.ratio
              row.append(adopted.note)
            } else if case let (unitA, unitB) = (left.unit, right.unit),
              Arithmetic.additiveUnit(.subtract, unitA, unitB) == nil
            {
              row.append(
                Caveat(
                  .scale, subjects: [left.inline, right.inline], values: ["\(unitA)", "\(unitB)"],
                  text: "different units (\(unitA) and \(unitB)): only the ratio is meaningful"))
            }
          }
        }
        if let first = left.asFigure, let second = right.asFigure {
          // Two figures, as the built-in data and most loaded records hold them.
          if first != second { pairValues = first.caveatValues(against: second, metric: metric.field) }
        } else {
          let sourcedLeft = !left.inputFigures.isEmpty
          let sourcedRight = !right.inputFigures.isEmpty
          // A number set by hand (`p.mau = 70M`) has no source: said, as `compare` of two
          // figures says it, rather than leave the row's `*` unexplained.
          if !sourcedLeft, !sourcedRight {
            row.append(
              Caveat(
                .source, subjects: [left.inline, right.inline],
                text: String.concatenating(
                  "neither ", left.inline, " nor ", right.inline,
                  " has a source, so nothing can be said about their periods or definitions")))
          } else if !sourcedLeft || !sourcedRight {
            row.append(Provenance.noSource(sourcedLeft ? right : left))
          }
          for caveat in CaveatRules.across([left, right]) { Caveat.add(caveat, to: &row) }
        }
      } else if left.numericValue != nil || right.numericValue != nil {
        let missing = left.numericValue == nil ? nameA : nameB
        let source = (left.numericValue == nil ? a : b).figureSource(dataName: dataName)
        pairValues = [missingCaveat(source: source, platform: missing, metric: metric.field)]
      }
      var rowValues = row.map { $0.under(metric: metric.field).value }
      if let pairValues { rowValues = rowValues.isEmpty ? pairValues : rowValues + pairValues }
      // Marked when a caveat is listed under the metric and there is a result to mark.
      let marked = vs.numericValue != nil && !rowValues.isEmpty
      caveats += rowValues
      rows.append(
        .record(
          Record(
            shape: rowShape,
            values: [
              .string(metric.field), consume left, consume right, consume vs, .bool(marked), .list(rowValues),
            ]
          )))
    }
    return .record(
      Record(
        shape: platformsShape,
        values: [.string(nameA), .string(nameB), .list(consume rows), .list(consume caveats)]))
  }

  /// The caveat value of a row whose figure `source` does not give for `platform`, made once
  /// for each and kept (a few hundred: `compare` in a loop asks for the same ones).
  static func missingCaveat(source: String, platform: String, metric: String) -> Value {
    let key = MissingKey(source: source, platform: platform, metric: metric)
    if let known = missingCaveats.withLock({ $0[key] }) { return known }
    let value = Caveat(
      .missing, subjects: [platform], values: [source], metric: metric,
      text: String.concatenating(source, " gives no figure for ", platform)
    ).value
    missingCaveats.withLock { cache in
      if cache.count >= 512 { cache.removeAll() }
      cache[key] = value
    }
    return value
  }

  private struct MissingKey: Hashable {
    let source: String
    let platform: String
    let metric: String
  }

  private static let missingCaveats = Locked<[MissingKey: Value]>([:])

  /// Why two numbers are not compared at all, or nil: a plain number beside a percentage or
  /// points could be read at either scale (`0.5` as 0.5% or 50%), and a share beside a difference
  /// of shares (`57%` beside `2pp`) are different things — as `<` and `-` refuse them.
  static func unlikeScales(_ a: Value, _ b: Value) -> Caveat? {
    if a.isPlainNumber, b.isPercent || b.isPoints { return scaleNote(plain: a, scaled: b) }
    if b.isPlainNumber, a.isPercent || a.isPoints { return scaleNote(plain: b, scaled: a) }
    if a.isPercent, b.isPoints { return pointsNote(share: a, points: b) }
    if a.isPoints, b.isPercent { return pointsNote(share: b, points: a) }
    return nil
  }

  /// A plain number beside a count or money (`5000000` beside `1B visits`): `-` reads it in the
  /// other's unit, and so does the ratio `compare` gives — `0.005×`, not `0.005 per visit`, in a
  /// table whose difference is `-995M visits` — with a note saying it was so read. Nil for any
  /// other pair (a percentage or points beside a plain number is `unlikeScales`'s to refuse).
  static func adoptedUnitRatio(_ a: Value, _ b: Value) throws(PQError) -> (ratio: Value, note: Caveat)? {
    let (plain, counted): (Value, Value)
    if a.isPlainNumber, b.hasUnit {
      (plain, counted) = (a, b)
    } else if b.isPlainNumber, a.hasUnit {
      (plain, counted) = (b, a)
    } else {
      return nil
    }
    guard !counted.isPercent, !counted.isPoints, let x = a.numericValue, let y = b.numericValue else {
      return nil
    }
    let ratio = Builtins.derived("ratio", a, b, number: try Arithmetic.plain(.divide, x, y), unit: .none)
    guard let note = unitlessNote([plain, counted]) else { return nil }
    return (ratio, note)
  }

  /// What weighing plain numbers beside counts or money must say (`rank`, `chart`, `compare`):
  /// they are read in the count's unit, as `-` reads them. Nil when no value is a plain number
  /// or none has a unit to lend (percentages and points lend none: `unlikeScales` refuses them).
  static func unitlessNote(_ values: [Value]) -> Caveat? {
    guard let counted = values.first(where: { $0.hasUnit && !$0.isPercent && !$0.isPoints }) else {
      return nil
    }
    let plain = values.filter(\.isPlainNumber)
    let subjects = plain.map(\.inline)
    if plain.count == 1 {
      return Caveat(
        .unitRead, subjects: subjects, values: ["\(counted.unit)"],
        text: "\(plain[0].inline) has no unit, so it is taken to be in \(counted.unit)")
    }
    if plain.count > 1 {
      return Caveat(
        .unitRead, subjects: subjects, values: ["\(counted.unit)"],
        text: "\(plain.count) values have no unit, so they are taken to be in \(counted.unit)")
    }
    return nil
  }

  private static func scaleNote(plain: Value, scaled: Value) -> Caveat {
    let number = plain.inline
    let (kind, suffix) = scaled.isPercent ? ("a percentage", "%") : ("a difference in points", " pp")
    return Caveat(
      .scale, subjects: [number, scaled.inline], values: ["\(plain.unit)", "\(scaled.unit)"],
      text:
        "\(number) is a plain number and \(scaled.inline) \(kind), so they are not compared (is \(number) meant as \(number)\(suffix), or as a fraction?)"
    )
  }

  private static func pointsNote(share: Value, points: Value) -> Caveat {
    Caveat(
      .scale, subjects: [share.inline, points.inline], values: ["\(share.unit)", "\(points.unit)"],
      text: "\(share.inline) is a share and \(points.inline) a difference of shares, so they are not compared"
    )
  }

  /// Ranks records by a metric, largest first; records without a figure follow, unranked.
  static func rank(_ arguments: Arguments, limit: Int?) throws(PQError) -> [Value] {
    let items = try arguments.list(0)
    let metric = try arguments.string(1)
    let values = try Builtins.fieldValues(items, arguments, 1)
    // Ties are decided as the figures are shown (57% as 57), as `==` decides them.
    let factor = values.first { $0.numericValue != nil }?.unit.shownFactor ?? 1
    let ordered = try Builtins.sorted(
      Array(zip(items, values).map { pair in Value.list([pair.0, pair.1]) }),
      keys: values, descending: true)
    // Competition ranking ("1224"): equal figures share a place and the next place skips as many
    // as shared it. `top` keeps every record tied at its last place rather than drop one at random.
    var result: [Value] = []
    // Rows of a long file or a series (one platform, many periods) say which row they are: the
    // period, from the record's `period` or the figure's own, when the periods are not all one.
    func period(_ record: Record, _ value: Value) -> Value {
      if let given = record["period"], case .string = given { return given }
      if let figure = value.asFigure ?? (value.inputFigures.count == 1 ? value.inputFigures.first : nil),
        figure.periodGiven
      {
        return .string(figure.period)
      }
      return .nil
    }
    var periods: [String] = []
    for entry in ordered {
      guard case .list(let pair) = entry, case .record(let record) = pair[0],
        case .string(let text) = period(record, pair[1]), !periods.contains(text)
      else { continue }
      periods.append(text)
      if periods.count > 1 { break }
    }
    let showsPeriod = periods.count > 1
    // Places first: equal figures share one, and so does a figure whose gap to the first of its
    // place lies within their combined margin of error (a lead within the margin is no lead),
    // with a note saying so. Weighed against the first of the place, not the one just above, so
    // that ties do not chain down a long list (99% ± 5 pp is not tied with 0% ± 1 pp).
    var rows: [(record: Record, value: Value, place: Int?, note: String?)] = []
    var ranked = 0
    var place = 0
    var previous: Value?
    var leader: (value: Value, name: String)?
    for entry in ordered {
      guard case .list(let pair) = entry, case .record(let record) = pair[0] else { continue }
      let value = pair[1]
      var note: String?
      if let number = value.numericValue {
        let above = previous?.numericValue
        let equal = above.map { Arithmetic.same($0 * factor, number * factor) } ?? false
        if !equal, let leader, let gap = Margin.gap(leader.value, value), gap.within {
          note =
            "tied with \(leader.name): the gap lies within the margin of error (±\(gap.margin.shown(in: value.unit)))"
        } else if !equal {
          place = ranked + 1
          leader = (value, record["name"]?.text ?? "row \(ranked + 1)")
        }
        if let limit, place > limit { break }
        ranked += 1
        previous = value
        rows.append((record, value, place, note))
      } else {
        if limit != nil { break }
        rows.append((record, value, nil, nil))
      }
    }
    // Every row has the same fields: one shape for the ranking (a `note` when a tie needs one).
    let notes = rows.contains { $0.note != nil }
    var keys = showsPeriod ? ["rank", "name", "period", metric] : ["rank", "name", metric]
    if notes { keys.append("note") }
    let shape = Shape(keys: keys)
    for row in rows {
      var values: [Value] = [row.place.map { .number(Double($0)) } ?? .nil, row.record["name"] ?? .nil]
      if showsPeriod { values.append(period(row.record, row.value)) }
      values.append(row.value)
      if notes { values.append(row.note.map { .string($0) } ?? .nil) }
      result.append(.record(Record(shape: shape, values: values)))
    }
    return result
  }
}
