/// The forms pq writes a result in: `--format` for `pq -e` and for the tables a script prints,
/// `:format` at the prompt, and the pieces `pq render` puts into a story. Every form keeps what
/// the text form says — the cells as shown, the caveats under a table, a figure's sources — so
/// that a table pasted into a story carries its caveats with it.
public enum OutputFormat: String, CaseIterable, Sendable {
  /// As the terminal shows it (the default).
  case text
  /// GitHub-flavoured Markdown: tables as pipe tables, caveats as a list under them, a number's
  /// sources as a footnote.
  case markdown
  /// RFC 4180 CSV with one header row: a list of records as `save` writes it (full precision,
  /// provenance columns), any other table as its shown cells, a single value as one column.
  case csv
  /// The JSON `pq -e --json` writes (figures with their provenance).
  case json
  /// The HTML the notebook shows: a `<table>` with its caveats, a chart as an SVG image.
  case html

  /// `text, markdown, csv, json or html`, for messages.
  public static var names: String {
    let all = allCases.map(\.rawValue)
    return all.dropLast().joined(separator: ", ") + " or " + (all.last ?? "")
  }
}

extension Value {
  /// Whether the value displays as a table or a chart (what `--format` changes in a script's
  /// printed output): a list of records, a platform, a comparison, a chart.
  public var isTableLike: Bool {
    switch self {
    case .list(let items): return Table.isTabular(items)
    case .record(let record):
      switch record.kind {
      case .platform, .comparison, .platformComparison, .chart: return true
      default: return false
      }
    default: return false
    }
  }

  /// The table model of a value that displays as a table, or nil.
  var tableModel: TableModel? {
    switch self {
    case .list(let items) where Table.isTabular(items): return Table.model(items)
    case .record(let record):
      switch record.kind {
      case .platform: return PlatformCard.model(record)
      case .comparison, .platformComparison: return ComparisonDisplay.model(record)
      default: return nil
      }
    default: return nil
    }
  }

  /// The value written in `format` (text fitted to `width`), ending without a newline. A
  /// number's sources and caveats go with it in every form but CSV's value column: a footnote
  /// in Markdown and HTML, the provenance in JSON, a `caveats` column in CSV.
  public func written(as format: OutputFormat, width: Int? = nil) throws(PQError) -> String {
    switch format {
    case .text:
      return rendered(width: width)
    case .json:
      return try JSON.encode(self)
    case .csv:
      return try csvText
    case .markdown:
      var notes = Footnotes()
      let body = Publishing.markdown(self, notes: &notes, width: width)
      return notes.isEmpty ? body : body + "\n\n" + notes.markdown
    case .html:
      var notes = Footnotes()
      let body = Publishing.html(self, notes: &notes)
      return notes.isEmpty ? body : body + "\n" + notes.html
    }
  }

  /// The value as CSV: a list of records as `save` writes it; another table as its cells (and
  /// its caveats as a last column); one value under a `value` header, with its caveats.
  var csvText: String {
    get throws(PQError) {
      // Records end with CR LF, as RFC 4180 writes them (`save` writes LF, as files on this
      // system do; both read back).
      if case .list(let items) = self, Table.isTabular(items) {
        return try DataFile.writeCSV(items, lineEnding: "\r\n").trimmingTrailingNewline
      }
      if let model = tableModel {
        var rows = model.rows
        if let caveats = model.caveats, !caveats.items.isEmpty, !rows.isEmpty {
          rows[0].append("caveats")
          for index in rows.indices.dropFirst() { rows[index].append(caveats.items.joined(separator: "; ")) }
        }
        return rows.map { $0.map(DataFile.escape).joined(separator: ",") }.joined(separator: "\r\n")
      }
      let caveats = caveatTexts
      let header = caveats.isEmpty ? "value" : "value,caveats"
      let cell: String
      switch self {
      case .nil: cell = ""
      case .string(let text): cell = text
      case .number, .quantity: cell = DataFile.cellText(self)
      default: cell = inline
      }
      return header + "\r\n" + DataFile.escape(cell)
        + (caveats.isEmpty ? "" : "," + DataFile.escape(caveats.joined(separator: "; ")))
    }
  }
}

extension String {
  var trimmingTrailingNewline: String {
    var text = self
    while let last = text.unicodeScalars.last, last == "\n" || last == "\r" {
      text.unicodeScalars.removeLast()
    }
    return text
  }
}
