/// The seam between the runtime and the interpreter that owns it: everything built-ins and nodes
/// need from their host, and nothing else. Built-ins reach the host only through these methods
/// (on `Runtime`, below), never by downcasting it, so a change to `Interpreter` cannot break
/// them unseen, and a runtime without a host denies what it cannot check.
protocol RuntimeHost: AnyObject {
  /// Loads (once) and returns a module's namespace record.
  func importModule(_ name: String, isPath: Bool, from source: Source, span: Span) throws(PQError) -> Value
  /// The native functions by name, for `help`.
  var natives: [String: NativeFunction] { get }
  /// Writes program output (`print`) where the host sends it.
  func output(_ text: String)
  /// Fails unless `what` (`load`, `save`, `import`, `env`) may touch `path` (any path when nil).
  func checkFileAccess(_ path: String?, what: String, span: Span?) throws(PQError)
  /// An environment variable's value as the host grants it (nil when unset); fails when the
  /// host has not granted `env` that name.
  func environmentValue(_ name: String, span: Span?) throws(PQError) -> String?
  /// The host's standard input for `load("-")`, or nil when there is none.
  var standardInput: (@Sendable () -> [UInt8])? { get }
  /// How output is drawn: Unicode or ASCII, the chart width, the wrap width.
  var display: DisplaySettings { get }
  /// The value of a global, by name.
  func globalValue(_ name: String) -> Value?
}

/// How a host wants output drawn.
struct DisplaySettings {
  /// Whether charts and tables may use Unicode block and rule characters.
  var unicode = true
  /// The width charts fit into.
  var chartWidth = 80
  /// The terminal width tables wrap to, or nil for no wrapping.
  var wrapWidth: Int?
  /// The form `print` writes tables and charts in.
  var tableFormat = OutputFormat.text
}

extension Runtime {
  /// The natives of the owning interpreter, for `help`.
  var natives: [String: NativeFunction] { host?.natives ?? [:] }

  /// Writes program output through the host.
  func output(_ text: String) { host?.output(text) }

  /// Fails unless the host granted some file access (denied when there is no host).
  func requireFileAccess(_ what: String) throws(PQError) {
    guard let host else { throw Runtime.noHost(what) }
    try host.checkFileAccess(nil, what: what, span: nil)
  }

  /// An environment variable's value, as the host grants it (denied when there is no host).
  func environmentValue(_ name: String) throws(PQError) -> String? {
    guard let host else { throw Runtime.noHost("env") }
    return try host.environmentValue(name, span: nil)
  }

  /// Checks a path against the host's file access (denied when there is no host).
  func checkPath(_ path: String, _ what: String) throws(PQError) {
    guard let host else { throw Runtime.noHost(what) }
    try host.checkFileAccess(path, what: what, span: nil)
  }

  static func noHost(_ what: String) -> PQError {
    PQError(.runtime, "\(what) is not permitted: the interpreter is gone")
  }

  /// The host's standard input, for `load("-")`.
  var standardInput: (@Sendable () -> [UInt8])? { host?.standardInput }

  /// How the host wants output drawn.
  var display: DisplaySettings { host?.display ?? DisplaySettings() }

  /// The current value of a global, by name.
  func globalValue(_ name: String) -> Value? { host?.globalValue(name) }
}
