import PQTestSupport
import Testing

@testable import PlatformQuery

/// Runs every `Programs/**/*.pq` file: `# expect: TEXT` comments give the printed lines in
/// order; `# error: TEXT` says the run must fail with a message containing TEXT, and
/// `# error-at: LINE:COL` where.
@Suite struct ProgramTests {
  static let programs = files(in: "Tests/PlatformQueryTests/Programs", ending: ".pq").filter {
    !$0.contains("/lib/")
  }

  @Test func programsAreFound() {
    #expect(ProgramTests.programs.count >= 10)
  }

  @Test(arguments: programs)
  func program(_ path: String) throws {
    let text = try #require(readText(path))
    var expected: [String] = []
    var expectedError: String?
    var expectedLocation: String?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if let range = line.firstRange(of: "# expect: ") {
        expected.append(String(line[range.upperBound...]))
      } else if line.hasSuffix("# expect:") {
        expected.append("")
      } else if let range = line.firstRange(of: "# error: ") {
        expectedError = String(line[range.upperBound...])
      } else if let range = line.firstRange(of: "# error-at: ") {
        expectedLocation = String(line[range.upperBound...])
      }
    }
    let (pq, output) = makeInterpreter(
      files: .folders([repositoryRoot + "/Tests/PlatformQueryTests/Programs"]))
    do {
      try pq.run(script: text, name: repositoryRoot + "/" + path)
      #expect(expectedError == nil, "expected an error containing \(expectedError ?? "")")
    } catch {
      guard let expectedError else {
        Issue.record("unexpected error: \(error.rendered(color: false))")
        return
      }
      #expect(error.message.contains(expectedError), "got: \(error.rendered(color: false))")
      if let expectedLocation {
        #expect(
          error.location.map { "\($0.line):\($0.column)" } == expectedLocation,
          "got: \(error.rendered(color: false))")
      }
    }
    let printed = output.contents.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(Array(printed.dropLast()) == expected)
  }
}
