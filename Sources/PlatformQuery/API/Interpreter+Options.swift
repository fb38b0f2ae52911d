extension Interpreter {
  /// What the interpreter loads and what a script may do.
  public struct Options: Sendable {
    /// Which platform data the globals `x`, `truth` and `platforms` hold. (Named apart from
    /// `Dataset`, the article's data itself.)
    public enum DataChoice: Sendable {
      /// The article's figures, built in.
      case builtIn
      /// The host's own platforms (records whose metric fields may carry `Figure` provenance).
      case custom([Value])
      /// The host's own platforms, each bound to a global name when it has one (as the article's
      /// are to `x` and `truth`): what ``json(_:)`` makes of platform JSON with `label`s.
      case labelled([(label: String?, platform: Value)])
      /// No platform data: `platforms` is empty and `x`/`truth` are not defined.
      case none

      /// The host's platforms from JSON in the format of the built-in data (docs/embedding.md):
      /// every figure keeps its source, and each platform's `label` becomes a global, protected
      /// like a built-in. A label that is not a name, is a keyword, or is already a built-in's
      /// name is an error, as is a label given twice.
      public static func json(_ text: String) throws(PQError) -> DataChoice {
        var seen: Set<String> = []
        var items: [(label: String?, platform: Value)] = []
        for platform in try Dataset.parse(text).platforms {
          if let label = platform.label {
            guard isName(label) else {
              throw PQError(
                .runtime, "the label '\(label)' of \(platform.name) is not a name pq code can use",
                notes: [
                  "a label is ASCII letters, digits and '_', not starting with a digit, and not a keyword"
                ])
            }
            guard !Builtins.reservedNames.contains(label), label != "platforms" else {
              throw PQError(.runtime, "the label '\(label)' of \(platform.name) is the name of a built-in")
            }
            guard seen.insert(label).inserted else {
              throw PQError(.runtime, "the label '\(label)' is given to more than one platform")
            }
          }
          items.append((platform.label, Dataset.value(of: platform)))
        }
        return .labelled(items)
      }
    }

    /// Which environment variables `env(name)` may read: a grant of its own, apart from files
    /// (a host that lets formulas read one folder has not let them read `PATH` or a secret).
    public enum EnvironmentAccess: Sendable {
      /// None: `env` is refused. The default for embedding.
      case none
      /// The process's environment (the `pq` command).
      case all
      /// Only these names, from the process's environment.
      case names([String])
      /// These values, given by the host (the process's environment is not read).
      case values([String: String])
    }

    /// Which files a script may read and write (`load`, `save`, `import "path"`).
    public enum FileAccess: Sendable {
      /// No file access at all: the default for embedding.
      case none
      /// Any path the process can reach.
      case all
      /// Only paths inside these folders.
      case folders([String])
      /// Reading (`load`, `import`) inside the first folders, writing (`save`) inside the second.
      case separate(read: [String], write: [String])
    }

    /// A note added to every refused file access, saying how to grant more (the `pq` command
    /// names its `--allow-read` and `--allow-write` flags here).
    public var fileAccessHint: String?

    /// What `load("-")` reads: the host's standard input, or nil when there is none.
    public var standardInput: (@Sendable () -> [UInt8])?

    /// The platform data.
    public var dataset: DataChoice = .builtIn
    /// Whether the prelude (`stdlib/prelude.pq`) is available: its names are defined at start and
    /// it runs when a source first uses one of them.
    public var loadsPrelude = true
    /// Where `print` output goes: a closure that receives each piece of text (lines end in "\n").
    public var output: @Sendable (String) -> Void = { _ in }
    /// Files the script may touch.
    public var fileAccess: FileAccess = .none
    /// Environment variables `env` may read; none unless the host grants them.
    public var environment: EnvironmentAccess = .none
    /// Steps, depth, time and size limits.
    public var limits = Limits()
    /// Whether charts and tables may use Unicode block and rule characters.
    public var unicode = true
    /// The width charts fit into.
    public var terminalWidth = 80
    /// When output goes to a terminal this many columns wide: `print` fits tables to it
    /// (cells wrap inside their columns). Nil, the default, wraps nothing, as for a pipe or file.
    public var wrapWidth: Int?
    /// The form `print` writes tables and charts in (`pq --format`): text by default; Markdown,
    /// CSV, JSON or HTML for output that goes into a story or another program.
    public var tableFormat = OutputFormat.text
    /// The values of `args` for scripts.
    public var arguments: [String] = []
    /// Whether code may not redefine a built-in or a global the host set (`let ratio = 0` is
    /// then an error, so one formula cannot change what later formulas see). The `pq` command
    /// turns it off: a user's own session may shadow names.
    public var protectsGlobals = true
    /// What the data is called in messages about a missing figure: "the article" for the
    /// built-in data, else "the dataset".
    var dataName: String {
      if case .builtIn = dataset { return "the article" }
      return "the dataset"
    }

    /// Creates options with the defaults: built-in data, prelude, no output, no file access.
    public init() {}
  }
}
