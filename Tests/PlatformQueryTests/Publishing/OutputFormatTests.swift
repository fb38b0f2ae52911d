import PQTestSupport
import Testing

@testable import PlatformQuery

/// `--format` and `:format` (issue 37): the forms a value is written in, each keeping its caveats;
/// and the Markdown subset a story's prose is turned into HTML with.
@Suite struct OutputFormatTests {
  func written(_ formula: String, _ format: OutputFormat) throws -> String {
    try makeInterpreter().0.evaluate(formula).written(as: format)
  }

  @Test func csvIsOneHeaderRowAndQuotedFields() throws {
    let list = try written("top(platforms, \"mau\", 2)", .csv)
    let lines = list.split(separator: "\r\n").map { String($0) }
    #expect(lines.first == "rank,name,mau,source,period,definition,quote", "\(list)")
    #expect(lines.count == 3)
    // The article's quote has commas: quoted, RFC 4180.
    #expect(lines[1].hasPrefix("1,X,70400000,Similarweb,September 2024,"), "\(lines[1])")
    #expect(
      lines[1].hasSuffix(
        "\"In September Truth Social had 698,000 active monthly users on its mobile apps, while X had 70.4 million, according to data from Similarweb.\""
      ))
    // One value: a `value` column, and its caveats beside it.
    let one = try written("x.revenue", .csv)
    #expect(one.hasPrefix("value,caveats\r\n$2000000000,"), "\(one)")
    #expect(one.contains("x.revenue is an estimate"))
    #expect(try written("\"a, \\\"b\\\"\"", .csv) == "value\r\n\"a, \"\"b\"\"\"")
    // A comparison: its cells as shown, and the caveats in a last column.
    let comparison = try written("compare(x, truth)", .csv)
    #expect(comparison.hasPrefix("metric,X,Truth Social,X vs Truth Social,caveats\r\n"), "\(comparison)")
  }

  @Test func markdownTablesEscapeTheirCellsAndKeepCaveats() throws {
    let (pq, _) = makeInterpreter()
    let value = try pq.evaluate("[{name: \"a|b\", n: 1}, {name: \"*c*\", n: 2}]")
    let table = try value.written(as: .markdown)
    #expect(table == "| name | n |\n| --- | ---: |\n| a\\|b | 1 |\n| \\*c\\* | 2 |", "\(table)")
    let comparison = try pq.evaluate("compare(x.revenue, truth.revenue)").written(as: .markdown)
    #expect(comparison.contains("Caveats:\n\n- "), "\(comparison)")
    let number = try pq.evaluate("x.mau").written(as: .markdown)
    #expect(
      number
        == "70.4M users[^1]\n\n[^1]: Source: Similarweb, September 2024 (monthly active users on the mobile apps)."
    )
  }

  @Test func htmlAndJSONAreTheNotebooksAndTheCommands() throws {
    let (pq, _) = makeInterpreter()
    let table = try pq.evaluate("top(platforms, \"mau\", 2)")
    let html = try table.written(as: .html)
    #expect(html.hasPrefix("<div class=\"pq-table\"><table class=\"pq\">"), "\(html)")
    #expect(html.contains("<p class=\"pq-sources\">Source: Similarweb"))
    #expect(try table.written(as: .json) == JSON.encode(table))
    let chart = try pq.evaluate("chart(filter(platforms, fn(p) { p.mau != nil }), \"mau\")").written(
      as: .html)
    #expect(
      chart.hasPrefix("<div class=\"pq-chart\"><img alt=\"mau (users)\" src=\"data:image/svg+xml;base64,"))
  }

  @Test func base64MatchesRFC4648() {
    // RFC 4648, section 10.
    let vectors = [
      ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
      ("foobar", "Zm9vYmFy"),
    ]
    for (plain, encoded) in vectors { #expect(Base64.encode(Array(plain.utf8)) == encoded, "\(plain)") }
  }

  @Test func markdownBecomesHTML() {
    let cases: [(String, String)] = [
      ("# Title #", "<h1>Title</h1>"),
      ("Title\n===", "<h1>Title</h1>"),
      (
        "a *b* **c** _d_ snake_case `e <f>`",
        "<p>a <em>b</em> <strong>c</strong> <em>d</em> snake_case <code>e &lt;f&gt;</code></p>"
      ),
      ("[pq](https://a.example/x?y=1&z=2)", "<p><a href=\"https://a.example/x?y=1&amp;z=2\">pq</a></p>"),
      ("![chart](c.svg)", "<p><img src=\"c.svg\" alt=\"chart\"></p>"),
      ("<https://a.example>", "<p><a href=\"https://a.example\">https://a.example</a></p>"),
      ("- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
      ("3. a\n4. b", "<ol start=\"3\">\n<li>a</li>\n<li>b</li>\n</ol>"),
      ("> quoted\n> more", "<blockquote>\n<p>quoted\nmore</p>\n</blockquote>"),
      (
        "```swift\nlet a = \"<b>\"\n```",
        "<pre><code class=\"language-swift\">let a = &quot;&lt;b&gt;&quot;</code></pre>"
      ),
      ("---", "<hr>"),
      (
        "| a | b |\n| :-- | --: |\n| 1 | 2 |",
        "<table><thead><tr><th>a</th><th style=\"text-align: right\">b</th></tr></thead><tbody><tr><td>1</td><td style=\"text-align: right\">2</td></tr></tbody></table>"
      ),
      ("line  \nbreak", "<p>line<br>\nbreak</p>"),
      ("<script>x</script>", "<p>&lt;script&gt;x&lt;/script&gt;</p>"),
      ("[bad](javascript:alert(1)) [worse]( JavaScript:x)", "<p>bad worse</p>"),
      ("\\*not em\\*", "<p>*not em*</p>"),
      ("**unclosed", "<p>**unclosed</p>"),
    ]
    for (markdown, html) in cases {
      #expect(MarkdownHTML.convert(markdown) == html, "\(markdown.debugDescription)")
    }
  }

  /// Whatever the prose, the converter ends, and every text character of it is in the page.
  @Test func markdownOfAnyShapeKeepsItsWords() {
    var random = SplitMix(state: 0x0000_3D17)
    let pieces = [
      "*", "**", "_", "`", "[", "]", "(", ")", "!", "<", ">", "#", "-", "1.", "|", "\n", "\n\n", " ", "word",
      "~~~", "```", "\\",
    ]
    for round in 0..<500 {
      let text = (0..<random.int(0...40)).map { _ in pieces[random.int(0...(pieces.count - 1))] }.joined()
      let html = MarkdownHTML.convert(text)
      // A fence's info string (```` ```word ````) names its language, as in CommonMark: not text.
      let shown = text.split(separator: "\n", omittingEmptySubsequences: false).filter {
        MarkdownHTML.fenceOpening(String($0)) == nil
      }.joined(separator: "\n")
      let words = shown.components(separatedBy: "word").count - 1
      #expect(
        html.components(separatedBy: "word").count - 1 >= words, "round \(round): \(text.debugDescription)")
      #expect(!html.contains("<script"), "round \(round)")
    }
  }
}
