import PQTestSupport
import Testing

@testable import PlatformQuery

#if canImport(Glibc)
  import Glibc
#endif

/// Reads every page under `docs/` and README.md: each ```pq block followed by a ```text block
/// must print exactly that; one followed by ```error must fail with exactly that diagnostic; and
/// every link to a file of the repository must find it.
@Suite struct DocsTests {
  struct Snippet: CustomStringConvertible, Sendable {
    var file: String
    var line: Int
    var code: String
    var expected: String
    var isError: Bool
    var description: String { "\(file):\(line)" }
  }

  /// Every Markdown page of the documentation, relative to the repository.
  static let pages: [String] =
    files(in: "docs", ending: ".md") + ["README.md"]

  static let snippets: [Snippet] = {
    var result: [Snippet] = []
    for file in pages {
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
    #expect(DocsTests.pages.count >= 8)
    #expect(DocsTests.pages.allSatisfy { readText($0) != nil })
    #expect(DocsTests.snippets.count >= 20)
    // Pages that teach the language show it running (the embedding guide's Swift runs in
    // EmbeddingGuideTests).
    for page in ["docs/language.md", "docs/data.md"] {
      #expect(DocsTests.snippets.contains { $0.file == page }, "\(page) has no checked example")
    }
  }

  /// The targets of a page's relative links (`[text](path)` and `[text](path#part)`), with the
  /// line each is on; web links and in-page anchors are left out.
  static func relativeLinks(in text: String) -> [(target: String, line: Int)] {
    var found: [(String, Int)] = []
    var inFence = false
    for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      if line.hasPrefix("```") { inFence.toggle() }
      if inFence { continue }
      let characters = Array(line)
      var index = 0
      while index + 1 < characters.count {
        defer { index += 1 }
        guard characters[index] == "]", characters[index + 1] == "(" else { continue }
        guard let close = characters[(index + 2)...].firstIndex(of: ")") else { break }
        let inside = String(characters[(index + 2)..<close])
        let target = inside.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
        index = close
        if target.isEmpty || target.contains("://") || target.hasPrefix("mailto:") { continue }
        found.append((String(target), number + 1))
      }
    }
    return found
  }

  /// Every link from one page of the documentation to a file of the repository finds it.
  @Test func linksBetweenPagesFindTheirFiles() {
    var checked = 0
    for page in DocsTests.pages {
      guard let text = readText(page) else { continue }
      let folder = page.contains("/") ? String(page[..<page.lastIndex(of: "/")!]) + "/" : ""
      for (target, line) in DocsTests.relativeLinks(in: text) {
        var parts: [Substring] = []
        for part in (folder + target).split(separator: "/") {
          if part == ".." { parts = parts.dropLast() } else if part != "." { parts.append(part) }
        }
        let path = parts.joined(separator: "/")
        var info = stat()
        #expect(
          stat(repositoryRoot + "/" + path, &info) == 0, "\(page):\(line): \(target) is not in the repository"
        )
        checked += 1
      }
    }
    #expect(checked >= 10)
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
