/// The display of `compare` results: a table of the two sides with ratio or pp difference, and
/// the caveats under it.
enum ComparisonDisplay {
  static func render(_ record: Record, width: Int? = nil) -> String {
    model(record).text(width: width)
  }

  /// The comparison as a table with its caveats under it.
  static func model(_ record: Record) -> TableModel {
    record.kind == .platformComparison ? platforms(record) : figures(record)
  }

  static func label(_ value: Value, fallback: String) -> String {
    value.provenance?.expression ?? fallback
  }

  static func figures(_ record: Record) -> TableModel {
    let a = record["a"] ?? .nil
    let b = record["b"] ?? .nil
    let nameA = label(a, fallback: "a")
    let nameB = label(b, fallback: "b")
    var rows: [[String]] = [["", nameA, nameB]]
    rows.append(["value"] + Table.cells([a, b]).map { $0 == "—" ? "nil" : $0 })
    let sourceA = source(a)
    let sourceB = source(b)
    if !sourceA.isEmpty || !sourceB.isEmpty { rows.append(["source", sourceA, sourceB]) }
    if let difference = record["difference"], difference.numericValue != nil {
      rows.append(["difference", difference.inline, ""])
    }
    if let ratio = record["ratio"], let number = ratio.numericValue {
      rows.append(["ratio", ratio.unit.isNone ? NumberFormat.multiple(number) : ratio.inline, ""])
    }
    if let change = record["change"], let number = change.numericValue {
      rows.append(["change", (number > 0 ? "+" : "") + change.inline, "(from \(nameB) to \(nameA))"])
    }
    return TableModel(rows: rows, rightAligned: [], caveats: caveats(record))
  }

  static func source(_ value: Value) -> String {
    guard let figures = value.provenance?.figures, !figures.isEmpty else { return "" }
    let distinct = Array(Set(figures.map { "\($0.publisher), \($0.period)" })).sorted()
    if distinct.count <= 4 { return distinct.joined(separator: "; ") }
    // Many figures (a sum of a column): how many sources and periods, as the caveats below do.
    let publishers = Set(figures.map(\.publisher)).count
    let periods = Set(figures.map(\.period)).count
    let total = value.provenance?.figureCount ?? figures.count
    return "\(total) figures: \(plural(publishers, "source")), \(plural(periods, "period"))"
  }

  static func caveats(_ record: Record) -> TableModel.Notes {
    guard case .list(let caveats)? = record["caveats"], !caveats.isEmpty else {
      return TableModel.Notes(title: "caveats: none (same sources, periods and definitions)", items: [])
    }
    return TableModel.Notes(title: "caveats:", items: caveats.compactMap(Caveat.init).map(\.description))
  }

  static func platforms(_ record: Record) -> TableModel {
    let nameA = record["a"]?.text ?? "a"
    let nameB = record["b"]?.text ?? "b"
    var rows: [[String]] = [["metric", nameA, nameB, "\(nameA) vs \(nameB)"]]
    if case .list(let entries)? = record["rows"] {
      for entry in entries {
        guard case .record(let row) = entry else { continue }
        let vs = row["vs"] ?? .nil
        var comparison: String
        switch vs {
        case .nil: comparison = "—"
        default:
          if vs.unit.scale == .points {
            comparison = ((vs.numericValue ?? 0) >= 0 ? "+" : "") + vs.inline
          } else if vs.unit.isNone {
            comparison = NumberFormat.multiple(vs.numericValue ?? 0)
          } else {
            // A ratio of figures in different units (`$2.87K per user`) is not a multiple.
            comparison = vs.inline
          }
        }
        // Marked as the comparison marked it: a result with caveats listed under its metric.
        if row["marked"]?.isTruthy == true { comparison += " *" }
        rows.append(
          [row["metric"]?.text ?? ""] + Table.cells([row["a"] ?? .nil, row["b"] ?? .nil]) + [comparison])
      }
    }
    return TableModel(rows: rows, rightAligned: [false, true, true, true], caveats: caveats(record))
  }
}
