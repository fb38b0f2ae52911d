import PlatformQuery
import Synchronization

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

/// Forks under the fork lock; the child runs `child`, which must exec or exit.
func forkChild(_ child: () -> Never) -> pid_t {
  forkLock.withLock { _ in
    let pid = fork()
    if pid == 0 { child() }
    return pid
  }
}

/// `forkpty` under the fork lock, with the master marked close-on-exec before the lock is let go.
func forkPseudoTerminal(_ master: inout Int32, size: inout winsize, _ child: () -> Never) -> pid_t {
  forkLock.withLock { _ in
    let pid = forkpty(&master, nil, nil, &size)
    if pid == 0 { child() }
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
  var status: Int32
  var stdout: String
  var stderr: String
}

/// Runs the pq binary with arguments, optional stdin text, in a working directory.
func runPQ(
  _ arguments: [String], stdin: String? = nil, directory: String? = nil, environment: [String: String] = [:]
) -> ProcessResult {
  run([pqBinary] + arguments, stdin: stdin, directory: directory ?? repositoryRoot, environment: environment)
}

/// Runs a program and collects its output (stdin from text or /dev/null).
func run(_ argv: [String], stdin: String?, directory: String, environment: [String: String]) -> ProcessResult
{
  let outPipe = makePipe()
  let errPipe = makePipe()
  let inPipe = makePipe()
  var env = ["PATH=/usr/bin:/bin", "HOME=/tmp", "LANG=C.UTF-8", "NO_COLOR=1"] + sanitizerOptions
  for (key, value) in environment {
    env.removeAll { $0.hasPrefix(key + "=") }
    env.append("\(key)=\(value)")
  }
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
  if let stdin {
    let bytes = Array(stdin.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes[offset...].withUnsafeBytes { write(inPipe[1], $0.baseAddress, $0.count) }
      if written <= 0 { break }
      offset += written
    }
  }
  close(inPipe[1])
  let output = drain([outPipe[0], errPipe[0]])
  var status: Int32 = 0
  waitpid(pid, &status, 0)
  let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
  return ProcessResult(status: exitStatus, stdout: output[0], stderr: output[1])
}

/// Reads several descriptors to their ends without deadlocking.
func drain(_ descriptors: [Int32]) -> [String] {
  var buffers = [[UInt8]](repeating: [], count: descriptors.count)
  var open = descriptors.map { _ in true }
  var chunk = [UInt8](repeating: 0, count: 65536)
  while open.contains(true) {
    var polls = descriptors.enumerated().filter { open[$0.offset] }.map {
      pollfd(fd: $0.element, events: Int16(POLLIN), revents: 0)
    }
    _ = poll(&polls, nfds_t(polls.count), 10_000)
    for poll in polls where poll.revents != 0 {
      guard let index = descriptors.firstIndex(of: poll.fd) else { continue }
      let count = chunk.withUnsafeMutableBytes { read(poll.fd, $0.baseAddress, $0.count) }
      if count <= 0 {
        open[index] = false
        close(poll.fd)
      } else {
        buffers[index].append(contentsOf: chunk[0..<count])
      }
    }
  }
  return buffers.map { String(decoding: $0, as: UTF8.self) }
}

/// Sanitizer settings of the test run, passed on to the pq processes it starts.
let sanitizerOptions: [String] = (["ASAN_OPTIONS", "TSAN_OPTIONS", "LSAN_OPTIONS"] as [String]).compactMap {
  name in
  getenv(name).map { "\(name)=\(String(cString: $0))" }
}
