import PQTestSupport
import Testing

@testable import PlatformQuery

#if canImport(Glibc)
  import Glibc
#endif

/// A refused file access names the folders allowed and the host's own hint.
@Suite struct FileAccessTests: FileTesting {
  @Test func refusedPathsNameTheFlagsInThePqCommand() throws {
    var options = Interpreter.Options()
    options.fileAccess = .separate(read: ["/tmp/pq-allowed-read"], write: [])
    options.fileAccessHint =
      "pq grants more with --allow-read DIR (load, import) and --allow-write DIR (save)"
    let pq = Interpreter(options: options)
    do {
      _ = try pq.evaluate("load(\"/etc/hostname\")")
      Issue.record("loaded a file outside the allowed folders")
    } catch {
      #expect(error.notes == ["allowed: /tmp/pq-allowed-read", options.fileAccessHint ?? ""])
    }
  }
}
