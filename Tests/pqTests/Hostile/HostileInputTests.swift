import PlatformQuery
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The catalogue of hostile inputs: each gives a clear diagnostic and the right exit status,
/// never a crash, a hang or lost data.
@Suite struct HostileInputTests {
  func script(_ text: String) -> ProcessResult {
    runPQ(["-"], stdin: text)
  }

  @Test func deepNestingIsRefused() {
    let cases = [
      String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000),
      String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000),
      String(repeating: "if true { ", count: 10_000) + String(repeating: "}", count: 10_000),
      String(repeating: "-", count: 10_000) + "1",
      String(repeating: "not ", count: 10_000) + "true",
      "\"" + String(repeating: "\\(\"", count: 3_000) + String(repeating: "\")", count: 3_000) + "\"",
    ]
    for text in cases {
      let result = script(text)
      #expect(result.status == 3, "\(text.prefix(20))…: \(result.stderr.prefix(200))")
      #expect(result.stderr.contains("nesting too deep"), "\(text.prefix(20))…: \(result.stderr.prefix(200))")
    }
  }

  @Test func longChainsAreRefusedClearly() {
    let result = script("1" + String(repeating: "+1", count: 20_000))
    #expect(result.status == 3)
    #expect(result.stderr.contains("expression too long"))
    #expect(result.stderr.split(separator: "\n").allSatisfy { $0.count < 200 })
    #expect(
      script("print(" + Array(repeating: "1", count: 9_000).joined(separator: "+") + ")").stdout == "9000\n")
  }

  @Test func tenMegabyteLine() {
    let big = String(repeating: "a", count: 10_000_000)
    let result = script("let s = \"\(big)\"; print(len(s))")
    #expect(result.status == 0)
    #expect(result.stdout == "10000000\n")
    let statements = String(repeating: "x.mau; ", count: 100_000) + "print(1)"
    #expect(script(statements).stdout == "1\n")
  }

  @Test func invalidUTF8AndNULBytes() throws {
    let path = "/tmp/pq-hostile-\(getpid()).pq"
    defer { unlink(path) }
    for (bytes, position) in [
      ([UInt8]("let a = 1\nlet b = \"".utf8) + [0xFF, 0x22], "2:10"), (Array("1 +\n 2\0".utf8), "2:3"),
    ] {
      try FileSystem.writeAtomically(path, bytes)
      let result = runPQ([path])
      #expect(result.status == 3)
      #expect(result.stderr.hasPrefix("\(path):\(position): error: "), "\(result.stderr)")
      #expect(
        result.stderr.contains(
          "line \(position.split(separator: ":")[0]), column \(position.split(separator: ":")[1])"))
    }
  }

  @Test func unterminatedAtEndOfFile() {
    for (text, message) in [
      ("print(\"abc", "unterminated string"), ("\"\\(1 + ", "unterminated interpolation"),
      ("fn f() {", "expected '}' to close the block"), ("[1, 2", "expected ']' to close the list"),
    ] {
      let result = script(text)
      #expect(result.status == 3)
      #expect(result.stderr.contains(message), "\(text): \(result.stderr)")
    }
  }

  @Test func numbersThatOverflow() {
    #expect(script("1e400").stderr.contains("number literal is too large"))
    // Beyond a double's range: an error naming the operation, never inf or nan.
    for text in [
      "999999999T * 1e300", "1e300 * 1e10", "-(999999999T * 1e300) + 999999999T * 1e300", "10 ^ 400",
    ] {
      let result = script("print(\(text))")
      #expect(result.status == 1, "\(text)")
      #expect(result.stdout == "", "\(text)")
      #expect(result.stderr.contains("is too large for a number"), "\(text): \(result.stderr)")
    }
  }

  @Test func divisionByZeroIsAnError() {
    for text in ["1 / 0", "5 mod 0", "ratio(1, 0)", "var a = 1\na /= 0"] {
      let result = script(text)
      #expect(result.status == 1, "\(text)")
      #expect(result.stderr.contains("zero"), "\(text): \(result.stderr)")
    }
  }

  @Test func memoryExhaustionIsALimit() {
    for text in [
      "range(1e12)", "repeat(\"ab\", 1e12)", "var s = \"x\"\nwhile true { s += s }", "pad(\"a\", 1e14)",
    ] {
      let result = script(text)
      #expect(result.status == 1, "\(text)")
      #expect(result.stderr.contains("error (limit): "), "\(text): \(result.stderr)")
    }
  }

  /// The command's ceiling on the memory it holds (`--max-memory`): a script that would hold
  /// more stops with a limit error and a note saying how to raise it, and its peak stays near
  /// the ceiling; one that makes far more than the ceiling but frees it as it goes runs to the
  /// end; a size that cannot be read is a usage error.
  @Test func theMemoryCeilingStopsWhatWouldHoldTooMuch() {
    let bomb =
      "var l = [1]; for i in range(19) { l += l }; var m = []; for i in range(400) { m += [l + [i]] }; len(m)"
    // Measured from a small parent process: a child forked from this (large) test process counts
    // the pages it shared before exec in its peak.
    let stopped = HostileFormulaTests.measured([pqBinary, "--max-memory", "300M", "-e", bomb])
    #expect(stopped.status == 1, "\(stopped.stderr)")
    #expect(
      stopped.stderr.contains(
        "error (limit): memory limit reached: the process would hold more than its ceiling of 300 MiB"),
      "\(stopped.stderr)")
    #expect(stopped.stderr.contains("note: pq's ceiling is set with --max-memory SIZE"), "\(stopped.stderr)")
    let margin = getenv("ASAN_OPTIONS") != nil ? 1_500_000 : 100_000
    #expect(stopped.peakKilobytes < 300 * 1024 + margin, "\(stopped.peakKilobytes) KiB")
    // 2.4 GB of lists made and let go, under a 200 MiB ceiling (1 GiB under the address
    // sanitizer, whose quarantine keeps freed memory resident for a while).
    let ceiling = getenv("ASAN_OPTIONS") != nil ? "--max-memory=1G" : "--max-memory=200M"
    let churn = runPQ([
      ceiling, "-e", "var n = 0; for i in range(200) { let l = range(500000); n += len(l) }; n",
    ])
    #expect(churn.status == 0, "\(churn.stderr)")
    #expect(churn.stdout == "100000000\n")
    #expect(runPQ(["--max-memory", "none", "-e", "1 + 1"]).stdout == "2\n")
    #expect(runPQ(["--max-memory", "2GiB", "-e", "1 + 1"]).stdout == "2\n")
    for bad in ["12Q", "0", "-5M", "", "99999999999T"] {
      let refused = runPQ(["--max-memory", bad, "-e", "1"])
      #expect(refused.status == 2, "\(bad)")
      #expect(refused.stderr.contains("--max-memory takes a size such as 512M"), "\(bad): \(refused.stderr)")
    }
  }

  @Test func runawayRecursion() {
    let result = script("fn f(n) { f(n + 1) }\nf(0)")
    #expect(result.status == 1)
    #expect(result.stderr.contains("call depth limit of 10000 reached in f"))
  }

  @Test func importProblems() {
    #expect(
      runPQ(["Tests/PlatformQueryTests/Programs/errors/import_cycle.pq"]).stderr.contains("import cycle"))
    #expect(script("import \"nowhere.pq\"").stderr.contains("no such file"))
    #expect(script("import nosuchmodule").stderr.contains("no standard module named 'nosuchmodule'"))
  }

  @Test func unusableScriptFiles() {
    #expect(runPQ(["Sources"]).stderr.contains("it is a directory"))
    let binary = runPQ([pqBinary])
    #expect(binary.status == 3)
    #expect(binary.stderr.contains("pq source must be UTF-8 text"))
    let unreadable = runPQ(["/proc/self/mem"])
    #expect(unreadable.status == 1)
    #expect(unreadable.stderr.contains("cannot read '/proc/self/mem'"))
  }

  @Test func stdinFromDevNull() {
    let result = run([pqBinary], stdin: nil, directory: "/tmp", environment: [:])
    #expect(result.status == 0)
    #expect(result.stdout.isEmpty && result.stderr.isEmpty)
  }

  @Test func closedStdoutEndsQuietly() {
    let pipeEnds = makePipe()
    let errEnds = makePipe()
    let words: [String] = [pqBinary, "-e", "for i in range(1_000_000) { print(i) }"]
    let argv = words.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    let pid = forkChild {
      dup2(pipeEnds[1], 1)
      dup2(errEnds[1], 2)
      if let program = argv[0] { execv(program, argv) }
      _exit(127)
    }
    close(pipeEnds[1])
    close(errEnds[1])
    var buffer = [UInt8](repeating: 0, count: 16)
    _ = read(pipeEnds[0], &buffer, buffer.count)
    close(pipeEnds[0])  // like `| head -1`
    let stderr = drain([errEnds[0]])[0]
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    #expect((status & 0x7f) == 0, "killed by signal \(status & 0x7f)")
    #expect((status >> 8) & 0xff == 0)
    #expect(stderr.isEmpty)
  }

  /// Kills a process while it rewrites a file again and again: the file must always be a whole
  /// version, old or new, never a torn one.
  @Test func saveIsWholeOrNothing() throws {
    let folder = "/tmp/pq-save-\(getpid())"
    mkdir(folder, 0o755)
    let target = folder + "/data.json"
    // Each writer counts its rounds from its attempt's own million, so that a round read from
    // the file tells whether this writer has replaced it yet.
    func writer(_ attempt: Int) -> String {
      """
      let big = map(range(20_000), fn(i) { {n: i, label: "item \\(i)"} })
      var round = \((attempt + 1) * 1_000_000)
      while true { round += 1; save({round: round, items: big}, "\(target)") }
      """
    }
    let first = run(
      [pqBinary, "-e", "save({round: 0, items: map(range(20_000), fn(i) { {n: i} })}, \"\(target)\")"],
      stdin: nil,
      directory: folder, environment: [:])
    #expect(first.status == 0, "\(first.stderr)")
    var newestRound = 0
    for attempt in 0..<3 {
      let pid = spawn([pqBinary, "-e", writer(attempt)], directory: folder)
      // Kill it only once it has replaced the file at least once — however slow the machine
      // (a sanitizer build, a busy CI runner) — and then at a different moment each attempt.
      let deadline = monotonicNow() + 120
      while monotonicNow() < deadline, Self.round(in: target) <= (attempt + 1) * 1_000_000 { usleep(10_000) }
      usleep(UInt32(50_000 + attempt * 70_000))
      kill(pid, SIGKILL)
      var status: Int32 = 0
      waitpid(pid, &status, 0)
      var options = Interpreter.Options()
      options.fileAccess = .all
      let pq = Interpreter(options: options)
      // A whole version: every item there, the last one intact.
      let loaded = try pq.evaluate("let d = load(\"\(target)\"); [d.round, len(d.items), d.items[-1].n]")
      guard case .list(let parts) = loaded, parts.count == 3, let round = parts[0].numericValue else {
        Issue.record("unexpected \(loaded)")
        continue
      }
      #expect(parts[1].description == "20000" && parts[2].description == "19999", "\(loaded)")
      newestRound = max(newestRound, Int(round))
    }
    // The killed writers did rewrite the file (else the check above proved nothing).
    #expect(newestRound > 3_000_000)
    // And left nothing behind: the content is written into an unnamed file until it is whole.
    let leftovers = Self.names(in: folder).filter { $0 != "data.json" }
    #expect(leftovers.isEmpty, "\(leftovers)")
  }

  static func names(in folder: String) -> [String] {
    guard let listing = opendir(folder) else { return [] }
    defer { closedir(listing) }
    var names: [String] = []
    while let entry = readdir(listing) {
      let name = FileSystem.entryName(entry)
      if name != ".", name != ".." { names.append(name) }
    }
    return names
  }

  /// A save keeps what it replaces: a private file stays private, a symbolic link stays a link
  /// to the file it names (which is the one written), and a temporary file an older, killed pq
  /// left beside the target is removed.
  @Test func savesKeepWhatTheyReplace() throws {
    let folder = temporaryFolder()
    let target = folder + "/private.json"
    try FileSystem.writeAtomically(target, Array("[]".utf8))
    chmod(target, 0o600)
    let stale = target + ".tmp-999999-12"
    close(open(stale, O_WRONLY | O_CREAT, 0o644))
    let saved = runPQ(["-e", "save([1, 2], \"private.json\")"], directory: folder)
    #expect(saved.status == 0, "\(saved.stderr)")
    var info = stat()
    #expect(stat(target, &info) == 0 && info.st_mode & 0o777 == 0o600)
    #expect(Self.names(in: folder) == ["private.json"])
    // `pq fmt` through a link formats the file it names and keeps the link.
    try FileSystem.writeAtomically(folder + "/real.pq", Array("let   a=1\n".utf8))
    #expect(symlink("real.pq", folder + "/link.pq") == 0)
    let formatted = run([pqBinary, "fmt", "link.pq"], stdin: nil, directory: folder, environment: [:])
    #expect(formatted.status == 0, "\(formatted.stderr)")
    var link = stat()
    #expect(lstat(folder + "/link.pq", &link) == 0 && link.st_mode & S_IFMT == S_IFLNK)
    let bytes = try FileSystem.read(folder + "/real.pq")
    #expect(String(decoding: bytes, as: UTF8.self) == "let a = 1\n")
  }

  /// The `round` at the start of the saved file (`{"round": N, …`), or 0.
  static func round(in path: String) -> Int {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { return 0 }
    defer { close(descriptor) }
    var buffer = [UInt8](repeating: 0, count: 48)
    let count = read(descriptor, &buffer, buffer.count)
    guard count > 0 else { return 0 }
    let digits = buffer.prefix(count).drop { $0 < UInt8(ascii: "0") || $0 > UInt8(ascii: "9") }
      .prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    return Int(String(decoding: digits, as: UTF8.self)) ?? 0
  }

  func spawn(_ argv: [String], directory: String) -> pid_t {
    let cArguments = argv.map { strdup($0) } + [nil]
    let cDirectory = strdup(directory)
    defer {
      cArguments.forEach { free($0) }
      free(cDirectory)
    }
    return forkChild {
      let devnull = open("/dev/null", O_RDWR)
      dup2(devnull, 0)
      dup2(devnull, 1)
      dup2(devnull, 2)
      if let cDirectory { chdir(cDirectory) }
      if let program = cArguments[0] { execv(program, cArguments) }
      _exit(127)
    }
  }
}
