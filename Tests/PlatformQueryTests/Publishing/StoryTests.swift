import PQTestSupport
import Synchronization
import Testing

@testable import PlatformQuery

/// `pq render`'s engine (issue 37): inline values footnoted with their sources and caveats,
/// blocks as tables and charts, errors pointing into the story, what is left alone, and the
/// HTML page's links — on written cases and on generated stories.
@Suite struct StoryTests {
  /// Renders `text` as a story named story.md in a fresh interpreter.
  static func render(_ text: String, as format: Story.Format = .markdown) throws(PQError) -> Story.Rendered {
    let (pq, output) = makeInterpreter()
    let consumed = Mutex(0)
    return try Story.render(Source(name: "story.md", text: text), as: format, in: pq) {
      let all = Array(output.contents.utf8)
      return consumed.withLock { count in
        defer { count = all.count }
        return String(decoding: all[count...], as: UTF8.self)
      }
    }
  }

  static func failure(_ text: String) -> PQError? {
    do {
      _ = try render(text)
      return nil
    } catch {
      return error
    }
  }

  @Test func inlineValuesAreFootnotedWithTheirSources() throws {
    let text = try Self.render(
      "X has {{ x.mau }}; Truth Social {{ truth.mau }}, {{ 2 + 3 }} and {{ \"words\" }}.\n"
    ).text
    #expect(text.hasPrefix("X has 70.4M users[^1]; Truth Social 698K users[^1], 5 and words.\n"), "\(text)")
    #expect(
      text.contains("[^1]: Source: Similarweb, September 2024 (monthly active users on the mobile apps)."),
      "\(text)")
    // A computed value says how; a value with caveats lists them in its note.
    let ratio = try Self.render("{{ ratio(x.revenue, truth.revenue) }}\n").text
    #expect(ratio.contains("Computed as ratio(x.revenue, truth.revenue)."), "\(ratio)")
    #expect(ratio.contains("Caveats: "), "\(ratio)")
    #expect(ratio.contains("x.revenue is an estimate."), "\(ratio)")
  }

  @Test func errorsPointIntoTheStory() {
    let cases: [(String, String, Int, Int)] = [
      ("a\nb {{ x.mau \n", "'{{' is not closed", 2, 3),
      ("line\n\nX {{ x.nope }}\n", "nope", 3, 8),
      ("intro\n```pq\nlet a = 1\n", "this pq block is not closed", 2, 1),
      ("{{   }}", "'{{ }}' holds no expression", 1, 1),
      ("see {{ rank(platforms, \"mau\") }}\n", "is a table", 1, 5),
      ("{{ print(1) }}\n", "printed output inside a sentence", 1, 1),
      ("Truth suspended {{ truth.suspended_accounts }} accounts.\n", "is nil: there is no value", 1, 17),
      ("{{ a }}\n```pq\nlet a = 1\n```\n", "'a' is not defined", 1, 4),
      ("```pq\nlet a = 1\nlet b = a +\n```\n", "", 3, 0),
    ]
    for (story, message, line, column) in cases {
      guard let error = Self.failure(story) else {
        Issue.record("\(story.debugDescription) rendered")
        continue
      }
      #expect(error.message.contains(message), "\(story.debugDescription): \(error.message)")
      #expect(error.source?.name == "story.md", "\(story.debugDescription)")
      if let source = error.source, let span = error.span {
        let location = source.location(of: span.start)
        #expect(location.line == line, "\(story.debugDescription): \(location)")
        if column > 0 { #expect(location.column == column, "\(story.debugDescription): \(location)") }
        // The caret's line is the story's own line, not a blanked copy.
        #expect(
          source.lineText(location.line)
            == story.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[line - 1])
      }
    }
  }

  @Test func codeAndEscapesAreLeftAlone() throws {
    let story = """
      Inline `{{ x.mau }}` and ``a `{{ y }}` b`` stay.
      ```python
      print("{{ not pq }}")
      ```
      ~~~
      {{ nor this }}
      ~~~
      And \\{{ x.mau }} is written as braces.

      """
    let expected = story.replacingAll("\\{{", with: "{{")
    #expect(try Self.render(story).text == expected)
  }

  @Test func blocksShowWhatTheyPrintAndTheirValue() throws {
    let text = try Self.render(
      """
      ```pq
      print("Top two:")
      top(platforms, "mau", 2)
      ```
      ```pq
      let unused = 1
      ```
      After.

      """
    ).text
    #expect(
      text.contains(
        "```text\nTop two:\n```\n\n| rank | name | mau |\n| ---: | --- | ---: |\n| 1 | X | 70.4M users |"),
      "\(text)")
    #expect(text.contains("Source: Similarweb, September 2024"), "\(text)")
    #expect(text.contains("Caveats: none (same sources, periods and definitions)."), "\(text)")
    #expect(!text.contains("unused"), "\(text)")
    #expect(text.hasSuffix("After.\n"), "\(text)")
  }

  /// A table of computed numbers lists their caveats under it, and `--strict` finds them: a
  /// ratio of figures from different periods is not like for like, whichever column it is in.
  @Test func aTableOfComputedNumbersKeepsTheirCaveats() throws {
    let rendered = try Self.render(
      "```pq\n[{name: \"X\", per_user: ratio(x.revenue, x.mau)}]\n```\n")
    #expect(rendered.text.contains("Caveats:\n\n- "), "\(rendered.text)")
    #expect(rendered.text.contains("x.revenue is an estimate"), "\(rendered.text)")
    #expect(rendered.caveated.count == 1)
  }

  @Test func bindingsRunInDocumentOrder() throws {
    let text = try Self.render("```pq\nlet gap = diff(x.mau, truth.mau)\n```\nThe gap: {{ gap }}.\n").text
    #expect(text.contains("The gap: 69.7M users[^1]."), "\(text)")
    #expect(text.contains("Computed as diff(x.mau, truth.mau)."), "\(text)")
  }

  @Test func strictFindsEveryCaveatedValue() throws {
    let rendered = try Self.render(
      "Fine: {{ x.mau }}.\n\nNot: {{ x.revenue }}.\n\n```pq\ncompare(x, truth)\n```\n")
    #expect(rendered.pieces == 3)
    #expect(rendered.caveated.count == 2)
    #expect(rendered.caveated.first?.expression == "x.revenue")
    #expect(rendered.caveated.first?.location.line == 3)
    #expect(rendered.caveated.first?.caveats.contains("x.revenue is an estimate") == true)
    #expect(rendered.caveated.last?.shown == "a table")
  }

  /// Every footnote mark links to a note, every note back to a mark; ids are unique; the chart is
  /// an image whose data is the chart's SVG; the page escapes what the story's text says.
  @Test func theHTMLPageHoldsTogether() throws {
    let page = try Self.render(
      """
      # Users <b>now</b>

      X: {{ x.mau }}, Truth: {{ truth.mau }}, gap {{ diff(x.mau, truth.mau) }}.

      ```pq
      chart(filter(platforms, fn(p) { p.mau != nil }), "mau")
      ```

      <script>alert(1)</script> and [a link](javascript:alert(1)).

      """, as: .html
    ).text
    #expect(page.hasPrefix("<!DOCTYPE html>"))
    #expect(page.contains("<title>Users &lt;b&gt;now&lt;/b&gt;</title>"), "\(page)")
    #expect(!page.contains("<script>"))
    #expect(page.contains("&lt;script&gt;"))
    #expect(!page.contains("javascript:"))
    let ids = Self.attributes("id", in: page)
    #expect(Set(ids).count == ids.count, "duplicate ids: \(ids)")
    let links = Self.attributes("href", in: page).filter { $0.hasPrefix("#") }
    // Three marks (x.mau and truth.mau share a note), two notes each linking back.
    #expect(links.count == 5, "\(links)")
    for link in links { #expect(ids.contains(String(link.dropFirst())), "\(link) goes nowhere") }
    let sources = Self.attributes("src", in: page)
    #expect(sources.count == 1)
    let prefix = "data:image/svg+xml;base64,"
    if let image = sources.first, image.hasPrefix(prefix) {
      let svg = String(decoding: Self.base64Decode(String(image.dropFirst(prefix.count))), as: UTF8.self)
      #expect(svg.hasPrefix("<svg"), "\(svg.prefix(80))")
      #expect(svg.contains("70.4M users"))
    } else {
      Issue.record("no chart image: \(sources)")
    }
  }

  /// Generated stories of prose, inline values, code spans, escapes and blocks: the Markdown is
  /// the story with each value replaced by its text and mark, and nothing else changed; the HTML
  /// page's marks and notes all link.
  @Test func generatedStoriesRenderPieceByPiece() throws {
    var random = SplitMix(state: 0x5707_0037)
    let values: [(String, String)] = [
      ("x.mau", "70.4M users[^A]"), ("2 + 3", "5"), ("\"plain\"", "plain"), ("truth.mau", "698K users[^A]"),
      ("round(50%, 0)", "50%"),
    ]
    for round in 0..<40 {
      var story = ""
      var expected = ""
      var defined = 0
      for _ in 0..<random.int(1...14) {
        switch random.int(0...6) {
        case 0, 1:
          let words = ["Users", "grew", "by", "*a lot*", "and", "[link](https://a.b)", "— so", "#tag"]
          let text = (0..<random.int(1...5)).map { _ in words[random.int(0...(words.count - 1))] }.joined(
            separator: " ")
          story += text + " "
          expected += text + " "
        case 2:
          let (formula, shown) = values[random.int(0...(values.count - 1))]
          story += "{{ \(formula) }} "
          expected += shown + " "
        case 3:
          story += "`{{ code }}` "
          expected += "`{{ code }}` "
        case 4:
          story += "\\{{ x }} "
          expected += "{{ x }} "
        case 5:
          story += "\n\n"
          expected += "\n\n"
        default:
          defined += 1
          story += "\n```pq\nlet v\(defined) = \(defined)\n```\n"
          expected += "\n"
        }
      }
      story += "\n"
      expected += "\n"
      let rendered = try Self.render(story).text
      // Footnote numbers: the one note every Similarweb figure shares is [^1].
      let body = rendered.split(separator: "\n[^1]:", maxSplits: 1).first.map(String.init) ?? rendered
      let marked = expected.replacingAll("[^A]", with: "[^1]")
      #expect(
        body.trimmingTrailingNewline == marked.trimmingTrailingNewline,
        "round \(round): \(story.debugDescription)")
      let page = try Self.render(story, as: .html).text
      let ids = Self.attributes("id", in: page)
      for link in Self.attributes("href", in: page) where link.hasPrefix("#") {
        #expect(ids.contains(String(link.dropFirst())), "round \(round): \(link)")
      }
    }
  }

  /// The private-use characters the HTML renderer marks values with may be in a story's own text
  /// (FuzzStory found a crash): they come out exactly as written, and values where they belong.
  @Test func theRenderersMarkersInTheStorysText() throws {
    let story = "a \u{E000} b \u{E000}3\u{E001} \u{E000}\u{E001}x {{ 1 + 1 }} \u{E000}9999999999\u{E001}\n"
    let page = try Self.render(story, as: .html).text
    #expect(
      page.contains("<p>a \u{E000} b \u{E000}3\u{E001} \u{E000}\u{E001}x 2 \u{E000}9999999999\u{E001}</p>"),
      "\(page)")
  }

  /// Random bytes of the characters that matter never crash or hang the renderer: it renders, or
  /// it fails with an error inside the story.
  @Test func hostileStoriesFailInsideTheStory() {
    var random = SplitMix(state: 0xBAD_5707)
    let pieces = [
      "{", "}", "{{", "}}", "`", "```", "```pq\n", "~~~", "\\", "\n", " ", "x.mau", "\"", "pq", "let a = 1\n",
      "#",
    ]
    for round in 0..<400 {
      let story = (0..<random.int(0...30)).map { _ in pieces[random.int(0...(pieces.count - 1))] }.joined()
      do {
        _ = try Self.render(story)
        _ = try Self.render(story, as: .html)
      } catch {
        #expect(
          error.source?.name == "story.md" || error.source == nil, "round \(round): \(story.debugDescription)"
        )
        if let span = error.span {
          #expect(
            span.start >= 0 && span.start <= story.utf8.count, "round \(round): \(story.debugDescription)")
        }
      }
    }
  }

  // MARK: Helpers

  /// Every value of `name="…"` in the page, in order.
  static func attributes(_ name: String, in page: String) -> [String] {
    var found: [String] = []
    let parts = page.components(separatedBy: " \(name)=\"")
    for part in parts.dropFirst() {
      if let end = part.firstIndex(of: "\"") { found.append(String(part[..<end])) }
    }
    return found
  }

  static func base64Decode(_ text: String) -> [UInt8] {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    var bits = 0
    var count = 0
    var out: [UInt8] = []
    for character in text where character != "=" {
      guard let value = alphabet.firstIndex(of: character) else { continue }
      bits = bits << 6 | value
      count += 6
      if count >= 8 {
        count -= 8
        out.append(UInt8((bits >> count) & 0xFF))
      }
    }
    return out
  }
}

extension String {
  func components(separatedBy separator: String) -> [String] {
    var parts: [String] = []
    var rest = self[...]
    while let range = rest.firstRange(of: separator) {
      parts.append(String(rest[..<range.lowerBound]))
      rest = rest[range.upperBound...]
    }
    parts.append(String(rest))
    return parts
  }

  func replacingAll(_ target: String, with replacement: String) -> String {
    components(separatedBy: target).joined(separator: replacement)
  }
}
