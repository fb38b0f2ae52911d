extension Builtins {
  /// The data package entry for a CSV file from a `datapackage.json` in its folder, or in the
  /// folder above it (`data/x.csv` listed by the package at the top), when the script may read
  /// one that lists the file; with the folder the descriptor is in (a resource's parts are
  /// relative to it).
  static func dataPackage(beside path: String, _ arguments: Arguments) throws(PQError) -> (
    DataPackage, String
  )? {
    let folder = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) : "."
    let fileName = path.split(separator: "/").last.map(String.init) ?? path
    var candidates = [(folder.isEmpty ? "/" : folder, fileName)]
    // One folder up: the file's path from there is its folder's name and its own.
    let folderName = folder.split(separator: "/").last.map(String.init) ?? ""
    if folder == "." {
      candidates.append(
        (
          "..",
          (FileSystem.currentDirectory().split(separator: "/").last.map(String.init) ?? "") + "/" + fileName
        ))
    } else if !folderName.isEmpty, folderName != "..", folderName != "." {
      let parent =
        folder.contains("/") ? String(folder[..<(folder.lastIndex(of: "/") ?? folder.endIndex)]) : "."
      candidates.append((parent.isEmpty ? "/" : parent, folderName + "/" + fileName))
    }
    for (place, relative) in candidates {
      let descriptorPath = (place == "/" ? "" : place) + "/datapackage.json"
      guard (try? arguments.runtime.checkPath(descriptorPath, "load")) != nil,
        let bytes = try? FileSystem.read(descriptorPath)
      else { continue }
      let text = try Source.decode(bytes, name: descriptorPath).text
      let descriptor: Value
      do throws(JSON.ParseError) {
        descriptor = try JSON.parse(text, readNotation: false)
      } catch {
        throw PQError(
          .runtime, "invalid JSON: \(error.message)", source: Source(name: descriptorPath, text: text),
          span: Span(start: error.offset, end: error.offset + 1))
      }
      if let package = try DataPackage.read(descriptor, for: relative, descriptorName: descriptorPath) {
        return (package, place)
      }
    }
    return nil
  }

  /// The bytes of a resource in several files, read in order as one table (a part's own header
  /// row, when it repeats the first's, is not a row); the source is named after all of them.
  static func multipartSource(
    _ package: DataPackage, folder: String, limit: Int, _ arguments: Arguments
  ) throws(PQError) -> Source {
    var bytes: [UInt8] = []
    var header: [UInt8]?
    for part in package.parts {
      let path = part.hasPrefix("/") ? part : (folder == "/" ? "" : folder) + "/" + part
      try arguments.runtime.checkPath(path, "load")
      var read: [UInt8]
      do throws(FileSystem.Failure) { read = try FileSystem.read(path, limit: limit) } catch {
        throw arguments.error(0, "part '\(part)' of this resource: " + error.message)
      }
      let firstLine = Array(read.prefix { $0 != 0x0A })
      if let header, package.header, firstLine == header {
        read = Array(read.dropFirst(firstLine.count + 1))
      } else if header == nil {
        header = firstLine
      }
      if !bytes.isEmpty, bytes.last != 0x0A { bytes.append(0x0A) }
      bytes += read
    }
    return try Source.decode(bytes, name: package.parts.joined(separator: " + "), indexesLines: false)
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
      var source = try Source.decode(bytes, name: path, indexesLines: false)
      // A CSV file may have a Frictionless Data Package descriptor beside it; what `load` was
      // told adds to it (the file's own columns win over both).
      if format.extensions == ["csv"] {
        let found = try dataPackage(beside: path, arguments)
        if let (package, folder) = found, package.parts.count > 1 {
          source = try multipartSource(package, folder: folder, limit: limit, arguments)
        }
        let package = found?.0
        // Without a descriptor, a header of semicolons or tabs (and no comma) says the file's
        // delimiter; a semicolon file writes decimal commas. Said in one line.
        if package == nil, let delimiter = DataFile.sniffedDelimiter(source.bytes) {
          let semicolons = delimiter == UInt8(ascii: ";")
          var dialect = DataFile.Dialect()
          dialect.delimiter = delimiter
          let (columns, names) =
            semicolons ? try DataFile.decimalCommaColumns(source, dialect: dialect) : ([], [])
          let listed =
            names.count > 1
            ? names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "") : names.first ?? ""
          let commas =
            names.isEmpty
            ? "" : "; \(listed) \(names.count == 1 ? "has" : "have") decimal commas (1.234,5 is 1234.5)"
          arguments.runtime.output(
            "load: \(DataFile.fileName(path)) is separated by \(semicolons ? "semicolons" : "tabs") (its header has no comma)"
              + commas + "\n")
          return try DataFile.readCSV(source, package: told, dialect: dialect, decimalCommaColumns: columns)
        }
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
