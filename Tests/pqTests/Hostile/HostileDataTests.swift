import PlatformQuery
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Data files as an attacker or a broken export makes them, through the real binary: they are
/// refused as data (exit 1, a note about the file), and diagnostics stay short.
@Suite struct HostileDataTests {
  func folder(_ files: [String: [UInt8]]) -> String { makeFolder(files) }

  /// Invalid UTF-8 or a NUL byte in a data file is the file's problem, not a syntax error in the
  /// program: exit 1, and a note saying how to save the file.
  @Test func dataFilesThatAreNotTextAreRefusedAsData() {
    let dir = folder([
      "bad.csv": Array("name,mau\nX,70".utf8) + [0xFF] + Array("\n".utf8),
      "nul.json": Array("{\"a\": \"".utf8) + [0] + Array("\"}".utf8),
    ])
    for (file, what) in [
      ("bad.csv", "invalid UTF-8 (byte 0xFF) at line 2, column 5"), ("nul.json", "a NUL byte"),
    ] {
      let result = runPQ(["-e", "load(\"\(file)\")"], directory: dir)
      #expect(result.status == 1, "\(file): \(result.stderr)")
      #expect(result.stderr.contains(what), "\(result.stderr)")
      #expect(result.stderr.contains("this data file is not UTF-8 text"))
      #expect(result.stderr.contains("note: pq reads data files as UTF-8"))
      #expect(!result.stderr.contains("pq source must be UTF-8 text"))
    }
  }

  /// A 2 MB cell in an error: the message quotes at most about 200 characters of it and the
  /// source line shows a window around the place.
  @Test func aHugeCellGivesAShortDiagnostic() {
    let cell = [UInt8](repeating: UInt8(ascii: "z"), count: 2_000_000)
    let dir = folder(["long.csv": Array("name,mau\nX,".utf8) + cell + Array("\n".utf8)])
    let result = runPQ(["-e", "sum(load(\"long.csv\") |> map(fn(r) { r.mau }))"], directory: dir)
    #expect(result.status == 1)
    #expect(result.stderr.utf8.count < 1_000, "\(result.stderr.utf8.count) bytes of stderr")
    #expect(result.stderr.contains("in column 'mau' is not a number"))
    #expect(result.stderr.contains("zzz…zzz"))
  }

  /// A FIFO named like a data file, or a device behind a symbolic link, is refused before it is
  /// read (a FIFO without a writer used to block `open` forever, past every limit).
  @Test func onlyRegularFilesAreLoaded() {
    let dir = folder([:])
    #expect(mkfifo(dir + "/fifo.csv", 0o644) == 0)
    #expect(symlink("/dev/zero", dir + "/zero.csv") == 0)
    let fifo = runPQ(["-e", "load(\"fifo.csv\")"], directory: dir, seconds: 20)
    #expect(fifo.status == 1)
    #expect(
      fifo.stderr.contains("cannot read 'fifo.csv': it is a FIFO (a named pipe); pq reads regular files"))
    let device = runPQ(["--allow-read", "/dev", "-e", "load(\"zero.csv\")"], directory: dir, seconds: 20)
    #expect(device.status == 1)
    #expect(device.stderr.contains("cannot read 'zero.csv': it is a device"), "\(device.stderr)")
    let imported = runPQ(["-e", "import \"fifo.csv\""], directory: dir, seconds: 20)
    #expect(imported.status != 0)
    // The command's own script may still come from a pipe (`pq <(…)`).
    let piped = runPQ(["/dev/stdin"], stdin: "print(6 * 7)\n", directory: dir)
    #expect(piped.stdout == "42\n", "\(piped.stderr)")
  }

  /// A host's memory budget caps what `load` reads; a read that goes on past its limit stops.
  @Test func readsStopAtTheirLimit() throws {
    let dir = folder([
      "big.csv": Array("name,v\n".utf8) + Array(repeating: Array("X,1\n".utf8), count: 2000).flatMap { $0 }
    ])
    var options = Interpreter.Options()
    options.fileAccess = .folders([dir])
    options.limits.memory = 4096
    let pq = Interpreter(options: options)
    do {
      _ = try pq.evaluate("load(\"\(dir)/big.csv\")")
      Issue.record("read past the memory budget")
    } catch {
      #expect(error.message.contains("is more than the 4 KiB a read may take"), "\(error.message)")
    }
    var pipe: [Int32] = [0, 0]
    #expect(Glibc.pipe(&pipe) == 0)
    let bytes = [UInt8](repeating: 7, count: 100)
    _ = bytes.withUnsafeBufferPointer { write(pipe[1], $0.baseAddress, $0.count) }
    close(pipe[1])
    #expect(throws: FileSystem.Failure.self) { try FileSystem.readAll(pipe[0], name: "pipe", limit: 10) }
    close(pipe[0])
  }

  /// Wide inputs are read in time linear in their size: a JSON object of 500,000 keys (minutes
  /// before), a CSV header of 100,000 columns, `--check` of 100,000 `let`s and a record literal
  /// of 100,000 fields each finish well inside the harness's deadline, which fails a hang.
  @Test func wideInputsAreNotQuadratic() {
    let keys = (0..<500_000).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
    let columns = (0..<100_000).map { "c\($0)" }.joined(separator: ",")
    let ones = [String](repeating: "1", count: 100_000).joined(separator: ",")
    let dir = folder([
      "keys.json": Array(("{" + keys + "}").utf8),
      "cols.csv": Array("name,\(columns)\nX,\(ones)\n".utf8),
      "lets.pq": Array((0..<100_000).map { "let v\($0) = \($0)\n" }.joined().utf8),
      "record.pq": Array(
        ("print(len(keys({" + (0..<100_000).map { "k\($0): \($0)" }.joined(separator: ", ") + "})))\n").utf8),
    ])
    #expect(runPQ(["-e", "len(keys(load(\"keys.json\")))"], directory: dir).stdout == "500000\n")
    #expect(runPQ(["-e", "len(keys(load(\"cols.csv\")[0]))"], directory: dir).stdout == "100001\n")
    #expect(runPQ(["--check", "lets.pq"], directory: dir).status == 0)
    #expect(runPQ(["record.pq"], directory: dir).stdout == "100000\n")
  }

  /// An apostrophe in a long message is not a quote: nothing is cut from plain prose.
  @Test func apostrophesAreNotQuotes() {
    let prose = String(repeating: "Truth Social's users ", count: 20)
    let error = PlatformQueryErrorProbe.message(prose)
    #expect(error == prose)
  }
}

/// Makes a `PQError` the way the library does, to read back its bounded message.
enum PlatformQueryErrorProbe {
  static func message(_ text: String) -> String { PQError(.runtime, text).message }
}
