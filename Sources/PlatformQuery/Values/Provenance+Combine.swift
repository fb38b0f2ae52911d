/// Combining the provenance of a computation's inputs: few figures listed, many kept one per
/// kind with their counts.
extension Provenance {
  /// Combines the inputs of a computation into the provenance of its result: their figures,
  /// whose fields `caveats` weighs against each other.
  static func combine(_ expression: String, precedence: Int, _ inputs: [Provenance?]) -> Provenance? {
    combine(text: .written(bounded(expression)), precedence: precedence, inputs)
  }

  /// Combines the provenance of a binary computation's two sides (either may be nil) without
  /// gathering them in an array first. `unit` is the result's unit (see ``Provenance``).
  static func combine(
    text expression: consuming Text, precedence: Int, _ left: Provenance?, _ right: Provenance?,
    unit: Unit = .none
  )
    -> Provenance?
  {
    guard let left else { return right?.renamed(text: expression, precedence: precedence, unit: unit) }
    guard let right else { return left.renamed(text: expression, precedence: precedence, unit: unit) }
    // The common case, two single figures (x.mau / truth.mau), without the general bookkeeping.
    if left.figureList.count == 1, right.figureList.count == 1, left.counts == nil, right.counts == nil,
      left.givenCaveats.isEmpty, right.givenCaveats.isEmpty
    {
      return ofTwo(
        left.figureList[0], right.figureList[0], text: expression, precedence: precedence, unit: unit)
    }
    return combine(text: expression, precedence: precedence, [left, right], unit: unit)
  }

  /// `combine(text:precedence:_:_:unit:)` for the measures of two values (either may be nil),
  /// two figures combined without making either's own provenance first.
  static func combine(
    text expression: consuming Text, precedence: Int, _ left: Measure?, _ right: Measure?, unit: Unit = .none
  )
    -> Provenance?
  {
    if let a = left?.asFigure, let b = right?.asFigure {
      return ofTwo(a, b, text: expression, precedence: precedence, unit: unit)
    }
    return combine(text: expression, precedence: precedence, left?.provenance, right?.provenance, unit: unit)
  }

  /// The provenance of a computation on two single figures (`x.mau / truth.mau`): both — or the
  /// one figure, weighed against itself.
  static func ofTwo(
    _ a: Figure, _ b: Figure, text expression: consuming Text, precedence: Int, unit: Unit = .none
  ) -> Provenance {
    if a == b {
      return Provenance(
        text: expression, precedence: precedence, figureList: FigureList(single: a), givenCaveats: [],
        unit: unit)
    }
    return Provenance(
      text: expression, precedence: precedence, figureList: FigureList(a, b), givenCaveats: [], unit: unit)
  }

  /// The caveat for a side of a comparison that has no source at all.
  static func noSource(_ value: Value) -> Caveat {
    Caveat(
      .source, subjects: [value.inline],
      text: "\(value.inline) has no source, so nothing can be said about its period or definition")
  }

  /// How many figures a computation lists before it keeps one figure of each kind instead.
  static let listedFigures = 64

  static func combine(text expression: Text, precedence: Int, _ inputs: [Provenance?], unit: Unit = .none)
    -> Provenance?
  {
    combine(
      text: expression, precedence: precedence, inputs: inputs.compactMap { $0.map(Input.init) }, unit: unit)
  }

  /// `combine(_:precedence:_:)` for the measures of many values (a column of a loaded file):
  /// a figure's measure is taken as the figure, without making its one-figure provenance.
  static func combine(_ expression: String, precedence: Int, measures: [Measure?], unit: Unit = .none)
    -> Provenance?
  {
    combine(
      text: .written(bounded(expression)), precedence: precedence, inputs: measures.compactMap(Input.init),
      unit: unit)
  }

  /// An input of a combination: a measure with provenance — a provenance, or a figure standing
  /// for its own one-figure provenance, which is not made (summing a loaded column made one
  /// provenance and one array for every row).
  struct Input {
    private let measure: Measure

    init(_ provenance: Provenance) { measure = provenance }

    /// The input for a value's measure; nil for a measure without provenance.
    init?(_ measure: Measure?) {
      guard let measure, measure.hasProvenance else { return nil }
      self.measure = measure
    }

    var figures: FigureList { measure.sourceFigures }
    var figureCount: Int { measure.sourceFigureCount }
    /// How many figures each of `figures` stands for (nil: one each).
    var counts: [Int]? { measure.storedProvenance?.counts }
    var givenCaveats: [Caveat] { measure.storedProvenance?.givenCaveats ?? [] }

    func renamed(text: Text, precedence: Int, unit: Unit) -> Provenance {
      if let provenance = measure.storedProvenance {
        return provenance.renamed(text: text, precedence: precedence, unit: unit)
      }
      return Provenance(text: text, precedence: precedence, figureList: figures, givenCaveats: [], unit: unit)
    }
  }

  /// What identifies a kind of figure for merging many: the fields caveats read.
  private struct KindKey: Hashable {
    let unit: String
    let publisher: String
    let producer: String?
    let period: String
    let periodGiven: Bool
    let definition: String
    let status: Figure.Status
    let approximation: String?
    let note: String?

    init(_ figure: Figure) {
      unit = figure.unit.description
      publisher = figure.publisher
      producer = figure.producer
      period = figure.period
      periodGiven = figure.periodGiven
      definition = figure.definition
      status = figure.status
      approximation = figure.approximation
      note = figure.note
    }
  }

  static func combine(text expression: Text, precedence: Int, inputs present: [Input], unit: Unit = .none)
    -> Provenance?
  {
    if present.isEmpty { return nil }
    if present.count == 1 { return present[0].renamed(text: expression, precedence: precedence, unit: unit) }
    var given: [Caveat] = []
    for input in present { for caveat in input.givenCaveats { Caveat.add(caveat, to: &given) } }
    let total = present.reduce(0) { $0 + $1.figureCount }
    if total <= listedFigures, present.allSatisfy({ $0.counts == nil }) {
      // A few figures: every distinct one listed.
      var figures: [Figure] = []
      for input in present {
        for figure in input.figures where !figures.contains(where: { $0 === figure || $0 == figure }) {
          figures.append(figure)
        }
      }
      return Provenance(
        text: expression, precedence: precedence, figures: figures, givenCaveats: given, unit: unit)
    }
    // Many figures: one of each kind, with how many it stands for. Kinds are found by the
    // figure's shared origin first (a file's rows share a few), then by their fields; every
    // kind is kept, so the summary of caveats counts every figure exactly.
    var figures: [Figure] = []
    var counts: [Int] = []
    var byOrigin: [ObjectIdentifier: Int] = [:]
    var byFields: [KindKey: Int] = [:]
    func add(_ figure: Figure, _ n: Int) {
      if let index = byOrigin[ObjectIdentifier(figure.origin)], figures[index].unit == figure.unit {
        counts[index] += n
        return
      }
      let key = KindKey(figure)
      if let index = byFields[key] {
        counts[index] += n
        byOrigin[ObjectIdentifier(figure.origin)] = index
        return
      }
      figures.append(figure)
      counts.append(n)
      byFields[key] = figures.count - 1
      byOrigin[ObjectIdentifier(figure.origin)] = figures.count - 1
    }
    for input in present {
      let inputCounts = input.counts
      for (index, figure) in input.figures.enumerated() { add(figure, inputCounts?[index] ?? 1) }
    }
    return Provenance(
      text: expression, precedence: precedence, figures: figures, givenCaveats: given, counts: counts,
      unit: unit)
  }
}
