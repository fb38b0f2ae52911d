/// `pq render`: a Markdown story whose numbers come from pq. `{{ expr }}` in the text becomes the
/// value with a footnote giving its sources and caveats; a fenced `pq` block becomes its value —
/// a table with its sources and caveats under it, or a chart — and what it printed. Inline
/// expressions and blocks run in document order in one interpreter, so a block's bindings serve
/// the text after it. An error anywhere renders nothing and points into the story
/// (`story.md:LINE:COL`, with the caret under the place).
///
/// What is not evaluated: `{{` inside a code span or a fenced block of another language, and
/// `\{{` (written as `{{`).
public enum Story {
  /// What a story is rendered as.
  public enum Format: String, Sendable {
    /// GitHub-flavoured Markdown with footnotes (`[^1]`).
    case markdown
    /// One HTML page: the story's Markdown as HTML, footnotes as a linked list, charts as SVG images.
    case html
  }

  /// A rendered number or table that carries caveats, for `--strict`.
  public struct Caveated: Sendable {
    /// Where its `{{` or its block's fence is in the story.
    public let location: SourceLocation
    /// The expression or block as written.
    public let expression: String
    /// The value as rendered.
    public let shown: String
    /// Its caveats as sentences.
    public let caveats: [String]
  }

  /// A rendered story.
  public struct Rendered: Sendable {
    /// The Markdown or HTML document.
    public let text: String
    /// How many inline values and blocks were rendered.
    public let pieces: Int
    /// The rendered values that carry caveats, in document order.
    public let caveated: [Caveated]
  }

  /// One piece of a story, in document order.
  enum Piece {
    /// Markdown as written (an escaped `\{{` already made `{{`).
    case prose(String)
    /// `{{ expr }}`: the expression's byte range in the story, and the `{{`'s offset.
    case inline(Range<Int>, start: Int)
    /// A fenced `pq` block: its code's byte range, and the opening fence's offset.
    case block(Range<Int>, start: Int)
  }

  /// Renders `story` as `format`, running its expressions in `interpreter`. `printed` returns
  /// (and forgets) what the interpreter has written since it was last called: a block's `print`
  /// output is shown under it.
  public static func render(
    _ story: Source, as format: Format, in interpreter: Interpreter, printed: () -> String = { "" }
  ) throws(PQError) -> Rendered {
    let pieces = try split(story)
    var notes = Footnotes()
    var caveated: [Caveated] = []
    var outputs: [String] = []  // the rendered value of each inline or block piece
    var rendered = 0
    let bytes = story.bytes
    _ = printed()
    for piece in pieces {
      switch piece {
      case .prose: continue
      case .inline(let range, let start):
        let value = try evaluate(range, of: story, in: interpreter)
        let text = String(decoding: bytes[range], as: UTF8.self).trimmingSpaces
        let stray = printed()
        if value.isTableLike {
          throw PQError(
            .runtime,
            "{{ \(text) }} is a \(value.isChart ? "chart" : "table"), and a value inside a sentence is one number or word",
            source: story, span: Span(start: start, end: range.upperBound + 2),
            notes: ["put it in a fenced block of its own:\n```pq\n\(text)\n```"])
        }
        if !stray.isEmpty {
          throw PQError(
            .runtime, "{{ \(text) }} printed output inside a sentence", source: story,
            span: Span(start: start, end: range.upperBound + 2),
            notes: ["print in a fenced pq block, where the output is shown under it"])
        }
        rendered += 1
        // A missing figure would leave a gap in the sentence that nobody sees: refused.
        if case .nil = value {
          throw PQError(
            .runtime, "{{ \(text) }} is nil: there is no value to put in the sentence", source: story,
            span: Span(start: start, end: range.upperBound + 2),
            notes: [
              "the data may have no such figure; say so in the text, or compute in a pq block with if … == nil { … } else { … }"
            ])
        }
        outputs.append(
          format == .markdown
            ? Publishing.inlineMarkdown(value, notes: &notes) : Publishing.inlineHTML(value, notes: &notes))
        let caveats = value.caveatTexts
        if !caveats.isEmpty {
          caveated.append(
            Caveated(
              location: story.location(of: start), expression: text, shown: value.storyText, caveats: caveats)
          )
        }
      case .block(let range, let start):
        let value = try evaluate(range, of: story, in: interpreter)
        let output = printed()
        rendered += 1
        var parts: [String] = []
        if !output.isEmpty {
          let text = output.trimmingTrailingNewline
          parts.append(
            format == .markdown
              ? fence(text) : "<pre class=\"pq-output\">" + Markup.escape(text) + "</pre>")
        }
        if !value.isNilValue {
          parts.append(
            format == .markdown
              ? Publishing.markdown(value, notes: &notes, width: nil) : Publishing.html(value, notes: &notes))
          let caveats = value.isTableLike ? Publishing.caveats(ofTable: value) : value.caveatTexts
          if !caveats.isEmpty {
            let code = String(decoding: bytes[range], as: UTF8.self).trimmingSpaces
            caveated.append(
              Caveated(
                location: story.location(of: start), expression: code,
                shown: value.isTableLike ? (value.isChart ? "a chart" : "a table") : value.storyText,
                caveats: caveats))
          }
        }
        outputs.append(parts.joined(separator: format == .markdown ? "\n\n" : "\n"))
      }
    }
    let text =
      format == .markdown
      ? markdownDocument(pieces, outputs: outputs, notes: notes)
      : htmlDocument(pieces, outputs: outputs, notes: notes)
    return Rendered(text: text, pieces: rendered, caveated: caveated)
  }

  /// Runs one expression or block with its positions those of the story: the source is the
  /// story with every byte outside the piece made a space (lines kept), and an error found in
  /// it is given the story back, so that its line, column and caret are the story's.
  static func evaluate(_ range: Range<Int>, of story: Source, in interpreter: Interpreter) throws(PQError)
    -> Value
  {
    var blank = story.bytes
    for index in blank.indices where !range.contains(index) && blank[index] != 0x0A { blank[index] = 0x20 }
    let piece = Source(name: story.name, text: String(decoding: blank, as: UTF8.self))
    do {
      return try interpreter.run(source: piece)
    } catch {
      var error = error
      error.pointing(from: piece, to: story)
      throw error
    }
  }

  static func fence(_ text: String) -> String {
    var ticks = "```"
    while text.contains(ticks) { ticks += "`" }
    return ticks + "text\n" + text + "\n" + ticks
  }

  // MARK: Splitting a story

  /// The story's prose, inline expressions and `pq` blocks, in order. An unclosed `{{` or an
  /// unclosed `pq` block is an error at its start.
  static func split(_ story: Source) throws(PQError) -> [Piece] {
    let bytes = story.bytes
    var pieces: [Piece] = []
    var prose: [UInt8] = []
    var index = 0
    func flush() {
      if !prose.isEmpty { pieces.append(.prose(String(decoding: prose, as: UTF8.self))) }
      prose.removeAll()
    }
    while index < bytes.count {
      // At the start of a line: a fence?
      let lineEnd = bytes[index...].firstIndex(of: 0x0A) ?? bytes.count
      if let fence = openingFence(bytes, index, lineEnd) {
        let closing = closingFence(bytes, after: lineEnd, fence: fence)
        if fence.isPQ {
          guard let (codeEnd, afterClose) = closing else {
            throw PQError(
              .syntax, "this pq block is not closed", source: story, span: Span(start: index, end: lineEnd),
              notes: [
                "end it with a line of \(String(repeating: String(UnicodeScalar(fence.character)), count: fence.length))"
              ])
          }
          flush()
          pieces.append(.block(min(lineEnd + 1, codeEnd)..<codeEnd, start: index))
          index = afterClose
          continue
        }
        // Another language's block is prose, copied whole.
        let end = closing?.1 ?? bytes.count
        prose += bytes[index..<end]
        index = end
        continue
      }
      // A line of prose: code spans copied, `{{ … }}` taken out.
      var position = index
      while position < lineEnd {
        let byte = bytes[position]
        if byte == UInt8(ascii: "\\"), position + 2 < bytes.count, bytes[position + 1] == UInt8(ascii: "{"),
          bytes[position + 2] == UInt8(ascii: "{")
        {
          prose += [UInt8(ascii: "{"), UInt8(ascii: "{")]
          position += 3
          continue
        }
        if byte == UInt8(ascii: "`") {
          let run = bytes[position...].prefix { $0 == UInt8(ascii: "`") }.count
          if let close = codeSpanEnd(bytes, from: position + run, run: run) {
            prose += bytes[position..<close]
            position = close
            continue
          }
          prose += bytes[position..<(position + run)]
          position += run
          continue
        }
        if byte == UInt8(ascii: "{"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "{") {
          guard let close = inlineEnd(bytes, from: position + 2) else {
            throw PQError(
              .syntax, "'{{' is not closed", source: story, span: Span(start: position, end: position + 2),
              notes: ["an inline value is written {{ expression }}; write \\{{ for the characters themselves"]
            )
          }
          let range = (position + 2)..<close
          if String(decoding: bytes[range], as: UTF8.self).trimmingSpaces.isEmpty {
            throw PQError(
              .syntax, "'{{ }}' holds no expression", source: story,
              span: Span(start: position, end: close + 2),
              notes: ["write the value to show, as in {{ x.mau }}"])
          }
          flush()
          pieces.append(.inline(range, start: position))
          position = close + 2
          // The line goes on after the value (the rest of a multi-line value's last line).
          if position > lineEnd {
            let newEnd = bytes[position...].firstIndex(of: 0x0A) ?? bytes.count
            prose += bytes[position..<newEnd]
            position = newEnd
            break
          }
          continue
        }
        prose.append(byte)
        position += 1
      }
      index = position
      if index < bytes.count, bytes[index] == 0x0A {
        prose.append(0x0A)
        index += 1
      }
    }
    flush()
    return pieces
  }

  struct Fence {
    var character: UInt8
    var length: Int
    var isPQ: Bool
  }

  /// A line opening a fenced block (up to three spaces, then three or more backticks or tildes,
  /// then the info string), or nil.
  static func openingFence(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Fence? {
    var position = start
    while position < end, position - start < 3, bytes[position] == 0x20 { position += 1 }
    guard position < end, bytes[position] == UInt8(ascii: "`") || bytes[position] == UInt8(ascii: "~") else {
      return nil
    }
    let character = bytes[position]
    let length = bytes[position..<end].prefix { $0 == character }.count
    guard length >= 3 else { return nil }
    let info = String(decoding: bytes[(position + length)..<end], as: UTF8.self).trimmingSpaces
    if character == UInt8(ascii: "`"), info.contains("`") { return nil }
    let language = info.split(separator: " ").first.map(String.init) ?? ""
    return Fence(character: character, length: length, isPQ: language == "pq" || language == "{pq}")
  }

  /// The end of a fenced block's code (the start of its closing line) and where the line after
  /// the closing fence begins; nil when it is not closed.
  static func closingFence(_ bytes: [UInt8], after openingEnd: Int, fence: Fence) -> (Int, Int)? {
    var lineStart = openingEnd + 1
    while lineStart <= bytes.count {
      let lineEnd =
        lineStart < bytes.count ? (bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count) : bytes.count
      var position = lineStart
      while position < lineEnd, position - lineStart < 3, bytes[position] == 0x20 { position += 1 }
      let run = bytes[position..<lineEnd].prefix { $0 == fence.character }.count
      if run >= fence.length,
        bytes[(position + run)..<lineEnd].allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D })
      {
        return (lineStart, min(lineEnd + 1, bytes.count))
      }
      if lineEnd >= bytes.count { return nil }
      lineStart = lineEnd + 1
    }
    return nil
  }

  /// Where a code span opened by `run` backticks ends (after its closing run), on its line.
  static func codeSpanEnd(_ bytes: [UInt8], from start: Int, run: Int) -> Int? {
    var position = start
    while position < bytes.count, bytes[position] != 0x0A {
      if bytes[position] == UInt8(ascii: "`") {
        let length = bytes[position...].prefix { $0 == UInt8(ascii: "`") }.count
        if length == run { return position + length }
        position += length
      } else {
        position += 1
      }
    }
    return nil
  }

  /// The offset of the `}}` that closes an inline expression starting at `start`: braces of
  /// records and strings inside it are skipped. Nil when it does not close before a blank line.
  static func inlineEnd(_ bytes: [UInt8], from start: Int) -> Int? {
    var depth = 0
    var position = start
    var inString = false
    while position < bytes.count {
      let byte = bytes[position]
      if inString {
        if byte == UInt8(ascii: "\\") {
          position += 2
          continue
        }
        if byte == UInt8(ascii: "\"") { inString = false }
      } else if byte == UInt8(ascii: "\"") {
        inString = true
      } else if byte == UInt8(ascii: "{") {
        depth += 1
      } else if byte == UInt8(ascii: "}") {
        if depth == 0 {
          return position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "}") ? position : nil
        }
        depth -= 1
      } else if byte == 0x0A, position + 1 < bytes.count, bytes[position + 1] == 0x0A {
        return nil
      }
      position += 1
    }
    return nil
  }

  // MARK: Documents

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

extension PQError {
  /// Points an error found in `piece` (a story with all but one expression blanked) at `story`.
  package mutating func pointing(from piece: Source, to story: Source) {
    if source === piece { source = story }
    for index in followUps.indices { followUps[index].pointing(from: piece, to: story) }
  }
}

extension Value {
  var isChart: Bool {
    if case .record(let record) = self { return record.kind == .chart }
    return false
  }

  /// Whether the value is nil.
  public var isNilValue: Bool {
    if case .nil = self { return true }
    return false
  }
}
