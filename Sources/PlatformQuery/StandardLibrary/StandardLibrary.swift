/// The standard library written in pq, embedded in the binary: the prelude, which runs when a
/// source first uses one of its names (`Interpreter.loadPrelude`), and modules that `import NAME`
/// loads.
enum StandardLibrary {
  /// The prelude sources in load order.
  static let prelude: [(name: String, text: String)] = [
    ("stdlib/prelude.pq", String(decoding: PackageResources.prelude_pq, as: UTF8.self))
  ]

  /// The names the prelude defines, read from its top-level `fn`, `let` and `var` lines (a
  /// declaration starts at the line's first column) without parsing it: the interpreter defines
  /// them at start and runs the prelude when one is first used (`Interpreter.loadPrelude`).
  /// `StandardLibraryTests` holds this list to what running the prelude defines.
  static let preludeNames: [String] = {
    // By byte, in a plain loop: splitting into `Character`s cost a million instructions at
    // start-up, and the generic `split` of bytes a quarter of one (its types' metadata).
    var names: [String] = []
    for (_, text) in prelude {
      let bytes = Array(text.utf8)
      var start = 0
      while start < bytes.count {
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
        if let name = declaredName(bytes, start, end) { names.append(name) }
        start = end + 1
      }
    }
    return names
  }()

  /// The name a line `fn NAME…`, `let NAME…` or `var NAME…` declares, else nil.
  private static func declaredName(_ bytes: [UInt8], _ start: Int, _ end: Int) -> String? {
    for keyword in ["fn ", "let ", "var "] {
      let count = keyword.utf8.count
      guard end - start > count, bytes[start..<(start + count)].elementsEqual(keyword.utf8) else { continue }
      var stop = start + count
      while stop < end, isIdentifierPart(bytes[stop]) { stop += 1 }
      return stop > start + count ? String(decoding: bytes[(start + count)..<stop], as: UTF8.self) : nil
    }
    return nil
  }

  /// Importable modules by name.
  static let modules: [String: String] = [
    "stats": String(decoding: PackageResources.stats_pq, as: UTF8.self)
  ]

  /// Documentation of stdlib functions, from their `##` comments.
  struct Doc {
    var signature: String
    var doc: String
    var example: String
    var module: String?
  }

  /// Docs of every documented function in the prelude and the modules, by name (module
  /// functions as `module.name`).
  static let docs: [String: Doc] = {
    var result: [String: Doc] = [:]
    for (_, text) in prelude {
      for doc in parseDocs(text, module: nil) { result[doc.0] = doc.1 }
    }
    for (module, text) in modules {
      for doc in parseDocs(text, module: module) { result["\(module).\(doc.0)"] = doc.1 }
    }
    return result
  }()

  /// Reads `## doc` and `## example: …` lines directly above `fn name(params)`.
  static func parseDocs(_ text: String, module: String?) -> [(String, Doc)] {
    var result: [(String, Doc)] = []
    var pending: [String] = []
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = rawLine.trimmingSpaces
      if line.hasPrefix("##") {
        pending.append(String(line.dropFirst(2)).trimmingSpaces)
        continue
      }
      if line.hasPrefix("fn "), !pending.isEmpty {
        let header = line.dropFirst(3)
        let signature = String(header.prefix { $0 != "{" }).trimmingSpaces
        let name = String(signature.prefix { $0 != "(" })
        let example =
          pending.first { $0.hasPrefix("example:") }.map { String($0.dropFirst(8)).trimmingSpaces } ?? ""
        let doc = pending.filter { !$0.hasPrefix("example:") }.joined(separator: " ")
        let qualified = module.map { "\($0).\(signature)" } ?? signature
        result.append((name, Doc(signature: qualified, doc: doc, example: example, module: module)))
      }
      pending = []
    }
    return result
  }
}

extension Interpreter {
  /// Runs the prelude if any of `names` is one of its names and it has not run yet.
  ///
  /// Its names are defined when the interpreter is made (`StandardLibrary.preludeNames`), its
  /// code parsed, resolved and run the first time a source that reads one of them is resolved
  /// (or the host reads or sets one): most scripts never call it, and reading it was two thirds
  /// of start-up (`pq -e 1`: 3.2M → 1.2M instructions, bench/README.md). Its definitions go
  /// into the slots made for them (`Resolver.resolve(…, placing:)`), so code already resolved
  /// against those slots sees them, a failed input cannot roll them back, and a name the user
  /// or host has redefined since keeps its own definition.
  func loadPrelude<Names: Sequence<String>>(ifReading names: Names) {
    guard !pendingPrelude.isEmpty, names.contains(where: { pendingPrelude[$0] != nil }) else { return }
    // Another thread's evaluation holds the interpreter: it runs one evaluation at a time.
    guard let outermost = try? beginEvaluation() else { return }
    defer { if outermost { endEvaluation() } }
    let slots = pendingPrelude
    pendingPrelude = [:]
    do {
      try LargeStack.run { () throws(PQError) in
        claimEvaluationThread()
        if outermost { runtime.begin() }
        // Nested in an evaluation (one being prepared, an import), outside its limits: the
        // prelude is pq's own code, and a formula's deadline or used-up steps must not stop it
        // half-loaded.
        try runtime.withoutLimits { () throws(PQError) in
          for (name, text) in StandardLibrary.prelude {
            let source = Source(name: name, text: text)
            let program = try Parser.parse(source)
            let resolved = try Resolver.resolve(program, mode: .prompt, globals: scope, placing: slots)
            _ = try execute(resolved.body, frameSize: resolved.frameSize, source: source)
          }
        }
      }
    } catch {
      preconditionFailure("the prelude failed: \(error)")
    }
  }
}
