#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Interpreter: RuntimeHost {
  func output(_ text: String) { options.output(text) }

  func checkFileAccess(_ path: String?, what: String, span: Span?) throws(PQError) {
    guard let path else {
      if case .none = options.fileAccess {
        throw PQError(
          .runtime, "\(what) is not permitted: this interpreter has no file access", span: span,
          notes: ["the host grants it with Interpreter.Options.fileAccess"])
      }
      return
    }
    try checkAccess(path, span: span, what: what)
  }

  var standardInput: (@Sendable () -> [UInt8])? { options.standardInput }

  func environmentValue(_ name: String, span: Span?) throws(PQError) -> String? {
    func fromProcess() -> String? { getenv(name).map { String(cString: $0) } }
    switch options.environment {
    case .all: return fromProcess()
    case .values(let values): return values[name]
    case .names(let names):
      if names.contains(name) { return fromProcess() }
      throw PQError(
        .runtime, "'\(name)' is not one of the environment variables this interpreter may read",
        span: span, notes: ["allowed: " + names.joined(separator: ", ")])
    case .none:
      throw PQError(
        .runtime, "not permitted: this interpreter may read no environment variables", span: span,
        notes: ["the host grants them with Interpreter.Options.environment (file access does not)"])
    }
  }

  var display: DisplaySettings {
    DisplaySettings(
      unicode: options.unicode, chartWidth: options.terminalWidth, wrapWidth: options.wrapWidth,
      tableFormat: options.tableFormat)
  }

  func globalValue(_ name: String) -> Value? { self[name] }

  /// Loads a module once and returns its namespace: a stdlib module by name, or a file by path
  /// (relative to the importing file's folder). A module that imports itself, directly or not,
  /// is an error.
  func importModule(_ name: String, isPath: Bool, from source: Source, span: Span) throws(PQError) -> Value {
    let key: String
    let moduleSource: Source
    if isPath {
      let base =
        source.name.hasPrefix("<") || source.name == "-e" ? "." : FileSystem.directory(of: source.name)
      let path = FileSystem.join(base, name)
      try checkAccess(path, span: span, what: "import")
      guard let canonical = FileSystem.canonical(path) else {
        throw PQError(
          .runtime, "cannot import \"\(name)\": no such file (looked for \(path))", source: source, span: span
        )
      }
      key = canonical
      if let cached = modules[key] { return cached }
      try checkCycle(key, display: path, source: source, span: span)
      do {
        moduleSource = try Source.decode(FileSystem.read(canonical), name: path)
      } catch let failure as FileSystem.Failure {
        throw PQError(.runtime, "cannot import \"\(name)\": \(failure.message)", source: source, span: span)
      } catch {
        throw error as? PQError ?? PQError(.runtime, "cannot import \"\(name)\"", source: source, span: span)
      }
    } else {
      key = "stdlib:" + name
      if let cached = modules[key] { return cached }
      guard let text = StandardLibrary.modules[name] else {
        var notes = Suggestion.note(for: name, in: StandardLibrary.modules.keys)
        notes.append("standard modules: " + StandardLibrary.modules.keys.sorted().joined(separator: ", "))
        notes.append("to import a file, quote its path: import \"\(name).pq\"")
        throw PQError(
          .runtime, "no standard module named '\(name)'", source: source, span: span, notes: notes)
      }
      try checkCycle(key, display: name, source: source, span: span)
      moduleSource = Source(name: "stdlib/\(name).pq", text: text)
    }
    loading.append(key)
    defer { loading.removeLast() }
    let program = try Parser.parse(moduleSource, interruption: runtime)
    let moduleName = isPath ? String((name.split(separator: "/").last ?? "").prefix { $0 != "." }) : name
    let resolved = try Resolver.resolve(
      program, mode: .module, globals: scope, moduleName: moduleName, interruption: runtime)
    loadPrelude(ifReading: resolved.usedGlobals)
    fillBuiltInData(ifReading: resolved.usedGlobals)
    let value = try execute(resolved.body, frameSize: resolved.frameSize, source: moduleSource)
    modules[key] = value
    return value
  }

  func checkCycle(_ key: String, display: String, source: Source, span: Span) throws(PQError) {
    guard let start = loading.firstIndex(of: key) else { return }
    let chain = loading[start...].map { $0.hasPrefix("stdlib:") ? String($0.dropFirst(7)) : $0 } + [display]
    throw PQError(
      .runtime, "import cycle: \(display) is already being imported", source: source, span: span,
      notes: ["the chain is " + chain.joined(separator: " → ")])
  }

  /// Refuses file access outside what the host allowed.
  func checkAccess(_ path: String, span: Span?, what: String) throws(PQError) {
    switch options.fileAccess {
    case .all:
      return
    case .none:
      throw PQError(
        .runtime, "\(what) is not permitted: this interpreter has no file access", span: span,
        notes: ["the host grants it with Interpreter.Options.fileAccess"])
    case .folders(let folders):
      try checkInside(folders, path, span: span, what: what)
    case .separate(let read, let write):
      try checkInside(what == "save" ? write : read, path, span: span, what: what)
    }
  }

  func checkInside(_ folders: [String], _ path: String, span: Span?, what: String) throws(PQError) {
    let absolute = path.hasPrefix("/") ? path : FileSystem.currentDirectory() + "/" + path
    let resolved =
      FileSystem.canonical(absolute) ?? FileSystem.canonical(FileSystem.directory(of: absolute)).map {
        $0 + "/" + (absolute.split(separator: "/").last.map(String.init) ?? "")
      } ?? absolute
    for folder in folders {
      let root = FileSystem.canonical(folder) ?? folder
      if resolved == root || resolved.hasPrefix(root.hasSuffix("/") ? root : root + "/") { return }
    }
    throw PQError(
      .runtime, "\(what) of '\(path)' is not permitted: it is outside the allowed folders", span: span,
      notes: ["allowed: " + folders.joined(separator: ", ")] + (options.fileAccessHint.map { [$0] } ?? []))
  }
}
