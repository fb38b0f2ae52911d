import Testing

@testable import PlatformQuery

/// Every `examples/**/NAME.pq` run through the real binary from the repository root: stdout must
/// equal NAME.out, stderr NAME.err (empty when there is none), and the exit status the
/// `# exit: N` comment (0 when there is none).
@Suite struct ExamplesTests {
  static let examples: [String] = ["examples", "examples/errors"].flatMap { folder in
    scripts(in: folder).map { folder + "/" + $0 }
  }

  static func read(_ path: String) -> String? {
    guard let bytes = try? FileSystem.read(repositoryRoot + "/" + path) else { return nil }
    return String(decoding: bytes, as: UTF8.self)
  }

  @Test func examplesAreFound() {
    #expect(ExamplesTests.examples.count >= 10)
  }

  @Test(arguments: examples)
  func example(_ path: String) throws {
    let base = String(path.dropLast(3))
    let script = try #require(ExamplesTests.read(path))
    var status: Int32 = 0
    if let range = script.firstRange(of: "# exit: ") {
      status = Int32(script[range.upperBound...].prefix { $0.isNumber }) ?? -1
    }
    let result = runPQ([path])
    #expect(result.status == status)
    #expect(result.stdout == (ExamplesTests.read(base + ".out") ?? ""))
    #expect(result.stderr == (ExamplesTests.read(base + ".err") ?? ""))
  }
}

#if canImport(Glibc)
  import Glibc
#endif

/// The embedding example tool, built by `swift test` and run like a user would.
@Suite struct EmbedExampleTests {
  @Test func exampleToolRuns() {
    let folder = buildFolder
    let result = run([folder + "pq-embed-example"], stdin: nil, directory: "/tmp", environment: [:])
    #expect(result.status == 0)
    #expect(result.stderr == "")
    // The whole output, against the golden file beside the example.
    #expect(result.stdout == ExamplesTests.read("examples/embed/main.out"))
    let custom = run(
      [folder + "pq-embed-example", "per_capita(chirp.mau, \"many\")", "chirp.dau"], stdin: nil,
      directory: "/tmp",
      environment: [:])
    #expect(
      custom.stdout.contains(
        "per_capita(chirp.mau, \"many\") refused (runtime): per_capita: people must be a number above 0"))
    #expect(custom.stdout.contains("chirp.dau = 1.2M users\n    chirp.dau: Chirp analytics, 2024-10"))
    #expect(custom.stdout.hasSuffix("1 of 2 formulas evaluated\n"))
  }
}
