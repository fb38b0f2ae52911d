/// The file formats `load` and `save` know, and their entry points for a host that already has
/// the text. To add a format: write its reader and writer in a file of this folder, add a
/// `DataFormat` for it below, and list it in `formats` (docs/architecture.md has the steps).
public enum DataFile {
  /// One file format: the extensions it is chosen by, how it reads a source and writes a value.
  struct DataFormat: Sendable {
    let extensions: [String]
    let read: @Sendable (Source) throws(PQError) -> Value
    let write: @Sendable (Value) throws(PQError) -> String
  }

  static let jsonFormat = DataFormat(
    extensions: ["json"],
    read: { source throws(PQError) in try value(json: source) },
    write: { value throws(PQError) in try json(value) })

  static let csvFormat = DataFormat(
    extensions: ["csv"], read: { source throws(PQError) in try readCSV(source) },
    write: { value throws(PQError) in try csv(value) })

  /// Tab-separated values: CSV's rules with tabs between cells; read, never written (save .csv).
  static let tsvFormat = DataFormat(
    extensions: ["tsv", "tab"], read: { source throws(PQError) in try readCSV(source, dialect: .tabs) },
    write: { _ throws(PQError) in
      throw PQError(
        .runtime, "pq reads .tsv files but writes tables as .csv", notes: ["save(rows, \"rows.csv\")"])
    })

  /// JSON Lines (`.jsonl`, `.ndjson`): one JSON value a line, the usual shape of API exports; read
  /// as the list of them, each record as a JSON file's record is read. Written one a line.
  static let jsonLinesFormat = DataFormat(
    extensions: ["jsonl", "ndjson"], read: { source throws(PQError) in try jsonLines(source) },
    write: { value throws(PQError) in
      guard case .list(let items) = value else {
        throw PQError(.runtime, "a .jsonl file holds a list, one item a line")
      }
      var out = ""
      for item in items { out += try JSON.encode(item, pretty: false) + "\n" }
      return out
    })

  /// SVG: charts only, written and never read.
  static let svgFormat = DataFormat(
    extensions: ["svg"],
    read: { source throws(PQError) in
      throw PQError(.runtime, "pq writes .svg files (charts) but does not read them: '\(source.name)'")
    },
    write: { value throws(PQError) in
      guard case .record(let record) = value, record.kind == .chart else {
        throw PQError(.runtime, "a .svg file holds a chart", notes: ["make one with chart(list, \"metric\")"])
      }
      return Chart.svg(record)
    })

  /// Every format, for `load` and `save`.
  static let formats = [jsonFormat, csvFormat, tsvFormat, jsonLinesFormat, svgFormat]

  /// The format a path's extension chooses, or nil.
  static func format(for path: String) -> DataFormat? {
    let lowered = path.lowercased()
    return formats.first { format in format.extensions.contains { lowered.hasSuffix("." + $0) } }
  }

  /// `.csv and .json`, for messages.
  static var extensionsText: String {
    let names = formats.flatMap(\.extensions).map { "." + $0 }.sorted()
    return names.dropLast().joined(separator: ", ") + (names.count > 1 ? " and " : "") + (names.last ?? "")
  }

  /// Reads CSV text as `load` reads a .csv file: records from a header row, pq number notation
  /// in cells, metric columns with their units. Errors point into the text, named `name`.
  public static func records(csv text: String, name: String = "<csv>") throws(PQError) -> Value {
    try readCSV(Source(name: name, text: text))
  }

  /// Writes a value as `save` writes a .json file (figures with their provenance).
  public static func json(_ value: Value) throws(PQError) -> String {
    try JSON.encode(value) + "\n"
  }

  /// Writes a list of records as `save` writes a .csv file, provenance in provenance columns;
  /// what a CSV row cannot hold is an error.
  public static func csv(_ value: Value) throws(PQError) -> String {
    guard case .list(let items) = value, Table.isTabular(items) else {
      throw PQError(.runtime, "a .csv file holds a list of records")
    }
    return try writeCSV(items)
  }

  /// Reads JSON text as `load` reads a .json file (pq number notation in strings is read as numbers).
  public static func value(json text: String, name: String = "<json>") throws(PQError) -> Value {
    try value(json: Source(name: name, text: text, bytes: Array(text.utf8), indexesLines: false))
  }

  /// Reads JSON Lines: each non-blank line one JSON value; an error is at its line and column in
  /// the file.
  static func jsonLines(_ source: Source) throws(PQError) -> Value {
    let bytes = source.bytes
    var items: [Value] = []
    var start = 0
    while start < bytes.count {
      let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
      let line = Array(bytes[start..<end])
      if line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) {
        do throws(JSON.ParseError) {
          items.append(try JSON.parse(bytes: line, readNotation: true, file: fileName(source.name)))
        } catch {
          throw PQError(
            .runtime, "invalid JSON on this line: \(error.message)", source: source,
            span: Span(start: start + error.offset, end: start + error.offset + 1),
            notes: ["a .jsonl file holds one JSON value a line"])
        }
      }
      start = end + 1
    }
    var parsed = Value.list(items)
    try withRowProvenance(&parsed, name: source.name)
    return platformsIfNamed(parsed, file: fileName(source.name))
  }

  /// Reads a JSON source, its bytes parsed where they are.
  static func value(json source: Source) throws(PQError) -> Value {
    var parsed: Value
    do throws(JSON.ParseError) {
      parsed = try JSON.parse(bytes: source.bytes, readNotation: true, file: fileName(source.name))
    } catch {
      throw PQError(
        .runtime, "invalid JSON: \(error.message)", source: source,
        span: Span(start: error.offset, end: error.offset + 1))
    }
    try withRowProvenance(&parsed, name: source.name)
    return platformsIfNamed(parsed, file: fileName(source.name))
  }

  /// A list of records whose records carry provenance fields (`source`, `period`, … as in a
  /// CSV file's provenance columns) gives those to the record's figures that have none, as a
  /// CSV row does: `[{"name": "X", "mau": "70.4M", "source": "Similarweb", "period": "2024-09"}]`
  /// loads `mau` as a figure from Similarweb for September 2024, whichever format it came in.
  ///
  /// The list is changed in place (taken out of `value`, so that no other copy holds its
  /// records and each record's figures replace its numbers without copying the record).
  ///
  /// Lists anywhere in the document are read so (`{"meta": {…}, "data": [{…}, …]}` as well as a
  /// list at the top), their figures labelled by their path (`f.json.data[1].users`); the
  /// document nests at most 200 deep (the parser's limit), which bounds this walk.
  static func withRowProvenance(_ value: inout Value, name: String, path: String? = nil) throws(PQError) {
    let label = path ?? fileName(name)
    switch value {
    case .record(var record) where record.kind == .plain:
      guard
        record.values.contains(where: {
          if case .list = $0 { return true } else if case .record = $0 { return true } else { return false }
        })
      else {
        return
      }
      value = .nil
      defer { value = .record(record) }
      for key in record.keys {
        guard var field = record[key] else { continue }
        switch field {
        case .list, .record:
          record[key] = .nil
          defer { record[key] = field }
          try withRowProvenance(&field, name: name, path: label + "." + key)
        default: continue
        }
      }
      return
    case .list: break
    default: return
    }
    guard case .list(var items) = value else { return }
    value = .nil
    defer { value = .list(items) }
    var origins = OriginCache(file: label)
    var periods: [String: Period] = [:]
    let source = Source(name: name, text: "")
    // Where the provenance columns, the name and the other fields are, worked out once per
    // shape (a file's records share one): names compared per row cost a tenth of a load.
    var plan = RowPlan(shape: Shape.empty)
    var rowOrigins: [[String]: (RowOrigin, Figure.Origin)] = [:]
    for index in items.indices {
      // Lists and records inside the list's items, each under its own path.
      if case .list = items[index] {
        var nested = items[index]
        items[index] = .nil
        defer { items[index] = nested }
        try withRowProvenance(&nested, name: name, path: "\(label)[\(index)]")
        continue
      }
      // The record moved out of the list (a pattern binding would share its values with the
      // list's copy, and the first change below would copy them: 40,000 copies a 40,000-record
      // load), and put back at every exit.
      guard items[index].isRecord, var record = items[index].takeRecord() else { continue }
      guard record.kind == .plain else {
        items[index] = .record(record)
        continue
      }
      if record.shape.id != plan.shapeID {
        plan = RowPlan(shape: record.shape)
        rowOrigins = [:]
      }
      for position in record.values.indices {
        if case .list = record.values[position] {
        } else if case .record = record.values[position] {
        } else {
          continue
        }
        var nested = record.values[position]
        record.values[position] = .nil
        do {
          try withRowProvenance(&nested, name: name, path: "\(label)[\(index)].\(record.keys[position])")
        } catch {
          record.values[position] = nested
          items[index] = .record(record)
          throw error
        }
        record.values[position] = nested
      }
      // A record whose numbers are all figures already (a file pq saved) has nothing to take.
      guard record.values.contains(where: DataFile.takesRowProvenance) else {
        items[index] = .record(record)
        continue
      }
      // The row's provenance texts, in the plan's order ("" for none): rows that say the same
      // share the origin read from them (`rowOrigin` is a function of the texts alone).
      var texts: [String] = []
      texts.reserveCapacity(plan.provenance.count)
      for (_, position) in plan.provenance {
        if case .string(let text) = record.values[position] {
          texts.append(text.trimmingSpaces)
        } else {
          texts.append("")
        }
      }
      guard texts.contains(where: { !$0.isEmpty }) else {
        items[index] = .record(record)
        continue
      }
      // Every figure of the row has the row's origin (a JSON row gives no definitions per field).
      let origin: RowOrigin
      let shared: Figure.Origin
      if let known = rowOrigins[texts] {
        (origin, shared) = known
      } else {
        var given: [String: (String, Int)] = [:]
        for (slot, (key, _)) in plan.provenance.enumerated() where !texts[slot].isEmpty {
          given[key] = (texts[slot], 0)
        }
        do {
          origin = try rowOrigin(given: given, source: source, periods: &periods)
        } catch {
          items[index] = .record(record)
          throw PQError(.runtime, "record \(index) of \(name): \(error.message)", notes: error.notes)
        }
        var made: [(String, Figure.Origin)] = []
        shared = figureOrigin(origin, definition: nil, cache: &origins, made: &made)
        if rowOrigins.count < 4096 { rowOrigins[texts] = (origin, shared) }
      }
      let platform = plan.name.map { record.values[$0].text } ?? "record \(index)"
      var place: Figure.Place?
      for (key, position) in plan.figures where DataFile.takesRowProvenance(record.values[position]) {
        let field = record.values[position]
        record.values[position] = rowFigure(
          field.numericValue ?? 0, field.unit, name: platform, field: key, origin: shared, row: index,
          place: &place)
      }
      items[index] = .record(record)
    }
  }

  /// Where a shape's provenance columns (`csvProvenanceColumns`), its `name` and its other
  /// fields are, for `withRowProvenance`. A repeated key counts where the record finds it.
  struct RowPlan {
    let shapeID: UInt64
    var provenance: [(key: String, position: Int)] = []
    var figures: [(key: String, position: Int)] = []
    var name: Int?

    init(shape: Shape) {
      shapeID = shape.id
      for (position, key) in shape.keys.enumerated() where shape.position(of: key) == position {
        if csvProvenanceColumns.contains(key) {
          provenance.append((key, position))
        } else if key == "name" {
          name = position
        } else {
          figures.append((key, position))
        }
      }
    }
  }

  /// A number without provenance, which a record's provenance fields make a figure of.
  static func takesRowProvenance(_ value: Value) -> Bool {
    switch value {
    case .number: return true
    case .quantity(_, let measure): return !measure.hasProvenance
    default: return false
    }
  }

  /// A path's last component, which names a loaded file's figures and platforms.
  static func fileName(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }

  /// Records with a `name` field become platforms, so `compare`, `rank` and `chart` treat them alike.
  /// `file` is the file the records were loaded from (see ``Shape/file``).
  static func platformsIfNamed(_ value: Value, file: String) -> Value {
    if case .record(var record) = value, case .string? = record["name"], record.kind == .plain {
      record.shape = Shape(keys: record.shape.keys, kind: .platform, file: file)
      return .record(record)
    }
    guard case .list(let items) = value else { return value }
    // The rows of a file share one shape: its platform form is made once, not once a row.
    var converted: (from: Shape, to: Shape)?
    return .list(
      items.map { item in
        guard case .record(var record) = item, case .string? = record["name"] else { return item }
        if let converted, converted.from === record.shape {
          record.shape = converted.to
        } else {
          let from = record.shape
          record.shape = Shape(keys: from.keys, kind: .platform, file: file)
          converted = (from, record.shape)
        }
        return .record(record)
      })
  }
}
