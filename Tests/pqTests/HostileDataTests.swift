import PlatformQuery
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Data files as an attacker or a broken export makes them, through the real binary: they are
/// refused as data (exit 1, a note about the file), and diagnostics stay short.
@Suite struct HostileDataTests {
  func folder(_ files: [String: [UInt8]]) -> String {
    let dir = temporaryFolder()
    for (name, bytes) in files {
      let descriptor = open(dir + "/" + name, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
      _ = bytes.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count) }
      close(descriptor)
    }
    return dir
  }

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
