import PlatformQuery
import PlatformQueryTools

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The interactive prompt: reads inputs (continuing unfinished ones on a `...>` prompt),
/// evaluates them in one session, echoes values, and survives every error.
final class REPL {
  var interpreter: Interpreter
  let makeInterpreter: () -> Interpreter
  let color: Bool
  let reader: LineReader
  /// The inputs that succeeded, for `:save`, and whether each gave a value (which the prompt
  /// echoed and bound to `_`).
  var inputs: [(text: String, gaveValue: Bool)] = []
  /// How values are echoed (`:format`): text, or the form a story or another program takes.
  var format = OutputFormat.text

  init(makeInterpreter: @escaping () -> Interpreter, color: Bool) {
    self.makeInterpreter = makeInterpreter
    self.interpreter = makeInterpreter()
    self.color = color
    if Terminal.stdoutIsTerminal {
      let interpreterBox = Box()
      let reader = EditLineReader(historyPath: REPL.historyPath()) { line, cursor in
        REPL.complete(line, cursor: cursor, interpreterBox.interpreter)
      }
      self.reader = reader
      interpreterBox.interpreter = interpreter
      self.box = interpreterBox
    } else {
      self.reader = PlainLineReader()
      self.box = Box()
    }
  }

  /// Lets the completion closure see the current interpreter after `:reset`.
  final class Box {
    var interpreter: Interpreter?
  }

  let box: Box

  static func historyPath() -> String? {
    if let state = Terminal.environment("XDG_STATE_HOME"), !state.isEmpty { return state + "/pq/history" }
    if let home = Terminal.environment("HOME"), !home.isEmpty { return home + "/.local/state/pq/history" }
    return nil
  }

  var banner: String {
    let count =
      (interpreter["platforms"].flatMap { value -> Int? in
        if case .list(let items) = value { return items.count }
        return nil
      }) ?? 0
    return "pq \(Interpreter.version) — figures of X, Truth Social and \(max(0, count - 2)) more platforms "
      + "(Fortune, November 14, 2024). :help for help, Ctrl-D to leave."
  }

  /// Runs the prompt until the user leaves; the terminal is left as it was found.
  func run() -> ExitCode {
    let status = loop()
    reader.finish()
    return status
  }

  func loop() -> ExitCode {
    installInterruptHandler(interpreter.cancellation)
    installTerminationHandlers(interpreter.cancellation)
    if Terminal.stdoutIsTerminal { write(TerminalText.wrap(banner, width: Terminal.width) + "\n") }
    var buffer = ""
    while true {
      if Output.standardOutput.hasFailed {
        reader.saveHistory()
        // A closed window: the write failed before the SIGHUP that follows it was handled.
        let signal = signalAfterFailedRead()
        if signal != 0 { exit(128 + signal) }
        Terminal.writeError("pq: error: the terminal went away; leaving\n")
        return .runtimeError
      }
      let prompt = buffer.isEmpty ? "pq> " : "...> "
      switch reader.readLine(prompt: prompt) {
      case .endOfInput:
        if Terminal.stdoutIsTerminal { write("\n") }
        reader.saveHistory()
        return .success
      case .inputError(let reason):
        reader.saveHistory()
        Terminal.writeError("pq: error: cannot read the terminal (\(reason)); leaving\n")
        return .runtimeError
      case .terminated(let signal):
        reader.saveHistory()
        reader.finish()
        Output.standardOutput.flush()
        exit(128 + signal)
      case .interrupted:
        buffer = ""
        interpreter.cancellation.reset()
      case .pasted(let block):
        // One input, blank lines and all, joined to anything unfinished before it.
        buffer += (buffer.isEmpty ? "" : "\n") + block
        if buffer.trimmingCharacters().isEmpty {
          buffer = ""
          continue
        }
        submitIfComplete(&buffer)
      case .line(let line):
        if line.allSatisfy({ $0 == " " || $0 == "\t" }) {
          if !buffer.isEmpty {
            buffer = ""
            write("(unfinished input abandoned)\n")
          }
          continue
        }
        buffer += (buffer.isEmpty ? "" : "\n") + line
        let word = buffer.trimmingCharacters()
        if word == "quit" || word == "exit", interpreter[word] == nil {
          // As Python does: say how to leave rather than "'quit' is not defined".
          write("Use :quit or Ctrl-D (end of input) to leave.\n")
          buffer = ""
          continue
        }
        if buffer.hasPrefix(":") {
          reader.addHistory(buffer)
          reader.saveHistory()
          let quit = command(buffer)
          buffer = ""
          if quit { return .success }
          continue
        }
        submitIfComplete(&buffer)
      }
    }
  }

  /// Evaluates the input gathered so far unless it is unfinished (then the prompt asks for
  /// more): one history entry, then the value echoed.
  func submitIfComplete(_ buffer: inout String) {
    if interpreter.isIncomplete(buffer) { return }
    reader.addHistory(Interpreter.singleLine(buffer))
    reader.saveHistory()
    evaluate(buffer)
    buffer = ""
  }

  func write(_ text: String) {
    Output.standardOutput.write(text)
    Output.standardOutput.flush()
  }

  /// Evaluates one input and echoes its value; returns whether it succeeded.
  @discardableResult
  func evaluate(_ text: String, name: String = "<repl>", echoes: Bool = true) -> Bool {
    interpreter.cancellation.reset()
    do {
      let value = try interpreter.evaluate(text, name: name)
      Output.standardOutput.flush()
      let gaveValue: Bool = if case .nil = value { false } else { true }
      inputs.append((text, gaveValue))
      if echoes { echo(value) }
      if case .nil = value {} else { interpreter.setGlobal("_", value) }
      return true
    } catch {
      Output.standardOutput.flush()
      Terminal.writeError(error.rendered(color: color) + "\n")
      return false
    }
  }

  /// `:format markdown`: later values are echoed in that form (their caveats with them).
  func setFormat(_ argument: String) {
    guard !argument.isEmpty else {
      write(
        "values are shown as \(format.rawValue) (:format \(OutputFormat.allCases.map(\.rawValue).joined(separator: "|")))\n"
      )
      return
    }
    guard let chosen = OutputFormat(rawValue: argument) else {
      Terminal.writeError("error: :format takes \(OutputFormat.names), not '\(argument)'\n")
      return
    }
    format = chosen
  }

  func echo(_ value: Value) {
    if format != .text, !value.isNilValue {
      do {
        write(try value.written(as: format, width: Terminal.stdoutIsTerminal ? Terminal.width : nil) + "\n")
      } catch {
        Terminal.writeError(error.rendered(color: color) + "\n")
      }
      return
    }
    switch value {
    case .nil:
      return
    case .string(let text) where text.contains("\n"):
      write(text + "\n")
    default:
      let shown = value.rendered(width: Terminal.stdoutIsTerminal ? Terminal.width : nil)
      if shown.contains("\n") {
        write(shown + "\n")
      } else {
        write("= " + value.inline + "\n")
      }
      // A number with caveats says so under it, in one dim line: they are what pq is for.
      if var line = value.caveatLine(hint: "caveats(_)") {
        line = TerminalText.wrap(line, width: Terminal.stdoutIsTerminal ? Terminal.width : nil, indent: 2)
        write(color ? "\u{1b}[2m" + line + "\u{1b}[0m\n" : line + "\n")
      }
    }
  }

  /// Runs a `:command`; returns true to leave.
  func command(_ line: String) -> Bool {
    let trimmed = line.trimmingCharacters()
    let name = String(trimmed.prefix { $0 != " " })
    let argument = String(trimmed.dropFirst(name.count)).trimmingCharacters()
    guard let command = REPL.commands.first(where: { $0.names.contains(name) }) else {
      let known = REPL.commands.flatMap(\.names)
      let suggestion = known.min { editDistance(name, $0) < editDistance(name, $1) }
      var message = "unknown command '\(name)'"
      if let suggestion, editDistance(name, suggestion) <= 2 { message += "; did you mean '\(suggestion)'?" }
      Terminal.writeError(message + " (:help lists the commands)\n")
      return false
    }
    if command.needsArgument, argument.isEmpty {
      Terminal.writeError("usage: \(command.usage)\n")
      return false
    }
    return command.run(self, argument)
  }

  /// Completion at the prompt: `:` commands and the file names after `:load` and `:save` here,
  /// everything else (names, fields, file and metric names inside strings) from the interpreter.
  static func complete(_ line: String, cursor: Int, _ interpreter: Interpreter?) -> (
    start: Int, candidates: [String]
  ) {
    let typed = Array(line.prefix(cursor))
    if typed.first == ":" {
      guard let space = typed.firstIndex(of: " ") else {
        let word = String(typed.dropFirst())
        return (
          1, commands.flatMap(\.names).filter { $0.hasPrefix(":" + word) }.map { String($0.dropFirst()) }
        )
      }
      let name = String(typed[..<space])
      guard let command = commands.first(where: { $0.names.contains(name) }), command.takesFile else {
        return (cursor, [])
      }
      var start = space + 1
      while start < typed.count, typed[start] == " " { start += 1 }
      return (start, FileSystem.completions(of: String(typed[start...])))
    }
    return interpreter?.completions(for: line, cursor: cursor) ?? (cursor, [])
  }

  func loadScript(_ path: String) {
    let lowered = path.lowercased()
    if lowered.hasSuffix(".csv") || lowered.hasSuffix(".json") {
      // Data, not a script: say how to load it instead of reading it as pq.
      let name = REPL.bindingName(for: path)
      Terminal.writeError(
        "\(path) is data, not a pq script; :load runs scripts\nnote: load the data with: let \(name) = load(\"\(path)\")\n"
      )
      return
    }
    do {
      let bytes = try FileSystem.read(path)
      let source = try Source.decode(bytes, name: path)
      evaluate(source.text, name: path)
    } catch let failure as FileSystem.Failure {
      Terminal.writeError("error: \(failure.message)\n")
    } catch let error as PQError {
      Terminal.writeError(error.rendered(color: color) + "\n")
    } catch {}
  }

  func showEnvironment() {
    let bindings = interpreter.userGlobals.filter { $0.name != "_" }
    if bindings.isEmpty { write("(no bindings yet)\n") }
    for (name, value) in bindings {
      var shown = value.inline
      if shown.count > 70 { shown = String(shown.prefix(67)) + "…" }
      write("\(name) = \(shown)\n")
    }
  }

  func reset() {
    interpreter = makeInterpreter()
    box.interpreter = interpreter
    installInterruptHandler(interpreter.cancellation)
    inputs = []
    write("(bindings cleared)\n")
  }

  func time(_ expression: String) {
    let start = REPL.now()
    if evaluate(expression) {
      write("(\(NumberText.milliseconds(REPL.now() - start)))\n")
    }
  }

  func save(_ path: String) {
    let script = REPL.script(of: inputs)
    do {
      try FileSystem.writeAtomically(path, Array(script.utf8))
      write("(saved \(inputs.count) inputs to \(path))\n")
    } catch {
      Terminal.writeError("error: \(error.message)\n")
    }
  }

  func help(_ name: String) {
    let width = Terminal.stdoutIsTerminal ? Terminal.width : nil
    if name.isEmpty {
      let text = REPL.commandHelp + "\n\n" + ((try? interpreter.evaluate("help()").description) ?? "")
      write(TerminalText.wrap(text, width: width, indent: 4) + "\n")
    } else if let text = interpreter.help(name) {
      write(TerminalText.wrap(text, width: width, indent: 4) + "\n")
    } else {
      Terminal.writeError("no help for '\(name)'\n")
    }
  }

  func editDistance(_ a: String, _ b: String) -> Int { Suggestion.editDistance(a, b) }

  /// A script that does what the session did and prints what it echoed: an input that gave a
  /// value becomes `print(…)`, or `_ = …` then `print(_)` when a later input reads `_`, so the
  /// saved file runs on its own. Failed inputs were never recorded.
  static func script(of inputs: [(text: String, gaveValue: Bool)]) -> String {
    var lines = ["# pq session saved by :save"]
    let readsLast = inputs.map { Interpreter.usesLastValue($0.text) }
    if readsLast.contains(true) { lines.append("var _ = nil") }
    for (index, input) in inputs.enumerated() {
      guard input.gaveValue, Interpreter.isSingleExpression(input.text) else {
        lines.append(input.text)
        continue
      }
      if readsLast[(index + 1)...].contains(true) {
        lines.append("_ = \(input.text)")
        lines.append("print(_)")
      } else {
        lines.append("print(\(input.text))")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A pq name for a data file's contents: `monthly.csv` → `monthly`.
  static func bindingName(for path: String) -> String {
    let base = path.split(separator: "/").last.map(String.init) ?? path
    let stem = base.split(separator: ".").first.map(String.init) ?? "data"
    let cleaned = String(stem.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    return cleaned.isEmpty || cleaned.first?.isNumber == true ? "data" : cleaned.lowercased()
  }

  static func now() -> UInt64 { Clock.nanoseconds() }
}

/// Durations as text.
enum NumberText {
  static func milliseconds(_ nanoseconds: UInt64) -> String {
    let ms = Double(nanoseconds) / 1e6
    if ms < 1 { return "\(Int((ms * 1000).rounded())) µs" }
    if ms < 1000 { return "\((ms * 100).rounded() / 100) ms" }
    return "\((ms / 10).rounded() / 100) s"
  }
}

extension String {
  func trimmingCharacters() -> String {
    var slice = Substring(self)
    while let first = slice.first, first == " " || first == "\t" || first == "\n" {
      slice = slice.dropFirst()
    }
    while let last = slice.last, last == " " || last == "\t" || last == "\n" { slice = slice.dropLast() }
    return String(slice)
  }
}
