import Testing

/// The README's tour: every `$ pq -e '…'` line in a code block is run through the real binary,
/// and what follows it (up to the next `$` line or the end of the block) must be its output
/// (stdout, then stderr: the caveat line of a number).
@Suite struct ReadmeTests {
  struct Example: CustomStringConvertible, Sendable {
    var expression: String
    var expected: String
    var description: String { expression }
  }

  static let examples: [Example] = {
    guard let text = ExamplesTests.read("README.md") else { return [] }
    var result: [Example] = []
    var current: Example?
    var inBlock = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
      if line.hasPrefix("```") {
        if let example = current { result.append(example) }
        current = nil
        inBlock.toggle()
        continue
      }
      guard inBlock else { continue }
      if line.hasPrefix("$ pq -e '"), line.hasSuffix("'") {
        if let example = current { result.append(example) }
        current = Example(expression: String(line.dropFirst(9).dropLast()), expected: "")
      } else if line.hasPrefix("$ ") {
        if let example = current { result.append(example) }
        current = nil
      } else if current != nil {
        current?.expected += line + "\n"
      }
    }
    return result
  }()

  @Test func tourIsFound() {
    #expect(ReadmeTests.examples.count >= 5)
  }

  @Test(arguments: examples)
  func tourOutput(_ example: Example) {
    let result = runPQ(["-e", example.expression])
    // An example that shows a diagnostic is a failing run: the text on stderr, nothing on stdout.
    if example.expected.contains(": error") {
      #expect(result.status == 1)
      #expect(result.stdout == "")
      #expect(result.stderr == example.expected)
    } else {
      // A number with caveats has its one-line note on stderr, shown under the value.
      #expect(result.status == 0)
      #expect(result.stdout + result.stderr == example.expected)
    }
  }
}
