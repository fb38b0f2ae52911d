/// One reason a comparison is not like for like, as a value: what kind of difference, what it
/// concerns, the differing field values, and (in a comparison of platforms) the metric's row.
///
/// Every output — text, `--json`, HTML, SVG footnotes, hover, the machine mode — renders caveats
/// from these fields; nothing reads a caveat's sentence back. The sentence is made once, by
/// `CaveatRules`, from the same fields.
public struct Caveat: Sendable, Equatable, CustomStringConvertible {
  /// The kinds of caveat.
  public enum Kind: String, Sendable, CaseIterable {
    /// A side has no source, the sources differ, or a result combines figures of several sources.
    case source
    /// The same primary source through different publishers, or primary sources that differ.
    case producer
    /// Periods differ (within, overlapping, apart) or are not given.
    case period
    /// Definitions differ or are not given.
    case definition
    /// An estimate, a claim, a provisional figure or a forecast; a claim weighed against a
    /// measurement.
    case status
    /// A plain number read in another value's unit.
    case unitRead = "unit read"
    /// A figure its source states approximately ("roughly").
    case approximate
    /// A figure missing from one side.
    case missing
    /// Values at scales that cannot be weighed (a plain number beside a percentage), or in
    /// different units (only their ratio means something).
    case scale
    /// Shares of different wholes added or averaged.
    case wholes
    /// A note the figure's source attaches to it.
    case note
    /// Margins of error: combined assuming independent samples, or not carried into a result.
    case margin
  }

  /// What kind of difference this is.
  public let kind: Kind
  /// The figures it is about (empty for values without a source).
  public let figures: [Figure]
  /// What it is about, as shown: figure names, or values without a source.
  public let subjects: [String]
  /// The field values that differ (two for a pair: `["September 2024", "2024-10"]`), or the
  /// distinct values of a summary, each with its count (`"Similarweb (60 figures)"`).
  public let values: [String]
  /// The metric of a comparison's row it belongs to, or nil.
  public let metric: String?
  /// The sentence, without the metric.
  public let text: String

  /// Creates a caveat. `text` is the sentence for it, made from the other fields.
  init(
    _ kind: Kind, figures: [Figure] = [], subjects: [String]? = nil, values: [String] = [],
    metric: String? = nil, text: String
  ) {
    self.kind = kind
    self.figures = figures
    self.subjects = subjects ?? figures.map(\.name)
    self.values = values
    self.metric = metric
    self.text = text
  }

  /// The sentence as shown: `revenue: definitions differ (…)` under a metric, else the text.
  public var description: String { metric.map { $0 + ": " + text } ?? text }

  /// The same caveat about `figures` instead (its subjects as they were).
  func naming(_ figures: [Figure]) -> Caveat {
    Caveat(kind, figures: figures, subjects: subjects, values: values, metric: metric, text: text)
  }

  /// The same caveat in the row of `metric`.
  func under(metric: String) -> Caveat {
    Caveat(kind, figures: figures, subjects: subjects, values: values, metric: metric, text: text)
  }

  /// Caveats are equal when they say the same of the same figures.
  public static func == (lhs: Caveat, rhs: Caveat) -> Bool {
    lhs.kind == rhs.kind && lhs.text == rhs.text && lhs.metric == rhs.metric && lhs.values == rhs.values
      && lhs.subjects == rhs.subjects
  }

  /// True when the two say the same difference, whatever figures they name (merged into one):
  /// the same sentence, or the same two differing values in either order (`2024-09 vs 2024-10`
  /// and `2024-10 vs 2024-09`).
  func saysSame(as other: Caveat) -> Bool {
    guard kind == other.kind, metric == other.metric else { return false }
    if text == other.text { return true }
    return values.count == 2 && other.values.count == 2 && values[0] == other.values[1]
      && values[1] == other.values[0]
  }

  /// The caveat as a pq value: a record of kind `caveat` (`kind`, `text`, `subjects`, `values`,
  /// `metric`), shown as its sentence.
  public var value: Value {
    .record(
      Record(
        shape: Caveat.shape,
        values: [
          .string(kind.rawValue), .string(text), .list(subjects.map { .string($0) }),
          .list(values.map { .string($0) }), metric.map { .string($0) } ?? .nil,
        ]))
  }

  static let shape = Shape(keys: ["kind", "text", "subjects", "values", "metric"], kind: .caveat)

  /// The caveat a pq value stands for: a caveat record read by its fields, or nil.
  init?(_ value: Value) {
    guard case .record(let record) = value, record.kind == .caveat,
      let kind = record["kind"].flatMap({ Kind(rawValue: $0.text) }), case .string(let text)? = record["text"]
    else { return nil }
    func strings(_ key: String) -> [String] {
      guard case .list(let items)? = record[key] else { return [] }
      return items.map(\.text)
    }
    var metric: String?
    if case .string(let name)? = record["metric"] { metric = name }
    self.init(kind, subjects: strings("subjects"), values: strings("values"), metric: metric, text: text)
  }

  /// Adds `caveat` to `list`, merging it into one that says the same (their subjects joined).
  static func add(_ caveat: Caveat, to list: inout [Caveat]) {
    if let index = list.firstIndex(where: { $0.saysSame(as: caveat) }) {
      let old = list[index]
      var figures = old.figures
      for figure in caveat.figures where !figures.contains(where: { $0 === figure }) {
        figures.append(figure)
      }
      var subjects = old.subjects
      for subject in caveat.subjects where !subjects.contains(subject) { subjects.append(subject) }
      list[index] = Caveat(
        old.kind, figures: figures, subjects: subjects, values: old.values, metric: old.metric, text: old.text
      )
    } else {
      list.append(caveat)
    }
  }
}

extension Caveat {
  /// `a`, `a and b`, `a, b and c`.
  static func joined(_ parts: [String]) -> String {
    if parts.count <= 1 { return parts.first ?? "" }
    return parts.dropLast().joined(separator: ", ") + " and " + parts[parts.count - 1]
  }
}

extension Caveat {
  /// A few words for the kind of difference, for a one-line summary: `periods differ`, `no
  /// source given`, `status: estimated`.
  public var shortForm: String {
    let differs = values.count >= 2
    switch kind {
    case .period: return differs ? "periods differ" : "no period given"
    case .definition: return differs ? "definitions differ" : "no definition given"
    case .source: return differs ? "sources differ" : "no source given"
    case .producer: return "publishers differ"
    case .status:
      if values.count == 2 { return "a company's claim weighed against other figures" }
      return values.isEmpty ? "status" : "status: " + values.joined(separator: ", ")
    case .unitRead: return "a plain number read in a unit"
    case .approximate: return "approximate"
    case .missing: return "a figure missing"
    case .scale: return "different scales"
    case .wholes: return "shares of different wholes"
    case .note: return "a note"
    case .margin: return text.hasPrefix("within") ? "within the margin of error" : "margin of error"
    }
  }
}

extension Value {
  /// One line saying that a number carries caveats, for a prompt or a terminal under the value:
  /// `2 caveats: definitions differ; sources differ — caveats(_)`, with `hint` at the end. Nil
  /// when the value is not a number with caveats (tables, comparisons and charts list theirs).
  public func caveatLine(hint: String) -> String? {
    guard case .quantity = self else { return nil }
    let caveats = structuredCaveats
    if caveats.isEmpty { return nil }
    var phrases: [String] = []
    for caveat in caveats where !phrases.contains(caveat.shortForm) { phrases.append(caveat.shortForm) }
    return "\(plural(caveats.count, "caveat")): \(phrases.joined(separator: "; ")) — \(hint)"
  }
}
