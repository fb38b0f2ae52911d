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
  /// The licence the figure's data is published under, when its file says (a data package's
  /// `licenses`).
  public var license: String? { origin.license }
  /// The dataset the figure is part of, when its file says (a data package's title and homepage).
  public var dataset: String? { origin.dataset }
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
    /// The licence the data is published under (a data package's `licenses`).
    let license: String?
    /// The dataset the figure is part of: a data package's title and homepage.
    let dataset: String?

    init(
      publisher: String, period: String, definition: String, quote: String, statedAs: String,
      approximation: String?, periodGiven: Bool, span: Period?, producer: String?, status: Status,
      url: String?,
      published: String?, accessed: String?, note: String?, license: String? = nil, dataset: String? = nil,
      file: String = ""
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
      self.license = license
      self.dataset = dataset
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
    /// A company's own statement about itself ("company claim", "self-reported").
    case claimed
  }

  /// The source line `explain` and hover show (`Similarweb, September 2024: monthly active
  /// users`), made when asked with the rest of the figure's display parts (a loaded file has
  /// hundreds of thousands of figures, most never explained).
  package var sourceLine: String { display.sourceLine }

  /// The display parts, made on first use and kept.
  var display: Display {
    if let display = caveatCache.withLock({ $0.display }) { return display }
    let shown = NumberFormat.quantity(value, unit, margin: margin)
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
    url: String? = nil, published: String? = nil, accessed: String? = nil, note: String? = nil,
    license: String? = nil, dataset: String? = nil, margin: Margin? = nil
  ) {
    self.init(
      platform: platform, field: field, label: label, value: value, unit: unit, publisher: publisher,
      period: period,
      definition: definition, quote: quote, statedAs: statedAs, isEstimate: isEstimate,
      approximation: approximation,
      periodGiven: periodGiven, producer: producer, status: status, url: url, published: published,
      accessed: accessed, note: note, license: license, dataset: dataset,
      span: periodGiven ? Period.parse(period) : nil,
      margin: margin)
  }

  /// Creates a figure whose period is already read (a file's rows share a few periods: each
  /// is read once, not once a cell).
  convenience init(
    platform: String, field: String, label: String, value: Double, unit: Unit, publisher: String,
    period: String, definition: String, quote: String, statedAs: String, isEstimate: Bool = false,
    approximation: String? = nil, periodGiven: Bool = true, producer: String? = nil, status: Status? = nil,
    url: String? = nil, published: String? = nil, accessed: String? = nil, note: String? = nil,
    license: String? = nil, dataset: String? = nil, span: Period?, margin: Margin? = nil
  ) {
    self.init(
      platform: platform, field: field, label: label, value: value, unit: unit, margin: margin,
      origin: Origin(
        publisher: publisher, period: period, definition: definition, quote: quote, statedAs: statedAs,
        approximation: approximation, periodGiven: periodGiven, span: span, producer: producer,
        status: status ?? (isEstimate ? .estimated : .reported), url: url, published: published,
        accessed: accessed, note: note, license: license, dataset: dataset))
  }

  /// Creates a figure with an origin it may share with others.
  init(
    platform: String, field: String, label: String, value: Double, unit: Unit, margin: Margin? = nil,
    origin: Origin
  ) {
    self.platform = platform
    self.field = field
    self.storedLabel = label
    self.row = -1
    self.value = value
    self.origin = origin
    super.init(figureUnit: unit, margin: margin)
  }

  /// Creates the figure of a file's row, labelled `file[row].field` (`origin.file`).
  init(
    platform: String, field: String, row: Int, value: Double, unit: Unit, margin: Margin? = nil,
    origin: Origin
  ) {
    self.platform = platform
    self.field = field
    self.storedLabel = ""
    self.row = max(0, row)
    self.value = value
    self.origin = origin
    super.init(figureUnit: unit, margin: margin)
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
        && lhs.published == rhs.published && lhs.accessed == rhs.accessed && lhs.note == rhs.note
        && lhs.license == rhs.license && lhs.dataset == rhs.dataset)
  }

  /// True when the two figures raise the same caveats against any other: the same unit,
  /// source and primary source, period, definition, status, approximation and note. Only the
  /// value, the label and the metric's name may differ (a name is a label, not a definition).
  func isSameKind(as other: Figure) -> Bool {
    self === other
      || (origin === other.origin && unit == other.unit)
      || (unit == other.unit && publisher == other.publisher && period == other.period
        && periodGiven == other.periodGiven && definition == other.definition
        && status == other.status && approximation == other.approximation && producer == other.producer
        && note == other.note)
  }

  /// How caveats name the figure: a file's row by its platform, period and metric (`Bluesky
  /// 2024-11-18 signups`) when the row has a platform; else its label (`x.mau`, `f.csv[3].mau`).
  public var name: String {
    guard row >= 0, !platform.isEmpty else { return label }
    return platform + " " + (periodGiven ? period + " " : "") + field
  }

  /// The caveats of weighing this figure against `other` (see ``CaveatRules``). Made once per
  /// pair and kept (figures are immutable), so that `compare` and `explain` in a loop do not
  /// rebuild the same sentences.
  func caveats(against other: Figure) -> [Caveat] {
    let serial = other.serial
    // A few entries per figure, found by the other figure's serial number: no hashing, and a
    // serial is never reused, unlike an object's address.
    if let entry = caveatCache.withLock({ cache in cache.entries.first { $0.other == serial } }) {
      return entry.caveats
    }
    let caveats = CaveatRules.listed([self, other])
    let entry = CaveatEntry(other: serial, caveats: caveats)
    caveatCache.withLock { cache in
      if cache.entries.count >= 32 { cache.entries.removeAll(keepingCapacity: true) }
      cache.entries.append(entry)
    }
    return caveats
  }

  /// The caveats against `other` as the row of `metric` in `compare` holds them (caveat
  /// values under the metric), made once per pair and metric and kept: `compare(x, truth)` in a
  /// loop would otherwise make the same records every time.
  func caveatValues(against other: Figure, metric: String) -> [Value] {
    let serial = other.serial
    if let values = caveatCache.withLock({ cache -> [Value]? in
      guard let entry = cache.entries.first(where: { $0.other == serial }), let row = entry.row,
        row.metric == metric
      else { return nil }
      return row.values
    }) {
      return values
    }
    let values = caveats(against: other).map { $0.under(metric: metric).value }
    caveatCache.withLock { cache in
      if let index = cache.entries.firstIndex(where: { $0.other == serial }) {
        cache.entries[index].row = (metric, values)
      }
    }
    return values
  }

  private struct CaveatEntry: Sendable {
    let other: UInt64
    let caveats: [Caveat]
    /// `caveats` as a comparison's row of a metric holds them.
    var row: (metric: String, values: [Value])?
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
    // Every other field that is set, each on its line: nothing the source says is hidden.
    for (name, field) in extraFields {
      text.add("\n  ")
      text.spaces(labelWidth + 2)
      text.add(name)
      text.add(": ")
      text.add(field)
    }
    let line = text.text
    caveatCache.withLock { $0.inputLine = (labelWidth, valueWidth, line) }
    return line
  }

  /// The fields `explain` shows under the source line when they are set: the primary source, a
  /// status other than reported, the URL, the dates and the note.
  var extraFields: [(String, String)] {
    var result: [(String, String)] = []
    if let producer { result.append(("primary source", producer)) }
    if status != .reported { result.append(("status", status.rawValue)) }
    if let url { result.append(("url", url)) }
    if let published { result.append(("published", published)) }
    if let accessed { result.append(("accessed", accessed)) }
    if let note { result.append(("note", note)) }
    if let dataset { result.append(("dataset", dataset)) }
    if let license { result.append(("license", license)) }
    return result
  }

  /// A number no other figure of this process has.
  let serial = Figure.serials.add(1, ordering: .relaxed).newValue

  private static let serials = Atomic<UInt64>(0)

  /// The caveats of this figure alone (shown by `explain` of a single figure): what "none"
  /// would otherwise wrongly claim of it (no source, no period, no definition), then its
  /// status, approximation and note.
  package var soloCaveats: [Caveat] { CaveatRules.listed([self]) }

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
