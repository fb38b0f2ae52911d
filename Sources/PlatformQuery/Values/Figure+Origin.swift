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
