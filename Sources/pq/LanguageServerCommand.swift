import PlatformQuery
import PlatformQueryTools

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `pq lsp`: the language server on stdin and stdout. A reading thread takes messages off stdin
/// as they arrive; the main thread answers them in order, writing (and flushing) each answer
/// before it takes the next. The reading thread tells the server of each message as it arrives,
/// so that a change to a document stops the analysis of its older text
/// (`AnalysisInterrupter`), and a change that a later one, already waiting, replaces is applied
/// without being analysed. A frame that cannot be read is logged on stderr and skipped. Ends at
/// the client's `exit` (status 0 after `shutdown`, else 1) or at the end of stdin (status 1: the
/// client went away).
///
/// The release `pq` counts references without atomics, so the two threads share no Swift
/// object whose count both change: each message body crosses from the reading thread in memory
/// of its own (a pointer and a length written to a pipe), and the interrupter is atomics only.
func serveLanguage() -> ExitCode {
  let server = LanguageServer()
  var ends: [Int32] = [0, 0]
  guard pipe(&ends) == 0 else {
    Terminal.writeError("pq lsp: could not make a pipe\n")
    return .runtimeError
  }
  let (readEnd, writeEnd) = (ends[0], ends[1])
  // Retained for the reading thread, which runs until the process ends (it is detached and
  // never joined): the interrupter must outlive any message it reads.
  guard startReadingThread(writeEnd, Unmanaged.passRetained(server.interrupter)) else {
    Terminal.writeError("pq lsp: could not start the reading thread\n")
    return .runtimeError
  }
  var waiting: [LanguageServer.Incoming] = []
  var ended = false
  while true {
    // Everything the reading thread has passed on, without waiting unless nothing is.
    while let body = receiveBody(from: readEnd, wait: waiting.isEmpty && !ended) {
      if let body {
        waiting.append(LanguageServer.Incoming(body))
      } else {
        ended = true
      }
    }
    guard !waiting.isEmpty else { return .runtimeError }
    let incoming = waiting.removeFirst()
    let superseded =
      incoming.changedDocument.map { uri in waiting.contains { $0.changedDocument == uri } } ?? false
    for reply in server.receive(incoming, supersededByLaterChange: superseded) {
      Output.standardOutput.write(String(decoding: LSPFraming.frame(reply), as: UTF8.self))
    }
    Output.standardOutput.flush()
    if let status = server.exitStatus { return status == 0 ? .success : .runtimeError }
  }
}

/// A message body the reading thread passed through the pipe (`.some(nil)` for the end of
/// stdin), or nil when none is there and `wait` is false.
func receiveBody(from descriptor: Int32, wait: Bool) -> [UInt8]?? {
  if !wait {
    var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
    guard poll(&poller, 1, 0) > 0 else { return nil }
  }
  var entry: (UInt, Int) = (0, 0)
  let size = MemoryLayout<(UInt, Int)>.size
  var received = 0
  while received < size {
    let count = withUnsafeMutableBytes(of: &entry) { bytes in
      bytes.baseAddress.map { read(descriptor, $0 + received, size - received) } ?? -1
    }
    if count < 0, errno == EINTR { continue }
    guard count > 0 else { return .some(nil) }
    received += count
  }
  guard let pointer = UnsafeMutableRawPointer(bitPattern: entry.0) else { return .some(nil) }
  defer { pointer.deallocate() }
  return .some(Array(UnsafeRawBufferPointer(start: pointer, count: entry.1)))
}

/// The reading thread: frames stdin into messages, reads each as JSON to tell the interrupter,
/// and passes the body on in memory of its own. A body that is not JSON may hold the next
/// message's header (a Content-Length too long): reading goes back to it. At the end of stdin
/// it passes on a null pointer.
func readMessages(sendingTo descriptor: Int32, telling interrupter: Unmanaged<AnalysisInterrupter>) {
  var framing = LSPFraming()
  var chunk = [UInt8](repeating: 0, count: 1 << 16)
  func pass(_ pointer: UnsafeMutableRawPointer?, _ count: Int) {
    var entry: (UInt, Int) = (UInt(bitPattern: pointer), count)
    withUnsafeBytes(of: &entry) { bytes in
      var sent = 0
      while sent < bytes.count {
        let written = bytes.baseAddress.map { write(descriptor, $0 + sent, bytes.count - sent) } ?? -1
        if written < 0, errno == EINTR { continue }
        guard written > 0 else { return }
        sent += written
      }
    }
  }
  while true {
    let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
    if count < 0, errno == EINTR { continue }
    guard count > 0 else {
      pass(nil, 0)
      return
    }
    framing.append(chunk[..<count])
    while let frame = framing.next() {
      switch frame {
      case .message(let body):
        let incoming = LanguageServer.Incoming(body)
        interrupter._withUnsafeGuaranteedRef { $0.arrived(incoming) }
        let copy = UnsafeMutableRawPointer.allocate(byteCount: max(body.count, 1), alignment: 1)
        body.withUnsafeBytes { bytes in
          if let base = bytes.baseAddress { copy.copyMemory(from: base, byteCount: bytes.count) }
        }
        pass(copy, body.count)
        if incoming.isNotJSON, framing.resynchronize() {
          writeRaw("pq lsp: a message was not JSON; reading again from the header inside it\n")
        }
      case .malformed(let reason):
        writeRaw("pq lsp: skipped \(reason)\n")
      }
    }
  }
}

/// Writes to stderr without the shared buffered writer (the reading thread's own text).
func writeRaw(_ text: String) {
  var text = text
  text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
}

/// Starts the reading thread, detached; false when it could not be started. What it needs
/// crosses in memory of its own, not in a closure's context (whose reference count both threads
/// would change).
func startReadingThread(_ descriptor: Int32, _ interrupter: Unmanaged<AnalysisInterrupter>) -> Bool {
  typealias Start = (Int32, Unmanaged<AnalysisInterrupter>)
  let start = UnsafeMutablePointer<Start>.allocate(capacity: 1)
  start.initialize(to: (descriptor, interrupter))
  var attributes = pthread_attr_t()
  pthread_attr_init(&attributes)
  pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
  defer { pthread_attr_destroy(&attributes) }
  #if canImport(Darwin)
    var thread: pthread_t?
  #else
    var thread = pthread_t()
  #endif
  let started = pthread_create(
    &thread, &attributes,
    { pointer in
      #if !canImport(Darwin)
        guard let pointer else { return nil }
      #endif
      let start = pointer.assumingMemoryBound(to: (Int32, Unmanaged<AnalysisInterrupter>).self)
      let (descriptor, interrupter) = start.move()
      start.deallocate()
      readMessages(sendingTo: descriptor, telling: interrupter)
      return nil
    }, start)
  if started != 0 {
    start.deinitialize(count: 1)
    start.deallocate()
    return false
  }
  return true
}
