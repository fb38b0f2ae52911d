import PlatformQuery
import PlatformQueryTools

/// The parsed command line.
struct CommandLineOptions {
  enum Action {
    case repl
    case script(path: String, arguments: [String])
    case stdin
    case expression(String)
    case interactive(path: String, arguments: [String])
    case check([String])
    /// `pq fmt [--check] FILE…`: no files (or `-`) formats stdin to stdout.
    case format(paths: [String], checkOnly: Bool)
    /// `pq lsp`: the language server on stdin and stdout.
    case languageServer
    /// `pq machine`: the machine mode (JSON lines) on stdin and stdout.
    case machine
    /// `pq render STORY.md [-o OUT] [--strict]`: a story's `{{ expr }}` and `pq` blocks rendered.
    case render(path: String, output: String?, strict: Bool)
    case help
    case version
  }

  enum ColorChoice: String {
    case auto, always, never
  }

  var action = Action.repl
  var json = false
  /// `--format`: how `-e` writes its value and a script's `print` its tables (nil: not given).
  var format: OutputFormat?
  var color = ColorChoice.auto
  var prelude = true
  var ascii = false
  /// Folders granted with `--allow-read` and `--allow-write`.
  var allowRead: [String] = []
  var allowWrite: [String] = []
  /// `--max-memory`: the resident-memory ceiling in bytes; nil for none (`--max-memory none`).
  /// By default three quarters of the memory the process may use.
  var maximumMemory: Int? = CommandLineOptions.defaultMaximumMemory

  /// Three quarters of the machine's memory (or its container's limit), or 8 GiB where that
  /// cannot be read.
  static var defaultMaximumMemory: Int {
    guard let available = ProcessMemory.available() else { return 8 << 30 }
    return available / 4 * 3
  }

  struct UsageError: Error {
    var message: String
    var hint: String?
  }

  static let flags = [
    "-e", "-i", "--json", "--check", "--help", "--version", "--color", "--no-prelude", "--ascii",
    "--allow-read",
    "--allow-write", "--max-memory", "--format",
  ]

  static let usage = """
    pq — question the figures of social platforms

    usage:
      pq                      the interactive prompt (stdin a terminal), else run stdin as a script
      pq FILE.pq [ARGS…]      run a script; `args` holds ARGS
      pq -e 'EXPR'            evaluate and print the value (--json for JSON)
      pq -i FILE.pq           run a script, then open the prompt with its bindings
      pq --check FILE.pq…     parse, resolve and check units (x.mau + x.revenue, also through
                              let bindings) without running
      pq fmt [--check] FILE…  format scripts in place in the one canonical style (no FILE: stdin
                              to stdout); --check only names the files that would change
      pq lsp                  the language server, on stdin and stdout, for editors
      pq machine [OPTIONS]    the machine mode: JSON lines on stdin and stdout, for notebooks and
                              other programs (docs/notebooks.md)
      pq render STORY.md [-o OUT.html|OUT.md] [--strict]
                              a Markdown story with {{ expr }} and ```pq blocks, its numbers
                              footnoted with their sources and caveats (docs/publishing.md);
                              --strict fails when a rendered number carries caveats
      pq --help | --version

    options:
      --color auto|always|never   colour diagnostics (auto: only on a terminal, never with NO_COLOR)
      --no-prelude                do not load stdlib/prelude.pq
      --ascii                     write pure ASCII: tables, charts, quotes, diagnostics
      --json                      with -e: print the value as JSON (--format json)
      --format FORMAT             text, markdown, csv, json or html: how -e writes its value and a
                                  script prints its tables and charts
      --allow-read DIR            let scripts load and import files in DIR too (repeatable)
      --allow-write DIR           let scripts save files in DIR too (repeatable)
      --max-memory SIZE|none      stop a script that would hold more memory than SIZE (as in
                                  512M, 8G; default: three quarters of this machine's memory)

    scripts may read and write the working folder and their own folder; load("-") reads stdin

    exit status: 0 success, 1 runtime error, 2 usage error, 3 syntax error
    """

  /// Parses arguments (without the program name). Everything after the script path belongs to
  /// the script.
  static func parse(_ arguments: [String]) throws(UsageError) -> CommandLineOptions {
    var options = CommandLineOptions()
    switch arguments.first {
    case "fmt": return try parseFormat(Array(arguments.dropFirst()))
    case "lsp":
      // Editors' clients often add --stdio, the only transport pq speaks.
      for argument in arguments.dropFirst() where argument != "--stdio" {
        throw UsageError(message: "pq lsp takes no arguments, not '\(argument)'", hint: "pq lsp")
      }
      options.action = .languageServer
      return options
    case "render": return try parseRender(Array(arguments.dropFirst()))
    case "machine":
      var parsed = try parse(Array(arguments.dropFirst()))
      guard case .repl = parsed.action else {
        throw UsageError(
          message:
            "pq machine takes only options (--no-prelude, --allow-read DIR, --allow-write DIR, --max-memory SIZE)",
          hint: "pq machine")
      }
      parsed.action = .machine
      return parsed
    default: break
    }
    var index = 0
    var chosen: Action?
    func choose(_ action: Action) throws(UsageError) {
      if chosen != nil {
        throw UsageError(
          message: "only one of FILE, -e, -i and --check may be given", hint: "see 'pq --help'")
      }
      chosen = action
    }
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      var flag = argument
      var inlineValue: String?
      if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
        flag = String(argument[..<equals])
        inlineValue = String(argument[argument.index(after: equals)...])
      }
      func value(_ what: String) throws(UsageError) -> String {
        if let inlineValue { return inlineValue }
        guard index < arguments.count else {
          throw UsageError(message: "\(flag) needs \(what)", hint: "see 'pq --help'")
        }
        index += 1
        return arguments[index - 1]
      }
      switch flag {
      case "-e", "--eval":
        try choose(.expression(try value("an expression, as in: pq -e '1 + 2'")))
      case "-i", "--interactive":
        let path = try value("a script file")
        try choose(.interactive(path: path, arguments: Array(arguments[index...])))
        index = arguments.count
      case "--check":
        var paths: [String] = []
        while index < arguments.count, !arguments[index].hasPrefix("-") || arguments[index] == "-" {
          paths.append(arguments[index])
          index += 1
        }
        if let inlineValue { paths.insert(inlineValue, at: 0) }
        guard !paths.isEmpty else {
          throw UsageError(message: "--check needs a script file", hint: "pq --check FILE.pq")
        }
        try choose(.check(paths))
      case "--json": options.json = true
      case "--format":
        let text = try value("a format: \(OutputFormat.names)")
        guard let format = OutputFormat(rawValue: text) else {
          throw UsageError(
            message: "--format takes \(OutputFormat.names), not '\(text)'",
            hint: "pq -e 'rank(platforms, \"mau\")' --format markdown")
        }
        options.format = format
      case "--no-prelude": options.prelude = false
      case "--ascii": options.ascii = true
      case "--allow-read": options.allowRead.append(try value("a folder, as in: --allow-read ~/data"))
      case "--allow-write": options.allowWrite.append(try value("a folder, as in: --allow-write ~/out"))
      case "--max-memory":
        let text = try value("a size, as in: --max-memory 8G")
        options.maximumMemory = try parseSize(text)
      case "--color", "--colour":
        let text = try value("auto, always or never")
        guard let choice = ColorChoice(rawValue: text) else {
          throw UsageError(message: "--color takes auto, always or never, not '\(text)'", hint: nil)
        }
        options.color = choice
      case "-h", "--help": try choose(.help)
      case "-V", "--version": try choose(.version)
      case "-":
        try choose(.stdin)
      default:
        if argument.hasPrefix("-") {
          let suggestion = closestFlag(flag).map { "did you mean '\($0)'?" } ?? "see 'pq --help'"
          throw UsageError(message: "unknown option '\(argument)'", hint: suggestion)
        }
        try choose(.script(path: argument, arguments: Array(arguments[index...])))
        index = arguments.count
      }
    }
    if let chosen { options.action = chosen }
    if options.json, case .expression = options.action {
    } else if options.json {
      throw UsageError(message: "--json goes with -e", hint: "pq -e 'x.mau' --json")
    }
    if options.json, let format = options.format, format != .json {
      throw UsageError(message: "--json and --format \(format.rawValue) ask for two forms", hint: "give one")
    }
    if options.format != nil {
      switch options.action {
      case .expression, .script, .stdin: break
      case .repl where !Terminal.stdinIsTerminal: break
      default:
        throw UsageError(
          message: "--format goes with -e or a script (at the prompt, :format)",
          hint: "pq -e 'x.mau' --format markdown")
      }
    }
    return options
  }

  /// `pq render STORY.md [-o OUT] [--strict]` and the options every run takes.
  static func parseRender(_ arguments: [String]) throws(UsageError) -> CommandLineOptions {
    var options = CommandLineOptions()
    var path: String?
    var output: String?
    var strict = false
    var index = 0
    let usage = "pq render STORY.md [-o OUT.html|OUT.md] [--strict]"
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      func value(_ what: String) throws(UsageError) -> String {
        guard index < arguments.count else {
          throw UsageError(message: "\(argument) needs \(what)", hint: usage)
        }
        index += 1
        return arguments[index - 1]
      }
      switch argument {
      case "-o", "--output": output = try value("a file to write, as in: -o story.html")
      case "--strict": strict = true
      case "--no-prelude": options.prelude = false
      case "--ascii": options.ascii = true
      case "--allow-read": options.allowRead.append(try value("a folder"))
      case "--allow-write": options.allowWrite.append(try value("a folder"))
      case "--max-memory": options.maximumMemory = try parseSize(try value("a size, as in: --max-memory 8G"))
      case "--color", "--colour":
        let text = try value("auto, always or never")
        guard let choice = ColorChoice(rawValue: text) else {
          throw UsageError(message: "--color takes auto, always or never, not '\(text)'", hint: nil)
        }
        options.color = choice
      default:
        if argument.hasPrefix("-"), argument != "-" {
          throw UsageError(message: "unknown option '\(argument)' for pq render", hint: usage)
        }
        guard path == nil else {
          throw UsageError(
            message: "pq render takes one story, and was given '\(path ?? "")' and '\(argument)'", hint: usage
          )
        }
        path = argument
      }
    }
    guard let path else { throw UsageError(message: "pq render needs a Markdown story", hint: usage) }
    if let output {
      guard Self.renderFormat(output) != nil else {
        throw UsageError(
          message: "pq render writes .html or .md, and '\(output)' is neither",
          hint: "-o story.html or -o story.out.md")
      }
      if output == path {
        throw UsageError(message: "-o \(output) would write over the story itself", hint: "-o story.out.md")
      }
    }
    options.action = .render(path: path, output: output, strict: strict)
    return options
  }

  /// The form `-o` asks for by its extension.
  static func renderFormat(_ path: String) -> Story.Format? {
    let lowered = path.lowercased()
    if lowered.hasSuffix(".html") || lowered.hasSuffix(".htm") { return .html }
    if lowered.hasSuffix(".md") || lowered.hasSuffix(".markdown") { return .markdown }
    return nil
  }

  /// A size for `--max-memory`: a whole number of bytes with an optional binary suffix (K, M,
  /// G, T, also KiB, MB, …: all powers of 1024), or `none`.
  static func parseSize(_ text: String) throws(UsageError) -> Int? {
    if text.lowercased() == "none" { return nil }
    let digits = text.prefix { $0.isASCII && $0.isNumber }
    let suffix = text.dropFirst(digits.count).uppercased()
    let shifts = ["": 0, "B": 0, "K": 10, "M": 20, "G": 30, "T": 40]
    let letter =
      suffix.hasSuffix("IB")
      ? String(suffix.dropLast(2))
      : suffix.hasSuffix("B") && suffix.count == 2 ? String(suffix.dropLast()) : suffix
    guard let number = Int(digits), number > 0, let shift = shifts[letter],
      number <= Int.max >> shift
    else {
      throw UsageError(
        message: "--max-memory takes a size such as 512M, 8G or 8GiB, or none, not '\(text)'",
        hint: "pq --max-memory 8G script.pq")
    }
    return number << shift
  }

  /// `pq fmt [--check] [--ascii] FILE…`.
  static func parseFormat(_ arguments: [String]) throws(UsageError) -> CommandLineOptions {
    var options = CommandLineOptions()
    var paths: [String] = []
    var checkOnly = false
    var onlyPaths = false
    for argument in arguments {
      if onlyPaths || argument == "-" || !argument.hasPrefix("-") {
        paths.append(argument)
      } else if argument == "--" {
        onlyPaths = true
      } else if argument == "--check" {
        checkOnly = true
      } else if argument == "--ascii" {
        options.ascii = true
      } else if argument.hasPrefix("--color="),
        let choice = ColorChoice(rawValue: String(argument.dropFirst(8)))
      {
        options.color = choice
      } else {
        throw UsageError(message: "unknown option '\(argument)' for pq fmt", hint: "pq fmt [--check] FILE…")
      }
    }
    options.action = .format(paths: paths, checkOnly: checkOnly)
    return options
  }

  static func closestFlag(_ flag: String) -> String? {
    var best: (String, Int)?
    for candidate in flags {
      let distance = editDistance(flag, candidate)
      if distance <= 2, distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
    }
    return best?.0
  }

  static func editDistance(_ a: String, _ b: String) -> Int { Suggestion.editDistance(a, b) }

}
