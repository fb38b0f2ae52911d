import Synchronization

/// One figure as the article gives it: the number, its unit, who measured it, when, what it
/// counts, and the sentence it comes from. Immutable; shared by every value computed from it.
///
/// A figure is also the ``Measure`` of its own value (its unit, and itself as the provenance).
public final class Figure: Measure, @unchecked Sendable, Hashable {
  /// The platform's name, e.g. `Truth Social`.
  public let platform: String
  /// The metric field, e.g. `mau`.
  public let field: String
  /// How pq code reaches it, e.g. `truth.mau`, or `pew.csv[3].news_share` for a figure of a
  /// loaded file (made when asked: a file's figures keep only their row number).
  public var label: String {
    row < 0 ? storedLabel : origin.file + "[" + String(row) + "]." + field
  }
  /// The label as given, or empty for a figure of a file's row.
  private let storedLabel: String
  /// The row of the file (in `origin.file`) the figure comes from, or -1.
  private let row: Int
  /// The number.
  public let value: Double
  /// Who produced the figure: `Similarweb`, `Pew Research`, `X (company report)`, …
  public var publisher: String { origin.publisher }
  /// The period it covers: `September 2024`, `first half of 2024`, …
  public var period: String { origin.period }
  /// What exactly it counts.
  public var definition: String { origin.definition }
  /// The article's sentence it comes from.
  public var quote: String { origin.quote }
  /// The words of the sentence that state the number, e.g. `698,000`.
  public var statedAs: String { origin.statedAs }
  /// True for an estimate rather than a measured or reported figure.
  public var isEstimate: Bool { origin.status == .estimated }
  /// The word that marks the figure as approximate in its source (`roughly`, `around`), or nil
  /// for a figure stated exactly.
  public var approximation: String? { origin.approximation }
  /// False when the source states no period for the figure; `period` then says so in words.
  public var periodGiven: Bool { origin.periodGiven }
  /// The period as days, when `period` is written in a form `Period.parse` reads.
  public var span: Period? { origin.span }
  /// The primary source, when the publisher repeats someone else's figure (the article repeats
  /// Similarweb's), or nil.
  public var producer: String? { origin.producer }
  /// Reported, estimated, provisional or forecast.
  public var status: Status { origin.status }
  /// Where the figure was published, as a URL.
  public var url: String? { origin.url }
  /// When the figure was published, as written.
  public var published: String? { origin.published }
  /// When the figure was read, as written.
  public var accessed: String? { origin.accessed }
  /// Anything else the reader should know.
  public var note: String? { origin.note }

  /// Where the figure comes from: everything but its platform, field, label, value and unit.
  /// The figures of one row of a file share one (a file has hundreds of thousands of figures
  /// and only a few distinct sources and periods).
  let origin: Origin

  /// The provenance fields of a figure, shareable between figures.
  final class Origin: Sendable {
    /// The file the figures come from (its last path component), labelling them by row; empty
    /// for figures with a label of their own.
    let file: String
    let publisher: String
    let period: String
    let definition: String
    let quote: String
    let statedAs: String
    let approximation: String?
    let periodGiven: Bool
    let span: Period?
    let producer: String?
    let status: Status
    let url: String?
    let published: String?
    let accessed: String?
    let note: String?

    init(
      publisher: String, period: String, definition: String, quote: String, statedAs: String,
      approximation: String?, periodGiven: Bool, span: Period?, producer: String?, status: Status,
      url: String?,
      published: String?, accessed: String?, note: String?, file: String = ""
    ) {
      self.file = file
      self.publisher = publisher
      self.period = period
      self.definition = definition
      self.quote = quote
      self.statedAs = statedAs
      self.approximation = approximation
      self.periodGiven = periodGiven && !period.isEmpty
      self.span = self.periodGiven ? span : nil
      self.producer = producer
      self.status = status
      self.url = url
      self.published = published
      self.accessed = accessed
      self.note = note
    }
  }

  /// How firm a figure is.
  public enum Status: String, Sendable, CaseIterable {
    /// Published as a measurement or a count.
    case reported
    /// An estimate.
    case estimated
    /// Provisional: may be revised.
    case provisional
    /// A forecast of a period not yet over.
    case forecast
  }

  /// What `explain` shows of the figure, made when asked (a loaded file has hundreds of
  /// thousands of figures, most never explained): the value with its unit (`70.4M users`), the
  /// label's width in columns, and the source line (`Similarweb, September 2024: monthly active
  /// users`).
  var shownValue: String { display.shown }
  var labelWidth: Int { display.labelWidth }
  var shownValueWidth: Int { display.shownWidth }
  var sourceLine: String { display.sourceLine }

  /// The display parts, made on first use and kept.
  var display: Display {
    if let display = caveatCache.withLock({ $0.display }) { return display }
    let shown = NumberFormat.quantity(value, unit)
    let display = Display(
      shown: shown, shownWidth: shown.displayWidth, labelWidth: label.displayWidth,
      sourceLine: (publisher.isEmpty ? "source not given" : publisher) + ", " + period + ": "
        + (definition.isEmpty ? "definition not given" : definition))
    caveatCache.withLock { $0.display = display }
    return display
  }

  struct Display: Sendable {
    let shown: String
    let shownWidth: Int
    let labelWidth: Int
    let sourceLine: String
  }

  /// Creates a figure.
  public convenience init(
    platform: String, field: String, label: String, value: Double, unit: Unit, publisher: String,
    period: String, definition: String, quote: String, statedAs: String, isEstimate: Bool = false,
    approximation: String? = nil, periodGiven: Bool = true, producer: String? = nil, status: Status? = nil,
    url: String? = nil, published: String? = nil, accessed: String? = nil, note: String? = nil
  ) {
    self.init(
      platform: platform, field: field, label: label, value: value, unit: unit, publisher: publisher,
      period: period,
      definition: definition, quote: quote, statedAs: statedAs, isEstimate: isEstimate,
      approximation: approximation,
      periodGiven: periodGiven, producer: producer, status: status, url: url, published: published,
      accessed: accessed, note: note, span: periodGiven ? Period.parse(period) : nil)
  }

  /// Creates a figure whose period is already read (a file's rows share a few periods: each
  /// is read once, not once a cell).
  convenience init(
    platform: String, field: String, label: String, value: Double, unit: Unit, publisher: String,
    period: String, definition: String, quote: String, statedAs: String, isEstimate: Bool = false,
    approximation: String? = nil, periodGiven: Bool = true, producer: String? = nil, status: Status? = nil,
    url: String? = nil, published: String? = nil, accessed: String? = nil, note: String? = nil, span: Period?
  ) {
    self.init(
      platform: platform, field: field, label: label, value: value, unit: unit,
      origin: Origin(
        publisher: publisher, period: period, definition: definition, quote: quote, statedAs: statedAs,
        approximation: approximation, periodGiven: periodGiven, span: span, producer: producer,
        status: status ?? (isEstimate ? .estimated : .reported), url: url, published: published,
        accessed: accessed, note: note))
  }

  /// Creates a figure with an origin it may share with others.
  init(platform: String, field: String, label: String, value: Double, unit: Unit, origin: Origin) {
    self.platform = platform
    self.field = field
    self.storedLabel = label
    self.row = -1
    self.value = value
    self.origin = origin
    super.init(figureUnit: unit)
  }

  /// Creates the figure of a file's row, labelled `file[row].field` (`origin.file`).
  init(platform: String, field: String, row: Int, value: Double, unit: Unit, origin: Origin) {
    self.platform = platform
    self.field = field
    self.storedLabel = ""
    self.row = max(0, row)
    self.value = value
    self.origin = origin
    super.init(figureUnit: unit)
  }

  /// Figures are equal when every part is.
  public static func == (lhs: Figure, rhs: Figure) -> Bool {
    lhs === rhs
      || (lhs.value == rhs.value && lhs.unit == rhs.unit && lhs.field == rhs.field
        && lhs.platform == rhs.platform && lhs.label == rhs.label
        && lhs.publisher == rhs.publisher && lhs.period == rhs.period
        && lhs.definition == rhs.definition && lhs.quote == rhs.quote && lhs.isEstimate == rhs.isEstimate
        && lhs.approximation == rhs.approximation && lhs.periodGiven == rhs.periodGiven
        && lhs.producer == rhs.producer && lhs.status == rhs.status && lhs.url == rhs.url
        && lhs.published == rhs.published && lhs.accessed == rhs.accessed && lhs.note == rhs.note)
  }

  /// True when the two figures raise the same caveats against any other: the same metric and
  /// unit, source and primary source, period, definition, status and approximation. Only the
  /// value and the label may differ.
  func isSameKind(as other: Figure) -> Bool {
    self === other
      || (origin === other.origin && field == other.field && unit == other.unit)
      || (field == other.field && unit == other.unit && publisher == other.publisher && period == other.period
        && periodGiven == other.periodGiven && definition == other.definition
        && isEstimate == other.isEstimate
        && status == other.status && approximation == other.approximation && producer == other.producer)
  }

  /// The caveat text for weighing this figure against `other`, or nil when nothing differs.
  /// Made once per pair and kept (figures are immutable), so that `compare` and `explain` in a
  /// loop do not rebuild the same sentences.
  func caveat(against other: Figure) -> String? {
    cachedCaveat(against: other).text
  }

  /// The same caveat under this figure's field instead of both labels (`mau: periods differ
  /// (…)`), as `compare` on two platforms lists it.
  func fieldCaveat(against other: Figure) -> String? {
    cachedCaveat(against: other).fieldText
  }

  private func cachedCaveat(against other: Figure) -> CaveatEntry {
    let serial = other.serial
    // A few entries per figure, found by the other figure's serial number: no hashing, and a
    // serial is never reused, unlike an object's address.
    if let entry = caveatCache.withLock({ cache in cache.entries.first { $0.other == serial } }) {
      return entry
    }
    let text = Figure.describeDifferences(self, other)
    let entry = CaveatEntry(
      other: serial, text: text, fieldText: text.map { field + ": " + Figure.afterLabel($0) })
    caveatCache.withLock { cache in
      if cache.entries.count >= 32 { cache.entries.removeAll(keepingCapacity: true) }
      cache.entries.append(entry)
    }
    return entry
  }

  private struct CaveatEntry: Sendable {
    let other: UInt64
    let text: String?
    let fieldText: String?
  }

  /// Caveats against other figures, by their serial numbers; bounded, and emptied when full.
  private var caveatCache: Locked<FigureCache> {
    let address = cacheAddress.load(ordering: .acquiring)
    if address != 0 { return Figure.cache(at: address) }
    let made = Unmanaged.passRetained(Locked(FigureCache()))
    let (stored, existing) = cacheAddress.compareExchange(
      expected: 0, desired: UInt(bitPattern: made.toOpaque()), ordering: .acquiringAndReleasing)
    if stored { return made.takeUnretainedValue() }
    // Another thread made one first: that one is kept.
    made.release()
    return Figure.cache(at: existing)
  }

  private static func cache(at address: UInt) -> Locked<FigureCache> {
    cacheReference(at: address).takeUnretainedValue()
  }

  private static func cacheReference(at address: UInt) -> Unmanaged<Locked<FigureCache>> {
    guard let pointer = UnsafeRawPointer(bitPattern: address) else {
      preconditionFailure("a figure's cache is read only once its address is stored")
    }
    return Unmanaged<Locked<FigureCache>>.fromOpaque(pointer)
  }

  /// The address of the cache (retained), made on first use, or 0: most figures of a loaded
  /// file are never explained or compared, and a lock for each would cost two allocations a
  /// figure. An atomic word rather than `AtomicLazyReference`, whose every read looked up
  /// generic metadata (8% of the `data` benchmark's instructions).
  private let cacheAddress = Atomic<UInt>(0)

  deinit {
    let address = cacheAddress.load(ordering: .acquiring)
    if address != 0 { Figure.cacheReference(at: address).release() }
  }

  /// What a figure makes once and keeps: caveats against other figures, and its shown value.
  private struct FigureCache {
    var entries: [CaveatEntry] = []
    var display: Display?
    /// The last `inputLine` made, with the widths it was made for.
    var inputLine: (labelWidth: Int, valueWidth: Int, text: String)?
  }

  /// The figure's lines under `explain`'s "inputs:" — label, value and source line padded to the
  /// given widths, then the quote — made once per pair of widths and kept: `explain` in a loop
  /// repeats the same lines, and building them byte by byte cost a third of its time.
  func inputLine(labelWidth: Int, valueWidth: Int) -> String {
    if let line = caveatCache.withLock({ $0.inputLine }), line.labelWidth == labelWidth,
      line.valueWidth == valueWidth
    {
      return line.text
    }
    let display = display
    var text = TextBuilder(capacity: 128 + quote.utf8.count)
    text.add("\n  ")
    text.add(label)
    text.spaces(labelWidth - display.labelWidth + 2)
    text.add(display.shown)
    text.spaces(valueWidth - display.shownWidth + 2)
    text.add(display.sourceLine)
    if !quote.isEmpty {
      text.add("\n  ")
      text.spaces(labelWidth + 2)
      text.add("“")
      text.add(quote)
      text.add("”")
    }
    let line = text.text
    caveatCache.withLock { $0.inputLine = (labelWidth, valueWidth, line) }
    return line
  }

  /// A number no other figure of this process has.
  let serial = Figure.serials.add(1, ordering: .relaxed).newValue

  private static let serials = Atomic<UInt64>(0)

  /// A caveat without its leading `a.label and b.label: ` (found by byte, not by character).
  static func afterLabel(_ caveat: String) -> Substring {
    guard let colon = caveat.utf8.firstIndex(of: UInt8(ascii: ":")) else { return caveat[...] }
    let start = caveat.utf8.index(colon, offsetBy: 2, limitedBy: caveat.utf8.endIndex) ?? caveat.utf8.endIndex
    return caveat[start...]
  }

  /// What makes weighing `a` against `b` not like for like. "Nothing" needs both periods given
  /// and equal, equal definitions and sources for the same metric, and neither figure an
  /// estimate or approximate.
  static func describeDifferences(_ a: Figure, _ b: Figure) -> String? {
    let parts = differences(a, b)
    if parts.isEmpty { return nil }
    return "\(a.label) and \(b.label): " + parts.map(\.text).joined(separator: "; ")
  }

  /// What makes weighing `a` against `b` not like for like, one `Caveat` a difference.
  static func differences(_ a: Figure, _ b: Figure) -> [Caveat] {
    var result: [Caveat] = []
    func add(_ kind: Caveat.Kind, _ figures: [Figure], _ text: String) {
      result.append(Caveat(kind: kind, figures: figures, text: text))
    }
    if a.periodGiven, b.periodGiven {
      if let spanA = a.span, let spanB = b.span {
        if let difference = spanA.difference(from: spanB) { add(.periods, [a, b], difference) }
      } else if a.period != b.period {
        add(.periods, [a, b], "periods differ (\(a.period) vs \(b.period))")
      }
    } else {
      let undated = [a, b].filter { !$0.periodGiven }
      add(
        .periodNotGiven, undated,
        "periods cannot be compared: no period is given for \(undated.map(\.label).joined(separator: " or "))"
      )
    }
    // Two figures of the same metric, or a figure of the user's own weighed against one of the
    // same unit, must also agree on what they count and who counted it.
    if a.field == b.field || ((a.field.isEmpty || b.field.isEmpty) && a.unit == b.unit) {
      if a.definition.isEmpty || b.definition.isEmpty {
        let undefined = [a, b].filter { $0.definition.isEmpty }
        add(
          .definitionNotGiven, undefined,
          "no definition is given for \(undefined.map(\.label).joined(separator: " or "))")
      } else if a.definition != b.definition {
        add(.definitions, [a, b], "definitions differ (\(a.definition) vs \(b.definition))")
      }
      if a.publisher.isEmpty || b.publisher.isEmpty {
        let unsourced = [a, b].filter { $0.publisher.isEmpty }
        add(
          .noSource, unsourced, "no source is given for \(unsourced.map(\.label).joined(separator: " or "))")
      } else if a.publisher != b.publisher {
        if let producer = a.producer ?? b.producer, (a.producer ?? a.publisher) == (b.producer ?? b.publisher)
        {
          add(
            .publishers, [a, b],
            "the same figures (\(producer)) through different publishers (\(a.publisher) vs \(b.publisher))")
        } else {
          add(.sources, [a, b], "sources differ (\(a.publisher) vs \(b.publisher))")
        }
      } else if (a.producer ?? a.publisher) != (b.producer ?? b.publisher) {
        add(
          .sources, [a, b],
          "primary sources differ (\(a.producer ?? a.publisher) vs \(b.producer ?? b.publisher))")
      }
    }
    return result + a.ownCaveatParts + b.ownCaveatParts
  }

  /// What a figure's reader must know whatever it is weighed against: an estimate, an
  /// approximate figure.
  var ownCaveats: [String] { ownCaveatParts.map(\.text) }

  /// `ownCaveats` as structured caveats.
  var ownCaveatParts: [Caveat] {
    var result: [Caveat] = []
    switch status {
    case .reported: break
    case .estimated: result.append(Caveat(kind: .status, figures: [self], text: "\(label) is an estimate"))
    case .provisional: result.append(Caveat(kind: .status, figures: [self], text: "\(label) is provisional"))
    case .forecast: result.append(Caveat(kind: .status, figures: [self], text: "\(label) is a forecast"))
    }
    if let approximation {
      result.append(
        Caveat(
          kind: .approximate, figures: [self],
          text: "\(label) is approximate (the source says “\(approximation)”)"))
    }
    return result
  }

  /// The caveats of this figure alone (shown by `explain` of a single figure).
  var soloCaveats: [String] { soloCaveatParts.map(\.text) }

  /// `soloCaveats` as structured caveats: what "none" would otherwise wrongly claim of one
  /// figure (no source, no period, no definition), then its status and approximation.
  var soloCaveatParts: [Caveat] {
    var result: [Caveat] = []
    if publisher.isEmpty {
      result.append(Caveat(kind: .noSource, figures: [self], text: "\(label): no source is given"))
    }
    if !periodGiven {
      result.append(
        Caveat(kind: .periodNotGiven, figures: [self], text: "\(label): no period is given (\(period))"))
    }
    if definition.isEmpty {
      result.append(
        Caveat(kind: .definitionNotGiven, figures: [self], text: "\(label): no definition is given"))
    }
    return ownCaveatParts + result
  }

  /// Hashes the identifying parts.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(field)
    hasher.combine(value)
  }
}

/// Where a computed number came from: the expression that produced it, the figures it used, and
/// the caveats that combining them raised. Plain numbers have none and pay nothing.
///
/// A provenance is also a ``Measure``: the measure of the value it was made for, whose unit is
/// its `unit` (``Unit/none`` unless made for a value with a unit). A computed value is then one
/// object rather than a measure holding a provenance.
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
  /// a loaded column) keeps one figure of each kind — the same metric, unit, source, period,
  /// definition and status, which raise the same caveats — and counts the rest in `omitted`.
  public var figures: [Figure] { figureList.array }
  /// `figures` as kept: one or two without an array (see ``FigureList``).
  let figureList: FigureList
  /// Figures used but not listed in `figures`, because one of the same kind is (see
  /// ``Provenance/figures``).
  public let omitted: Int
  /// All the figures used, listed or not.
  public var figureCount: Int { figureList.count + omitted }
  /// True when `figures` holds one figure of each kind (a computation over many figures).
  let isByKind: Bool
  /// Pairs of figures (indices into `figures`) that the computation weighed against each other.
  /// Caveat text is made from them only when asked for, so arithmetic stays cheap.
  let pairs: [Pair]
  /// Caveats given directly rather than derived from pairs.
  let givenCaveats: [String]

  struct Pair: Hashable, Sendable {
    var first: Int
    var second: Int
  }

  /// Caveats: pairs of inputs whose periods, sources or definitions differ.
  public var caveats: [String] {
    if pairs.isEmpty {
      // One figure, or one figure and plain numbers: what the figure itself needs said.
      var result = givenCaveats
      for figure in figureList { result += figure.soloCaveats.filter { !result.contains($0) } }
      return result
    }
    if pairs.count == 1, givenCaveats.isEmpty {
      // One pair of figures (ratio(x.mau, truth.mau)): its caveat, if any, without merging lists.
      guard let caveat = figureList[pairs[0].first].caveat(against: figureList[pairs[0].second]) else {
        return []
      }
      return [caveat]
    }
    var result = givenCaveats
    var involved = Set<Int>()
    for pair in pairs {
      involved.insert(pair.first)
      involved.insert(pair.second)
    }
    if involved.count > Provenance.figuresListedInCaveats {
      return result + Provenance.summary(of: figures, pairs: pairs, byKind: isByKind)
    }
    var seen = Set(givenCaveats)
    for pair in pairs {
      for caveat in Provenance.caveats(between: [figureList[pair.first]], and: [figureList[pair.second]])
      where seen.insert(caveat).inserted {
        result.append(caveat)
      }
    }
    return result
  }

  /// Up to this many figures weighed against each other, caveats are listed pair by pair
  /// (`a and b: …`); beyond it (a sum of a column) they are summed up by what differs: one line
  /// for the periods, one for the sources, and so on.
  static let figuresListedInCaveats = 4

  /// The caveats of many figures weighed against each other, one line per kind of difference,
  /// from the same pairwise differences (`Figure.differences`) as the listed form: which
  /// periods, sources and definitions occur, which figures lack one, and each figure's own
  /// caveats (estimates, approximations).
  static func summary(of figures: [Figure], pairs: [Pair], byKind: Bool) -> [String] {
    var index: [UInt64: Int] = [:]
    for (position, figure) in figures.enumerated() { index[figure.serial] = position }
    var found = [Caveat.Kind: Set<Int>]()
    var own: [String] = []
    var publisherTexts: [String] = []
    for pair in pairs {
      for caveat in Figure.differences(figures[pair.first], figures[pair.second]) {
        switch caveat.kind {
        case .status, .approximate:
          if !own.contains(caveat.text) { own.append(caveat.text) }
        case .publishers:
          if !publisherTexts.contains(caveat.text) { publisherTexts.append(caveat.text) }
        default:
          for figure in caveat.figures {
            if let position = index[figure.serial] { found[caveat.kind, default: []].insert(position) }
          }
        }
      }
    }
    let likeThem = byKind ? " and figures like them" : ""
    func which(_ positions: Set<Int>) -> String {
      if positions.count == figures.count { return "any of the figures" }
      let sorted = positions.sorted()
      let named = sorted.prefix(3).map { figures[$0].label }
      let more = sorted.count > 3 ? " and \(sorted.count - 3) more" : ""
      return named.joined(separator: ", ") + more + likeThem
    }
    func distinct(_ positions: Set<Int>, _ text: (Figure) -> String) -> [String] {
      var result: [String] = []
      for position in positions.sorted() where !result.contains(text(figures[position])) {
        result.append(text(figures[position]))
      }
      return result
    }
    func listed(_ items: [String]) -> String {
      items.count > 6 ? items.prefix(6).joined(separator: ", ") + ", …" : items.joined(separator: ", ")
    }
    var result: [String] = []
    if let positions = found[.periods] {
      // In time order when every period is read (periods that begin on the same day, shorter
      // first); else as first used. Ties go by position: `positions` is a set, whose order
      // changes from run to run, and so did the order of `2024` and `H1 2024`.
      let timed = positions.sorted { a, b in
        let first = figures[a].span
        let second = figures[b].span
        return (first?.firstDay ?? 0, first?.lastDay ?? 0, a) < (
          second?.firstDay ?? 0, second?.lastDay ?? 0, b
        )
      }
      var periods: [String] = []
      for position in timed where !periods.contains(figures[position].period) {
        periods.append(figures[position].period)
      }
      var line = "periods differ: \(periods.count) periods (\(listed(periods)))"
      // The first to begin against the last to begin: the distance `difference` measures
      // (start to start), so no other pair is farther apart.
      let spans = positions.sorted().compactMap { figures[$0].span }
      if spans.count == positions.count,
        let earliest = spans.min(by: { ($0.firstDay, $0.lastDay) < ($1.firstDay, $1.lastDay) }),
        let latest = spans.max(by: { ($0.firstDay, $0.lastDay) < ($1.firstDay, $1.lastDay) }),
        let distance = earliest.difference(from: latest)
      {
        line += "; from the earliest to the latest: " + distance
      }
      result.append(line)
    }
    if let positions = found[.periodNotGiven] {
      result.append("periods cannot all be compared: no period is given for \(which(positions))")
    }
    if let positions = found[.definitionNotGiven] {
      result.append("no definition is given for \(which(positions))")
    }
    if let positions = found[.definitions] {
      let definitions = distinct(positions) { $0.definition }
      result.append("definitions differ: \(definitions.count) definitions (\(listed(definitions)))")
    }
    if let positions = found[.noSource] {
      result.append("no source is given for \(which(positions))")
    }
    if let positions = found[.sources] {
      let sources = distinct(positions) { $0.producer ?? $0.publisher }.sorted()
      result.append("sources differ: \(sources.count) sources (\(listed(sources)))")
    }
    result += publisherTexts + own
    return result
  }

  /// Creates provenance.
  public init(expression: String, figures: [Figure], caveats: [String] = []) {
    self.text = .written(expression)
    self.precedence = 10
    self.figureList = FigureList(many: figures)
    self.pairs = []
    self.givenCaveats = caveats
    self.omitted = 0
    self.isByKind = false
    super.init(provenanceUnit: .none)
  }

  convenience init(
    expression: String, precedence: Int, figures: [Figure], pairs: [Pair], givenCaveats: [String]
  ) {
    self.init(
      text: .written(Provenance.bounded(expression)), precedence: precedence, figures: figures, pairs: pairs,
      givenCaveats: givenCaveats)
  }

  /// `unit` is the unit of the value the provenance is made for, which it is then the measure of.
  convenience init(
    text: Text, precedence: Int, figures: [Figure], pairs: [Pair], givenCaveats: [String], omitted: Int = 0,
    isByKind: Bool = false, unit: Unit = .none
  ) {
    self.init(
      text: text, precedence: precedence, figureList: FigureList(many: figures), pairs: pairs,
      givenCaveats: givenCaveats, omitted: omitted, isByKind: isByKind, unit: unit)
  }

  init(
    text: Text, precedence: Int, figureList: FigureList, pairs: [Pair], givenCaveats: [String],
    omitted: Int = 0,
    isByKind: Bool = false, unit: Unit = .none
  ) {
    self.text = text
    self.precedence = precedence
    self.figureList = figureList
    self.pairs = pairs
    self.givenCaveats = givenCaveats
    self.omitted = omitted
    self.isByKind = isByKind
    super.init(provenanceUnit: unit)
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
      text: text, precedence: precedence, figureList: figureList, pairs: pairs, givenCaveats: givenCaveats,
      omitted: omitted, isByKind: isByKind, unit: unit)
  }

  /// Provenance of a single figure.
  convenience init(figure: Figure) {
    self.init(
      text: .figure(figure), precedence: 10, figureList: FigureList(single: figure), pairs: [],
      givenCaveats: [],
      unit: figure.unit)
  }

  /// Combines the inputs of a computation into the provenance of its result: their figures, and
  /// every pair of figures from different inputs, which `caveats` checks for differences.
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
    if left.figureList.count == 1, right.figureList.count == 1, left.pairs.isEmpty, right.pairs.isEmpty,
      left.givenCaveats.isEmpty, right.givenCaveats.isEmpty, left.omitted == 0, right.omitted == 0
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

  /// The provenance of a computation on two single figures (`x.mau / truth.mau`): both, and the
  /// one pair to weigh — or the one figure, weighed against itself.
  static func ofTwo(
    _ a: Figure, _ b: Figure, text expression: consuming Text, precedence: Int, unit: Unit = .none
  ) -> Provenance {
    if a == b {
      return Provenance(
        text: expression, precedence: precedence, figureList: FigureList(single: a), pairs: [],
        givenCaveats: [],
        unit: unit)
    }
    return Provenance(
      text: expression, precedence: precedence, figureList: FigureList(a, b),
      pairs: Provenance.firstAgainstSecond,
      givenCaveats: [], unit: unit)
  }

  /// The caveat for a side of a comparison that has no source at all.
  static func noSource(_ value: Value) -> String {
    "\(value.inline) has no source, so nothing can be said about its period or definition"
  }

  /// The one pair of a two-figure computation, shared rather than allocated each time.
  static let firstAgainstSecond = [Pair(first: 0, second: 1)]

  /// How many figures a computation lists before it keeps one figure of each kind instead.
  static let listedFigures = 64
  /// How many kinds of figure a computation keeps; figures of further kinds are counted, and a
  /// caveat says that their differences are not all named.
  static let keptKinds = 32

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
    // A figure has no provenance stored: none omitted, no caveats given, no pairs.
    var omitted: Int { measure.storedProvenance?.omitted ?? 0 }
    var givenCaveats: [String] { measure.storedProvenance?.givenCaveats ?? [] }
    var isByKind: Bool { measure.storedProvenance?.isByKind ?? false }
    var pairs: [Pair] { measure.storedProvenance?.pairs ?? [] }

    func renamed(text: Text, precedence: Int, unit: Unit) -> Provenance {
      if let provenance = measure.storedProvenance {
        return provenance.renamed(text: text, precedence: precedence, unit: unit)
      }
      return Provenance(
        text: text, precedence: precedence, figureList: figures, pairs: [], givenCaveats: [], unit: unit)
    }
  }

  static func combine(text expression: Text, precedence: Int, inputs present: [Input], unit: Unit = .none)
    -> Provenance?
  {
    if present.isEmpty { return nil }
    if present.count == 1 { return present[0].renamed(text: expression, precedence: precedence, unit: unit) }
    let total = present.reduce(0) { $0 + $1.figureCount }
    // Many figures: one of each kind stands for the others (see `figures`).
    let byKind = total > listedFigures
    var figures: [Figure] = []
    var omitted = 0
    var unnamed = 0
    // The pairs made so far, in order, and a bit per possible pair to find them (no hashing:
    // a running total adds a pair or two to hundreds, 200,000 times).
    var order: [Pair] = []
    let listed = present.reduce(0) { $0 + $1.figures.count }
    let side = byKind ? min(listed, keptKinds) : listed
    var seen = [UInt64](repeating: 0, count: (side * side + 63) / 64)
    var given: [String] = []
    var positions: [[Int]] = []
    func addPair(_ pair: Pair) {
      // A pair and its reverse raise the same caveats: the first one made is kept.
      let bit = pair.first * side + pair.second
      let reverse = pair.second * side + pair.first
      let mask: UInt64 = 1 << UInt64(bit & 63)
      if seen[bit >> 6] & mask == 0, seen[reverse >> 6] & (1 << UInt64(reverse & 63)) == 0 {
        seen[bit >> 6] |= mask
        order.append(pair)
      }
    }
    for (inputIndex, provenance) in present.enumerated() {
      omitted += provenance.omitted
      for caveat in provenance.givenCaveats where !given.contains(caveat) { given.append(caveat) }
      // The first input's figures are already one of each (kind), when merged by kind: taken
      // as they are, without searching (a running total adds one figure to many, each time).
      if inputIndex == 0, !byKind || provenance.isByKind || provenance.figures.count <= 1 {
        figures = Array(provenance.figures)
        for pair in provenance.pairs { addPair(pair) }
        positions.append(Array(figures.indices))
        continue
      }
      // Where each of this input's figures went (nil: a kind beyond those kept).
      var mapped: [Int] = []
      var target: [Int?] = []
      for figure in provenance.figures {
        if let existing = figures.firstIndex(where: {
          $0 === figure || (byKind ? $0.isSameKind(as: figure) : $0 == figure)
        }) {
          if figures[existing] !== figure, byKind { omitted += 1 }
          if !mapped.contains(existing) { mapped.append(existing) }
          target.append(existing)
        } else if byKind, figures.count >= keptKinds {
          unnamed += 1
          target.append(nil)
        } else {
          figures.append(figure)
          mapped.append(figures.count - 1)
          target.append(figures.count - 1)
        }
      }
      for pair in provenance.pairs where pair.first < target.count && pair.second < target.count {
        guard let a = target[pair.first], let b = target[pair.second], a != b else { continue }
        addPair(Pair(first: a, second: b))
      }
      positions.append(mapped)
    }
    if byKind, positions.count > 2 {
      // Many inputs (a sum of a column): every kind is weighed against every other once, rather
      // than every input against every other.
      var used = [Bool](repeating: false, count: figures.count)
      for position in positions { for index in position { used[index] = true } }
      let kinds = used.indices.filter { used[$0] }
      for (offset, a) in kinds.enumerated() {
        for b in kinds[(offset + 1)...] { addPair(Pair(first: a, second: b)) }
      }
    } else {
      for (index, left) in positions.enumerated() {
        for right in positions[(index + 1)...] {
          for a in left {
            for b in right where a != b { addPair(Pair(first: a, second: b)) }
          }
        }
      }
    }
    if unnamed > 0 {
      let note =
        "more than \(keptKinds) kinds of figure (sources, periods, definitions): the differences of \(unnamed) more are not all named"
      if !given.contains(where: { $0.hasPrefix("more than \(keptKinds) kinds") }) { given.append(note) }
      omitted += unnamed
    }
    return Provenance(
      text: expression, precedence: precedence, figures: figures, pairs: order, givenCaveats: given,
      omitted: omitted, isByKind: byKind, unit: unit)
  }

  /// Caveats raised by weighing figures against each other: for the same metric, differing
  /// periods, publishers or definitions; for any two, an estimate weighed against a measurement.
  /// Between more than `figuresListedInCaveats` figures in all, the caveats are summed up by
  /// what differs (`summary`); `byKind` says that the figures stand for more like them.
  static func caveats(between left: [Figure], and right: [Figure], byKind: Bool = false) -> [String] {
    var all = left
    for figure in right where !all.contains(figure) { all.append(figure) }
    if all.count > figuresListedInCaveats {
      var pairs: [Pair] = []
      for a in left {
        for b in right where a != b {
          if let first = all.firstIndex(of: a), let second = all.firstIndex(of: b) {
            pairs.append(Pair(first: first, second: second))
          }
        }
      }
      return summary(of: all, pairs: pairs, byKind: byKind)
    }
    var result: [String] = []
    for a in left {
      for b in right where a != b {
        if let caveat = a.caveat(against: b) { result.append(caveat) }
      }
    }
    return result
  }
}

/// One reason a comparison is not like for like, for hosts that act on caveats rather than
/// show them: what kind of difference, the figures it is about, and the sentence pq shows.
public struct Caveat: Sendable, Equatable, CustomStringConvertible {
  /// The kinds of difference.
  public enum Kind: String, Sendable {
    /// The periods differ (within, overlapping, apart).
    case periods
    /// A figure's period is not given, so periods cannot be compared.
    case periodNotGiven
    /// The definitions of the same metric differ.
    case definitions
    /// A figure has no definition.
    case definitionNotGiven
    /// Different sources.
    case sources
    /// The same primary source through different publishers.
    case publishers
    /// A figure has no source at all.
    case noSource
    /// An estimate, a provisional figure or a forecast.
    case status
    /// An approximate figure ("roughly").
    case approximate
  }

  /// What kind of difference this is.
  public let kind: Kind
  /// The figures it is about.
  public let figures: [Figure]
  /// The sentence pq shows for it.
  public let text: String

  /// The sentence pq shows.
  public var description: String { text }
}

extension Value {
  /// The figures this value was computed from (for a figure, itself), first use first.
  public var figures: [Figure] { provenance?.figures ?? [] }

  /// Why weighing the figures behind this value is not like for like, structured: every pair of
  /// its inputs, then what each figure needs said on its own. Empty when there is nothing to say
  /// (see `caveatTexts` for the sentences `caveats()` gives, which also name an unsourced side).
  public var structuredCaveats: [Caveat] {
    let figures = self.figures
    var result: [Caveat] = []
    for (index, a) in figures.enumerated() {
      for b in figures[(index + 1)...] {
        for caveat in Figure.differences(a, b) where !result.contains(caveat) { result.append(caveat) }
      }
    }
    if figures.count == 1 { result += figures[0].soloCaveatParts }
    return result
  }

  /// The caveats as `caveats(v)` shows them.
  public var caveatTexts: [String] { provenance?.caveats ?? [] }

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
