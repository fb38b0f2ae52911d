/// What a host reads from a value: the figures and caveats behind it, values computed from
/// figures, arithmetic with pq's rules, and the HTML or SVG a notebook shows.
extension Value {
  /// The figures this value was computed from (for a figure, itself), first use first.
  public var figures: [Figure] { provenance?.figures ?? [] }

  /// Why weighing the figures behind this value is not like for like, structured (see
  /// ``Caveat``): what `caveats(v)` gives.
  public var structuredCaveats: [Caveat] { provenance?.caveats ?? [] }

  /// The caveats as sentences, as `caveats(v)` shows them.
  public var caveatTexts: [String] { structuredCaveats.map(\.description) }

  /// A value computed by a host's native function from `inputs`: `number` in `unit`, carrying
  /// the inputs' figures (and the caveats of weighing them) under the expression
  /// `name(input, …)`, as pq's own `ratio` does. Use it so that a native keeps its sources.
  public static func derived(_ name: String, from inputs: [Value], number: Double, unit: Unit = .none)
    -> Value
  {
    let parts = inputs.map { $0.provenance?.expression ?? $0.inline }
    let provenance = Provenance.combine(
      "\(name)(\(parts.joined(separator: ", ")))", precedence: 10, inputs.map(\.provenance))
    return Value.make(number, unit, provenance)
  }

  /// `self op other` with pq's unit rules and provenance (`+ - * / mod ^`, comparisons), for
  /// native functions: units must agree where pq requires it, errors are pq's.
  public func applying(_ op: String, _ other: Value) throws(PQError) -> Value {
    guard let binary = BinaryOperator(rawValue: op) else {
      throw PQError(.runtime, "'\(op)' is not an operator")
    }
    return try Arithmetic.apply(binary, self, other)
  }
}

extension Value {
  /// The value as an HTML fragment when it displays as a table — a list of records, a platform,
  /// a comparison — with the same cells and caveats as its text display; nil for other values.
  public var html: String? {
    switch self {
    case .list(let items) where Table.isTabular(items): return Table.model(items).html
    case .record(let record):
      switch record.kind {
      case .platform: return PlatformCard.model(record).html
      case .comparison, .platformComparison: return ComparisonDisplay.model(record).html
      default: return nil
      }
    default: return nil
    }
  }

  /// The value as an SVG document when it is a chart (what `svg(chart(…))` gives); nil otherwise.
  public var svg: String? {
    guard case .record(let record) = self, record.kind == .chart else { return nil }
    return Chart.svg(record)
  }
}
