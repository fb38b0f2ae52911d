import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The harness itself must fail loudly: a crash, a hang or a blocked signal in a child is a
/// failed test, never a pass. Each test here runs a small shell program that misbehaves on
/// purpose and checks that the harness reported it.
@Suite struct HarnessTests {
  @Test func aChildKilledBySignalIsAFailureNamingTheSignal() {
    var result: ProcessResult?
    withKnownIssue {
      result = run(["/bin/sh", "-c", "kill -SEGV $$"], stdin: nil, directory: "/tmp", environment: [:])
    } matching: { issue in
      issue.description.contains("killed by SIGSEGV")
    }
    #expect(result?.termination == .signalled(SIGSEGV))
    #expect(result?.status == 128 + SIGSEGV)
  }

  @Test func aHungChildIsKilledWithItsDescendantsAtTheDeadline() {
    var result: ProcessResult?
    let start = monotonicNow()
    withKnownIssue {
      // The grandchild keeps stdout open: only killing the whole process group ends the read.
      result = run(
        ["/bin/sh", "-c", "sleep 300 & sleep 300"], stdin: nil, directory: "/tmp", environment: [:],
        seconds: 1)
    } matching: { issue in
      issue.description.contains("did not finish within 1 s")
    }
    #expect(result?.timedOut == true)
    #expect(monotonicNow() - start < 30)
  }

  @Test func childrenStartWithNoSignalBlockedOrIgnored() {
    let result = run(
      ["/bin/grep", "-E", "^Sig(Blk|Ign):", "/proc/self/status"], stdin: nil, directory: "/tmp",
      environment: [:])
    let masks = result.stdout.split(separator: "\n").map {
      UInt64($0.split(separator: "\t").last ?? "", radix: 16)
    }
    #expect(masks.count == 2, "\(result.stdout)")
    #expect(masks.first == 0, "blocked: \(result.stdout)")
    // Signals 32 and 33 belong to glibc's threads and cannot be reset; every standard one can.
    #expect(masks.last.map { ($0 ?? 1) & 0x7fff_ffff } == 0, "ignored: \(result.stdout)")
  }

  @Test func stdinIsWrittenWhileOutputIsRead() {
    // `cat` echoes as it reads: with 4 MiB each way, writing all of stdin first would deadlock.
    let big = String(repeating: "0123456789abcdef", count: 262_144)
    let result = run(["/bin/cat"], stdin: big, directory: "/tmp", environment: [:], seconds: 30)
    #expect(result.stdout.count == big.count)
    #expect(!result.timedOut)
  }

  @Test func aChildThatExitsWithoutReadingStdinDoesNotKillTheRunner() {
    let result = run(
      ["/bin/true"], stdin: String(repeating: "x", count: 1_000_000), directory: "/tmp", environment: [:])
    #expect(result.termination == .exited(0))
  }

  @Test func environmentVariablesCanBeRemovedAndSet() {
    let result = run(
      ["/usr/bin/env"], stdin: nil, directory: "/tmp", environment: ["NO_COLOR": nil, "EXTRA": "1"])
    let lines = result.stdout.split(separator: "\n")
    #expect(!lines.contains { $0.hasPrefix("NO_COLOR=") })
    #expect(lines.contains("EXTRA=1"))
    #expect(lines.contains("LANG=C.UTF-8"))
  }
}
