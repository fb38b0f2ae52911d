/// A table as pq shows it — rows of cells (the first row the header, when there is one), which
/// columns align right, and the notes under it (a comparison's caveats) — before it is laid out
/// as text for a terminal or as HTML for a notebook. Both forms come from the same model, so a
/// notebook shows exactly the cells and caveats the prompt does.
struct TableModel {
  /// Lines under the table: a title (`caveats:`) and its items.
  struct Notes {
    var title: String
    var items: [String]
  }

  var rows: [[String]]
  var rightAligned: [Bool]
  var header = true
  var caveats: Notes?

  /// The table laid out in columns (fitted to `width` when there is one), its notes under it.
  func text(width: Int?) -> String {
    let table = Table.layout(rows, rightAligned: rightAligned, width: width, header: header)
    guard let caveats else { return table }
    let notes = ([caveats.title] + caveats.items.map { "  - " + $0 }).joined(separator: "\n")
    return table + "\n" + Table.wrapLines(notes, width: width, indent: 4)
  }

  /// The table as an HTML fragment: a `<table>` (with `<thead>` when there is a header; numeric
  /// columns right-aligned), then the notes as a paragraph and a list. Every cell is escaped.
  var html: String {
    var out = "<table class=\"pq\">"
    var body = rows[...]
    if header, let first = rows.first {
      out += "<thead><tr>"
      for (index, cell) in first.enumerated() { out += "<th\(align(index))>\(Markup.escape(cell))</th>" }
      out += "</tr></thead>"
      body = rows.dropFirst()
    }
    out += "<tbody>"
    for row in body {
      out += "<tr>"
      for (index, cell) in row.enumerated() { out += "<td\(align(index))>\(Markup.escape(cell))</td>" }
      out += "</tr>"
    }
    out += "</tbody></table>"
    if let caveats {
      out += "<p>\(Markup.escape(caveats.title))</p>"
      if !caveats.items.isEmpty {
        out += "<ul>" + caveats.items.map { "<li>\(Markup.escape($0))</li>" }.joined() + "</ul>"
      }
    }
    return out
  }

  func align(_ column: Int) -> String {
    column < rightAligned.count && rightAligned[column] ? " style=\"text-align: right\"" : ""
  }
}

/// Escaping for HTML and SVG (XML) alike.
enum Markup {
  /// Escapes `&`, `<`, `>`, `"` and `'` for text and attribute values.
  static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      default: out.append(character)
      }
    }
    return out
  }
}
