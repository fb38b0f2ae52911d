extension Builtins {
  static let display: [NativeFunction] = [
    NativeFunction(
      "shown_together(values)",
      doc:
        "Numbers as text, shown side by side: each with the significant digits that tell different values apart (3.504M and 3.496M, not 3.5M twice).",
      example: "shown_together([3.504M, 3.496M])"
    ) { arguments throws(PQError) in
      let items = try arguments.list(0)
      for item in items where item.numericValue == nil {
        throw arguments.error(
          0, "shown_together needs numbers, and the list holds \(Arithmetic.describe(item))")
      }
      // Compact, as a figure is shown (a plain ratio reads `101`, not `100.86`), to the digits
      // that tell the values apart; values of different units each in its own.
      var units: [Unit] = []
      for item in items where !units.contains(item.unit) { units.append(item.unit) }
      var digits: [Unit: Int] = [:]
      for unit in units {
        let numbers = items.filter { $0.unit == unit }.compactMap(\.numericValue)
        digits[unit] = NumberFormat.distinguishingDigits(numbers, unit)
      }
      return .list(
        items.map { item in
          .string(
            NumberFormat.quantity(
              item.numericValue ?? 0, item.unit, margin: Margin.of(item), digits: digits[item.unit] ?? 3))
        })
    },
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
      let footnotes = chartFootnotes(chart.values)
      return .record(
        Record(
          shape: Chart.shape,
          values: [
            .string(title), .list(bars), .bool(logarithmic), .number(Double(width)),
            .bool(arguments.runtime.unicode), .list(footnotes.sources.map { .string($0) }),
            .list(footnotes.caveats.map(\.value)),
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
    // Each bar's period: the record's `period`, or its figure's own (see below).
    var periods: [String?] = []
    for (item, value) in zip(items, fields) {
      guard case .record(let record) = item else { continue }
      let label = record["name"]?.text ?? "\(bars.count + 1)"
      if case .string(let text)? = record["period"] {
        periods.append(text)
      } else {
        let figures = value.inputFigures
        periods.append(figures.count == 1 && figures[0].periodGiven ? figures[0].period : nil)
      }
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
    // Rows of a long file or a series repeat their names: each bar says which row it is by its
    // period (the record's `period`, or its figure's own), after the name when names differ.
    var names = Set<String>()
    if bars.contains(where: { !names.insert($0.label).inserted }) {
      for bar in bars { names.insert(bar.label) }
      let oneName = names.count == 1
      for index in bars.indices {
        guard let period = periods[index] else { continue }
        bars[index].label = oneName ? period : bars[index].label + " " + period
      }
    }
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

  /// What a chart says under its bars: every figure's source with its periods, then the caveats
  /// of weighing the figures against each other (as `compare` gives them).
  static func chartFootnotes(_ values: [Value]) -> (sources: [String], caveats: [Caveat]) {
    var unsourced = 0
    var figures: [Figure] = []
    for value in values {
      let list = value.inputFigures
      if list.isEmpty { unsourced += 1 }
      figures += list
    }
    var sources = sourceLines(figures)
    if unsourced > 0 { sources.append("\(plural(unsourced, "figure")) with no source") }
    // A plain bar beside counts is drawn on their axis, bars without a source are counted, and
    // the figures' fields are weighed: as a ranking says it.
    return (sources, CaveatRules.weighing(values))
  }

  /// Each source once, with its periods: listed when a few (`Similarweb, September 2024`),
  /// else counted with their span (`Similarweb, 30 periods from 2024-09-01 to 2024-09-30`).
  static func sourceLines(_ figures: [Figure]) -> [String] {
    var order: [String] = []
    var periods: [String: [Figure]] = [:]
    var seen: [String: Set<String>] = [:]
    for figure in figures {
      let source = figure.publisher.isEmpty ? "source not given" : figure.publisher
      if periods[source] == nil { order.append(source) }
      if seen[source, default: []].insert(figure.period).inserted {
        periods[source, default: []].append(figure)
      }
    }
    return order.map { source in
      let own = periods[source] ?? []
      if own.count <= 3 { return source + ", " + own.map(\.period).joined(separator: ", ") }
      let spans = own.compactMap(\.span)
      if spans.count == own.count, let first = spans.map(\.firstDay).min(),
        let last = spans.map(\.lastDay).max()
      {
        return "\(source), \(own.count) periods from \(Period.day(first)) to \(Period.day(last))"
      }
      return "\(source), \(own.count) periods"
    }
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
