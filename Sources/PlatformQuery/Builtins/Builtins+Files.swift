extension Builtins {
  /// The data package entry for a CSV file from a `datapackage.json` in its folder, when there
  /// is one that the script may read and that lists the file.
  static func dataPackage(beside path: String, _ arguments: Arguments) throws(PQError) -> DataPackage? {
    let folder = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) : "."
    let descriptorPath = (folder.isEmpty ? "" : folder + "/") + "datapackage.json"
    guard (try? arguments.runtime.checkPath(descriptorPath, "load")) != nil,
      let bytes = try? FileSystem.read(descriptorPath)
    else { return nil }
    let text = try Source.decode(bytes, name: descriptorPath).text
    let descriptor: Value
    do throws(JSON.ParseError) {
      descriptor = try JSON.parse(text, readNotation: false)
    } catch {
      throw PQError(
        .runtime, "invalid JSON: \(error.message)", source: Source(name: descriptorPath, text: text),
        span: Span(start: error.offset, end: error.offset + 1))
    }
    let fileName = path.split(separator: "/").last.map(String.init) ?? path
    return try DataPackage.read(descriptor, for: fileName)
  }

  static let files: [NativeFunction] = [
    NativeFunction(
      "load(path)", named: ["metric", "unit", "source", "definition", "status"],
      doc:
        "Reads your own figures from a .csv or .json file (or \"-\", stdin), provenance and all. For a CSV file, metric:, unit:, source:, definition: and status: say what the file does not.",
      example: "load(\"examples/data/platforms.csv\")"
    ) { arguments throws(PQError) in
      let path = try arguments.string(0)
      let told = try loadOptions(arguments)
      if path == "-" {
        // Standard input: JSON when it starts with `[` or `{`, else CSV.
        guard let read = arguments.runtime.standardInput else {
          throw arguments.error(0, "load(\"-\") reads standard input, and this interpreter has none")
        }
        let source = try Source.decode(read(), name: "<stdin>", indexesLines: false)
        let first = source.bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        let isJSON = first == UInt8(ascii: "[") || first == UInt8(ascii: "{")
        if let told {
          guard !isJSON else {
            throw arguments.failure("metric:, unit:, source:, definition: and status: go with CSV files")
          }
          return try DataFile.readCSV(source, package: told)
        }
        return try (isJSON ? DataFile.jsonFormat : DataFile.csvFormat).read(source)
      }
      try arguments.runtime.checkPath(path, "load")
      guard let format = DataFile.format(for: path) else {
        throw arguments.error(0, "load reads \(DataFile.extensionsText) files, not '\(path)'")
      }
      let bytes: [UInt8]
      // No file larger than the evaluation's memory budget is read (1 GiB without one).
      let limit = arguments.runtime.limits.memory ?? FileSystem.defaultReadLimit
      do throws(FileSystem.Failure) { bytes = try FileSystem.read(path, limit: limit) } catch {
        throw arguments.error(0, error.message)
      }
      let source = try Source.decode(bytes, name: path, indexesLines: false)
      // A CSV file may have a Frictionless Data Package descriptor beside it; what `load` was
      // told adds to it (the file's own columns win over both).
      if format.extensions == ["csv"] {
        let package = try dataPackage(beside: path, arguments)
        if package != nil || told != nil {
          var merged = package ?? DataPackage()
          if let told {
            merged.source = told.source ?? merged.source
            merged.metric = told.metric
            merged.unit = told.unit
            merged.definition = told.definition
            merged.status = told.status
          }
          return try DataFile.readCSV(source, package: merged)
        }
      } else if told != nil {
        throw arguments.failure("metric:, unit:, source:, definition: and status: go with CSV files")
      }
      return try format.read(source)
    },
    NativeFunction(
      "save(value, path)",
      doc: "Writes a value to a .json file, or a list of records to a .csv file, whole or not at all.",
      example: "save(top(platforms, \"mau\"), \"top.csv\")"
    ) { arguments throws(PQError) in
      let path = try arguments.string(1)
      try arguments.runtime.checkPath(path, "save")
      guard let format = DataFile.format(for: path) else {
        throw arguments.error(1, "save writes \(DataFile.extensionsText) files, not '\(path)'")
      }
      let text: String
      do throws(PQError) { text = try format.write(arguments[0]) } catch {
        var error = error
        if error.span == nil { error.argumentIndex = 0 }
        throw error
      }
      do throws(FileSystem.Failure) { try FileSystem.writeAtomically(path, Array(text.utf8)) } catch {
        throw arguments.error(1, error.message)
      }
      return .nil
    },
  ]
}

extension Builtins {
  /// What `load(path, metric:, unit:, source:, definition:, status:)` was told, or nil when
  /// nothing: each checked as `figure(…)` checks it.
  static func loadOptions(_ arguments: Arguments) throws(PQError) -> DataPackage? {
    guard !arguments.named.isEmpty else { return nil }
    func text(_ key: String) throws(PQError) -> String? {
      guard let given = arguments.named[key] else { return nil }
      guard case .string(let text) = given, !text.isEmpty else {
        throw arguments.failure("\(key): must be text, not \(Arithmetic.describe(given))")
      }
      return text
    }
    var told = DataPackage()
    told.source = try text("source")
    told.metric = try text("metric")
    told.definition = try text("definition")
    if let name = try text("unit") {
      guard let unit = Unit.parse(name) else {
        throw arguments.failure("unit: '\(name)' is not a unit", notes: [Unit.namingNote])
      }
      told.unit = unit
    }
    if let word = try text("status") {
      guard Figure.Status.read(word) != nil else {
        throw arguments.failure(
          "status: '\(word)' is not a status", notes: ["statuses: " + Figure.Status.acceptedWords])
      }
      told.status = word
    }
    return told
  }
}
