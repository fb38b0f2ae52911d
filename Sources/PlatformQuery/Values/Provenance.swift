/// Where a computed number came from: the expression that produced it, the figures it used, and
/// the caveats that combining them raised. Plain numbers have none and pay nothing.
///
/// A provenance is also a ``Measure``: the measure of the value it was made for, whose unit is
/// its `unit` (``Unit/none`` unless made for a value with a unit). A computed value is then one
/// object rather than a measure holding a provenance.
///
/// `@unchecked Sendable`, restated from ``Measure`` as Swift requires: every stored property is a
/// constant of a `Sendable` type.
public final class Provenance: Measure, @unchecked Sendable {
  /// The computation, e.g. `x.mau / truth.mau`.
  public var expression: String {
    switch text {
    case .written(let expression): return expression
    case .figure(let figure): return Provenance.bounded(figure.label)
    case .call(let name, let first, let second):
      return Provenance.bounded(Provenance.callText(name, first.text, second.text))
    }
  }

  /// `name(first, second)`, its bytes copied once into a string of the right size (five
  /// appends to a growing `String` cost 1,800 instructions for `ratio(x.mau, truth.mau)`).
  static func callText(_ name: String, _ first: String, _ second: String) -> String {
    String.concatenating(name, "(", first, ", ", second, ")")
  }

  /// How the expression is kept: as text, or, for a built-in's result (`ratio(x.mau,
  /// truth.mau)`), as the call's name and its two inputs, written out only when someone reads
  /// `expression` — most computed values never show theirs.
  enum Text: Sendable {
    case written(String)
    /// A single figure's label (a loaded figure's is made when read).
    case figure(Figure)
    case call(String, Part, Part)
  }

  /// An input of a call: another provenance, or the text of a plain value.
  enum Part: Sendable {
    case input(Provenance)
    case figure(Figure)
    case written(String)

    /// The part for `value`, whose measure with provenance is `measure` (or nil).
    init(_ value: Value, _ measure: Measure?) {
      if let figure = measure?.asFigure {
        self = .figure(figure)
      } else if let provenance = measure?.storedProvenance {
        self = .input(provenance)
      } else {
        self = .written(value.inline)
      }
    }

    var text: String {
      switch self {
      case .input(let provenance): return provenance.expression
      case .figure(let figure): return figure.label
      case .written(let text): return text
      }
    }
  }

  let text: Text
  /// How tightly `expression` binds, for parenthesising it inside a larger one.
  let precedence: Int
  /// The distinct figures used, in order of first use. A computation over many figures (a sum of
  /// a loaded column) keeps one figure of each kind — the same unit, source, period, definition,
  /// status, approximation and note, which raise the same caveats — and counts how many each
  /// stands for (`counts`).
  public var figures: [Figure] { figureList.array }
  /// `figures` as kept: one or two without an array (see ``FigureList``).
  let figureList: FigureList
  /// How many figures each of `figures` stands for, when kept by kind; nil when each is one.
  let counts: [Int]?
  /// Figures used but not listed in `figures`, because one of the same kind is (see
  /// ``Provenance/figures``).
  public var omitted: Int { figureCount - figureList.count }
  /// All the figures used, listed or not.
  public let figureCount: Int
  /// True when `figures` holds one figure of each kind (a computation over many figures).
  var isByKind: Bool { counts != nil }
  /// Caveats given by the computation rather than found in its figures' fields: a plain number
  /// read in a unit, shares of different wholes added.
  let givenCaveats: [Caveat]

  /// Why weighing the figures behind this value is not like for like: what the computation
  /// said (`givenCaveats`), then what its figures' fields say (`CaveatRules`), named for a
  /// few figures and summed up exactly for many.
  public var caveats: [Caveat] { caveats(ofResult: true) }

  /// The caveats; `ofResult` false for the caveats of figures weighed side by side (`compare`),
  /// which are no computed result that could carry their margins.
  func caveats(ofResult: Bool) -> [Caveat] {
    var result: [Caveat]
    // The common case, two figures (ratio(x.mau, truth.mau)): kept per pair.
    if counts == nil, figureList.count == 2, givenCaveats.isEmpty {
      result = figureList[0].caveats(against: figureList[1])
    } else {
      result = givenCaveats
      for caveat in CaveatRules.caveats(of: figures, counts: counts) { Caveat.add(caveat, to: &result) }
    }
    if ofResult, margin == nil, let uncarried = CaveatRules.uncarriedMargins(figureList) {
      result.append(uncarried)
    }
    return result
  }

  /// Creates provenance.
  public init(expression: String, figures: [Figure], caveats: [Caveat] = []) {
    self.text = .written(expression)
    self.precedence = 10
    self.figureList = FigureList(many: figures)
    self.givenCaveats = caveats
    self.counts = nil
    self.figureCount = figures.count
    super.init(provenanceUnit: .none)
  }

  convenience init(expression: String, precedence: Int, figures: [Figure], givenCaveats: [Caveat]) {
    self.init(
      text: .written(Provenance.bounded(expression)), precedence: precedence, figures: figures,
      givenCaveats: givenCaveats)
  }

  /// `unit` is the unit of the value the provenance is made for, which it is then the measure of.
  convenience init(
    text: Text, precedence: Int, figures: [Figure], givenCaveats: [Caveat], counts: [Int]? = nil,
    unit: Unit = .none
  ) {
    self.init(
      text: text, precedence: precedence, figureList: FigureList(many: figures), givenCaveats: givenCaveats,
      counts: counts, unit: unit)
  }

  init(
    text: Text, precedence: Int, figureList: FigureList, givenCaveats: [Caveat], counts: [Int]? = nil,
    unit: Unit = .none, margin: Margin? = nil
  ) {
    self.text = text
    self.precedence = precedence
    self.figureList = figureList
    self.givenCaveats = givenCaveats
    self.counts = counts
    self.figureCount = counts?.reduce(0, +) ?? figureList.count
    super.init(provenanceUnit: unit, margin: margin)
  }

  /// An expression cut to 240 characters. The byte count bounds the character count, so the
  /// slow count runs only for long text.
  static func bounded(_ expression: String) -> String {
    expression.utf8.count > 240 && expression.count > 240 ? String(expression.prefix(237)) + "…" : expression
  }

  /// The same provenance under another expression.
  func renamed(_ expression: String, precedence: Int = 10) -> Provenance {
    renamed(text: .written(Provenance.bounded(expression)), precedence: precedence)
  }

  func renamed(text: Text, precedence: Int = 10, unit: Unit = .none) -> Provenance {
    Provenance(
      text: text, precedence: precedence, figureList: figureList, givenCaveats: givenCaveats, counts: counts,
      unit: unit, margin: margin)
  }

  /// The same provenance with more caveats given.
  func adding(_ caveats: [Caveat]) -> Provenance {
    var given = givenCaveats
    for caveat in caveats { Caveat.add(caveat, to: &given) }
    return Provenance(
      text: text, precedence: precedence, figureList: figureList, givenCaveats: given, counts: counts,
      unit: unit, margin: margin)
  }

  /// The same provenance for a value with the margin of error `margin` (nil: exact), with the
  /// caveat a combined margin needs.
  func withMargin(_ margin: Margin?) -> Provenance {
    var given = givenCaveats
    if let margin, margin.isCombined {
      Caveat.add(CaveatRules.combinedMargin(margin, unit: unit), to: &given)
    }
    return Provenance(
      text: text, precedence: precedence, figureList: figureList, givenCaveats: given, counts: counts,
      unit: unit, margin: margin)
  }

  /// Provenance of a single figure.
  convenience init(figure: Figure) {
    self.init(
      text: .figure(figure), precedence: 10, figureList: FigureList(single: figure), givenCaveats: [],
      unit: figure.unit, margin: figure.margin)
  }
}
