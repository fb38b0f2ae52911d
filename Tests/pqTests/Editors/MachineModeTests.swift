import Testing

@testable import PlatformQuery

/// `pq machine`, the JSON-lines mode under the notebook kernel, through the real binary (the
/// session itself is tested in process in PlatformQueryToolsTests).
@Suite struct MachineModeTests {
  @Test func throughTheBinary() {
    let input = [
      #"{"id": 1, "op": "evaluate", "code": "let n = 3\nprint(n)"}"#,
      "",
      #"{"id": 2, "op": "evaluate", "code": "n * 2"}"#,
    ].joined(separator: "\n")
    // No `quit`: the end of input ends the session, with status 0.
    let result = runPQ(["machine"], stdin: input)
    #expect(result.status == 0)
    let lines = result.stdout.split(separator: "\n").compactMap { try? JSONTree.parse(Array($0.utf8)) }
    #expect(lines.count == 4, "\(result.stdout)")
    #expect(lines.first?["event"] == .string("ready") && lines.first?["protocol"] == .int(1))
    #expect(lines.dropFirst().first?["text"] == .string("3\n"))
    #expect(lines.last?["text"] == .string("6"))
    let usage = runPQ(["machine", "extra.pq"])
    #expect(usage.status == 2)
  }
}
