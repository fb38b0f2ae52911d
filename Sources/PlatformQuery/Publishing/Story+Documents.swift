/// A story's rendered pieces put together as Markdown with footnotes, or as an HTML page.
extension Story {
  static func markdownDocument(_ pieces: [Piece], outputs: [String], notes: Footnotes) -> String {
    var out = ""
    var next = 0
    for piece in pieces {
      switch piece {
      case .prose(let text): out += text
      case .inline:
        out += outputs[next]
        next += 1
      case .block:
        out += outputs[next]
        if !outputs[next].isEmpty { out += "\n" }
        next += 1
      }
    }
    if !notes.isEmpty {
      while out.hasSuffix("\n\n") { out.removeLast() }
      if !out.hasSuffix("\n") { out += "\n" }
      out += "\n" + notes.markdown + "\n"
    }
    return out
  }

  /// Markers the Markdown converter passes through as text, replaced by the rendered HTML after.
  static func marker(_ index: Int) -> String { "\u{E000}\(index)\u{E001}" }

  static func htmlDocument(_ pieces: [Piece], outputs: [String], notes: Footnotes) -> String {
    var markdown = ""
    var next = 0
    var blocks: Set<Int> = []
    for piece in pieces {
      switch piece {
      case .prose(let text): markdown += escapingMarkers(text)
      case .inline:
        markdown += marker(next)
        next += 1
      case .block:
        // A block is a paragraph of its own.
        if !markdown.isEmpty, !markdown.hasSuffix("\n\n") {
          markdown += markdown.hasSuffix("\n") ? "\n" : "\n\n"
        }
        markdown += marker(next) + "\n\n"
        blocks.insert(next)
        next += 1
      }
    }
    var body = substitute(MarkdownHTML.convert(markdown), outputs: outputs, blocks: blocks)
    if !notes.isEmpty { body += "\n" + notes.html }
    let title = MarkdownHTML.firstHeading(markdown).map { stripMarkers($0) } ?? "pq story"
    return """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <meta name="generator" content="pq \(Interpreter.version)">
      <title>\(Markup.escape(title))</title>
      <style>
      body { font-family: Georgia, serif; max-width: 42em; margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #222; }
      table.pq { border-collapse: collapse; margin: 1em 0; }
      table.pq th, table.pq td { border-bottom: 1px solid #ccc; padding: 0.25em 0.75em; }
      .pq-sources, .pq-caveats, .footnotes { font-size: 0.9em; color: #444; }
      .pq-chart img { max-width: 100%; }
      pre { background: #f6f6f6; padding: 0.75em; overflow-x: auto; }
      sup.pq-ref a { text-decoration: none; }
      </style>
      </head>
      <body>
      \(body)
      </body>
      </html>

      """
  }

  /// The converted page with each marker replaced by its rendered value, in one pass; a block's
  /// marker takes the paragraph it stands in.
  static func substitute(_ html: String, outputs: [String], blocks: Set<Int>) -> String {
    let scalars = Array(html.unicodeScalars)
    var out = String.UnicodeScalarView()
    var index = 0
    while index < scalars.count {
      guard scalars[index] == "\u{E000}" else {
        out.append(scalars[index])
        index += 1
        continue
      }
      // A marker is U+E000, digits, U+E001; U+E000 right before U+E001 is the story's own
      // U+E000 (escaped by `escapingMarkers`); anything else is text, kept as it is.
      var end = index + 1
      var number = 0
      var digits = 0
      while end < scalars.count, digits < 9, scalars[end].value >= 0x30, scalars[end].value <= 0x39 {
        number = number * 10 + Int(scalars[end].value) - 0x30
        digits += 1
        end += 1
      }
      guard end < scalars.count, scalars[end] == "\u{E001}" else {
        out.append(scalars[index])
        index += 1
        continue
      }
      if digits == 0 {
        out.append("\u{E000}")
        index = end + 1
        continue
      }
      guard number < outputs.count else {
        out.append(scalars[index])
        index += 1
        continue
      }
      if blocks.contains(number) {
        // `<p>` before and `</p>` after the marker go with it.
        let opening = Array("<p>".unicodeScalars)
        if out.count >= 3, Array(out.suffix(3)) == opening { out.removeLast(3) }
        let closing = Array("</p>".unicodeScalars)
        if end + 1 + closing.count <= scalars.count,
          Array(scalars[(end + 1)..<(end + 1 + closing.count)]) == closing
        {
          end += closing.count
        }
      }
      out.append(contentsOf: outputs[number].unicodeScalars)
      index = end + 1
    }
    return String(out)
  }

  /// The story's own U+E000 (a private-use character no story needs, but one may hold) written
  /// as a marker without digits, which `substitute` turns back into it.
  static func escapingMarkers(_ text: String) -> String {
    guard text.unicodeScalars.contains("\u{E000}") else { return text }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      out.append(scalar)
      if scalar == "\u{E000}" { out.append("\u{E001}") }
    }
    return String(out)
  }

  static func stripMarkers(_ text: String) -> String {
    var out = ""
    var inside = false
    for character in text {
      if character == "\u{E000}" {
        inside = true
      } else if character == "\u{E001}" {
        inside = false
      } else if !inside {
        out.append(character)
      }
    }
    return out
  }
}
