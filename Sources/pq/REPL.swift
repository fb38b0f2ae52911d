import PlatformQuery

/// The interactive prompt (placeholder until the libedit version lands).
struct REPL {
  let interpreter: Interpreter
  let color: Bool

  func run() -> ExitCode {
    while let line = readLine() {
      do {
        let value = try interpreter.evaluate(line, name: "<repl>")
        if case .nil = value {} else { Output.standardOutput.write(value.description + "\n") }
      } catch {
        Terminal.writeError(error.rendered(color: color) + "\n")
      }
      Output.standardOutput.flush()
    }
    return .success
  }
}
