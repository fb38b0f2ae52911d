/// The display of `compare` results: a table of the two sides with ratio or pp difference, and
/// the caveats under it.
enum ComparisonDisplay {
  static func render(_ record: Record, width: Int? = nil) -> String {
    record.kind == .platformComparison ? platforms(record, width: width) : figures(record, width: width)
  }

  static func label(_ value: Value, fallback: String) -> String {
    value.provenance?.expression ?? fallback
  }

  static func figures(_ record: Record, width: Int?) -> String {
    let a = record["a"] ?? .nil
    let b = record["b"] ?? .nil
    let nameA = label(a, fallback: "a")
    let nameB = label(b, fallback: "b")
    var rows: [[String]] = [["", nameA, nameB]]
    rows.append(["value", a.inline, b.inline])
    let sourceA = source(a)
    let sourceB = source(b)
    if !sourceA.isEmpty || !sourceB.isEmpty { rows.append(["source", sourceA, sourceB]) }
    if let difference = record["difference"], difference.numericValue != nil {
      rows.append(["difference", difference.inline, ""])
    }
    if let ratio = record["ratio"], let number = ratio.numericValue {
      rows.append(["ratio", ratio.unit.isNone ? NumberFormat.compact(number) + "×" : ratio.inline, ""])
    }
    if let change = record["change"], let number = change.numericValue {
      rows.append(["change", (number > 0 ? "+" : "") + change.inline, "(from \(nameB) to \(nameA))"])
    }
    return Table.layout(rows, rightAligned: [], width: width) + "\n"
      + Table.wrapLines(caveatLines(record), width: width, indent: 4)
  }

  static func source(_ value: Value) -> String {
    guard let figures = value.provenance?.figures, !figures.isEmpty else { return "" }
    let distinct = figures.map { "\($0.publisher), \($0.period)" }
    return Array(Set(distinct)).sorted().joined(separator: "; ")
  }

  static func caveatLines(_ record: Record) -> String {
    guard case .list(let caveats)? = record["caveats"], !caveats.isEmpty else {
      return "caveats: none (same sources, periods and definitions)"
    }
    return "caveats:\n" + caveats.map { "  - " + $0.text }.joined(separator: "\n")
  }

  static func platforms(_ record: Record, width: Int?) -> String {
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
          } else {
            comparison = NumberFormat.compact(vs.numericValue ?? 0) + "×"
          }
        }
        if !(vs.provenance?.caveats.isEmpty ?? true) { comparison += " *" }
        rows.append([
          row["metric"]?.text ?? "", Table.cell(row["a"] ?? .nil), Table.cell(row["b"] ?? .nil), comparison,
        ])
      }
    }
    return Table.layout(rows, rightAligned: [false, true, true, true], width: width) + "\n"
      + Table.wrapLines(caveatLines(record), width: width, indent: 4)
  }
}
