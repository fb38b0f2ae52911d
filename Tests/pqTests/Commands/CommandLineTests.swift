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
    // A script that prints, and one that fails when run: --check must do neither.
    let good = runPQ(["--check", "examples/args.pq"])
    #expect(good.status == 0)
    #expect(good.stdout == "" && good.stderr == "")
    let failsWhenRun = runPQ(["--check", "-"], stdin: "print(\"ran\")\nerror(\"stop\")\n")
    #expect(failsWhenRun.status == 0)
    #expect(failsWhenRun.stdout == "" && failsWhenRun.stderr == "")
    let bad = runPQ(["--check", "-"], stdin: "print(\n")
    #expect(bad.status == 3)
    #expect(bad.stderr.hasPrefix("<stdin>:1:7: error: expected an expression"), "\(bad.stderr)")
  }

  @Test func nameErrorsAreFoundBeforeRunningWithStatusThree() {
    let result = runPQ(["-"], stdin: "print(\"before\")\nprint(y)\n")
    #expect(result.status == 3)
    #expect(result.stdout == "")
    #expect(result.stderr.hasPrefix("<stdin>:2:7: error: 'y' is not defined\n"), "\(result.stderr)")
    #expect(runPQ(["--check", "-"], stdin: "print(y)").status == 3)
  }

  @Test func noPreludeLeavesOutThePqWrittenLibrary() {
    let without = runPQ(["--no-prelude", "-e", "per_user(truth)"])
    #expect(without.status == 3)
    #expect(without.stderr.contains("'per_user' is not defined"))
    let with = runPQ(["-e", "per_user(truth)"])
    #expect(with.status == 0)
    #expect(with.stdout == "$3.72 per user\n")
  }

  @Test func interactiveAfterAScriptKeepsItsBindings() {
    let folder = temporaryFolder()
    let script = folder + "/setup.pq"
    try? FileSystem.writeAtomically(script, Array("let a = 41\nprint(\"set up\")\n".utf8))
    let result = runPQ(["-i", script], stdin: "a + 1\n")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "set up\n= 42\n")
  }

  @Test func scriptsAreConfinedToTheirFolders() throws {
    let folder = temporaryFolder()
    mkdir(folder + "/work", 0o755)
    mkdir(folder + "/scripts", 0o755)
    symlink("/etc/hostname", folder + "/work/link.txt")
    try FileSystem.writeAtomically(folder + "/scripts/data.json", Array("[1, 2]".utf8))
    try FileSystem.writeAtomically(
      folder + "/scripts/s.pq",
      Array(
        "print(load(\"\(folder)/scripts/data.json\"))\nsave(3, \"here.json\")\nprint(load(\"here.json\"))\n"
          .utf8))
    // The working folder and the script's own folder are allowed.
    let allowed = runPQ([folder + "/scripts/s.pq"], directory: folder + "/work")
    #expect(allowed.status == 0, "\(allowed.stderr)")
    #expect(allowed.stdout == "[1, 2]\n3\n")
    for (expression, verb, path) in [
      ("save(1, \"../out.json\")", "save", "../out.json"), ("load(\"/etc/passwd\")", "load", "/etc/passwd"),
      ("load(\"link.txt\")", "load", "link.txt"),
    ] {
      let refused = runPQ(["-e", expression], directory: folder + "/work")
      #expect(refused.status == 1, "\(expression)")
      #expect(
        refused.stderr.hasPrefix("-e:1:1: error: \(verb) of '\(path)' is not permitted"), "\(refused.stderr)")
      #expect(refused.stderr.contains("note: allowed: \(folder)/work"), "\(refused.stderr)")
    }
    #expect(access(folder + "/out.json", F_OK) != 0)
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
    // Without NO_COLOR, colour depends on the option and on stderr being a terminal (it is a pipe).
    let plain: [String: String?] = ["NO_COLOR": nil]
    #expect(!runPQ(["-e", "1 / 0"], environment: plain).stderr.contains("\u{1B}["))
    #expect(!runPQ(["--color", "auto", "-e", "1 / 0"], environment: plain).stderr.contains("\u{1B}["))
    #expect(!runPQ(["--color", "never", "-e", "1 / 0"], environment: plain).stderr.contains("\u{1B}["))
    #expect(runPQ(["--color", "always", "-e", "1 / 0"], environment: plain).stderr.contains("\u{1B}["))
    // NO_COLOR wins over everything but an explicit --color always.
    #expect(
      !runPQ(["--color", "auto", "-e", "1 / 0"], environment: ["NO_COLOR": "1"]).stderr.contains("\u{1B}["))
  }

  @Test func colourOnATerminalUnlessNoColor() {
    let coloured = TerminalSession(stateHome: temporaryFolder(), arguments: ["-e", "1 / 0"], noColor: false)
    #expect(coloured.termination() == .exited(1))
    #expect(coloured.rawOutput.contains("\u{1B}["))
    let plain = TerminalSession(stateHome: temporaryFolder(), arguments: ["-e", "1 / 0"], noColor: true)
    #expect(plain.termination() == .exited(1))
    #expect(!plain.rawOutput.contains("\u{1B}["))
    #expect(plain.rawOutput.contains("division by zero"))
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

  /// Margins of error through the release command: the judgement of `compare`, `--json`, a
  /// script with `±` and `..` that `--check` accepts, and a refusal with its suggestion.
  @Test func marginsThroughTheCommand() {
    let figures =
      "figure(59%, source: \"S\", period: \"2024\", margin: 3pp, confidence: 95%), figure(57%, source: \"S\", period: \"2024\", margin: 3pp, confidence: 95%)"
    let compared = runPQ(["-e", "compare(\(figures))"])
    #expect(compared.status == 0, "\(compared.stderr)")
    #expect(compared.stdout.contains("2 pp ± 4.2 pp"), "\(compared.stdout)")
    #expect(
      compared.stdout.contains(
        "within the margin of error (±4.2 pp at 95% confidence): not a meaningful difference"),
      "\(compared.stdout)")
    let json = runPQ(["-e", "59% ± 3pp", "--json"])
    #expect(json.stdout == "{\"value\": 59, \"unit\": \"%\", \"margin\": 3}\n", "\(json.stdout)")
    let checked = runPQ(["--check", "-"], stdin: "let a = 59% ± 3pp\nlet b = 600K..700K\nprint(a, b)\n")
    #expect(checked.status == 0, "\(checked.stderr)")
    let refused = runPQ(["-e", "59% ± 3%"])
    #expect(refused.status == 1)
    #expect(
      refused.stderr.contains("note: write 59% ± 3pp: ± 3% could mean 3 points or 3% of 59%"),
      "\(refused.stderr)")
  }
}
