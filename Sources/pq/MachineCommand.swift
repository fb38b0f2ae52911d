import PlatformQuery
import PlatformQueryTools

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `pq machine`: the machine mode on stdin and stdout (protocol in docs/notebooks.md). Requests
/// are read one line at a time and answered in order; SIGINT stops the running evaluation (its
/// result is a `limit` error with the reason `cancelled`) and the session goes on. Ends at
/// `quit` or at the end of stdin, with status 0.
func serveMachine() -> ExitCode {
  let session = MachineSession(
    makeInterpreter: { output in makeInterpreter(scriptPath: nil, arguments: [], output: output) },
    emit: { line in
      Output.standardOutput.write(line + "\n")
      Output.standardOutput.flush()
    })
  installInterruptHandler(session.interpreter.cancellation)
  Output.standardOutput.write(session.readyLine + "\n")
  Output.standardOutput.flush()
  var pending: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 1 << 16)
  var atEnd = false
  while true {
    while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
      let line = String(decoding: pending[..<newline], as: UTF8.self)
      pending.removeSubrange(...newline)
      if line.allSatisfy({ $0 == " " || $0 == "\r" || $0 == "\t" }) { continue }
      let goOn = session.handle(line: line)
      // `reset` makes a new interpreter: Ctrl-C must stop its evaluations now.
      installInterruptHandler(session.interpreter.cancellation)
      if !goOn { return .success }
    }
    if atEnd {
      if !pending.isEmpty {
        session.handle(line: String(decoding: pending, as: UTF8.self))
      }
      return .success
    }
    let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
    if count < 0, errno == EINTR { continue }
    if count <= 0 {
      atEnd = true
    } else {
      pending.append(contentsOf: chunk[..<count])
    }
  }
}
