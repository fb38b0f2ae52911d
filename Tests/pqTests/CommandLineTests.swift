import PlatformQuery
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The `pq` command: flags, stdin, exit statuses and diagnostics, through the real binary.
@Suite struct CommandLineTests {
  @Test func evaluatesAnExpression() {
    let result = runPQ(["-e", "1 + 2"])
    #expect(result.status == 0)
    #expect(result.stdout == "3\n")
  }

  @Test func printsNilForNil() {
    #expect(runPQ(["-e", "nil"]).stdout == "nil\n")
  }

  @Test func printsJSON() {
    let result = runPQ(["-e", "{a: [1, \"b\"], c: $5}", "--json"])
    #expect(
      result.stdout
        == "{\n  \"a\": [\n    1,\n    \"b\"\n  ],\n  \"c\": {\"value\": 5, \"unit\": \"USD\"}\n}\n")
  }

  @Test func syntaxErrorExitsThree() {
    let result = runPQ(["-e", "1 +"])
    #expect(result.status == 3)
    #expect(result.stderr.hasPrefix("-e:1:4: error: expected an expression, found end of input\n"))
    #expect(result.stderr.contains("1 | 1 +\n  |    ^"))
  }

  @Test func runtimeErrorExitsOne() {
    let result = runPQ(["-e", "1 / 0"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("error: division by zero"))
  }

  @Test func unknownFlagIsAUsageError() {
    let result = runPQ(["--jsn"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("unknown option '--jsn'"))
    #expect(result.stderr.contains("did you mean '--json'?"))
  }

  @Test func missingValueIsAUsageError() {
    let result = runPQ(["-e"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("-e needs an expression"))
  }

  @Test func helpAndVersion() {
    #expect(runPQ(["--help"]).stdout.contains("pq -e 'EXPR'"))
    #expect(runPQ(["--version"]).stdout.hasPrefix("pq "))
  }

  @Test func runsStdinWhenNotATerminal() {
    let result = runPQ([], stdin: "let a = 2\nprint(a * 21)\n")
    #expect(result.status == 0)
    #expect(result.stdout == "42\n")
  }

  @Test func emptyStdinDoesNothing() {
    let result = runPQ([], stdin: "")
    #expect(result.status == 0)
    #expect(result.stdout == "")
  }

  @Test func scriptArgumentsAndShebang() {
    let result = runPQ(["examples/args.pq", "one", "two"])
    #expect(result.status == 0)
    #expect(result.stdout == "2 arguments: one, two\n")
  }

  @Test func checkParsesOnly() {
    #expect(runPQ(["--check", "examples/args.pq"]).status == 0)
    let bad = runPQ(["--check", "-"], stdin: "print(\n")
    #expect(bad.status == 3)
  }

  @Test func missingScriptIsAnError() {
    let result = runPQ(["nope.pq"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("cannot read 'nope.pq': no such file or directory"))
  }

  @Test func directoryAsScriptIsAnError() {
    let result = runPQ(["examples"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("it is a directory"))
  }

  @Test func colourOnlyWhenAsked() {
    #expect(!runPQ(["-e", "1 / 0"]).stderr.contains("\u{1B}["))
    #expect(runPQ(["--color", "always", "-e", "1 / 0"]).stderr.contains("\u{1B}["))
    #expect(
      !runPQ(["--color", "auto", "-e", "1 / 0"], environment: ["NO_COLOR": "1"]).stderr.contains("\u{1B}["))
  }

  @Test func aCopiedBinaryStillHasItsDataAndStandardLibrary() throws {
    let folder = "/tmp/pq-copy-\(getpid())"
    mkdir(folder, 0o755)
    let copy = folder + "/pq"
    let bytes = try FileSystem.read(pqBinary)
    try FileSystem.writeAtomically(copy, bytes)
    chmod(copy, 0o755)
    var result = ProcessResult(status: 127, stdout: "", stderr: "")
    // Another test's fork may briefly hold the new file open (ETXTBSY makes exec fail with 127).
    for _ in 0..<20 where result.status == 127 {
      result = run(
        [copy, "-e", "import stats; [stats.median([3, 1, 2]), x.mau, per_user(truth)]"], stdin: nil,
        directory: "/", environment: [:])
      if result.status == 127 { usleep(100_000) }
    }
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "[2, 70.4M users, $3.72 per user]\n")
  }

  @Test func nonASCIITextInStringsIsFine() {
    let result = runPQ(["-"], stdin: "let b = \"\u{FFFD} é → 🙂\"\nprint(b, len(b))\n")
    #expect(result.status == 0)
    #expect(result.stdout == "\u{FFFD} é → 🙂 7\n")
  }

}
