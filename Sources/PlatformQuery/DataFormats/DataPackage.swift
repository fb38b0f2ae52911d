/// What a Frictionless Data Package descriptor (`datapackage.json` beside a CSV file, or one folder
/// up) says of that file, honoured in full or refused: its sources, licences and contributors; the
/// CSV dialect; the encoding; missing values; each field's type, format and constraints; the
/// primary key; a resource in several parts. Every property pq does not apply is an error naming
/// it — never silently dropped — except the purely descriptive ones (`title`, `homepage`, …).
/// The Table Schema, CSV Dialect and Data Resource specifications (v1) are the reference;
/// docs/data.md lists what is applied.
///
/// `load(path, metric:, unit:, source:, definition:, status:)` fills the same structure with what
/// the call says.
struct DataPackage {
  /// A field's type, as Table Schema names it: the ones pq reads.
  enum FieldType: String, CaseIterable {
    case string, number, integer, boolean, date, datetime, time, year, yearmonth, any
  }

  /// A field's constraints (Table Schema): checked on every cell, a violation an error at it.
  struct Constraints {
    var required = false
    var unique = false
    var minimum: Value?
    var maximum: Value?
    var allowed: [Value]?
    var pattern: String?
    var minLength: Int?
    var maxLength: Int?
  }

  struct Field {
    var name = ""
    var description: String?
    var unit: Unit?
    /// nil: the column is read as pq reads any CSV column (its notation, its units).
    var type: FieldType?
    var format: String?
    var missingValues: [String]?
    var trueValues = ["true", "True", "TRUE", "1"]
    var falseValues = ["false", "False", "FALSE", "0"]
    var decimalChar = "."
    var groupChar = ""
    var bareNumber = true
    var constraints = Constraints()
  }

  var source: String?
  var fields: [String: Field] = [:]
  /// The schema's fields in order (for a file without a header row, its column names).
  var orderedFields: [Field] = []
  /// What `load(path, metric:, unit:, definition:, status:)` says for every figure the file does
  /// not describe itself: the metric a file with periods as columns holds, its unit, its
  /// definition and status.
  var metric: String?
  var unit: Unit?
  var definition: String?
  var status: String?
  /// The CSV dialect (nil: RFC 4180).
  var dialect: DataFile.Dialect?
  /// Whether the file's first row is its header.
  var header = true
  /// Whether a field's name must match its column's case exactly.
  var caseSensitiveHeader = false
  /// Cells that mean "no value" (the schema's, else the resource's or package's; `""` by default).
  var missingValues = [""]
  /// Fields whose values together name one row.
  var primaryKey: [String] = []
  /// A resource in several files: every part's path, relative to the descriptor (one: not
  /// multipart).
  var parts: [String] = []
  /// The descriptor's path, for messages.
  var descriptorName = "datapackage.json"
  /// The licences, kept with each figure (`explain` shows them).
  var license: String?
  /// The package's title (else name) and homepage, kept with each figure as its dataset.
  var dataset: String?
  /// The contributors, kept as each figure's producer where the file names none.
  var contributors: String?
  /// The first source's `path` (a link), kept as each figure's url.
  var sourceLink: String?

  /// What a row's provenance cells do not say, the package (or `load`'s options) may: its
  /// source, status, licence, dataset, contributors and source link, for the cells left empty.
  func supply(_ given: inout [String: (String, Int)]) {
    let supplied: [(String, String?)] = [
      ("source", source), ("status", status), ("license", license), ("dataset", dataset),
      ("producer", contributors), ("url", sourceLink),
    ]
    for (key, value) in supplied where given[key] == nil {
      if let value { given[key] = (value, 0) }
    }
  }

  /// The field a column's name is, by the header-matching rule.
  func field(named name: String) -> Field? {
    if let exact = fields[name] { return exact }
    guard !caseSensitiveHeader else { return nil }
    let lowered = name.lowercased()
    return orderedFields.first { $0.name.lowercased() == lowered }
  }

  // MARK: Reading a descriptor

  static let packageApplied: Set<String> = [
    "resources", "sources", "licenses", "contributors", "missingValues",
  ]
  static let packageDescriptive: Set<String> = [
    "name", "id", "profile", "title", "description", "homepage", "version", "keywords", "image", "created",
    "$schema", "organization", "bytes", "hash",
  ]
  static let resourceApplied: Set<String> = [
    "path", "name", "schema", "dialect", "encoding", "sources", "licenses", "missingValues", "type", "scheme",
  ]
  static let resourceDescriptive: Set<String> = [
    "title", "description", "format", "mediatype", "bytes", "hash", "profile", "$schema", "homepage",
  ]
  static let schemaApplied: Set<String> = ["fields", "missingValues", "primaryKey"]
  static let schemaDescriptive: Set<String> = ["$schema", "profile", "title", "description"]
  static let fieldApplied: Set<String> = [
    "name", "type", "format", "description", "unit", "constraints", "missingValues", "trueValues",
    "falseValues",
    "decimalChar", "groupChar", "bareNumber",
  ]
  static let fieldDescriptive: Set<String> = ["title", "example", "rdfType"]
  static let constraintsApplied: Set<String> = [
    "required", "unique", "minimum", "maximum", "enum", "pattern", "minLength", "maxLength",
  ]
  static let dialectApplied: Set<String> = [
    "delimiter", "quoteChar", "doubleQuote", "escapeChar", "header", "skipInitialSpace", "commentChar",
    "lineTerminator", "nullSequence", "caseSensitiveHeader",
  ]
  static let dialectDescriptive: Set<String> = ["csvddfVersion", "$schema"]

  /// The descriptor's entry for the resource at `relativePath` (the file's path from the
  /// descriptor's folder), or nil when it lists none. A property pq does not apply is an error.
  static func read(_ descriptor: Value, for relativePath: String, descriptorName: String = "datapackage.json")
    throws(PQError) -> DataPackage?
  {
    func failure(_ message: String, notes: [String] = []) -> PQError {
      PQError(.runtime, "\(descriptorName): " + message, notes: notes)
    }
    guard case .record(let package) = descriptor else { throw failure("the descriptor is not a JSON object") }
    guard case .list(let resources)? = package["resources"] else { return nil }
    let fileName = relativePath.split(separator: "/").last.map(String.init) ?? relativePath
    let stem = fileName.split(separator: ".").first.map(String.init) ?? fileName
    for (position, item) in resources.enumerated() {
      guard case .record(let resource) = item else { continue }
      var paths: [String] = []
      switch resource["path"] {
      case .string(let path)?: paths = [path]
      case .list(let items)?:
        paths = items.compactMap { if case .string(let text) = $0 { text } else { nil } }
      default: break
      }
      // A path is the file's path from the descriptor's folder (`./` aside): a file of the same
      // name in another folder is another resource.
      func normalized(_ path: String) -> String { path.hasPrefix("./") ? String(path.dropFirst(2)) : path }
      let matches =
        paths.contains { normalized($0) == relativePath } || (paths.isEmpty && resource["name"]?.text == stem)
      guard matches else { continue }
      // The whole descriptor is checked only for the resource read: another resource's oddities
      // do not stop this file.
      try checkKeys(
        package, applied: packageApplied, descriptive: packageDescriptive, at: "the package", failure)
      let place = "resource \(resource["name"]?.text ?? String(position))"
      try checkKeys(resource, applied: resourceApplied, descriptive: resourceDescriptive, at: place, failure)
      // Data Package v2's `type` and frictionless-py's `scheme` say what a CSV file already is.
      if let type = resource["type"], type.text != "table" {
        throw failure("\(place) has type '\(type.text)', and pq reads tables")
      }
      if let scheme = resource["scheme"], scheme.text != "file" {
        throw failure("\(place) has scheme '\(scheme.text)', and pq reads files")
      }
      if resource["data"] != nil {
        throw failure("\(place) has inline data, and pq reads a resource's file")
      }
      var result = DataPackage()
      result.descriptorName = descriptorName
      result.parts = paths
      result.source = firstSourceTitle(resource["sources"]) ?? firstSourceTitle(package["sources"])
      result.sourceLink = firstSourcePath(resource["sources"]) ?? firstSourcePath(package["sources"])
      result.license = licenses(resource["licenses"] ?? package["licenses"])
      result.contributors = contributors(package["contributors"])
      let title = package["title"]?.text ?? package["name"]?.text
      let homepage = package["homepage"]?.text
      if let title {
        result.dataset = homepage.map { "\(title) (\($0))" } ?? title
      } else {
        result.dataset = homepage
      }
      if case .string(let encoding)? = resource["encoding"] {
        let name = encoding.lowercased().filter { $0 != "-" && $0 != "_" }
        guard name == "utf8" || name == "ascii" || name == "usascii" else {
          throw failure(
            "\(place) is encoded in \(encoding), and pq reads UTF-8",
            notes: ["convert it first: iconv -f \(encoding) -t UTF-8 FILE > FILE.utf8.csv"])
        }
      }
      if let missing = resource["missingValues"] ?? package["missingValues"] {
        result.missingValues = try strings(missing, "missingValues", failure)
      }
      if case .record(let dialect)? = resource["dialect"] {
        try readDialect(dialect, into: &result, place: place, failure)
      } else if resource["dialect"] != nil {
        throw failure("\(place): dialect must be an object (a dialect given by a path is not read)")
      }
      if case .record(let schema)? = resource["schema"] {
        try readSchema(schema, into: &result, place: place, failure)
      } else if resource["schema"] != nil {
        throw failure("\(place): schema must be an object (a schema given by a path is not read)")
      }
      return result
    }
    return nil
  }

  static func checkKeys(
    _ record: Record, applied: Set<String>, descriptive: Set<String>, at place: String,
    _ failure: (String, [String]) -> PQError
  ) throws(PQError) {
    // A translated descriptive property (`title@de`) is descriptive too.
    func isDescriptive(_ key: String) -> Bool {
      descriptive.contains(key) || descriptive.contains(String(key.prefix { $0 != "@" }))
    }
    for key in record.keys where !applied.contains(key) && !isDescriptive(key) {
      throw failure(
        "'\(key)' in \(place) is not something pq applies, and it will not ignore it",
        ["pq applies " + applied.sorted().joined(separator: ", ") + "; remove '\(key)' to load the file"])
    }
  }

  static func strings(_ value: Value, _ key: String, _ failure: (String, [String]) -> PQError) throws(PQError)
    -> [String]
  {
    guard case .list(let items) = value else { throw failure("\(key) must be a list of strings", []) }
    var out: [String] = []
    for item in items {
      guard case .string(let text) = item else { throw failure("\(key) must be a list of strings", []) }
      out.append(text)
    }
    return out
  }

  static func character(_ value: Value?, _ key: String, _ failure: (String, [String]) -> PQError)
    throws(PQError)
    -> UInt8??
  {
    guard let value else { return .none }
    guard case .string(let text) = value else { throw failure("dialect: \(key) must be a string", []) }
    if text.isEmpty { return .some(nil) }
    guard text.utf8.count == 1, let byte = text.utf8.first else {
      throw failure("dialect: \(key) '\(text)' must be one character (pq reads one-byte delimiters)", [])
    }
    return .some(byte)
  }

  static func bool(_ value: Value?, _ key: String, _ failure: (String, [String]) -> PQError) throws(PQError)
    -> Bool?
  {
    guard let value else { return nil }
    guard case .bool(let flag) = value else { throw failure("\(key) must be true or false", []) }
    return flag
  }

  static func readDialect(
    _ dialect: Record, into result: inout DataPackage, place: String, _ failure: (String, [String]) -> PQError
  ) throws(PQError) {
    try checkKeys(
      dialect, applied: dialectApplied, descriptive: dialectDescriptive, at: "the dialect of \(place)",
      failure)
    var read = DataFile.Dialect()
    if let delimiter = try character(dialect["delimiter"], "delimiter", failure) {
      guard let delimiter else { throw failure("dialect: delimiter cannot be empty", []) }
      read.delimiter = delimiter
    }
    if let quote = try character(dialect["quoteChar"], "quoteChar", failure) { read.quote = quote }
    if let escape = try character(dialect["escapeChar"], "escapeChar", failure) { read.escape = escape }
    if let comment = try character(dialect["commentChar"], "commentChar", failure) { read.comment = comment }
    read.doubleQuote = try bool(dialect["doubleQuote"], "doubleQuote", failure) ?? true
    read.skipInitialSpace = try bool(dialect["skipInitialSpace"], "skipInitialSpace", failure) ?? false
    result.header = try bool(dialect["header"], "header", failure) ?? true
    result.caseSensitiveHeader =
      try bool(dialect["caseSensitiveHeader"], "caseSensitiveHeader", failure) ?? false
    if let terminator = dialect["lineTerminator"] {
      guard case .string(let text) = terminator, ["\r\n", "\n", "\r"].contains(text) else {
        throw failure("dialect: lineTerminator must be \\r\\n, \\n or \\r (pq reads all three)", [])
      }
    }
    if let null = dialect["nullSequence"] {
      guard case .string(let text) = null else { throw failure("dialect: nullSequence must be a string", []) }
      result.missingValues.append(text)
    }
    if read != .rfc4180 { result.dialect = read }
  }

  static func readSchema(
    _ schema: Record, into result: inout DataPackage, place: String, _ failure: (String, [String]) -> PQError
  ) throws(PQError) {
    try checkKeys(
      schema, applied: schemaApplied, descriptive: schemaDescriptive, at: "the schema of \(place)", failure)
    if let missing = schema["missingValues"] {
      result.missingValues = try strings(missing, "missingValues", failure)
    }
    switch schema["primaryKey"] {
    case .string(let key)?: result.primaryKey = [key]
    case .list?: result.primaryKey = try strings(schema["primaryKey"] ?? .nil, "primaryKey", failure)
    case nil: break
    default: throw failure("primaryKey must be a field name or a list of them", [])
    }
    guard case .list(let fields)? = schema["fields"] else { return }
    for item in fields {
      guard case .record(let entry) = item, case .string(let name)? = entry["name"] else {
        throw failure("every field of the schema of \(place) needs a name", [])
      }
      let at = "field '\(name)'"
      try checkKeys(entry, applied: fieldApplied, descriptive: fieldDescriptive, at: at, failure)
      var field = Field(name: name)
      if case .string(let text)? = entry["description"] { field.description = text }
      if case .string(let unitName)? = entry["unit"] {
        guard let parsed = Unit.parse(unitName) else {
          throw failure("unknown unit '\(unitName)' for field '\(name)'", [Unit.namingNote])
        }
        field.unit = parsed
      }
      if let type = entry["type"] {
        guard case .string(let typeName) = type else { throw failure("\(at): type must be a string", []) }
        guard let known = FieldType(rawValue: typeName) else {
          throw failure(
            "\(at) has type '\(typeName)', which pq does not read",
            [
              "pq reads the types " + FieldType.allCases.map(\.rawValue).joined(separator: ", ")
                + "; declare it string to keep the text"
            ])
        }
        field.type = known
      }
      if case .string(let format)? = entry["format"] {
        field.format = format
        let accepted: [FieldType: Set<String>] = [
          .string: ["default", "email", "uri", "uuid"], .number: ["default"], .integer: ["default"],
          .boolean: ["default"], .year: ["default"], .yearmonth: ["default"], .any: ["default"],
          .datetime: ["default", "any"], .time: ["default", "any"],
        ]
        if let type = field.type, type != .date, !(accepted[type]?.contains(format) ?? false) {
          throw failure("\(at): format '\(format)' is not one pq applies to a \(type.rawValue)", [])
        }
        if field.type == .date, format != "default", format != "any", !format.contains("%") {
          throw failure(
            "\(at): date format '\(format)' is not default, any or a pattern such as %d/%m/%Y", [])
        }
      }
      if let missing = entry["missingValues"] {
        field.missingValues = try strings(missing, "missingValues", failure)
      }
      if let values = entry["trueValues"] { field.trueValues = try strings(values, "trueValues", failure) }
      if let values = entry["falseValues"] { field.falseValues = try strings(values, "falseValues", failure) }
      if let mark = entry["decimalChar"] {
        guard case .string(let text) = mark, !text.isEmpty else {
          throw failure("\(at): decimalChar must be a string", [])
        }
        field.decimalChar = text
      }
      if let mark = entry["groupChar"] {
        guard case .string(let text) = mark else { throw failure("\(at): groupChar must be a string", []) }
        field.groupChar = text
      }
      field.bareNumber = try bool(entry["bareNumber"], "\(at): bareNumber", failure) ?? true
      if case .record(let constraints)? = entry["constraints"] {
        try checkKeys(
          constraints, applied: constraintsApplied, descriptive: [], at: "the constraints of \(at)", failure)
        var read = Constraints()
        read.required = try bool(constraints["required"], "required", failure) ?? false
        read.unique = try bool(constraints["unique"], "unique", failure) ?? false
        read.minimum = constraints["minimum"]
        read.maximum = constraints["maximum"]
        if let allowed = constraints["enum"] {
          guard case .list(let items) = allowed else { throw failure("\(at): enum must be a list", []) }
          read.allowed = items
        }
        if let pattern = constraints["pattern"] {
          guard case .string(let text) = pattern else { throw failure("\(at): pattern must be a string", []) }
          guard (try? Regex(text)) != nil else {
            throw failure("\(at): pattern '\(text)' is not a regular expression", [])
          }
          read.pattern = text
        }
        if case .number(let n)? = constraints["minLength"] { read.minLength = Int(n) }
        if case .number(let n)? = constraints["maxLength"] { read.maxLength = Int(n) }
        field.constraints = read
      }
      result.fields[name] = field
      result.orderedFields.append(field)
    }
    for key in result.primaryKey where result.fields[key] == nil {
      throw failure("primaryKey names '\(key)', which is not a field of the schema", [])
    }
  }

  static func firstSourceTitle(_ value: Value?) -> String? {
    guard case .list(let sources)? = value, case .record(let first)? = sources.first else { return nil }
    if case .string(let title)? = first["title"] { return title }
    return nil
  }

  static func firstSourcePath(_ value: Value?) -> String? {
    guard case .list(let sources)? = value, case .record(let first)? = sources.first else { return nil }
    if case .string(let path)? = first["path"] { return path }
    return nil
  }

  /// `ODC-PDDL-1.0 (http://…)`, each licence named once, or nil.
  static func licenses(_ value: Value?) -> String? {
    guard case .list(let items)? = value else { return nil }
    let names = items.compactMap { item -> String? in
      guard case .record(let license) = item else { return nil }
      let name = license["name"]?.text ?? license["title"]?.text
      let path = license["path"]?.text
      let parts = [name, path.map { name == nil ? $0 : "(\($0))" }].compactMap { $0 }
      return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
    return names.isEmpty ? nil : names.joined(separator: "; ")
  }

  /// `Jane Doe (author), Office (publisher)`, or nil.
  static func contributors(_ value: Value?) -> String? {
    guard case .list(let items)? = value else { return nil }
    let names = items.compactMap { item -> String? in
      guard case .record(let person) = item, let title = person["title"]?.text else { return nil }
      return person["role"].map { title + " (\($0.text))" } ?? title
    }
    return names.isEmpty ? nil : names.joined(separator: ", ")
  }
}
