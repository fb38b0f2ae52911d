import PQTestSupport
import Testing

@testable import PlatformQuery

/// Runs the examples in `docs/*.md` and README.md: each ```pq block followed by a ```text block
/// must print exactly that; one followed by ```error must fail with exactly that diagnostic.
@Suite struct DocsTests {
  struct Snippet: CustomStringConvertible, Sendable {
    var file: String
    var line: Int
    var code: String
    var expected: String
    var isError: Bool
    var description: String { "\(file):\(line)" }
  }

  static let snippets: [Snippet] = {
    var result: [Snippet] = []
    for file in ["docs/language.md", "docs/data.md", "docs/embedding.md"] {
      guard let text = readText(file) else { continue }
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      var index = 0
      while index < lines.count {
        guard lines[index] == "```pq" else {
          index += 1
          continue
        }
        let start = index + 1
        var end = start
        while end < lines.count, lines[end] != "```" { end += 1 }
        let code = lines[start..<end].joined(separator: "\n")
        var next = end + 1
        if next < lines.count, lines[next] == "```text" || lines[next] == "```error" {
          let isError = lines[next] == "```error"
          next += 1
          var close = next
          while close < lines.count, lines[close] != "```" { close += 1 }
          result.append(
            Snippet(
              file: file, line: start, code: code, expected: lines[next..<close].joined(separator: "\n"),
              isError: isError))
          index = close + 1
        } else {
          index = next
        }
      }
    }
    return result
  }()

  @Test func snippetsAreFound() {
    #expect(DocsTests.snippets.count >= 20)
  }

  @Test(arguments: snippets)
  func snippet(_ snippet: Snippet) {
    // Snippets may read the repository's example data, as a user running them from its root.
    let (pq, output) = makeInterpreter(files: .folders([repositoryRoot]))
    do {
      try pq.run(script: snippet.code, name: "doc.pq")
      #expect(!snippet.isError, "expected an error")
      #expect(output.contents == snippet.expected + "\n")
    } catch {
      #expect(snippet.isError, "unexpected error: \(error)")
      #expect(error.rendered(color: false) == snippet.expected)
    }
  }
}
