extension Builtins {
  static let display: [NativeFunction] = [
    NativeFunction(
      "table(list, columns?)",
      doc: "A list of records as an aligned text table, optionally only some columns.",
      example: "table(platforms, [\"name\", \"owner\", \"mau\"])"
    ) { arguments throws(PQError) in
      let items = try arguments.list(0)
      guard Table.isTabular(items) else {
        throw arguments.error(0, "table needs a non-empty list of records")
      }
      var columns: [String]?
      if arguments.optional(1) != nil {
        let requested = try arguments.list(1).map(\.text)
        let known =
          Table.columns(of: items)
          + items.flatMap { item -> [String] in
            if case .record(let record) = item { return record.keys }
            return []
          }
        for column in requested where !known.contains(column) {
          throw arguments.error(1, "no column '\(column)'", notes: Suggestion.note(for: column, in: known))
        }
        columns = requested
      }
      var text = Table.render(items, columns: columns, width: arguments.runtime.wrapWidth)
      if !arguments.runtime.unicode { text = text.replacingRules() }
      return .string(text)
    },
    NativeFunction(
      "svg(chart)",
      doc: "A chart as SVG text: bars, labels, its sources and caveats; save(chart, \"file.svg\") writes it.",
      example: "svg(chart(with_figure(platforms, \"mau\"), \"mau\", log: true))"
    ) { arguments throws(PQError) in
      guard case .record(let record) = arguments[0], record.kind == .chart else {
        throw arguments.typeError(0, "a chart (from chart())")
      }
      return .string(Chart.svg(record))
    },
    NativeFunction(
      "chart(list, metric?)", named: ["log", "width"],
      doc:
        "A horizontal bar chart of a metric across records, or of a series (one bar a period), with its sources and caveats; log: true for a log scale, width: columns.",
      example: "chart(platforms, \"web_visits\", log: true)"
    ) { arguments throws(PQError) in
      let items = try arguments.list(0)
      guard !items.isEmpty else { throw arguments.error(0, "there is nothing to chart: the list is empty") }
      let chart = try chartBars(items, arguments)
      let logarithmic = arguments.named["log"]?.isTruthy ?? false
      if logarithmic, chart.bars.contains(where: { ($0.value ?? 1) <= 0 }) {
        throw arguments.failure("a log scale needs positive figures")
      }
      var width = arguments.runtime.terminalWidth
      if let requested = arguments.named["width"] {
        guard case .number(let n) = requested, n >= 20, n <= 400 else {
          throw arguments.failure("width must be a number from 20 to 400")
        }
        width = Int(n)
      }
      let title =
        chart.title + (chart.unit.isNone ? "" : " (\(chart.unit))") + (logarithmic ? ", log scale" : "")
      let bars: [Value] = zip(chart.bars, chart.barValues).map { bar, value in
        .record(Record(shape: Chart.barShape, values: [.string(bar.label), value]))
      }
      let footnotes = chartFootnotes(chart.values).split(separator: "\n").map { Value.string(String($0)) }
      return .record(
        Record(
          shape: Chart.shape,
          values: [
            .string(title), .list(bars), .bool(logarithmic), .number(Double(width)),
            .bool(arguments.runtime.unicode), .list(footnotes),
          ]))
    },
  ]
}

extension Builtins {
  /// What a chart shows: its title, one bar per record (or per period of a series), the unit,
  /// and the values behind the bars for the footnotes.
  static func chartBars(_ items: [Value], _ arguments: Arguments) throws(PQError) -> (
    title: String, bars: [BarChart.Bar], unit: Unit, values: [Value], barValues: [Value]
  ) {
    var bars: [BarChart.Bar] = []
    var unit = Unit.none
    var values: [Value] = []
    var barValues: [Value] = []
    let isSeries = items.allSatisfy { $0.numericValue != nil }
    if isSeries {
      // A series: one bar a figure, labelled by its period.
      for (index, value) in items.enumerated() {
        let figure = value.provenance?.figures.count == 1 ? value.provenance?.figures.first : nil
        let label = figure.map { $0.periodGiven ? $0.period : $0.label } ?? "\(index + 1)"
        if !value.unit.isNone { unit = value.unit }
        bars.append(BarChart.Bar(label: label, value: value.numericValue, shown: value.inline))
        values.append(value)
        barValues.append(value)
      }
      try oneScale(values, arguments, argument: 0)
      let figures = values.compactMap { $0.provenance?.figures.first }
      let title =
        arguments.optional(1).map(\.text) ?? figures.first.map {
          "\($0.platform.isEmpty ? $0.label : $0.platform + " " + $0.field)"
        } ?? "series"
      return (title, bars, unit, values, barValues)
    }
    guard arguments.optional(1) != nil else {
      throw arguments.failure(
        "chart needs the metric to draw for a list of records",
        notes: ["for example chart(platforms, \"mau\")"])
    }
    let metric = try arguments.string(1)
    let fields = try fieldValues(items, arguments, 1)
    guard fields.contains(where: { $0.numericValue != nil }) else {
      throw arguments.error(1, "no record has a figure for '\(metric)'")
    }
    for (item, value) in zip(items, fields) {
      guard case .record(let record) = item else { continue }
      let label = record["name"]?.text ?? "\(bars.count + 1)"
      if case .nil = value {
        bars.append(BarChart.Bar(label: label, value: nil, shown: ""))
        barValues.append(.nil)
        continue
      }
      guard let number = value.numericValue else {
        throw arguments.error(1, "'\(metric)' of \(label) is \(Arithmetic.describe(value)), not a number")
      }
      if !value.unit.isNone { unit = value.unit }
      bars.append(BarChart.Bar(label: label, value: number, shown: value.inline))
      values.append(value)
      barValues.append(value)
    }
    try oneScale(values, arguments, argument: 1)
    return (metric, bars, unit, values, barValues)
  }

  /// A chart draws its bars to one scale, so their values must compare as `rank` compares them:
  /// one unit, and never a plain number beside a percentage (`0.5` drawn next to `59%` would be
  /// read at one of two scales). Users beside USD was drawn as one axis titled "(USD)".
  static func oneScale(_ values: [Value], _ arguments: Arguments, argument: Int) throws(PQError) {
    guard let first = values.first else { return }
    for value in values.dropFirst() {
      do throws(PQError) {
        _ = try Arithmetic.apply(.less, first, value, tracking: false)
      } catch {
        throw arguments.error(
          argument, "a chart's bars share one scale, and \(error.message)",
          notes: error.notes + ["chart one metric at a time, or divide to chart a rate or a ratio"])
      }
    }
  }

  /// The lines under a chart: every figure's source and period, then the caveats of weighing
  /// the figures against each other (as `compare` gives them), or "none".
  static func chartFootnotes(_ values: [Value]) -> String {
    var sources: [String] = []
    var unsourced = 0
    for value in values {
      guard let figures = value.provenance?.figures, !figures.isEmpty else {
        unsourced += 1
        continue
      }
      for figure in figures {
        let text = (figure.publisher.isEmpty ? "source not given" : figure.publisher) + ", " + figure.period
        if !sources.contains(text) { sources.append(text) }
      }
    }
    if unsourced > 0 { sources.append("\(plural(unsourced, "figure")) with no source") }
    var lines = ["source: " + sources.joined(separator: "; ")]
    var notes = caveats(across: values)
    if unsourced > 0 {
      notes.insert(
        "\(unsourced == 1 ? "a figure has" : "\(unsourced) figures have") no source, so nothing can be said about \(unsourced == 1 ? "its" : "their") period or definition",
        at: 0)
    }
    // A plain bar beside counts is drawn on their axis: said.
    if let note = Comparison.unitlessNote(values) { notes.insert(note, at: 0) }
    lines.append(notes.isEmpty ? "caveats: none" : "caveats:")
    lines += notes.map { "  - " + $0 }
    return lines.joined(separator: "\n")
  }

  /// The caveats of weighing several values against each other: every pair of their figures,
  /// and each figure's own (an estimate, an approximate figure, no period).
  static func caveats(across values: [Value]) -> [String] {
    var figures: [Figure] = []
    for value in values {
      for figure in value.provenance?.figures ?? [] where !figures.contains(figure) { figures.append(figure) }
    }
    var result: [String] = []
    if figures.count == 1 { return figures[0].soloCaveats }
    for (index, a) in figures.enumerated() {
      for b in figures[(index + 1)...] {
        if let caveat = a.caveat(against: b), !result.contains(caveat) { result.append(caveat) }
      }
    }
    return result
  }
}

extension String {
  /// The table's rule drawn in ASCII.
  func replacingRules() -> String {
    String(map { $0 == "─" ? "-" : $0 })
  }
}

extension Runtime {
  var unicode: Bool { display.unicode }
  var terminalWidth: Int { display.chartWidth }
  var wrapWidth: Int? { display.wrapWidth }
}
