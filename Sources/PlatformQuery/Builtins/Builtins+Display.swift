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
      var text = Table.render(items, columns: columns)
      if !arguments.runtime.unicode { text = text.replacingRules() }
      return .string(text)
    },
    NativeFunction(
      "chart(list, metric)", named: ["log", "width"],
      doc: "A horizontal bar chart of a metric across records; log: true for a log scale, width: columns.",
      example: "chart(platforms, \"web_visits\", log: true)"
    ) { arguments throws(PQError) in
      let items = try arguments.list(0)
      let metric = try arguments.string(1)
      let values = try fieldValues(items, arguments, 1)
      var bars: [BarChart.Bar] = []
      var unit = Unit.none
      for (item, value) in zip(items, values) {
        guard case .record(let record) = item else { continue }
        let label = record["name"]?.text ?? "\(bars.count + 1)"
        if case .nil = value {
          bars.append(BarChart.Bar(label: label, value: nil, shown: ""))
          continue
        }
        guard let number = value.numericValue else {
          throw arguments.error(1, "'\(metric)' of \(label) is \(Arithmetic.describe(value)), not a number")
        }
        if !value.unit.isNone { unit = value.unit }
        bars.append(BarChart.Bar(label: label, value: number, shown: value.inline))
      }
      let logarithmic = arguments.named["log"]?.isTruthy ?? false
      if logarithmic, bars.contains(where: { ($0.value ?? 1) <= 0 }) {
        throw arguments.failure("a log scale needs positive figures")
      }
      var width = arguments.runtime.terminalWidth
      if let requested = arguments.named["width"] {
        guard case .number(let n) = requested, n >= 20, n <= 400 else {
          throw arguments.failure("width must be a number from 20 to 400")
        }
        width = Int(n)
      }
      let title = metric + (unit.isNone ? "" : " (\(unit))") + (logarithmic ? ", log scale" : "")
      return .string(
        BarChart.render(
          title: title, bars: bars, width: width, logarithmic: logarithmic, unicode: arguments.runtime.unicode
        ))
    },
  ]
}

extension String {
  /// The table's rule drawn in ASCII.
  func replacingRules() -> String {
    String(map { $0 == "─" ? "-" : $0 })
  }
}

extension Runtime {
  var unicode: Bool { (host as? Interpreter)?.options.unicode ?? true }
  var terminalWidth: Int { (host as? Interpreter)?.options.terminalWidth ?? 80 }
}
