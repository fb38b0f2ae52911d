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
