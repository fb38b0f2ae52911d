/// The pieces a story is made of, in Markdown and in HTML: a number with a footnote saying its
/// sources and caveats, a table with its sources and caveats under it, a chart (text in
/// Markdown, an SVG image in HTML). `pq render` (``Story``) and `--format` both use them, so a
/// value reads the same in a story as at the prompt.
enum Publishing {
  // MARK: What a value says about itself

  /// The footnote of a number: its sources (publisher, period, definition, link) and, for a
  /// computed value, how it was computed; then its caveats. Nil for a value with no figures and
  /// no caveats (a plain number, a word).
  static func note(for value: Value) -> String? {
    let figures = value.figures
    let caveats = value.caveatTexts
    if figures.isEmpty, caveats.isEmpty { return nil }
    var text = ""
    let lines = sourceLines(figures)
    if !lines.isEmpty {
      text = (lines.count == 1 ? "Source: " : "Sources: ") + listed(lines, most: 8) + "."
    }
    if let provenance = value.provenance, !(figures.count == 1 && value.isFigure) {
      let expression = provenance.expression
      if !expression.isEmpty { text += (text.isEmpty ? "" : " ") + "Computed as " + expression + "." }
    }
    if !caveats.isEmpty {
      text +=
        (text.isEmpty ? "" : " ") + (caveats.count == 1 ? "Caveat: " : "Caveats: ")
        + sentence(caveats.joined(separator: "; "))
    }
    return text
  }

  /// One line a source: `Similarweb, September 2024 (monthly active users on the mobile apps)`,
  /// each said once, in order of first use.
  static func sourceLines(_ figures: [Figure]) -> [String] {
    var lines: [String] = []
    for figure in figures {
      var line = figure.publisher.isEmpty ? "source not given" : figure.publisher
      line += ", " + (figure.periodGiven ? figure.period : "period not given")
      if !figure.definition.isEmpty { line += " (" + figure.definition + ")" }
      if let url = figure.url, !url.isEmpty { line += ", " + url }
      if !lines.contains(line) { lines.append(line) }
    }
    return lines
  }

  /// `caveats: none (…)` as a sentence's start: `Caveats: none (…)`.
  static func capitalized(_ text: String) -> String {
    guard let first = text.first else { return text }
    return String(first).uppercased() + text.dropFirst()
  }

  static func listed(_ items: [String], most: Int) -> String {
    items.prefix(most).joined(separator: "; ")
      + (items.count > most ? "; and \(items.count - most) more" : "")
  }

  /// A caveat as a sentence, ending with a full stop (its first letter as pq wrote it: a caveat
  /// may start with a name, `x.revenue is an estimate`).
  static func sentence(_ text: String) -> String {
    text.isEmpty || text.hasSuffix(".") || text.hasSuffix("?") ? text : text + "."
  }

  /// Every figure shown in a table: the figures of its cells, row by row (a comparison's rows
  /// are records inside it: looked into, a few levels deep).
  static func figures(in value: Value, depth: Int = 0) -> [Figure] {
    guard depth < 4 else { return [] }
    switch value {
    case .list(let items): return items.flatMap { figures(in: $0, depth: depth + 1) }
    case .record(let record): return record.values.flatMap { figures(in: $0, depth: depth + 1) }
    default: return value.figures
    }
  }

  /// A table's caveats: those it shows under it (a ranking's ties, a comparison's weighing),
  /// then each number's own — a figure's (an estimate) and a computed cell's (periods that differ
  /// behind a ratio) — each said once.
  static func caveats(ofTable value: Value) -> [String] {
    var items: [String] = []
    if case .record(let record) = value, record.kind == .chart {
      items = Chart.parts(record).caveats.map(\.description)
    } else if let model = value.tableModel, let notes = model.caveats {
      items = notes.items
    }
    var cells: [Value] = []
    switch value {
    case .list(let rows):
      for row in rows { if case .record(let record) = row { cells += record.values } }
    case .record(let record) where record.kind != .chart: cells = record.values
    default: break
    }
    for cell in cells {
      guard case .quantity = cell else { continue }
      for caveat in cell.caveatTexts where !items.contains(caveat) { items.append(caveat) }
    }
    return items
  }

  // MARK: Markdown

  /// The value as Markdown: a number with its footnote reference, a table as a pipe table with
  /// its sources and caveats under it, a chart as text in a fenced block.
  static func markdown(_ value: Value, notes: inout Footnotes, width: Int?) -> String {
    if case .record(let record) = value, record.kind == .chart {
      return "```text\n" + Chart.text(record) + "\n```"
    }
    if let model = value.tableModel {
      var out = pipeTable(model)
      let lines = sourceLines(figures(in: value))
      if !lines.isEmpty {
        out += "\n\n" + (lines.count == 1 ? "Source: " : "Sources: ") + escape(listed(lines, most: 12)) + "."
      }
      let caveats = caveats(ofTable: value)
      if !caveats.isEmpty {
        out += "\n\nCaveats:\n\n" + caveats.map { "- " + escape($0) }.joined(separator: "\n")
      } else if let title = model.caveats?.title {
        // What pq found when it looked (a ranking of like figures says so), never a bare "none".
        out += "\n\n" + escape(sentence(capitalized(title)))
      }
      return out
    }
    return inlineMarkdown(value, notes: &notes)
  }

  /// A value inside a sentence: its text, then `[^N]` when it has sources or caveats.
  static func inlineMarkdown(_ value: Value, notes: inout Footnotes) -> String {
    let shown = escape(value.storyText)
    guard let note = note(for: value) else { return shown }
    return shown + "[^\(notes.reference(note).number)]"
  }

  /// A GitHub-flavoured pipe table: the header row, the alignment row (numbers right), the rows;
  /// `|` in a cell escaped. A table without a header gets an empty one (GFM requires one).
  static func pipeTable(_ model: TableModel) -> String {
    let width = model.rows.map(\.count).max() ?? 0
    guard width > 0 else { return "" }
    func row(_ cells: [String]) -> String {
      let padded = cells + Array(repeating: "", count: width - cells.count)
      return "| " + padded.map { escape($0).replacingPipes }.joined(separator: " | ") + " |"
    }
    let header = model.header ? model.rows[0] : Array(repeating: "", count: width)
    let body = model.header ? Array(model.rows.dropFirst()) : model.rows
    let alignment = (0..<width).map { column in
      column < model.rightAligned.count && model.rightAligned[column] ? "---:" : "---"
    }
    return ([row(header), "| " + alignment.joined(separator: " | ") + " |"] + body.map(row)).joined(
      separator: "\n")
  }

  /// Text with Markdown's punctuation escaped, so that a definition with `*` or a name with `_`
  /// reads as written.
  static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text {
      switch character {
      case "\\", "`", "*", "_", "[", "]", "<", ">", "#", "{", "}": out += "\\" + String(character)
      case "\n": out += " "
      default: out.append(character)
      }
    }
    return out
  }

  // MARK: HTML

  /// The value as an HTML fragment: a number with a linked footnote mark, a table as the
  /// notebook shows it with its sources and caveats, a chart as an SVG image.
  static func html(_ value: Value, notes: inout Footnotes) -> String {
    if case .record(let record) = value, record.kind == .chart {
      let title = record["title"]?.text ?? "chart"
      return "<div class=\"pq-chart\"><img alt=\"\(Markup.escape(title))\" src=\"data:image/svg+xml;base64,"
        + Base64.encode(Array(Chart.svg(record).utf8)) + "\"></div>"
    }
    if var model = value.tableModel {
      let found = model.caveats?.title
      model.caveats = nil
      var out = "<div class=\"pq-table\">" + model.html
      let lines = sourceLines(figures(in: value))
      if !lines.isEmpty {
        out +=
          "<p class=\"pq-sources\">" + (lines.count == 1 ? "Source: " : "Sources: ")
          + Markup.escape(listed(lines, most: 12)) + ".</p>"
      }
      let caveats = caveats(ofTable: value)
      if !caveats.isEmpty {
        out +=
          "<p class=\"pq-caveats\">Caveats:</p><ul class=\"pq-caveats\">"
          + caveats.map { "<li>" + Markup.escape($0) + "</li>" }.joined() + "</ul>"
      } else if let found {
        out += "<p class=\"pq-caveats\">" + Markup.escape(sentence(capitalized(found))) + "</p>"
      }
      return out + "</div>"
    }
    return inlineHTML(value, notes: &notes)
  }

  /// A value inside a sentence: its text, then a superscript link to its footnote.
  static func inlineHTML(_ value: Value, notes: inout Footnotes) -> String {
    let shown = Markup.escape(value.storyText)
    guard let note = note(for: value) else { return shown }
    let (number, occurrence) = notes.reference(note)
    return shown
      + "<sup class=\"pq-ref\" id=\"ref-\(number)-\(occurrence)\"><a href=\"#note-\(number)\">\(number)</a></sup>"
  }
}

extension Value {
  /// Whether the value is one figure as its source gives it (not computed from figures).
  var isFigure: Bool {
    if case .quantity(_, let measure) = self { return measure.isFigure }
    return false
  }

  /// A value's text in a sentence: strings as written, numbers as pq shows them.
  var storyText: String {
    if case .string(let text) = self { return text }
    return inline
  }
}

extension String {
  /// `|` escaped for a cell of a pipe table.
  var replacingPipes: String {
    guard contains("|") else { return self }
    return String(flatMap { $0 == "|" ? ["\\", "|"] : [$0] })
  }
}

/// The footnotes of one document: a note's text is numbered the first time it is referred to,
/// and the same text referred to again gets the same number.
struct Footnotes {
  private(set) var texts: [String] = []
  private var references: [Int] = []

  var isEmpty: Bool { texts.isEmpty }

  /// The note's number (from 1) and which reference to it this is (from 1).
  mutating func reference(_ text: String) -> (number: Int, occurrence: Int) {
    if let index = texts.firstIndex(of: text) {
      references[index] += 1
      return (index + 1, references[index])
    }
    texts.append(text)
    references.append(1)
    return (texts.count, 1)
  }

  /// The notes as Markdown footnote definitions.
  var markdown: String {
    texts.enumerated().map { "[^\($0.offset + 1)]: " + Publishing.escape($0.element) }.joined(separator: "\n")
  }

  /// The notes as an ordered list, each linking back to where it is first referred to.
  var html: String {
    "<div class=\"footnotes\"><hr><ol>"
      + texts.enumerated().map { index, text in
        "<li id=\"note-\(index + 1)\">" + Markup.escape(text)
          + " <a class=\"pq-back\" href=\"#ref-\(index + 1)-1\">↩</a></li>"
      }.joined() + "</ol></div>"
  }
}

/// Base64 (RFC 4648), for an SVG chart as an image inside an HTML page.
enum Base64 {
  static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  static func encode(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var index = 0
    while index + 2 < bytes.count {
      let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
      for shift in [18, 12, 6, 0] { out.append(alphabet[Int(n >> UInt32(shift) & 63)]) }
      index += 3
    }
    let rest = bytes.count - index
    if rest > 0 {
      var n = UInt32(bytes[index]) << 16
      if rest == 2 { n |= UInt32(bytes[index + 1]) << 8 }
      out.append(alphabet[Int(n >> 18 & 63)])
      out.append(alphabet[Int(n >> 12 & 63)])
      out.append(rest == 2 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="))
      out.append(UInt8(ascii: "="))
    }
    return String(decoding: out, as: UTF8.self)
  }
}
