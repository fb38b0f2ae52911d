import PlatformQuery
import Synchronization
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Tests start processes from many threads at once. A descriptor open in the parent at the moment
/// another thread forks is inherited by that child, so a pipe's write end could stay open in an
/// unrelated pq and its reader never see the end (two such children can wait on each other
/// forever). Pipes are therefore made close-on-exec atomically, and every fork happens under one
/// lock, inside which a pseudo-terminal's master is marked close-on-exec before any other fork.
private let forkLock = Mutex<Void>(())

/// A pipe whose ends close on exec (the child's `dup2` copies are kept). Glibc's module does not
/// export `pipe2`, so the pipe is made and marked under the fork lock, where no fork can come between.
func makePipe() -> [Int32] {
  forkLock.withLock { _ in
    var ends: [Int32] = [0, 0]
    precondition(pipe(&ends) == 0, "pipe failed")
    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    return ends
  }
}

/// Forks under the fork lock; the child runs `child`, which must exec or exit. The child starts
/// as a user's shell would start it: no signal blocked, every disposition the default (the test
/// runner's threads block most signals, and a fork inherits the forking thread's mask), and in a
/// process group of its own, so that a deadline can kill it and everything it started.
func forkChild(_ child: () -> Never) -> pid_t {
  forkLock.withLock { _ in
    let pid = fork()
    if pid == 0 {
      resetSignalsInChild()
      setpgid(0, 0)
      child()
    }
    return pid
  }
}

/// Unblocks every signal and restores every default disposition; async-signal-safe, for a child
/// between fork and exec.
func resetSignalsInChild() {
  var none = sigset_t()
  sigemptyset(&none)
  sigprocmask(SIG_SETMASK, &none, nil)
  for signal in 1..<65 where signal != SIGKILL && signal != SIGSTOP {
    Glibc.signal(Int32(signal), SIG_DFL)
  }
}

/// The name of a signal, for failure messages (`SIGSEGV`).
func signalName(_ number: Int32) -> String {
  let names: [Int32: String] = [
    SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
    SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV",
    SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM",
  ]
  return names[number] ?? "signal \(number)"
}

/// How a child ended, from a `waitpid` status: its exit status, or the signal that killed it.
enum Termination: Equatable, CustomStringConvertible {
  case exited(Int32)
  case signalled(Int32)

  init(waitStatus status: Int32) {
    self = (status & 0x7f) == 0 ? .exited((status >> 8) & 0xff) : .signalled(status & 0x7f)
  }

  var description: String {
    switch self {
    case .exited(let code): return "exit status \(code)"
    case .signalled(let number): return "killed by \(signalName(number))"
    }
  }
}

/// `forkpty` under the fork lock, with the master marked close-on-exec before the lock is let go.
func forkPseudoTerminal(_ master: inout Int32, size: inout winsize, _ child: () -> Never) -> pid_t {
  forkLock.withLock { _ in
    let pid = forkpty(&master, nil, nil, &size)
    if pid == 0 {
      resetSignalsInChild()
      child()
    }
    if pid > 0 { _ = fcntl(master, F_SETFD, FD_CLOEXEC) }
    return pid
  }
}

/// The folder the test bundle was built into, where `swift test` also builds `pq` and the
/// embedding example.
let buildFolder: String = {
  var buffer = [CChar](repeating: 0, count: 4096)
  let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
  let executable = String(decoding: buffer.prefix(max(0, count)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
  var folder = executable
  while !folder.isEmpty, folder.last != "/" { folder.removeLast() }
  return folder
}()

/// The `pq` binary under test: `PQ_BINARY` when set (CI points it at the static release build),
/// else the one built beside the test bundle.
let pqBinary: String = {
  if let chosen = getenv("PQ_BINARY").map({ String(cString: $0) }), !chosen.isEmpty {
    return chosen.hasPrefix("/") ? chosen : repositoryRoot + "/" + chosen
  }
  return buildFolder + "pq"
}()

/// The repository root, found from this file's path.
let repositoryRoot: String = {
  var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
  parts.removeLast(3)
  return parts.joined(separator: "/")
}()

/// What a finished process produced.
struct ProcessResult {
  /// The exit status; 128 + the signal's number when a signal ended it (already recorded as a
  /// test failure unless the caller expected it).
  var status: Int32
  var stdout: String
  var stderr: String
  /// How the process ended.
  var termination: Termination = .exited(0)
  /// True when the deadline passed and the harness killed the process group.
  var timedOut = false
  /// The child's peak resident memory, in KiB (`wait4`'s `ru_maxrss`).
  var peakKilobytes = 0
}

/// The environment every child starts with. A test may override any variable or remove it by
/// passing nil (`["NO_COLOR": nil, "LANG": nil]`).
let baseEnvironment: [String: String] = [
  "PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "NO_COLOR": "1",
]

/// Runs the pq binary with arguments, optional stdin text, in a working directory.
func runPQ(
  _ arguments: [String], stdin: String? = nil, directory: String? = nil, environment: [String: String?] = [:],
  seconds: Double = defaultDeadline, sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> ProcessResult {
  run(
    [pqBinary] + arguments, stdin: stdin, directory: directory ?? repositoryRoot, environment: environment,
    seconds: seconds, sourceLocation: sourceLocation)
}

/// How long a child may run before the harness kills it and fails the test; generous, for a
/// loaded machine and the sanitizer builds, because it catches hangs, not slowness.
let defaultDeadline: Double = getenv("ASAN_OPTIONS") != nil || getenv("TSAN_OPTIONS") != nil ? 180 : 60

/// The test process ignores SIGPIPE, so that a child that exits before reading its stdin makes
/// the harness's write fail with EPIPE instead of killing the test runner.
let ignoreBrokenPipes: Void = {
  signal(SIGPIPE, SIG_IGN)
}()

/// Runs a program and collects its output. Stdin (text, or /dev/null's end when nil) is written
/// while stdout and stderr are read, so a child that prints much before reading cannot deadlock
/// the test. A child still running at the deadline is killed with its process group and the test
/// fails; a child killed by a signal the test did not expect fails the test with the signal's name.
func run(
  _ argv: [String], stdin: String?, directory: String, environment: [String: String?],
  seconds: Double = defaultDeadline, expectSignal: Bool = false,
  sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> ProcessResult {
  _ = ignoreBrokenPipes
  let outPipe = makePipe()
  let errPipe = makePipe()
  let inPipe = makePipe()
  var variables = baseEnvironment
  for (key, value) in environment { variables[key] = value }
  let env = variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + sanitizerOptions
  let cArguments = argv.map { strdup($0) } + [nil]
  let cEnvironment = env.map { strdup($0) } + [nil]
  let cDirectory = strdup(directory)
  defer {
    cArguments.forEach { free($0) }
    cEnvironment.forEach { free($0) }
    free(cDirectory)
  }
  let pid = forkChild {
    dup2(inPipe[0], 0)
    dup2(outPipe[1], 1)
    dup2(errPipe[1], 2)
    if let cDirectory { chdir(cDirectory) }
    if let program = cArguments[0] { execve(program, cArguments, cEnvironment) }
    _exit(127)
  }
  close(inPipe[0])
  close(outPipe[1])
  close(errPipe[1])
  let input = Array((stdin ?? "").utf8)
  let (output, finished) = exchange(
    input: input, writingTo: inPipe[1], readingFrom: [outPipe[0], errPipe[0]],
    deadline: monotonicNow() + seconds)
  if !finished { kill(-pid, SIGKILL) }
  var status: Int32 = 0
  var usage = rusage()
  while wait4(pid, &status, 0, &usage) < 0, errno == EINTR {}
  let termination = Termination(waitStatus: status)
  var result = ProcessResult(status: 0, stdout: output[0], stderr: output[1], termination: termination)
  result.peakKilobytes = usage.ru_maxrss
  switch termination {
  case .exited(let code): result.status = code
  case .signalled(let number): result.status = 128 + number
  }
  if !finished {
    result.timedOut = true
    Issue.record(
      "\(argv.joined(separator: " ").prefix(200)) did not finish within \(Int(seconds)) s; killed",
      sourceLocation: sourceLocation)
  } else if case .signalled = termination, !expectSignal {
    Issue.record(
      "\(argv.joined(separator: " ").prefix(200)) was \(termination)\nstderr: \(result.stderr.suffix(2000))",
      sourceLocation: sourceLocation)
  }
  return result
}

/// The monotonic clock in seconds.
func monotonicNow() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_MONOTONIC, &time)
  return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// Writes `input` to `writer` (then closes it) while reading every descriptor in `readers` to its
/// end, until `deadline`. Returns what each reader gave and whether all ended before the deadline.
func exchange(input: [UInt8], writingTo writer: Int32, readingFrom readers: [Int32], deadline: Double) -> (
  [String], Bool
) {
  var buffers = [[UInt8]](repeating: [], count: readers.count)
  var open = readers.map { _ in true }
  var writerOpen = true
  var offset = 0
  _ = fcntl(writer, F_SETFL, fcntl(writer, F_GETFL) | O_NONBLOCK)
  if input.isEmpty {
    close(writer)
    writerOpen = false
  }
  var chunk = [UInt8](repeating: 0, count: 65536)
  while open.contains(true) {
    let remaining = deadline - monotonicNow()
    if remaining <= 0 { break }
    var polls = readers.enumerated().filter { open[$0.offset] }.map {
      pollfd(fd: $0.element, events: Int16(POLLIN), revents: 0)
    }
    if writerOpen { polls.append(pollfd(fd: writer, events: Int16(POLLOUT), revents: 0)) }
    let ready = poll(&polls, nfds_t(polls.count), Int32(min(remaining, 1) * 1000) + 1)
    if ready <= 0 { continue }
    for poll in polls where poll.revents != 0 {
      if writerOpen, poll.fd == writer {
        let written = input[offset...].withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
        if written > 0 { offset += written }
        if offset == input.count || (written < 0 && errno != EAGAIN && errno != EINTR) {
          close(writer)
          writerOpen = false
        }
        continue
      }
      guard let index = readers.firstIndex(of: poll.fd) else { continue }
      let count = chunk.withUnsafeMutableBytes { read(poll.fd, $0.baseAddress, $0.count) }
      if count < 0, errno == EINTR || errno == EAGAIN { continue }
      if count <= 0 {
        open[index] = false
        close(poll.fd)
      } else {
        buffers[index].append(contentsOf: chunk[0..<count])
      }
    }
  }
  if writerOpen { close(writer) }
  for (index, descriptor) in readers.enumerated() where open[index] { close(descriptor) }
  return (buffers.map { String(decoding: $0, as: UTF8.self) }, !open.contains(true))
}

/// Reads several descriptors to their ends (or the default deadline) without deadlocking.
func drain(_ descriptors: [Int32]) -> [String] {
  let devnull = open("/dev/null", O_WRONLY)
  return exchange(
    input: [], writingTo: devnull, readingFrom: descriptors, deadline: monotonicNow() + defaultDeadline
  ).0
}

/// Sanitizer settings of the test run, passed on to the pq processes it starts.
let sanitizerOptions: [String] = (["ASAN_OPTIONS", "TSAN_OPTIONS", "LSAN_OPTIONS"] as [String]).compactMap {
  name in
  getenv(name).map { "\(name)=\(String(cString: $0))" }
}

/// The names of the `.pq` files in a folder of the repository (not its subfolders), sorted.
func scripts(in folder: String) -> [String] {
  guard let directory = opendir(repositoryRoot + "/" + folder) else { return [] }
  defer { closedir(directory) }
  var found: [String] = []
  while let entry = readdir(directory) {
    let name = FileSystem.entryName(entry)
    if name.hasSuffix(".pq") { found.append(name) }
  }
  return found.sorted()
}

/// A new folder holding `files` (name → bytes), for a run with it as the working folder.
func makeFolder(_ files: [String: [UInt8]]) -> String {
  let dir = temporaryFolder()
  for (name, bytes) in files {
    let descriptor = open(dir + "/" + name, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    _ = bytes.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count) }
    close(descriptor)
  }
  return dir
}
