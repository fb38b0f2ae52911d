/// The one list of built-in functions, assembled from one table per theme (as Lua's `linit.c`).
enum Builtins {
  /// Every built-in, in help order.
  static var all: [NativeFunction] { themes.flatMap(\.1) }

  /// The names a host's data may not take: the built-ins, the prelude's functions and `article`.
  static var reservedNames: Set<String> {
    Set(all.map(\.name)).union(StandardLibrary.docs.keys).union(["article", "platforms", "args"])
  }

  /// Themes for `help()` with no argument.
  static var themes: [(String, [NativeFunction])] {
    [
      ("core", core), ("numbers", numbers), ("collections", collections), ("strings", strings),
      ("platform data", data), ("time series", series), ("provenance", provenance), ("display", display),
      ("files", files),
    ]
  }

  /// The text `help(name)` returns: signature, doc line and example.
  static func helpText(
    _ name: String, natives: [String: NativeFunction], prelude: [String: StandardLibrary.Doc]
  )
    -> String?
  {
    if let native = natives[name] {
      var text = "\(native.signature)\n  \(native.doc)"
      if !native.example.isEmpty { text += "\n  example: \(native.example)" }
      return text
    }
    if let doc = prelude[name] {
      var text = "\(doc.signature)\n  \(doc.doc)"
      if !doc.example.isEmpty { text += "\n  example: \(doc.example)" }
      return text + "\n  (written in pq: stdlib/\(doc.module ?? "prelude").pq)"
    }
    return nil
  }

  /// The overview `help()` prints.
  static func overview(natives: [String: NativeFunction], prelude: [String: StandardLibrary.Doc]) -> String {
    var lines = ["pq built-ins (help(\"name\") for one):"]
    for (theme, functions) in themes {
      let names = functions.map(\.name).filter { natives[$0] != nil }
      lines.append("  \(theme): " + names.joined(separator: ", "))
    }
    let preludeNames = prelude.filter { $0.value.module == nil }.keys.sorted()
    if !preludeNames.isEmpty { lines.append("  prelude (pq): " + preludeNames.joined(separator: ", ")) }
    let modules = Set(prelude.values.compactMap(\.module)).sorted()
    if !modules.isEmpty { lines.append("  modules (import NAME): " + modules.joined(separator: ", ")) }
    let hosted = natives.keys.filter { name in !themes.contains { $0.1.contains { $0.name == name } } }
      .sorted()
    if !hosted.isEmpty { lines.append("  registered by the host: " + hosted.joined(separator: ", ")) }
    return lines.joined(separator: "\n")
  }
}
