/// A figure's margin of error, as its source gives it: the half-width of the interval around the
/// figure, and the confidence of that interval (95% for most surveys), or nil when the source
/// does not state it. The half-width is in the figure's own stored scale: `59% ± 3pp` holds
/// 0.59 and 0.03. No figure gains a margin its source does not give; the article's have none.
///
/// Arithmetic carries margins to first order (docs/data.md, "Margins"): sums and differences
/// combine them in quadrature, which assumes the figures come from independent samples;
/// products and quotients by their relative margins; an exact number scales them.
public final class Margin: Sendable, Equatable, CustomStringConvertible {
  /// Half the width of the interval, in the figure's stored scale; never negative.
  public let halfWidth: Double
  /// The confidence of the interval (0.95), or nil when the source does not say.
  public let confidence: Double?
  /// True when the margin was combined from the margins of several figures (in quadrature or
  /// by relative margins), which assumes their samples are independent.
  public let isCombined: Bool

  /// Creates a margin.
  public init(halfWidth: Double, confidence: Double? = nil, isCombined: Bool = false) {
    self.halfWidth = halfWidth
    self.confidence = confidence
    self.isCombined = isCombined
  }

  /// Margins are equal when their widths, confidences and combination are.
  public static func == (a: Margin, b: Margin) -> Bool {
    a.halfWidth == b.halfWidth && a.confidence == b.confidence && a.isCombined == b.isCombined
  }

  /// `± 3 pp` for a margin of a value in `unit`.
  public var description: String { "± \(NumberFormat.plain(halfWidth))" }

  /// The unit a margin of a value in `unit` is written in: a percentage's in points (the
  /// margin of 59% is 3 pp, not 3%), any other in the value's own unit.
  static func unit(for unit: Unit) -> Unit {
    unit.isDimensionless && unit.scale == .percent ? .points : unit
  }

  /// The margin written in `unit`, the unit of the figure it belongs to: a percentage's in
  /// points (`3 pp`), a count's as a count (`2M users`), money as money. Two significant digits.
  func shown(in unit: Unit) -> String {
    NumberFormat.quantity(halfWidth, Margin.unit(for: unit), digits: 2)
  }

  /// `±3 pp at 95% confidence: 56% to 62%` for a margin of `value`.
  func interval(around value: Double, unit: Unit) -> String {
    let low = NumberFormat.quantity(value - halfWidth, unit)
    let high = NumberFormat.quantity(value + halfWidth, unit)
    let level =
      confidence.map { " at " + NumberFormat.percentage($0 * 100, digits: 3) + "% confidence" }
      ?? " (confidence not stated)"
    return "±" + shown(in: unit) + level + ": " + low + " to " + high
  }

  /// `95% confidence` or `confidence not stated`.
  var confidenceText: String {
    guard let confidence else { return "confidence not stated" }
    return NumberFormat.percentage(confidence * 100, digits: 3) + "% confidence"
  }

  /// The margin of a number, or nil for one without (an exact number, or not a number).
  static func of(_ value: Value) -> Margin? {
    if case .quantity(_, let measure) = value { return measure.margin }
    return nil
  }

  /// The margin of `a op b` to first order, or nil when neither side has one. Refused: margins
  /// at different stated confidences (they cannot be combined), a remainder of a figure with a
  /// margin, and a power whose exponent has one.
  static func propagate(_ op: BinaryOperator, _ a: Double, _ b: Double, _ ma: Margin?, _ mb: Margin?)
    throws(PQError) -> Margin?
  {
    if ma == nil, mb == nil { return nil }
    let confidence = try combinedConfidence(ma, mb)
    let both = ma != nil && mb != nil
    let combined = both || (ma?.isCombined ?? false) || (mb?.isCombined ?? false)
    let x = ma?.halfWidth ?? 0
    let y = mb?.halfWidth ?? 0
    let width: Double
    switch op {
    case .add, .subtract:
      width = (x * x + y * y).squareRoot()
    case .multiply:
      width = ((b * x) * (b * x) + (a * y) * (a * y)).squareRoot()
    case .divide:
      guard b != 0 else { return nil }
      width = ((x / b) * (x / b) + (a * y / (b * b)) * (a * y / (b * b))).squareRoot()
    case .power:
      guard mb == nil else {
        throw PQError(.runtime, "cannot raise to a power that has a margin of error")
      }
      width = Swift.abs(b * power(a, b - 1)) * x
    case .remainder:
      throw PQError(.runtime, "cannot take the remainder of a figure with a margin of error")
    default:
      return nil
    }
    // A margin too large for a number is refused, never dropped: the result would read as exact.
    guard width.isFinite else {
      throw PQError(.runtime, "the margin of error of this result is too large for a number")
    }
    return Margin(halfWidth: width, confidence: confidence, isCombined: combined)
  }

  /// `a` to the power `b`, for the derivative of a power.
  private static func power(_ a: Double, _ b: Double) -> Double {
    b == 0 ? 1 : Arithmetic.power(a, b)
  }

  /// The confidence of a margin made from two: the one stated when only one side has a margin,
  /// the shared one when both state the same, not stated when either does not state it.
  static func combinedConfidence(_ ma: Margin?, _ mb: Margin?) throws(PQError) -> Double? {
    guard let ma else { return mb?.confidence }
    guard let mb else { return ma.confidence }
    guard let first = ma.confidence, let second = mb.confidence else { return nil }
    guard Arithmetic.same(first, second) else {
      throw PQError(
        .runtime,
        "cannot combine margins of error at different confidence levels (\(ma.confidenceText) and \(mb.confidenceText))",
        notes: [
          "a margin at 90% confidence is narrower than the same survey's at 95%: restate one at the other's level"
        ])
    }
    return first
  }

  /// The margin of the gap between two figures at the same confidence, when both have one (or
  /// one has and the other is exact), and whether the gap lies within it: the judgement of
  /// `compare`, `rank` and `headline`. Nil when neither has a margin or the confidences differ.
  static func gap(_ a: Value, _ b: Value) -> (margin: Margin, within: Bool)? {
    guard let x = a.numericValue, let y = b.numericValue,
      Arithmetic.additiveUnit(.subtract, a.unit, b.unit) != nil,
      let margin = try? propagate(.subtract, x, y, of(a), of(b))
    else { return nil }
    return (margin, Swift.abs(x - y) <= margin.halfWidth * (1 + 1e-12))
  }
}

extension Margin {
  /// `value ± width`: the value with the margin `width` and no stated confidence. The margin of
  /// a percentage is written in points (`59% ± 3pp`: `± 3%` could mean 3 points or 3% of 59%);
  /// of a count or an amount, in its unit or as a plain number read in it. A margin typed for a
  /// sourced figure is said to be typed, not given by the source.
  static func attach(_ width: Value, to value: Value, confidence: Double? = nil) throws(PQError) -> Value {
    guard let number = value.numericValue else {
      throw PQError(.runtime, "a margin of error goes with a number, not \(Arithmetic.describe(value))")
    }
    if let existing = of(value) {
      throw PQError(
        .runtime, "\(value.inline) already has a margin of error (±\(existing.shown(in: value.unit)))")
    }
    guard let half = width.numericValue else {
      throw PQError(.runtime, "a margin of error is a number, not \(Arithmetic.describe(width))")
    }
    guard half.isFinite, half >= 0 else {
      throw PQError(.runtime, "a margin of error cannot be negative: \(width.inline)")
    }
    if of(width) != nil {
      throw PQError(.runtime, "a margin of error cannot have a margin of its own: \(width.inline)")
    }
    let unit = value.unit
    let marginUnit = width.unit
    if unit.isDimensionless, unit.scale != .none {
      guard marginUnit.isDimensionless, marginUnit.scale == .points else {
        let written = NumberFormat.plain(marginUnit.scale == .percent ? half * 100 : half)
        throw PQError(
          .runtime,
          "the margin of a \(unit.scale == .percent ? "percentage" : "difference in points") is written in points",
          notes: [
            "write \(value.inline) ± \(written)pp: ± \(written)% could mean \(written) points or \(written)% of \(value.inline)"
          ])
      }
    } else if !(marginUnit.isNone || marginUnit == unit) {
      throw PQError(
        .runtime, "the margin \(width.inline) is not in the unit of \(value.inline) (\(unit))",
        notes: ["write the margin in \(unit), or as a plain number"])
    }
    let margin = Margin(halfWidth: half, confidence: confidence)
    guard let provenance = value.sourcedMeasure?.provenance else {
      return Value.make(number, unit, nil, margin: margin)
    }
    let typed = Caveat(
      .margin, figures: provenance.figures,
      text:
        "the margin of error ±\(margin.shown(in: unit)) was typed, not given by the source of \(value.inline)"
    )
    return Value.make(number, unit, provenance.adding([typed]), margin: margin)
  }
}

extension Margin {
  /// `low..high`: an interval given as its ends (`600K..700K`, a range a source states) read as
  /// its midpoint with half its width as the margin, confidence not stated. The ends are in one
  /// unit, the low end first; ends with sources or margins of their own are refused (an interval
  /// of figures is no figure).
  static func interval(_ low: Value, _ high: Value) throws(PQError) -> Value {
    guard let a = low.numericValue, let b = high.numericValue else {
      let bad = low.numericValue == nil ? low : high
      throw PQError(.runtime, "an interval is written with two numbers, not \(Arithmetic.describe(bad))")
    }
    guard Arithmetic.additiveUnit(.subtract, low.unit, high.unit) != nil, low.unit == high.unit else {
      throw PQError(
        .runtime, "the ends of an interval are in one unit, not \(low.unit) and \(high.unit)",
        notes: ["write both ends the same way: 600K..700K, 55%..61%"])
    }
    guard a <= b else {
      throw PQError(
        .runtime,
        "an interval is written low end first: \(high.inline)..\(low.inline), not \(low.inline)..\(high.inline)"
      )
    }
    if low.sourcedMeasure != nil || high.sourcedMeasure != nil || of(low) != nil || of(high) != nil {
      throw PQError(
        .runtime, "an interval is written with typed numbers",
        notes: [
          "for a figure with a source and a range, use figure(midpoint, margin: half the width, source: …)"
        ])
    }
    // Sum and difference as `+` and `-` make them (decimal, as written), halved exactly.
    let sum = (try? Arithmetic.plain(.add, a, b)) ?? a + b
    let width = (try? Arithmetic.plain(.subtract, b, a)) ?? b - a
    return Value.make(sum / 2, low.unit, nil, margin: Margin(halfWidth: width / 2))
  }
}
