/// One of the prompt's `:` commands. `REPL.commands` is the one table of them: `:help`, Tab
/// completion and the dispatcher are all derived from it, so a new command is one entry here.
struct PromptCommand: Sendable {
  /// The names it answers to, the first the main one (`:quit`, `:q`, `:exit`).
  let names: [String]
  /// How it is typed, for `:help` and usage errors.
  let usage: String
  /// One line for `:help`.
  let help: String
  /// Whether it cannot run without an argument.
  let needsArgument: Bool
  /// Whether its argument is a file name (Tab completes file names).
  let takesFile: Bool
  /// Runs it with its argument; returns true to leave the prompt.
  let run: @Sendable (REPL, String) -> Bool
}

extension REPL {
  static let commands: [PromptCommand] = [
    PromptCommand(
      names: [":help", ":h"], usage: ":help [name]", help: "this text, or the documentation of a function",
      needsArgument: false, takesFile: false
    ) { repl, argument in
      repl.help(argument)
      return false
    },
    PromptCommand(
      names: [":load"], usage: ":load FILE", help: "run a script in this session", needsArgument: true,
      takesFile: true
    ) { repl, argument in
      repl.loadScript(argument)
      return false
    },
    PromptCommand(
      names: [":env"], usage: ":env", help: "your bindings", needsArgument: false, takesFile: false
    ) { repl, _ in
      repl.showEnvironment()
      return false
    },
    PromptCommand(
      names: [":reset"], usage: ":reset", help: "forget your bindings", needsArgument: false, takesFile: false
    ) { repl, _ in
      repl.reset()
      return false
    },
    PromptCommand(
      names: [":time"], usage: ":time EXPR", help: "evaluate and show how long it took", needsArgument: true,
      takesFile: false
    ) { repl, argument in
      repl.time(argument)
      return false
    },
    PromptCommand(
      names: [":save"], usage: ":save FILE",
      help: "write this session's successful inputs as a script that runs",
      needsArgument: true, takesFile: true
    ) { repl, argument in
      repl.save(argument)
      return false
    },
    PromptCommand(
      names: [":format"], usage: ":format [FORMAT]",
      help: "show values as text, markdown, csv, json or html (no FORMAT: the one in use)",
      needsArgument: false, takesFile: false
    ) { repl, argument in
      repl.setFormat(argument)
      return false
    },
    PromptCommand(
      names: [":quit", ":q", ":exit"], usage: ":quit", help: "leave (Ctrl-D does too)", needsArgument: false,
      takesFile: false
    ) { repl, _ in
      repl.reader.saveHistory()
      return true
    },
  ]

  /// `:help`'s list of commands and keys, from the table.
  static var commandHelp: String {
    let width = commands.map(\.usage.count).max() ?? 0
    let lines = commands.map {
      "  " + $0.usage + String(repeating: " ", count: width - $0.usage.count + 3) + $0.help
    }
    return "Commands:\n" + lines.joined(separator: "\n") + """

      Keys: Tab completes names, fields (x.m → x.mau), file names after :load and :save or inside
      load("…"), and metric names inside rank(ps, "…"); Up/Down recall history, Ctrl-R searches it,
      Ctrl-L clears the screen, Ctrl-C abandons the line or stops a running evaluation. A blank line
      abandons an unfinished input; a pasted block is one input.
      """
  }
}
