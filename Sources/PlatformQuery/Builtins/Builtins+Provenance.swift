extension Builtins {
  /// The figures behind a value: a number's sources, or every figure of a platform or comparison.
  static func figures(of value: Value) -> FigureList {
    switch value {
    case .quantity(_, let measure): return measure.sourceFigures
    case .record(let record):
      var result: [Figure] = []
      for field in record.values {
        for figure in figures(of: field) where !result.contains(figure) { result.append(figure) }
      }
      return FigureList(many: result)
    case .list(let items):
      var result: [Figure] = []
      for item in items {
        for figure in figures(of: item) where !result.contains(figure) { result.append(figure) }
      }
      return FigureList(many: result)
    default: return .none
    }
  }

  static func caveats(of value: Value) -> [Caveat] {
    if case .record(let record) = value, case .list(let list)? = record["caveats"],
      record.kind == .comparison || record.kind == .platformComparison || record.kind == .chart
    {
      return list.compactMap(Caveat.init)
    }
    if case .record(let record) = value, record.kind == .caveat { return Caveat(value).map { [$0] } ?? [] }
    // A ranking (`rank`, `top`): what its table says under it, of its metric's values.
    if case .list(let items) = value, let ranked = Table.rankedValues(items) {
      return CaveatRules.weighing(ranked)
    }
    switch value {
    case .list, .record:
      // A list of figures or of records (a ranking, a loaded table): their figures weighed
      // against each other.
      var values: [Value] = []
      func collect(_ value: Value) {
        switch value {
        case .quantity: values.append(value)
        case .list(let items): items.forEach(collect)
        case .record(let record): record.values.forEach(collect)
        default: break
        }
      }
      collect(value)
      return CaveatRules.weighing(values)
    default:
      return value.provenance?.caveats ?? []
    }
  }

  /// The provenance fields `figure()` takes and `source()` gives, in order.
  static let provenanceFields = [
    "source", "producer", "period", "definition", "status", "url", "published", "accessed", "quote", "note",
    "license", "dataset",
  ]

  /// A figure's provenance as a record: what `source()` gives, one per figure.
  static func sourceRecord(_ figure: Figure) -> Value {
    var pairs: [(String, Value)] = [
      ("figure", .string(figure.label)), ("value", Dataset.figureValue(figure)),
      ("publisher", .string(figure.publisher)),
    ]
    pairs.append(("producer", figure.producer.map { .string($0) } ?? .nil))
    pairs.append(("period", .string(figure.period)))
    pairs.append(("definition", .string(figure.definition)))
    pairs.append(("status", .string(figure.status.rawValue)))
    for (key, text) in [
      ("url", figure.url), ("published", figure.published), ("accessed", figure.accessed),
    ] {
      pairs.append((key, text.map { .string($0) } ?? .nil))
    }
    pairs.append(("quote", .string(figure.quote)))
    pairs.append(("note", figure.note.map { .string($0) } ?? .nil))
    return .record(Record(pairs))
  }

  /// Makes a figure of the user's own from `figure(value, unit:, source:, …)`.
  static func makeFigure(_ arguments: Arguments) throws(PQError) -> Value {
    let value = arguments[0]
    guard let number = value.numericValue else { throw arguments.typeError(0, "a number") }
    var unit = value.unit
    func text(_ key: String) throws(PQError) -> String? {
      guard let given = arguments.named[key] else { return nil }
      switch given {
      case .nil: return nil
      case .string(let text): return text.isEmpty ? nil : text
      default: throw arguments.failure("\(key): must be text, not \(Arithmetic.describe(given))")
      }
    }
    var shown = number * unit.shownFactor
    if let name = try text("unit") {
      guard let named = Unit.parse(name) else {
        throw arguments.failure("unit: '\(name)' is not a unit", notes: [Unit.namingNote])
      }
      if !unit.isNone, unit != named {
        throw arguments.failure(
          "unit: the value is already in \(unit), not \(named)",
          notes: ["leave out unit:, or give a plain number"])
      }
      if unit.isNone { shown = number }
      unit = named
    }
    var periodGiven = false
    var periodText = "not given"
    if let period = try text("period") {
      guard Period.parse(period) != nil else {
        throw arguments.failure(
          "period: '\(period)' is not a period", notes: ["periods are written " + Period.acceptedForms])
      }
      periodGiven = true
      periodText = period
    }
    var status = Figure.Status.reported
    if let word = try text("status") {
      guard let known = Figure.Status.read(word) else {
        throw arguments.failure(
          "status: '\(word)' is not a status",
          notes: Suggestion.note(for: word, in: Figure.Status.allCases.map(\.rawValue))
            + ["statuses: " + Figure.Status.acceptedWords])
      }
      status = known
    }
    let stored = shown / unit.shownFactor
    let margin = try figureMargin(arguments, value: Value.make(stored, unit, nil))
    let label = try text("label") ?? "figure(\(NumberFormat.quantity(stored, unit)))"
    let figure = Figure(
      platform: "", field: "", label: label, value: stored, unit: unit, publisher: try text("source") ?? "",
      period: periodText, definition: try text("definition") ?? "", quote: try text("quote") ?? "",
      statedAs: "",
      periodGiven: periodGiven, producer: try text("producer"), status: status, url: try text("url"),
      published: try text("published"), accessed: try text("accessed"), note: try text("note"),
      license: try text("license"), dataset: try text("dataset"), margin: margin)
    return Dataset.figureValue(figure)
  }

  /// `margin:` and `confidence:` of `figure(…)`: the margin as `value ± margin` reads it, and
  /// the confidence as a percentage (`95%`) or a fraction (`0.95`). A confidence without a
  /// margin is refused: it would describe nothing.
  static func figureMargin(_ arguments: Arguments, value: Value) throws(PQError) -> Margin? {
    let width = arguments.named["margin"] ?? .nil
    let level = arguments.named["confidence"] ?? .nil
    if case .nil = width {
      if case .nil = level { return nil }
      throw arguments.failure("confidence: goes with margin:, the margin of error it describes")
    }
    var confidence: Double?
    if case .nil = level {
    } else {
      guard let fraction = level.numericValue, level.unit.isNone || level.isPercent, fraction > 0,
        fraction < 1
      else {
        throw arguments.failure(
          "confidence: must be a percentage between 0% and 100%, such as 95%, not \(level.inline)")
      }
      confidence = fraction
    }
    do {
      return Margin.of(try Margin.attach(width, to: value, confidence: confidence))
    } catch {
      throw arguments.failure("margin: " + error.message, notes: error.notes)
    }
  }

  static let provenance: [NativeFunction] = [
    NativeFunction(
      "figure(value)", named: provenanceFields + ["unit", "label", "margin", "confidence"],
      doc:
        "A figure of your own with its provenance: unit:, source:, producer:, period:, definition:, status:, url:, published:, accessed:, quote:, note:, and the margin of error its source gives (margin:, confidence:).",
      example:
        "figure(72.9M, unit: \"users\", source: \"Similarweb\", period: \"2024-10\", definition: \"monthly active users on the mobile apps\")"
    ) { arguments throws(PQError) in try makeFigure(arguments) },
    NativeFunction(
      "source(value)",
      doc:
        "The sources behind a figure or a computed value, as records (figure, value, publisher, producer, period, definition, status, url, published, accessed, quote, note).",
      example: "source(x.mau / truth.mau)"
    ) { arguments throws(PQError) in
      .list(figures(of: arguments[0]).map(sourceRecord))
    },
    NativeFunction(
      "quote(value)", doc: "The article's sentences behind a value, one per line.",
      example: "quote(truth.news_share)"
    ) { arguments throws(PQError) in
      var sentences: [String] = []
      for figure in figures(of: arguments[0]) where !sentences.contains(figure.quote) {
        sentences.append(figure.quote)
      }
      return .string(sentences.map { "“\($0)”" }.joined(separator: "\n"))
    },
    NativeFunction(
      "caveats(value)",
      doc:
        "The caveats of a computed value or comparison: inputs whose periods, sources or definitions differ.",
      example: "caveats(ratio(x.revenue, truth.revenue))"
    ) { arguments throws(PQError) in
      .list(caveats(of: arguments[0]).map(\.value))
    },
    NativeFunction(
      "explain(value)",
      doc:
        "How a value was computed: the expression, each input with its figure, publisher and period, and caveats.",
      example: "explain(ratio(x.mau, truth.mau))"
    ) { arguments throws(PQError) in
      .string(explanation(arguments[0]))
    },
  ]

  static func explanation(_ value: Value) -> String {
    let inputs = figures(of: value)
    guard !inputs.isEmpty else {
      return "\(value.inline) has no source: it was typed, loaded from a file that names none, or "
        + "computed from such numbers, so pq cannot say where it comes from, its period or its definition."
    }
    // Built as one string from a few large pieces (each figure's lines are made once and kept:
    // Figure.inputLine); `joined(separator:)` over an array of lines costs several times more.
    var text = ""
    text.reserveCapacity(256 * inputs.count + 128)
    if let provenance = value.provenance {
      text.append(provenance.expression)
      text.append(" = ")
      text.append(value.inline)
    } else {
      let inline = value.inline
      text.append(
        inline.characterCount > 60 ? "\(value.typeName) built from \(inputs.count) figures" : inline)
    }
    if let margin = Margin.of(value), let number = value.numericValue {
      text.append("\nmargin of error: ")
      text.append(margin.interval(around: number, unit: value.unit))
    }
    text.append("\ninputs:")
    // Each figure's display parts, made once per figure and kept (Figure.display).
    var labelWidth = 0
    var valueWidth = 0
    // Many kinds of figure (a daily series summed): the first are listed, the rest counted.
    let listed = inputs.count > 24 ? Array(inputs.prefix(20)) : Array(inputs)
    for figure in listed {
      let display = figure.display
      labelWidth = Swift.max(labelWidth, display.labelWidth)
      valueWidth = Swift.max(valueWidth, display.shownWidth)
    }
    for figure in listed {
      text.append(figure.inputLine(labelWidth: labelWidth, valueWidth: valueWidth))
    }
    let total = value.provenance?.figureCount ?? inputs.count
    if total > listed.count {
      let more = total - listed.count
      let like = inputs.count == listed.count ? " like those above" : ""
      text.append(
        "\n  … and \(more) more \(more == 1 ? "figure" : "figures")\(like), not listed here: the caveats below count every figure"
      )
    }
    let notes = caveats(of: value)
    if notes.isEmpty {
      let exact = Margin.of(value) == nil
      text.append(
        inputs.count == 1
          ? (exact
            ? "\ncaveats: none (sourced, dated and stated exactly)"
            : "\ncaveats: none (sourced and dated; stated with the margin of error above)")
          : "\ncaveats: none (same sources, periods and definitions)")
    } else {
      text.append("\ncaveats:")
      for note in notes {
        text.append("\n  - ")
        text.append(note.description)
      }
    }
    return text
  }
}
