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
}

extension String {
  var replacingNewlines: String { String(map { $0 == "\n" ? " " : $0 }) }
}
