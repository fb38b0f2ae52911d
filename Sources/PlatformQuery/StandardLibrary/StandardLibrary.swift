/// The standard library written in pq, embedded in the binary: the prelude, which runs at start,
/// and modules that `import NAME` loads.
enum StandardLibrary {
  /// The prelude sources in load order.
  static let prelude: [(name: String, text: String)] = [
    ("stdlib/prelude.pq", String(decoding: PackageResources.prelude_pq, as: UTF8.self))
  ]

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
