import Synchronization

/// Where a figure comes from: the provenance fields one row or one object gives, shared by its
/// figures, and the status a figure is reported with.
extension Figure {
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
}

extension Figure {
  /// What the figures of one row of a file share besides their origin: the platform and the row
  /// (a figure keeps one reference to it, not a platform's name and a row number of its own: a
  /// file has hundreds of thousands of figures). A figure with a label of its own has a
  /// ``LabelledPlace`` (row -1).
  ///
  /// `@unchecked Sendable`: not final (``LabelledPlace`` extends it), so Swift cannot check it;
  /// its stored properties are constants of `Sendable` types.
  class Place: @unchecked Sendable {
    /// The platform's name, e.g. `Truth Social`.
    let platform: String
    /// The row of the file (`origin.file`) the figures come from, or -1 for a labelled figure.
    let row: Int
    /// Where the figures come from.
    let origin: Origin

    /// The place of row `row` (0 or more) of a file.
    init(platform: String, row: Int, origin: Origin) {
      self.platform = platform
      self.row = max(0, row)
      self.origin = origin
    }

    fileprivate init(platform: String, origin: Origin) {
      self.platform = platform
      self.row = -1
      self.origin = origin
    }
  }

  /// The place of a figure with a label of its own (`truth.mau`).
  ///
  /// A labelled figure has a place of its own (made by `Figure.init(platform:field:label:…)` alone),
  /// so the place also keeps the figure's cache: the article's figures, weighed in every
  /// `compare`, find it through an atomic word, not through the table of caches by address
  /// (whose lock and probe cost a `compare` loop 7%).
  final class LabelledPlace: Place, @unchecked Sendable {
    /// How pq code reaches the figure.
    let label: String
    /// The address of the figure's cache (retained), made on first use, or 0.
    let cacheAddress = Atomic<UInt>(0)

    /// The place of one figure with a label of its own: never given to a second figure, whose
    /// cache it would then share.
    init(platform: String, label: String, origin: Origin) {
      self.label = label
      super.init(platform: platform, origin: origin)
    }

    /// The figure's cache: the first thread to store one wins, a loser releases its own.
    var cache: Locked<FigureCache> {
      let address = cacheAddress.load(ordering: .acquiring)
      if address != 0 { return LabelledPlace.cache(at: address) }
      let made = Unmanaged.passRetained(
        Locked(FigureCache(), tag: Figure.serials.add(1, ordering: .relaxed).newValue))
      let (stored, existing) = cacheAddress.compareExchange(
        expected: 0, desired: UInt(bitPattern: made.toOpaque()), ordering: .acquiringAndReleasing)
      if stored { return made.takeUnretainedValue() }
      made.release()
      return LabelledPlace.cache(at: existing)
    }

    private static func cache(at address: UInt) -> Locked<FigureCache> {
      reference(at: address).takeUnretainedValue()
    }

    private static func reference(at address: UInt) -> Unmanaged<Locked<FigureCache>> {
      guard let pointer = UnsafeRawPointer(bitPattern: address) else {
        preconditionFailure("a figure's cache is read only once its address is stored")
      }
      return Unmanaged<Locked<FigureCache>>.fromOpaque(pointer)
    }

    deinit {
      let address = cacheAddress.load(ordering: .acquiring)
      if address != 0 { LabelledPlace.reference(at: address).release() }
    }
  }
}
