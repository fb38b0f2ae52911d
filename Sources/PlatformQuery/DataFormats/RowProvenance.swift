/// A row's provenance: its source, period, definition and status cells read once into an origin
/// that the row's figures (and rows saying the same) share. CSV and JSON rows both use it.
extension DataFile {
  /// What a row's provenance cells say, read once for all the row's figures.
  struct RowOrigin: Hashable {
    var publisher = ""
    var period = "not given"
    var periodGiven = false
    var span: Period?
    var status = Figure.Status.reported
    var definition: String?
    var quote = ""
    /// The words that state the number (JSON figure objects have them; CSV rows do not).
    var statedAs = ""
    var approximation: String?
    var producer: String?
    var url: String?
    var published: String?
    var accessed: String?
    var note: String?
    var license: String?
    var dataset: String?

    /// Sets the fields both formats read the same way from their columns or members (`source`,
    /// `period` or `period_note`, `quote`, `approximate`, `producer`, `url`, `published`,
    /// `accessed`, `note`); the period's span, the status and the definition each reader sets
    /// itself.
    mutating func readTexts(_ text: (String) -> String?) {
      publisher = text("source") ?? ""
      period = text("period") ?? text("period_note") ?? "not given"
      quote = text("quote") ?? ""
      approximation = text("approximate")
      producer = text("producer")
      url = text("url")
      published = text("published")
      accessed = text("accessed")
      license = text("license")
      dataset = text("dataset")
      note = text("note")
    }
  }

  /// Reads a row's provenance cells; a period or status that cannot be read is an error at its cell.
  static func rowOrigin(given: [String: (String, Int)], source: Source, periods: inout [String: Period])
    throws(PQError) -> RowOrigin
  {
    func text(_ key: String) -> String? { given[key]?.0 }
    var origin = RowOrigin()
    if let (period, offset) = given["period"] {
      // Rows share a few periods: each text is read once.
      if let known = periods[period] {
        origin.span = known
      } else {
        origin.span = Period.parse(period)
        if let span = origin.span { periods[period] = span }
      }
      guard origin.span != nil else {
        throw PQError(
          .runtime, "'\(period)' in column 'period' is not a period", source: source,
          span: Span(start: offset, end: offset + period.utf8.count),
          notes: ["periods are written " + Period.acceptedForms])
      }
      origin.periodGiven = true
    }
    if let (word, offset) = given["status"] {
      guard let known = Figure.Status.read(word) else {
        throw PQError(
          .runtime, "'\(word)' in column 'status' is not a status", source: source,
          span: Span(start: offset, end: offset + word.utf8.count),
          notes: ["statuses: " + Figure.Status.acceptedWords])
      }
      origin.status = known
    }
    origin.readTexts(text)
    origin.definition = text("definition")
    return origin
  }

  /// A row's origin as its provenance cells say it, with the figure origins made from it (one
  /// per definition), kept for the rows that have the same cells.
  /// A class: rows share it, and a struct of fourteen fields would be copied for every row.
  final class RowProvenance {
    let origin: RowOrigin
    var made: [(String, Figure.Origin)] = []
    /// The figure origin of each column of a CSV file already given one (nil for the rest).
    private var byColumn: [Figure.Origin?] = []
    init(origin: RowOrigin) { self.origin = origin }

    func origin(ofColumn column: Int) -> Figure.Origin? { column < byColumn.count ? byColumn[column] : nil }

    func setOrigin(_ origin: Figure.Origin, ofColumn column: Int) {
      if column >= byColumn.count { byColumn += Array(repeating: nil, count: column + 1 - byColumn.count) }
      byColumn[column] = origin
    }
  }

  /// The origins made for one file's figures. Rows share a few distinct provenances (sources ×
  /// periods), so one origin serves every row that says the same (up to `limit` distinct ones;
  /// beyond that each row has its own, as a file of unique notes would need anyway).
  struct OriginCache {
    /// The file's last path component, which labels its figures (`wide.csv[3].mau`).
    let file: String
    var known: [RowOrigin: Figure.Origin] = [:]
    static let limit = 4096

    init(file: String) { self.file = file }

    /// The one origin for these provenance fields (the definition already decided).
    mutating func origin(_ key: RowOrigin) -> Figure.Origin {
      if let known = known[key] { return known }
      let made = Figure.Origin(
        publisher: key.publisher, period: key.period, definition: key.definition ?? "", quote: key.quote,
        statedAs: key.statedAs, approximation: key.approximation, periodGiven: key.periodGiven,
        span: key.span,
        producer: key.producer, status: key.status, url: key.url, published: key.published,
        accessed: key.accessed, note: key.note, license: key.license,
        dataset: key.dataset, file: file)
      if known.count < OriginCache.limit { known[key] = made }
      return made
    }
  }

  /// The shared origin of a row's figures; one per distinct definition (a data package may
  /// describe each field differently), kept in `made` for the row and in `cache` for the file.
  static func figureOrigin(
    _ origin: RowOrigin, definition: String?, cache: inout OriginCache, made: inout [(String, Figure.Origin)]
  ) -> Figure.Origin {
    let text = origin.definition ?? definition ?? ""
    if let shared = made.first(where: { $0.0 == text }) { return shared.1 }
    var key = origin
    key.definition = text
    let shared = cache.origin(key)
    made.append((text, shared))
    return shared
  }

  /// One figure of a row, labelled as the user reaches it: `pew.csv[0].news_share` (the file's
  /// name is the origin's). The figures of a row with the same origin share one place: `place`
  /// starts nil for each row and keeps the last one made.
  static func rowFigure(
    _ number: Double, _ unit: Unit, name: String, field: String, origin: Figure.Origin, row: Int,
    place: inout Figure.Place?, margin: Margin? = nil
  )
    -> Value
  {
    let shared: Figure.Place
    if let place, place.origin === origin {
      shared = place
    } else {
      shared = Figure.Place(platform: name, row: row, origin: origin)
      place = shared
    }
    return Dataset.figureValue(Figure(field: field, value: number, unit: unit, margin: margin, place: shared))
  }

  /// The margin of error a row's `margin` and `confidence` cells give its one figure, read as
  /// `value ± margin` reads it (a percentage's margin in points: `3pp`); nil without a margin
  /// cell. A margin is one figure's: a row of several figures with one is an error at the cell,
  /// as is a confidence without a margin.
  static func rowMargin(given: [String: (String, Int)], figures: [(String, Value)], source: Source)
    throws(PQError) -> Margin?
  {
    func failure(_ key: String, _ message: String, notes: [String] = []) -> PQError {
      let (text, offset) = given[key] ?? ("", 0)
      return cellError(message, text, at: offset, in: source, notes: notes)
    }
    guard let (text, _) = given["margin"] else {
      if given["confidence"] != nil {
        throw failure("confidence", "a confidence goes with a margin, and this row's margin cell is empty")
      }
      return nil
    }
    guard figures.count == 1, let (column, value) = figures.first else {
      throw failure(
        "margin",
        figures.isEmpty
          ? "this row has a margin of error but no figure"
          : "a margin column gives one figure's margin, and this row has \(figures.count) (\(figures.map(\.0).joined(separator: ", ")))",
        notes: ["write one figure a row: name, metric, value, margin, confidence"])
    }
    guard let width = Literal.parse(text) else {
      throw failure(
        "margin", "'\(text)' in column 'margin' is not a number", notes: ["write it as 3pp, 2M or 1,000"])
    }
    var confidence: Double?
    if let (level, _) = given["confidence"] {
      guard let read = Literal.parse(level), let fraction = read.numericValue,
        read.unit.isNone || read.isPercent, fraction > 0, fraction < 1
      else {
        throw failure("confidence", "'\(level)' in column 'confidence' is not a confidence such as 95%")
      }
      confidence = fraction
    }
    do {
      return Margin.of(try Margin.attach(width, to: value, confidence: confidence))
    } catch {
      throw failure("margin", "\(column)'s margin: " + error.message, notes: error.notes)
    }
  }
}
