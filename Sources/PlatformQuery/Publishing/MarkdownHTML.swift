/// The Markdown of a story as HTML — the part of CommonMark and GitHub's extensions a story uses:
/// ATX and setext headings, paragraphs, emphasis and strong emphasis, code spans, links, images
/// and autolinks, bullet and numbered lists, block quotes, fenced and indented code, thematic
/// breaks, pipe tables and hard line breaks. Raw HTML is shown as text (escaped), never passed
/// through: a story's text cannot inject markup into the page. Anything outside this subset is
/// kept as text, never dropped (docs/publishing.md).
enum MarkdownHTML {
  /// The document's HTML body.
  static func convert(_ markdown: String) -> String {
    let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
    }
    return blocks(lines).joined(separator: "\n")
  }

  /// The text of the first heading, for the page's title.
  static func firstHeading(_ markdown: String) -> String? {
    for line in markdown.split(separator: "\n") {
      if let (_, text) = heading(String(line)) { return plainText(text) }
    }
    return nil
  }

  // MARK: Blocks

  static func blocks(_ lines: [String]) -> [String] {
    var out: [String] = []
    var index = 0
    var paragraph: [String] = []
    func endParagraph() {
      if !paragraph.isEmpty { out.append("<p>" + inline(paragraph.joined(separator: "\n")) + "</p>") }
      paragraph = []
    }
    while index < lines.count {
      let line = lines[index]
      let trimmed = line.trimmingSpaces
      if trimmed.isEmpty {
        endParagraph()
        index += 1
        continue
      }
      // Setext heading: a paragraph's last line underlined with = or -.
      if !paragraph.isEmpty, isUnderline(trimmed) {
        let level = trimmed.first == "=" ? 1 : 2
        out.append("<h\(level)>" + inline(paragraph.joined(separator: "\n")) + "</h\(level)>")
        paragraph = []
        index += 1
        continue
      }
      if let (level, text) = heading(line) {
        endParagraph()
        out.append("<h\(level)>" + inline(text) + "</h\(level)>")
        index += 1
        continue
      }
      if isThematicBreak(trimmed) {
        endParagraph()
        out.append("<hr>")
        index += 1
        continue
      }
      if let fence = fenceOpening(line) {
        endParagraph()
        var code: [String] = []
        index += 1
        while index < lines.count, !isFenceClosing(lines[index], fence) {
          code.append(lines[index])
          index += 1
        }
        index += 1
        let language = fence.info.isEmpty ? "" : " class=\"language-\(Markup.escape(fence.info))\""
        out.append("<pre><code\(language)>" + Markup.escape(code.joined(separator: "\n")) + "</code></pre>")
        continue
      }
      if paragraph.isEmpty, line.hasPrefix("    ") || line.hasPrefix("\t") {
        var code: [String] = []
        while index < lines.count,
          lines[index].hasPrefix("    ") || lines[index].hasPrefix("\t")
            || lines[index].trimmingSpaces.isEmpty
        {
          code.append(
            lines[index].hasPrefix("\t")
              ? String(lines[index].dropFirst()) : String(lines[index].dropFirst(min(4, lines[index].count))))
          index += 1
        }
        while code.last?.isEmpty == true { code.removeLast() }
        out.append("<pre><code>" + Markup.escape(code.joined(separator: "\n")) + "</code></pre>")
        continue
      }
      if trimmed.hasPrefix(">") {
        endParagraph()
        var quoted: [String] = []
        while index < lines.count, lines[index].trimmingSpaces.hasPrefix(">") {
          var inner = Substring(lines[index].trimmingSpaces.dropFirst())
          if inner.hasPrefix(" ") { inner = inner.dropFirst() }
          quoted.append(String(inner))
          index += 1
        }
        out.append("<blockquote>\n" + blocks(quoted).joined(separator: "\n") + "\n</blockquote>")
        continue
      }
      if let marker = listMarker(line) {
        endParagraph()
        var items: [[String]] = []
        while index < lines.count, let item = listMarker(lines[index]), item.ordered == marker.ordered {
          var content = [item.text]
          index += 1
          // Continuation: indented lines, or lines of the same paragraph (not a new block).
          while index < lines.count {
            let next = lines[index]
            if next.trimmingSpaces.isEmpty {
              if index + 1 < lines.count, lines[index + 1].hasPrefix("  "),
                listMarker(lines[index + 1]) == nil
              {
                content.append("")
                index += 1
                continue
              }
              break
            }
            if listMarker(next) != nil, !next.hasPrefix("  ") { break }
            if next.hasPrefix("  ") || (heading(next) == nil && !isThematicBreak(next.trimmingSpaces)) {
              content.append(next.hasPrefix("  ") ? String(next.drop { $0 == " " }) : next)
              index += 1
              continue
            }
            break
          }
          items.append(content)
          if index < lines.count, lines[index].trimmingSpaces.isEmpty,
            index + 1 < lines.count, let following = listMarker(lines[index + 1]),
            following.ordered == marker.ordered
          {
            index += 1
          }
        }
        let tag = marker.ordered ? "ol" : "ul"
        let start = marker.ordered && marker.start != 1 ? " start=\"\(marker.start)\"" : ""
        out.append(
          "<\(tag)\(start)>\n"
            + items.map { item in
              let inner = blocks(item)
              // A one-paragraph item is written without its <p>.
              if inner.count == 1, inner[0].hasPrefix("<p>"), inner[0].hasSuffix("</p>") {
                return "<li>" + inner[0].dropFirst(3).dropLast(4) + "</li>"
              }
              return "<li>" + inner.joined(separator: "\n") + "</li>"
            }.joined(separator: "\n") + "\n</\(tag)>")
        continue
      }
      if paragraph.isEmpty, line.contains("|"), index + 1 < lines.count, isTableDelimiter(lines[index + 1]) {
        var rows: [[String]] = [cells(line)]
        let alignments = cells(lines[index + 1]).map { cell -> String in
          let left = cell.hasPrefix(":")
          let right = cell.hasSuffix(":")
          return left && right ? " style=\"text-align: center\"" : right ? " style=\"text-align: right\"" : ""
        }
        index += 2
        while index < lines.count, !lines[index].trimmingSpaces.isEmpty, lines[index].contains("|") {
          rows.append(cells(lines[index]))
          index += 1
        }
        var table = "<table><thead><tr>"
        for (column, cell) in rows[0].enumerated() {
          table += "<th\(column < alignments.count ? alignments[column] : "")>" + inline(cell) + "</th>"
        }
        table += "</tr></thead><tbody>"
        for row in rows.dropFirst() {
          table += "<tr>"
          for column in 0..<rows[0].count {
            let cell = column < row.count ? row[column] : ""
            table += "<td\(column < alignments.count ? alignments[column] : "")>" + inline(cell) + "</td>"
          }
          table += "</tr>"
        }
        out.append(table + "</tbody></table>")
        continue
      }
      paragraph.append(line)
      index += 1
    }
    endParagraph()
    return out
  }

  static func heading(_ line: String) -> (Int, String)? {
    var text = Substring(line)
    var indent = 0
    while text.first == " ", indent < 3 {
      text = text.dropFirst()
      indent += 1
    }
    let level = text.prefix { $0 == "#" }.count
    guard level >= 1, level <= 6 else { return nil }
    let rest = text.dropFirst(level)
    guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
    var content = rest.trimmingSpaces
    // A closing run of # is not part of the heading.
    let closing = content.reversed().prefix { $0 == "#" }.count
    if closing > 0, closing == content.count || content.dropLast(closing).last == " " {
      content = String(content.dropLast(closing)).trimmingSpaces
    }
    return (level, content)
  }

  static func isUnderline(_ trimmed: String) -> Bool {
    guard let first = trimmed.first, first == "=" || first == "-" else { return false }
    return trimmed.allSatisfy { $0 == first }
  }

  static func isThematicBreak(_ trimmed: String) -> Bool {
    guard let first = trimmed.first, first == "-" || first == "*" || first == "_" else { return false }
    let marks = trimmed.filter { $0 != " " && $0 != "\t" }
    return marks.count >= 3 && marks.allSatisfy { $0 == first }
  }

  struct Fence {
    var character: Character
    var length: Int
    var info: String
  }

  static func fenceOpening(_ line: String) -> Fence? {
    let text = line.drop { $0 == " " }
    guard line.count - text.count <= 3, let first = text.first, first == "`" || first == "~" else {
      return nil
    }
    let length = text.prefix { $0 == first }.count
    guard length >= 3 else { return nil }
    let info = text.dropFirst(length).trimmingSpaces
    if first == "`", info.contains("`") { return nil }
    return Fence(
      character: first, length: length, info: info.split(separator: " ").first.map(String.init) ?? "")
  }

  static func isFenceClosing(_ line: String, _ fence: Fence) -> Bool {
    let text = line.trimmingSpaces
    return text.count >= fence.length && text.allSatisfy { $0 == fence.character }
  }

  struct ListMarker: Equatable {
    var ordered: Bool
    var start: Int
    var text: String
  }

  static func listMarker(_ line: String) -> ListMarker? {
    let text = line.drop { $0 == " " }
    guard line.count - text.count <= 3, let first = text.first else { return nil }
    if first == "-" || first == "*" || first == "+" {
      let rest = text.dropFirst()
      guard rest.first == " " || rest.first == "\t" else { return nil }
      if isThematicBreak(String(text)) { return nil }
      return ListMarker(ordered: false, start: 1, text: rest.trimmingSpaces)
    }
    let digits = text.prefix { $0.isASCII && $0.isNumber }
    guard !digits.isEmpty, digits.count <= 9, let number = Int(digits) else { return nil }
    let rest = text.dropFirst(digits.count)
    guard let delimiter = rest.first, delimiter == "." || delimiter == ")" else { return nil }
    let after = rest.dropFirst()
    guard after.first == " " || after.first == "\t" else { return nil }
    return ListMarker(ordered: true, start: number, text: after.trimmingSpaces)
  }

  static func isTableDelimiter(_ line: String) -> Bool {
    let parts = cells(line)
    guard !parts.isEmpty, line.contains("-") else { return false }
    return parts.allSatisfy { cell in
      let core = cell.trimmingSpaces.drop { $0 == ":" }
      let body = core.hasSuffix(":") ? core.dropLast() : core
      return !body.isEmpty && body.allSatisfy { $0 == "-" }
    }
  }

  /// The cells of a pipe-table row (`\|` is a pipe inside a cell).
  static func cells(_ line: String) -> [String] {
    var text = line.trimmingSpaces
    if text.hasPrefix("|") { text.removeFirst() }
    if text.hasSuffix("|"), !text.hasSuffix("\\|") { text.removeLast() }
    var cells: [String] = []
    var current = ""
    var escaped = false
    for character in text {
      if escaped {
        current.append(character == "|" ? "|" : "\\")
        if character != "|" { current.append(character) }
        escaped = false
      } else if character == "\\" {
        escaped = true
      } else if character == "|" {
        cells.append(current.trimmingSpaces)
        current = ""
      } else {
        current.append(character)
      }
    }
    if escaped { current.append("\\") }
    cells.append(current.trimmingSpaces)
    return cells
  }

  // MARK: Inline

  static let punctuation = Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

  /// A paragraph's text as HTML: escapes, code spans, links and images, autolinks, emphasis,
  /// hard breaks; everything else escaped.
  static func inline(_ text: String) -> String {
    let characters = Array(text)
    var out = ""
    var index = 0
    while index < characters.count {
      let character = characters[index]
      switch character {
      case "\\":
        if index + 1 < characters.count, punctuation.contains(characters[index + 1]) {
          out += Markup.escape(String(characters[index + 1]))
          index += 2
          continue
        }
        if index + 1 < characters.count, characters[index + 1] == "\n" {
          out += "<br>\n"
          index += 2
          continue
        }
      case "`":
        let run = characters[index...].prefix { $0 == "`" }.count
        if let close = closingRun(characters, from: index + run, run: run) {
          var code = String(characters[(index + run)..<close]).replacingNewlines
          if code.count > 2, code.hasPrefix(" "), code.hasSuffix(" "), code.contains(where: { $0 != " " }) {
            code = String(code.dropFirst().dropLast())
          }
          out += "<code>" + Markup.escape(code) + "</code>"
          index = close + run
          continue
        }
        out += String(repeating: "`", count: run)
        index += run
        continue
      case "!", "[":
        let image = character == "!"
        let open = image ? index + 1 : index
        if open < characters.count, characters[open] == "[", let link = parseLink(characters, from: open) {
          if !isSafe(link.destination) {
            // No script in a story's page: the link's text stays, the link does not.
            out += inline(link.text)
          } else if image {
            out +=
              "<img src=\"\(Markup.escape(link.destination))\" alt=\"\(Markup.escape(plainText(link.text)))\">"
          } else {
            out += "<a href=\"\(Markup.escape(link.destination))\">" + inline(link.text) + "</a>"
          }
          index = link.end
          continue
        }
      case "<":
        if let close = characters[index...].firstIndex(of: ">") {
          let inside = String(characters[(index + 1)..<close])
          if (inside.hasPrefix("http://") || inside.hasPrefix("https://") || inside.hasPrefix("mailto:")),
            !inside.contains(" ")
          {
            out += "<a href=\"\(Markup.escape(inside))\">" + Markup.escape(inside) + "</a>"
            index = close + 1
            continue
          }
        }
      case "*", "_":
        let run = characters[index...].prefix { $0 == character }.count
        let strong = run >= 2
        let width = strong ? 2 : 1
        let leftFlanking = index + width < characters.count && !characters[index + width].isWhitespace
        let intraword =
          character == "_" && index > 0 && (characters[index - 1].isLetter || characters[index - 1].isNumber)
        if leftFlanking, !intraword,
          let close = closingEmphasis(characters, from: index + width, character: character, width: width)
        {
          let inner = inline(String(characters[(index + width)..<close]))
          out += strong ? "<strong>" + inner + "</strong>" : "<em>" + inner + "</em>"
          index = close + width
          continue
        }
        out += Markup.escape(String(repeating: character, count: run))
        index += run
        continue
      case "\n":
        // Two spaces before a line break make a hard break.
        if out.hasSuffix("  ") {
          while out.hasSuffix(" ") { out.removeLast() }
          out += "<br>\n"
        } else {
          out += "\n"
        }
        index += 1
        continue
      default: break
      }
      out += Markup.escape(String(character))
      index += 1
    }
    return out
  }

  static func closingRun(_ characters: [Character], from start: Int, run: Int) -> Int? {
    var index = start
    while index < characters.count {
      if characters[index] == "`" {
        let length = characters[index...].prefix { $0 == "`" }.count
        if length == run { return index }
        index += length
      } else {
        index += 1
      }
    }
    return nil
  }

  /// The closing delimiter of emphasis: the same character, `width` of them, after text that
  /// does not end in a space.
  static func closingEmphasis(_ characters: [Character], from start: Int, character: Character, width: Int)
    -> Int?
  {
    var index = start
    while index + width <= characters.count {
      if characters[index] == "`", let close = closingRun(characters, from: index + 1, run: 1) {
        index = close + 1
        continue
      }
      if characters[index] == "\\" {
        index += 2
        continue
      }
      if characters[index..<(index + width)].allSatisfy({ $0 == character }), index > start,
        !characters[index - 1].isWhitespace
      {
        let after = index + width
        // `**` is not closed by one `*` of it, nor `*` by the first of a `**`.
        let longer = after < characters.count && characters[after] == character
        let wordAfter =
          character == "_" && after < characters.count
          && (characters[after].isLetter || characters[after].isNumber)
        if !wordAfter, !(width == 1 && longer) { return index }
        if width == 1 && longer {
          index = after + 1
          continue
        }
      }
      index += 1
    }
    return nil
  }

  struct Link {
    var text: String
    var destination: String
    var end: Int
  }

  /// `[text](destination "title")` from the `[`.
  static func parseLink(_ characters: [Character], from open: Int) -> Link? {
    var depth = 0
    var index = open
    var close: Int?
    while index < characters.count {
      let character = characters[index]
      if character == "\\" {
        index += 2
        continue
      }
      if character == "[" { depth += 1 }
      if character == "]" {
        depth -= 1
        if depth == 0 {
          close = index
          break
        }
      }
      index += 1
    }
    guard let close, close + 1 < characters.count, characters[close + 1] == "(" else { return nil }
    // The destination ends at the `)` that balances its `(` (`f(1)` inside a link is whole).
    var end = close + 2
    var parentheses = 0
    while end < characters.count {
      if characters[end] == "(" { parentheses += 1 }
      if characters[end] == ")" {
        if parentheses == 0 { break }
        parentheses -= 1
      }
      if characters[end] == "\n" { return nil }
      end += 1
    }
    guard end < characters.count else { return nil }
    var destination = String(characters[(close + 2)..<end]).trimmingSpaces
    if let space = destination.firstIndex(of: " ") { destination = String(destination[..<space]) }
    if destination.hasPrefix("<"), destination.hasSuffix(">") {
      destination = String(destination.dropFirst().dropLast())
    }
    return Link(text: String(characters[(open + 1)..<close]), destination: destination, end: end + 1)
  }

  /// Whether a link may go into the page: not a script or data URL (`javascript:`, `vbscript:`,
  /// `data:`), whatever its case or the spaces and controls before it.
  static func isSafe(_ destination: String) -> Bool {
    let scheme = String(destination.unicodeScalars.filter { $0.value > 0x20 }).lowercased()
    return !(scheme.hasPrefix("javascript:") || scheme.hasPrefix("vbscript:") || scheme.hasPrefix("data:"))
  }

  /// Text without its Markdown marks, for a title or an image's alt text.
  static func plainText(_ text: String) -> String {
    String(text.filter { $0 != "*" && $0 != "_" && $0 != "`" })
  }
}

extension String {
  var replacingNewlines: String { String(map { $0 == "\n" ? " " : $0 }) }
}
