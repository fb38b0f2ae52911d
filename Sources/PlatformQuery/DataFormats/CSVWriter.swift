/// CSV writing (`save`): figures with their provenance columns, margins as ranges, RFC 4180
/// quoting; what a file cannot hold is an error, never a silent loss.
extension DataFile {
  /// A figure's provenance as the cells of the CSV provenance columns.
  static func provenanceCells(_ figure: Figure) -> [String: String] {
    var cells: [String: String] = [:]
    cells["source"] = figure.publisher
    cells["producer"] = figure.producer
    if figure.periodGiven {
      cells["period"] = figure.period
    } else if figure.period != "not given" {
      cells["period_note"] = figure.period
    }
    cells["definition"] = figure.definition
    if figure.status != .reported { cells["status"] = figure.status.rawValue }
    cells["url"] = figure.url
    cells["published"] = figure.published
    cells["accessed"] = figure.accessed
    cells["license"] = figure.license
    cells["dataset"] = figure.dataset
    cells["quote"] = figure.quote
    cells["note"] = figure.note
    cells["approximate"] = figure.approximation
    if let margin = figure.margin { cells.merge(marginCells(margin, unit: figure.unit)) { $1 } }
    return cells.filter { !$0.value.isEmpty }
  }

  /// A margin of error as the cells of the `margin` and `confidence` columns: `3pp` for a
  /// percentage's, `95%`.
  static func marginCells(_ margin: Margin, unit: Unit) -> [String: String] {
    let marginUnit = Margin.unit(for: unit)
    var cells = ["margin": cellText(Value.make(margin.halfWidth, marginUnit, nil))]
    if let confidence = margin.confidence {
      cells["confidence"] = cellText(Value.make(confidence, .percent, nil))
    }
    return cells
  }

  /// Writes records as CSV: a header from the union of keys, units in the header where a column
  /// is not a known metric, numbers as pq writes them, and the provenance of each row's figures
  /// in provenance columns. What the wide form cannot hold is an error, never a silent loss: a
  /// row whose figures have different sources or periods, or a value computed from figures.
  static func writeCSV(_ items: [Value], lineEnding: String = "\n") throws(PQError) -> String {
    var columns: [String] = []
    var seen = Set<String>()
    for item in items {
      guard case .record(let record) = item else { continue }
      for key in record.keys where seen.insert(key).inserted { columns.append(key) }
    }
    var units: [String: Unit] = [:]
    var rowProvenance: [[String: String]] = []
    var rowRanges: [Set<String>] = []
    for (index, item) in items.enumerated() {
      guard case .record(let record) = item else { continue }
      var shared: [String: String]?
      var uncertain: [String] = []
      var ranges: Set<String> = []
      let hasOwnColumns = record.keys.contains { csvProvenanceColumns.contains($0) }
      // A row with provenance columns of its own, as loaded, keeps its `margin` cell.
      let ownMargin = hasOwnColumns && record["margin"] != nil
      for (column, value) in record.pairs {
        if value.numericValue != nil, !value.unit.isNone { units[column] = value.unit }
        // A margin without a stated confidence is written as the range it describes
        // (`600K..700K`), in its own cell; one with a confidence needs the margin columns.
        if let margin = Margin.of(value), !ownMargin {
          if margin.confidence == nil { ranges.insert(column) } else { uncertain.append(column) }
        }
        // A margin has a column only beside the one figure it belongs to.
        if !uncertain.isEmpty, !ownMargin,
          hasOwnColumns || record.pairs.filter({ $0.1.numericValue != nil }).count > 1
        {
          throw PQError(
            .runtime,
            "a CSV row holds one margin of error, for one figure, and \(record["name"]?.text ?? "row \(index + 1)")'s \(uncertain[0]) has one beside other figures",
            notes: [
              "save as .json, which keeps every figure's margin, or as one figure a row (name, metric, value)"
            ])
        }
        guard let provenance = value.provenance, !hasOwnColumns else {
          // A number typed with a margin and a confidence: no source, but its margin is kept.
          if let margin = Margin.of(value), !ranges.contains(column), !ownMargin {
            shared = marginCells(margin, unit: value.unit)
          }
          continue
        }
        let label = record["name"].map { "\($0.text)'s \(column)" } ?? "row \(index + 1)'s \(column)"
        guard provenance.figureList.count == 1, provenance.expression == provenance.figureList[0].label else {
          throw PQError(
            .runtime,
            "a CSV file cannot hold where \(label) came from: it is computed (\(provenance.expression))",
            notes: ["save as .json, which keeps every input's source, or keep value(…) only, on purpose"])
        }
        var cells = provenanceCells(provenance.figureList[0])
        if ranges.contains(column) || ownMargin {
          cells["margin"] = nil
          cells["confidence"] = nil
        }
        if let shared, shared != cells {
          throw PQError(
            .runtime,
            "a CSV row holds one set of sources, and \(record["name"]?.text ?? "row \(index + 1)")'s figures have different ones",
            notes: [
              "save as .json, which keeps every figure's source, or as one figure a row (name, metric, value)"
            ])
        }
        shared = cells
      }
      rowProvenance.append(shared ?? [:])
      rowRanges.append(ranges)
    }
    let extra = csvProvenanceColumns.filter { key in
      !columns.contains(key) && rowProvenance.contains { $0[key] != nil }
    }
    var lines: [String] = []
    lines.append(
      (columns.map { column in
        if let unit = units[column], Metric.named(column)?.unit != unit, !unit.isMoney, unit.scale == .none {
          return escape("\(column) (\(unit))")
        }
        return escape(column)
      } + extra).joined(separator: ","))
    var row = 0
    for item in items {
      guard case .record(let record) = item else { continue }
      let cells =
        columns.map { column in
          let value = record[column] ?? .nil
          if rowRanges[row].contains(column), let margin = Margin.of(value) {
            return escape(rangeText(value, margin))
          }
          return escape(cellText(value))
        }
        + extra.map { escape(rowProvenance[row][$0] ?? "") }
      // A row of one empty cell is written `""`, or it would read back as a blank line.
      lines.append(cells == [""] ? "\"\"" : cells.joined(separator: ","))
      row += 1
    }
    return lines.joined(separator: lineEnding) + lineEnding
  }

  /// A number with a margin as the range it describes: `600000..700000`, `56%..62%`.
  static func rangeText(_ value: Value, _ margin: Margin) -> String {
    let number = value.numericValue ?? 0
    let low = (try? Arithmetic.plain(.subtract, number, margin.halfWidth)) ?? number - margin.halfWidth
    let high = (try? Arithmetic.plain(.add, number, margin.halfWidth)) ?? number + margin.halfWidth
    return cellText(Value.make(low, value.unit, nil)) + ".." + cellText(Value.make(high, value.unit, nil))
  }

  static func cellText(_ value: Value) -> String {
    switch value {
    case .nil: return ""
    case .string(let text): return text
    case .number(let n): return NumberFormat.written(n)
    case .quantity(let n, let measure):
      if measure.unit.isMoney { return (n < 0 ? "-$" : "$") + NumberFormat.written(abs(n)) }
      if measure.unit.factors.isEmpty {
        switch measure.unit.scale {
        case .percent: return NumberFormat.written(n, shift: 2) + "%"
        case .points: return NumberFormat.written(n, shift: 2) + "pp"
        case .none: break
        }
      }
      return NumberFormat.written(n)
    default: return value.inline
    }
  }

  /// A cell as RFC 4180 writes it: quoted, with quotes doubled, when it holds a comma, a quote
  /// or a line break. Decided byte by byte, because a quote followed by a combining mark is
  /// one Character that is not `"` but still a quote to a CSV reader.
  static func escape(_ text: String) -> String {
    let special: (UInt8) -> Bool = {
      $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n")
        || $0 == UInt8(ascii: "\r")
    }
    guard text.utf8.contains(where: special) else { return text }
    var bytes: [UInt8] = [UInt8(ascii: "\"")]
    for byte in text.utf8 {
      bytes.append(byte)
      if byte == UInt8(ascii: "\"") { bytes.append(byte) }
    }
    bytes.append(UInt8(ascii: "\""))
    return String(decoding: bytes, as: UTF8.self)
  }
}
