import Synchronization

/// One figure as the article gives it: the number, its unit, who measured it, when, what it
/// counts, and the sentence it comes from. Immutable; shared by every value computed from it.
///
/// A figure is also the ``Measure`` of its own value (its unit, and itself as the provenance).
///
/// `@unchecked Sendable`, restated from ``Measure`` as Swift requires: its stored properties are
/// constants of `Sendable` types, and its one cache is behind a lock, kept in a labelled figure's
/// place or in a locked table by address (`Figure+Cache.swift`).
public final class Figure: Measure, @unchecked Sendable, Hashable {
  /// The number.
  public let value: Double
  /// The metric field, e.g. `mau`.
  public let field: String
  /// The platform, the row or label, and the origin: shared by the figures of one row of a file
  /// (held in the measure's slot that a plain measure holds its provenance in).
  var place: Place { unsafeDowncast(held.unsafelyUnwrapped, to: Place.self) }
  /// The platform's name, e.g. `Truth Social`.
  public var platform: String { place.platform }
  /// How pq code reaches it, e.g. `truth.mau`, or `pew.csv[3].news_share` for a figure of a
  /// loaded file (made when asked: a file's figures keep only their row number).
  public var label: String {
    let place = self.place
    guard place.row >= 0 else { return unsafeDowncast(place, to: LabelledPlace.self).label }
    return place.origin.file + "[" + String(place.row) + "]." + field
  }
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
  var origin: Origin { place.origin }

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
  convenience init(
    platform: String, field: String, label: String, value: Double, unit: Unit, margin: Margin? = nil,
    origin: Origin
  ) {
    self.init(
      field: field, value: value, unit: unit, margin: margin,
      place: LabelledPlace(platform: platform, label: label, origin: origin))
  }

  /// Creates a figure of a place it may share with the other figures of its row: a file's row
  /// labels them `file[row].field` (`origin.file`).
  init(field: String, value: Double, unit: Unit, margin: Margin? = nil, place: Place) {
    self.field = field
    self.value = value
    super.init(figureUnit: unit, margin: margin, place: place)
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
    guard place.row >= 0, !platform.isEmpty else { return label }
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
      return entry.caveats(of: self, against: other)
    }
    let caveats = CaveatRules.listed([self, other])
    guard let entry = CaveatEntry(other: serial, caveats: caveats, of: self, against: other) else {
      return caveats
    }
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

  deinit {
    if hasCache.load(ordering: .acquiring) { Figure.forgetCache(of: self) }
  }

  /// A number no other figure of this process has, given with the figure's cache (made on first
  /// use: most figures are never weighed against another).
  var serial: UInt64 { caveatCache.tag }

  static let serials = Atomic<UInt64>(0)

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
