/// Time series: one platform's figures for a metric across periods, from loaded rows in the wide
/// form (`name, mau, period, …`) or the long form (`name, metric, value, period, …`).
extension Builtins {
  /// The figures of `platform` for `metric` in `rows`, oldest period first.
  static func seriesFigures(_ arguments: Arguments) throws(PQError) -> [Value] {
    let rows = try arguments.list(0)
    let platform = try arguments.string(1)
    let metric = try arguments.string(2)
    var found: [(start: Int, end: Int, value: Value)] = []
    for (index, row) in rows.enumerated() {
      guard case .record(let record) = row else {
        throw arguments.error(0, "row \(index) is \(Arithmetic.describe(row)), not a record")
      }
      guard case .string(let name)? = record["name"], name.lowercased() == platform.lowercased() else {
        continue
      }
      let value: Value
      if case .string(let rowMetric)? = record["metric"], let cell = record["value"] {
        guard rowMetric == metric else { continue }
        value = cell
      } else if let cell = record[metric] {
        value = cell
      } else {
        continue
      }
      if case .nil = value { continue }
      guard value.numericValue != nil else {
        throw arguments.error(0, "row \(index): \(metric) is \(Arithmetic.describe(value)), not a number")
      }
      guard let figure = value.provenance?.figures.first, value.provenance?.figures.count == 1,
        let span = figure.span
      else {
        throw arguments.error(
          0, "row \(index): \(platform)'s \(metric) has no period, so it cannot take a place in a series",
          notes: ["give the rows a 'period' column (2024-09, 2024-Q3, September 2024, …)"])
      }
      found.append((span.firstDay, span.lastDay, value))
    }
    guard !found.isEmpty else {
      // What the rows do have: the platform's names and metrics, with the closest to the one
      // asked for.
      var names: [String] = []
      var metrics: [String] = []
      for row in rows {
        guard case .record(let record) = row else { continue }
        if case .string(let name)? = record["name"], !names.contains(name) { names.append(name) }
        if case .string(let rowMetric)? = record["metric"] {
          if !metrics.contains(rowMetric) { metrics.append(rowMetric) }
        } else {
          for (key, value) in record.pairs where value.numericValue != nil && !metrics.contains(key) {
            metrics.append(key)
          }
        }
      }
      var notes: [String] = []
      if !names.contains(where: { $0.lowercased() == platform.lowercased() }) {
        notes += Suggestion.note(for: platform, in: names)
        notes.append("names: " + names.prefix(12).joined(separator: ", ") + (names.count > 12 ? ", …" : ""))
      } else {
        notes += Suggestion.note(for: metric, in: metrics)
        notes.append(
          "metrics: " + metrics.prefix(12).joined(separator: ", ") + (metrics.count > 12 ? ", …" : ""))
      }
      notes.append(
        "series reads rows with a 'name' column and either a '\(metric)' column or 'metric' and 'value' columns"
      )
      throw arguments.failure("no row has a figure for \(platform)'s \(metric)", notes: notes)
    }
    return found.sorted { ($0.start, $0.end) < ($1.start, $1.end) }.map(\.value)
  }

  static let series: [NativeFunction] = [
    NativeFunction(
      "series(rows, platform, metric)",
      doc: "One platform's figures for a metric across periods, oldest first (rows in wide or long form).",
      example: "series(load(\"examples/data/monthly.csv\"), \"X\", \"mau\")"
    ) { arguments throws(PQError) in .list(try seriesFigures(arguments)) },
    NativeFunction(
      "latest(rows, platform, metric)",
      doc: "The figure of the newest period in series(rows, platform, metric).",
      example: "latest(load(\"examples/data/monthly.csv\"), \"X\", \"mau\")"
    ) { arguments throws(PQError) in try seriesFigures(arguments).last ?? .nil },
  ]
}
