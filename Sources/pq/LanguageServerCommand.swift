import PlatformQuery

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `pq lsp`: the language server on stdin and stdout. Messages are read as they arrive, answered
/// in order, and each answer is written (and flushed) before the next message is read. A frame
/// that cannot be read is logged on stderr and skipped. Ends at the client's `exit` (status 0
/// after `shutdown`, else 1) or at the end of stdin (status 1: the client went away).
func serveLanguage() -> ExitCode {
  let server = LanguageServer()
  var framing = LSPFraming()
  var chunk = [UInt8](repeating: 0, count: 1 << 16)
  while true {
    let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
    if count < 0, errno == EINTR { continue }
    guard count > 0 else { return .runtimeError }
    framing.append(chunk[..<count])
    while let frame = framing.next() {
      switch frame {
      case .message(let body):
        for reply in server.receive(body) {
          Output.standardOutput.write(String(decoding: LSPFraming.frame(reply), as: UTF8.self))
        }
        Output.standardOutput.flush()
        // A body that is not JSON may hold the next message's header (a Content-Length too
        // long): reading goes back to it.
        if server.lastMessageWasNotJSON, framing.resynchronize() {
          Terminal.writeError("pq lsp: a message was not JSON; reading again from the header inside it\n")
        }
      case .malformed(let reason):
        Terminal.writeError("pq lsp: skipped \(reason)\n")
      }
      if let status = server.exitStatus { return status == 0 ? .success : .runtimeError }
    }
  }
}
