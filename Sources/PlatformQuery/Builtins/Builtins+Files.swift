extension Builtins {
  static let files: [NativeFunction] = [
    NativeFunction(
      "load(path)",
      doc: "Reads your own figures from a .csv or .json file (or \"-\", stdin), provenance and all.",
      example: "load(\"examples/data/platforms.csv\")"
    ) { arguments throws(PQError) in
      let path = try arguments.string(0)
      if path == "-" {
        // Standard input: JSON when it starts with `[` or `{`, else CSV.
        guard let read = arguments.runtime.standardInput else {
          throw arguments.error(0, "load(\"-\") reads standard input, and this interpreter has none")
        }
        let source = try Source.decode(read(), name: "<stdin>")
        let first = source.text.utf8.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        let format =
          first == UInt8(ascii: "[") || first == UInt8(ascii: "{") ? DataFile.jsonFormat : DataFile.csvFormat
        return try format.read(source)
      }
      try arguments.runtime.checkPath(path, "load")
      guard let format = DataFile.format(for: path) else {
        throw arguments.error(0, "load reads \(DataFile.extensionsText) files, not '\(path)'")
      }
      let bytes: [UInt8]
      do throws(FileSystem.Failure) { bytes = try FileSystem.read(path) } catch {
        throw arguments.error(0, error.message)
      }
      return try format.read(try Source.decode(bytes, name: path))
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
