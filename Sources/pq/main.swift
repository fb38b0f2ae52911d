import CEditLine
import PlatformQuery
import PlatformQueryTools

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

signal(SIGPIPE, SIG_IGN)
// pq evaluates on a second thread with a large stack (LargeStack), one evaluation at a time.
// glibc would give that thread an arena of its own, grown a page at a time by mprotect calls:
// about a millisecond of a start-up of three (bench/README.md, "start-up"). One arena serves
// both threads, which never allocate at the same time.
pq_use_one_malloc_arena()

let options: CommandLineOptions
do {
  options = try CommandLineOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
  Terminal.writeError("pq: error: \(error.message)\n" + (error.hint.map { "note: \($0)\n" } ?? ""))
  exit(ExitCode.usage.rawValue)
}

let color = Terminal.useColor(options.color)
if options.ascii {
  Output.standardOutput.writeASCIIOnly()
  Output.standardError.writeASCIIOnly()
}

/// Makes the interpreter the command uses: built-in data, output to stdout, file access to the
/// working folder and the script's own.
func makeInterpreter(
  scriptPath: String?, arguments: [String],
  output: @escaping @Sendable (String) -> Void = { Output.standardOutput.write($0) }
) -> Interpreter {
  var settings = Interpreter.Options()
  settings.loadsPrelude = options.prelude
  settings.output = output
  var folders = [FileSystem.currentDirectory()]
  if let scriptPath {
    let folder =
      scriptPath.contains("/")
      ? String(scriptPath[..<(scriptPath.lastIndex(of: "/") ?? scriptPath.endIndex)]) : "."
    folders.append(folder.isEmpty ? "/" : folder)
  }
  settings.fileAccess = .separate(read: folders + options.allowRead, write: folders + options.allowWrite)
  settings.fileAccessHint = "pq grants more with --allow-read DIR (load, import) and --allow-write DIR (save)"
  // The command is the user's own: its scripts read the environment it was started with.
  settings.environment = .all
  settings.standardInput = { readStandardInput() }
  settings.unicode = !options.ascii && Terminal.supportsUnicode
  settings.terminalWidth = Terminal.stdoutIsTerminal ? Terminal.width : 80
  settings.wrapWidth = Terminal.stdoutIsTerminal ? Terminal.width : nil
  settings.arguments = arguments
  settings.protectsGlobals = false
  settings.limits.residentMemory = options.maximumMemory
  settings.tableFormat = options.format ?? .text
  settings.limits.residentMemoryHint =
    "pq's ceiling is set with --max-memory SIZE (as in 16G) or --max-memory none"
  return Interpreter(options: settings)
}

/// Prints a diagnostic and returns the exit code it calls for.
func report(_ error: PQError) -> ExitCode {
  Output.standardOutput.flush()
  Terminal.writeError(error.rendered(color: color) + "\n")
  return ExitCode(error)
}

func readSource(_ path: String) -> Source? {
  do {
    let bytes = path == "-" ? readStandardInput() : try FileSystem.read(path, regularOnly: false)
    return try Source.decode(bytes, name: path == "-" ? "<stdin>" : path)
  } catch let failure as FileSystem.Failure {
    Terminal.writeError("pq: error: \(failure.message)\n")
    exit(ExitCode.runtimeError.rawValue)
  } catch let error as PQError {
    exit(report(error).rawValue)
  } catch {
    exit(ExitCode.runtimeError.rawValue)
  }
}

/// Standard input to its end (what has been read when it fails).
/// Standard input, whole, up to `FileSystem.defaultReadLimit` (`load("-") < /dev/zero` ends with
/// an error at the limit, not in the allocator).
func readStandardInput() -> [UInt8] {
  do throws(FileSystem.Failure) {
    return try FileSystem.readAll(0, name: "<stdin>")
  } catch {
    Terminal.writeError("pq: \(error.message)\n")
    exit(ExitCode.runtimeError.rawValue)
  }
}

func runScript(_ source: Source, _ interpreter: Interpreter) -> ExitCode {
  keepUntilExit(interpreter)
  do {
    try interpreter.run(source: source)
    Output.standardOutput.flush()
    return .success
  } catch {
    return report(error)
  }
}

/// Leaves an interpreter to the end of the process. pq exits right after a script or `-e`, and
/// the operating system takes back its memory at once; freeing every value of a script's
/// globals one by one first (a million-element list, a long string's pieces) would only delay
/// the exit. The prompt does not use this: each `:reset` frees the interpreter it replaces.
func keepUntilExit(_ interpreter: Interpreter) {
  _ = Unmanaged.passRetained(interpreter)
}

/// Carries out everything but the interactive prompt.
func perform(_ action: CommandLineOptions.Action) -> ExitCode {
  var status = ExitCode.success
  switch action {
  case .help:
    Output.standardOutput.write(CommandLineOptions.usage + "\n")
  case .version:
    Output.standardOutput.write("pq \(Interpreter.version)\n")
  case .expression(let text):
    let interpreter = makeInterpreter(scriptPath: nil, arguments: [])
    keepUntilExit(interpreter)
    do {
      let value = try interpreter.run(source: Source(name: "-e", text: text))
      if options.json {
        Output.standardOutput.write(try JSON.encode(value) + "\n")
      } else if let format = options.format, format != .text {
        // Every form but text carries the caveats with the value (a footnote, a column, JSON).
        Output.standardOutput.write(
          try value.written(as: format, width: Terminal.stdoutIsTerminal ? Terminal.width : nil) + "\n")
        return status
      } else {
        Output.standardOutput.write(
          value.rendered(width: Terminal.stdoutIsTerminal ? Terminal.width : nil) + "\n")
      }
      // The caveats a number carries, in one line on stderr: the value on stdout stays clean.
      if var line = value.caveatLine(hint: "caveats(…) lists them") {
        line = TerminalText.wrap(line, width: Terminal.stderrIsTerminal ? Terminal.width : nil, indent: 2)
        Output.standardOutput.flush()
        Terminal.writeError((color ? "\u{1b}[2m" + line + "\u{1b}[0m" : line) + "\n")
      }
    } catch {
      status = report(error)
    }
  case .script(let path, let arguments):
    if let source = readSource(path) {
      status = runScript(source, makeInterpreter(scriptPath: path, arguments: arguments))
    }
  case .stdin, .repl:
    if let source = readSource("-") {
      status = runScript(source, makeInterpreter(scriptPath: nil, arguments: []))
    }
  case .check(let paths):
    let interpreter = makeInterpreter(scriptPath: nil, arguments: [])
    for path in paths {
      guard let source = readSource(path) else { continue }
      do {
        try interpreter.check(source)
      } catch {
        let code = report(error)
        if status == .success { status = code }
      }
    }
  case .format(let paths, let checkOnly):
    status = formatFiles(paths, checkOnly: checkOnly)
  case .languageServer:
    status = serveLanguage()
  case .machine:
    status = serveMachine()
  case .render(let path, let output, let strict):
    status = renderStory(path: path, output: output, strict: strict)
  case .interactive:
    break
  }
  return status
}

let status: ExitCode
switch options.action {
case .repl where Terminal.stdinIsTerminal:
  status = REPL(makeInterpreter: { makeInterpreter(scriptPath: nil, arguments: []) }, color: color).run()
case .interactive(let path, let arguments):
  let repl = REPL(makeInterpreter: { makeInterpreter(scriptPath: path, arguments: arguments) }, color: color)
  if let source = readSource(path) {
    repl.evaluate(source.text, name: path, echoes: false)
  }
  status = repl.run()
default:
  // Reading, parsing, the prelude and the script all run on one deep-stack thread, not one each.
  status = Interpreter.withEvaluationStack { perform(options.action) }
}
Output.standardOutput.flush()
exit(status.rawValue)
