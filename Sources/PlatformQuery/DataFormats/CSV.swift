/// CSV (RFC 4180) reading and writing: wide and long forms, pq notation in cells, units from
/// headers and metric names, provenance columns.
extension DataFile {
  /// Splits CSV text into rows of (cell, byte offset), honouring quotes and doubled quotes.
  static func rows(_ source: Source) throws(PQError) -> [[(String, Int)]] {
    var reader = CSVRows(source)
    var rows: [[(String, Int)]] = []
    while let row = try reader.next() { rows.append(row) }
    return rows
  }

  /// Reads CSV text one row at a time, so that a large file's records are made as its rows are
  /// read instead of after all its cells are held at once.
  /// How a CSV file is written: RFC 4180 (comma, double quotes, doubled quotes) unless a data
  /// package's `dialect` or the file's extension (`.tsv`) says otherwise.
  struct Dialect: Equatable, Sendable {
    var delimiter = UInt8(ascii: ",")
    /// nil: no quoting (`quoteChar: ""`).
    var quote: UInt8? = UInt8(ascii: "\"")
    /// Whether a quote inside a quoted cell is written twice.
    var doubleQuote = true
    /// A character that makes the next one literal, inside and outside quotes.
    var escape: UInt8?
    /// Whether spaces after a delimiter are dropped.
    var skipInitialSpace = false
    /// Lines starting with this character are comments, skipped.
    var comment: UInt8?

    static let rfc4180 = Dialect()
    static let tabs = Dialect(delimiter: 0x09)
  }

  struct CSVRows {
    let source: Source
    let dialect: Dialect
    private var index = 0

    init(_ source: Source, dialect: Dialect = .rfc4180) {
      self.source = source
      self.dialect = dialect
    }

    /// The next row of (cell, byte offset), or nil at the end. A blank line is skipped; a line
    /// holding only `""` is a row with one empty cell.
    mutating func next() throws(PQError) -> [(String, Int)]? {
      var row: [(String, Int)] = []
      return try next(into: &row) ? row : nil
    }

    /// Reads the next row into `row` (its room kept from the row before), or returns false at
    /// the end. An unquoted cell is made from the file's bytes in place; only a cell with quotes
    /// is copied a byte at a time (its doubled quotes made one).
    mutating func next(into row: inout [(String, Int)]) throws(PQError) -> Bool {
      row.removeAll(keepingCapacity: true)
      // Over the bytes in place, with the position in a local: a byte costs a few instructions,
      // where the stored position and checked subscripts cost about fifty.
      let (found, end, unterminated) = source.bytes.withUnsafeBufferPointer { bytes in
        dialect == .rfc4180
          ? Self.scanRow(bytes, from: index, into: &row)
          : Self.scanRow(bytes, from: index, dialect: dialect, into: &row)
      }
      index = end
      if let unterminated {
        throw PQError(
          .runtime, "unterminated quoted cell", source: source,
          span: Span(start: unterminated, end: unterminated + 1))
      }
      return found
    }

    /// A cell's text: the bytes it copied (it had quotes), else its bytes in the file.
    private static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, copied: [UInt8]?)
      -> String
    {
      if let copied { return String(decoding: copied, as: UTF8.self) }
      return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// `scanRow` for another dialect: the delimiter, quote and escape characters as given,
    /// comment lines skipped, spaces after a delimiter dropped when asked. (The RFC 4180 reader
    /// below is the fast path every file without a dialect takes.)
    private static func scanRow(
      _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, dialect: Dialect, into row: inout [(String, Int)]
    ) -> (Bool, Int, Int?) {
      let count = bytes.count
      var index = start
      var cell: [UInt8] = []
      var cellStart = index
      var quoted = false
      var quoteStart = 0
      var rowHadQuote = false
      var atCellStart = true
      let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
      while index < count {
        let byte = bytes[index]
        if let comment = dialect.comment, row.isEmpty, cell.isEmpty, !quoted, index == cellStart,
          byte == comment,
          index == start || bytes[index - 1] == newline || bytes[index - 1] == carriageReturn
        {
          // A comment line: skipped to its end.
          while index < count, bytes[index] != newline, bytes[index] != carriageReturn { index += 1 }
          if index < count, bytes[index] == carriageReturn, index + 1 < count, bytes[index + 1] == newline {
            index += 1
          }
          index += 1
          cellStart = index
          continue
        }
        if let escape = dialect.escape, byte == escape, index + 1 < count {
          cell.append(bytes[index + 1])
          index += 2
          atCellStart = false
          continue
        }
        if quoted {
          if byte == dialect.quote {
            if dialect.doubleQuote, index + 1 < count, bytes[index + 1] == byte {
              cell.append(byte)
              index += 1
            } else {
              quoted = false
            }
          } else {
            cell.append(byte)
          }
        } else if byte == dialect.delimiter {
          row.append((String(decoding: cell, as: UTF8.self), cellStart))
          cell.removeAll(keepingCapacity: true)
          cellStart = index + 1
          atCellStart = true
          if dialect.skipInitialSpace {
            while cellStart < count, bytes[cellStart] == 0x20 { cellStart += 1 }
            index = cellStart
            continue
          }
        } else if byte == newline || byte == carriageReturn {
          row.append((String(decoding: cell, as: UTF8.self), cellStart))
          if byte == carriageReturn, index + 1 < count, bytes[index + 1] == newline { index += 1 }
          index += 1
          if !(row.count == 1 && row[0].0.isEmpty && !rowHadQuote) { return (true, index, nil) }
          rowHadQuote = false
          row.removeAll(keepingCapacity: true)
          cell.removeAll(keepingCapacity: true)
          cellStart = index
          atCellStart = true
          continue
        } else if byte == dialect.quote, atCellStart || cell.isEmpty {
          quoted = true
          rowHadQuote = true
          quoteStart = index
        } else {
          cell.append(byte)
        }
        atCellStart = false
        index += 1
      }
      if quoted { return (false, index, quoteStart) }
      if !cell.isEmpty || !row.isEmpty {
        row.append((String(decoding: cell, as: UTF8.self), cellStart))
        return (true, index, nil)
      }
      return (false, index, nil)
    }

    /// Reads one row from `start`: whether a row was found, where the next begins, and where an
    /// unterminated quote began. A blank line is skipped; a line holding only `""` is a row with
    /// one empty cell.
    private static func scanRow(
      _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, into row: inout [(String, Int)]
    )
      -> (Bool, Int, Int?)
    {
      let count = bytes.count
      var index = start
      var cell: [UInt8] = []
      // Whether the cell is being copied (it has had a quote); else it is bytes[cellStart..<index].
      var copying = false
      var cellStart = index
      var quoted = false
      var quoteStart = 0
      var rowHadQuote = false
      let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n")
      let carriageReturn = UInt8(ascii: "\r")
      // Not a nested function: one that captured `copying`, `cell` and `cellStart` would keep
      // them in boxes on the heap, a load and a store a byte.
      while index < count {
        let byte = bytes[index]
        if quoted {
          if byte == quote {
            if index + 1 < count, bytes[index + 1] == quote {
              cell.append(byte)
              index += 1
            } else {
              quoted = false
            }
          } else {
            cell.append(byte)
          }
        } else if byte == comma {
          row.append((Self.text(bytes, cellStart..<index, copied: copying ? cell : nil), cellStart))
          cell.removeAll(keepingCapacity: true)
          copying = false
          cellStart = index + 1
        } else if byte == newline || byte == carriageReturn {
          row.append((Self.text(bytes, cellStart..<index, copied: copying ? cell : nil), cellStart))
          if byte == carriageReturn, index + 1 < count, bytes[index + 1] == newline { index += 1 }
          index += 1
          if !(row.count == 1 && row[0].0.isEmpty && !rowHadQuote) { return (true, index, nil) }
          rowHadQuote = false
          row.removeAll(keepingCapacity: true)
          cell.removeAll(keepingCapacity: true)
          copying = false
          cellStart = index
          continue
        } else if byte == quote, copying ? cell.isEmpty : index == cellStart {
          quoted = true
          copying = true
          rowHadQuote = true
          quoteStart = index
        } else if copying {
          cell.append(byte)
        }
        index += 1
      }
      if quoted { return (false, index, quoteStart) }
      if (copying && !cell.isEmpty) || (!copying && index > cellStart) || !row.isEmpty {
        row.append((Self.text(bytes, cellStart..<index, copied: copying ? cell : nil), cellStart))
        return (true, index, nil)
      }
      return (false, index, nil)
    }
  }

  /// Reads a CSV file with a header row into records. Empty cells are nil; numbers may use pq
  /// notation; a column named after a metric (mau, revenue, …) or headed `name (unit)` gives
  /// its plain numbers that unit.
  static func readCSV(
    _ source: Source, package: DataPackage? = nil, dialect given: Dialect? = nil,
    decimalCommaColumns: Set<Int> = []
  ) throws(PQError) -> Value {
    var reader = CSVRows(source, dialect: package?.dialect ?? given ?? .rfc4180)
    let header: [(String, Int)]
    if let package, !package.header {
      // No header row: the schema's fields name the columns, in order.
      guard !package.orderedFields.isEmpty else {
        throw PQError(
          .runtime,
          "\(package.descriptorName) says this file has no header row, and its schema names no fields",
          source: source, span: Span(start: 0, end: 1),
          notes: ["list the columns as schema.fields, or set dialect.header to true"])
      }
      header = package.orderedFields.map { ($0.name, 0) }
    } else {
      guard let first = try reader.next() else { return .list([]) }
      header = first
    }
    var names: [String] = []
    var seenNames = Set<String>()
    var units: [Unit?] = []
    var unitInHeader: [Bool] = []
    for (title, offset) in header {
      var name = title.trimmingSpaces
      var unit: Unit? = Metric.named(name)?.unit
      var headed = name.hasSuffix(")") && name.lastIndex(of: "(") != nil
      // A unit the data package gives for the column counts as written in the header.
      if !headed, let packaged = package?.fields[name]?.unit {
        unit = packaged
        headed = true
      }
      if name.hasSuffix(")"), let open = name.lastIndex(of: "(") {
        let unitName = String(name[name.index(after: open)..<name.index(before: name.endIndex)])
        guard let parsed = Unit.parse(unitName) else {
          throw PQError(
            .runtime, "unknown unit '\(unitName)' in the header", source: source,
            span: Span(start: offset, end: offset + title.utf8.count), notes: [Unit.namingNote])
        }
        unit = parsed
        name = String(name[..<open]).trimmingSpaces
      }
      // A set, not a scan: a header of 100,000 columns was quadratic.
      if name.isEmpty || !seenNames.insert(name).inserted {
        throw PQError(
          .runtime, name.isEmpty ? "empty column name in the header" : "duplicate column '\(name)'",
          source: source, span: Span(start: offset, end: offset + max(1, title.utf8.count)))
      }
      names.append(name)
      units.append(unit)
      unitInHeader.append(headed)
    }
    // The fields a data package types: each read by its type, not by pq's notation. Every field
    // its schema lists must be a column (a column it does not list is read as pq reads any).
    var declared: [DataPackage.Field?] = Array(repeating: nil, count: names.count)
    if let package {
      for (index, name) in names.enumerated() {
        if let field = package.field(named: name),
          field.type != nil || field.missingValues != nil
            || field.constraints.required || field.constraints.unique
        {
          declared[index] = field
        }
      }
      for field in package.orderedFields where field.type != nil {
        let found = names.contains {
          $0 == field.name || (!package.caseSensitiveHeader && $0.lowercased() == field.name.lowercased())
        }
        guard found else {
          throw PQError(
            .runtime, "field '\(field.name)' of \(package.descriptorName) is not a column of this file",
            source: source,
            span: Span(start: 0, end: max(1, header.first?.0.utf8.count ?? 1)),
            notes: ["its columns: " + names.joined(separator: ", ")])
        }
      }
    }
    let primaryColumns = (package?.primaryKey ?? []).compactMap { key in
      names.firstIndex {
        $0 == key || (!(package?.caseSensitiveHeader ?? true) && $0.lowercased() == key.lowercased())
      }
    }
    var uniqueSeen: [Int: Set<String>] = [:]
    var keysSeen = Set<[String]>()
    let missingValues = package?.missingValues ?? [""]
    // The usual headers of downloaded tables read as pq's: `platform` as `name`; `date`,
    // `year` or `month` as `period` (the first of them, when the file has no `name` or `period`
    // of its own).
    if !names.contains("name"), let index = names.firstIndex(of: "platform") { names[index] = "name" }
    if !names.contains("period"),
      let index = names.firstIndex(where: { ["date", "year", "month"].contains($0) })
    {
      names[index] = "period"
    }
    // Periods as columns (`name, 2022, 2023, 2024`): one figure a cell, its period the header,
    // its metric the one `load(…, metric:)` names ("value" without one).
    let periodColumns = names.indices.filter { index in
      names[index] != "name" && !csvProvenanceColumns.contains(names[index])
        && Period.parse(names[index]) != nil
        && names[index].first.map { $0.isNumber } == true
    }
    let metricOfPeriods = package?.metric ?? "value"
    if !periodColumns.isEmpty {
      guard names.contains("name") else {
        let offset = header[periodColumns[0]].1
        throw PQError(
          .runtime, "a file with periods as columns (\(names[periodColumns[0]]), …) needs a 'name' column",
          source: source, span: Span(start: offset, end: offset + names[periodColumns[0]].utf8.count),
          notes: ["head the column of platform names 'name' or 'platform'"])
      }
      if names.contains("period") {
        throw PQError(
          .runtime, "this file has periods as columns and a 'period' column too", source: source,
          span: Span(start: 0, end: 1), notes: ["keep one: the period of each figure is its column's header"])
      }
      let unit = package?.unit ?? Metric.named(metricOfPeriods)?.unit
      for index in periodColumns where !unitInHeader[index] {
        units[index] = unit
        unitInHeader[index] = package?.unit != nil
      }
    }
    var records: [Value] = []
    // Provenance columns (`source`, `period`, …) apply to the row's figures; a long-form file
    // (`name, metric, value`) has one figure a row, its metric named in a cell.
    // In order for reading (the first bad cell is the one reported), as a set for membership.
    let provenanceColumnList = names.indices.filter { csvProvenanceColumns.contains(names[$0]) }
    let provenanceColumns = Set(provenanceColumnList)
    let nameColumn = names.firstIndex(of: "name")
    let metricColumn = names.firstIndex(of: "metric")
    let valueColumn = names.firstIndex(of: "value")
    let unitColumn = names.firstIndex(of: "unit")
    let longForm = metricColumn != nil && valueColumn != nil
    var periods: [String: Period] = [:]
    let shape = Shape(keys: names)
    // A row with a name stands for a platform (as `platformsIfNamed` makes it): its shape is
    // chosen as the row is made, not by a second pass over the rows.
    let platformShape = Shape(keys: names, kind: .platform, file: fileName(source.name))
    var origins = OriginCache(file: fileName(source.name))
    var rowNumber = -1
    // Per column: whether it holds a number, and its first cell of text that is not one (with
    // where it is): a column of numbers with `20 million` in one row is an error at that cell,
    // not a text field that fails far away in `rank` or `sum`.
    // What each column is, decided once: a cell asks an array, not a set.
    let isTextColumn = names.indices.map { index in
      provenanceColumns.contains(index) || index == unitColumn || index == metricColumn || index == nameColumn
    }
    let marginColumns = provenanceColumnList.filter { names[$0] == "margin" || names[$0] == "confidence" }
    // Rows share a few provenances: a row's origin (and the figure origins made from it) is read
    // once for each distinct set of provenance cells — the row before's first, then a table —
    // not rebuilt key by key for every row.
    let originColumns = provenanceColumnList.filter { !marginColumns.contains($0) }
    var lastCells: [String]?
    var lastProvenance = RowProvenance(origin: RowOrigin())
    var provenanceByCells: [[String]: RowProvenance] = [:]
    var holdsNumbers = [Bool](repeating: false, count: names.count)
    var firstText: [(text: String, offset: Int)?] = Array(repeating: nil, count: names.count)
    var markers: [(row: Int, column: Int)] = []
    var row: [(String, Int)] = []
    while try reader.next(into: &row) {
      rowNumber += 1
      guard row.count == names.count else {
        let offset = row.first?.1 ?? 0
        throw PQError(
          .runtime, "this row has \(plural(row.count, "cell")), but the header has \(names.count)",
          source: source,
          span: Span(start: offset, end: offset + 1))
      }
      // The row's values in the header's order (its names are the shape's).
      var values: [Value] = []
      values.reserveCapacity(names.count)
      let metric = metricColumn.map { row[$0].0.trimmingSpaces } ?? ""
      for (column, (text, offset)) in row.enumerated() {
        var unit = units[column]
        var headed = unitInHeader[column]
        if longForm, column == valueColumn {
          // The row's own unit cell, else the metric's unit.
          if let unitColumn, !row[unitColumn].0.trimmingSpaces.isEmpty {
            let name = row[unitColumn].0.trimmingSpaces
            guard let parsed = Unit.parse(name) else {
              throw PQError(
                .runtime, "unknown unit '\(name)'", source: source,
                span: Span(
                  start: row[unitColumn].1, end: row[unitColumn].1 + max(1, row[unitColumn].0.utf8.count)),
                notes: [Unit.namingNote])
            }
            unit = parsed
            headed = true
          } else {
            unit = Metric.named(metric)?.unit
          }
        }
        if let field = declared[column], let package {
          let value = try field.read(
            text, missing: missingValues, unit: unit, headed: headed, source: source, offset: offset,
            descriptor: package.descriptorName)
          if field.constraints.unique, !value.isNilValue,
            !uniqueSeen[column, default: []].insert(text).inserted
          {
            throw PQError(
              .runtime,
              "'\(text)' appears twice in field '\(field.name)', which \(package.descriptorName) says is unique",
              source: source, span: Span(start: offset, end: offset + max(1, text.utf8.count)))
          }
          values.append(value)
          continue
        }
        if missingValues.count > 1 || missingValues.first != "", missingValues.contains(text) {
          values.append(.nil)
          continue
        }
        let trimmed = isTextColumn[column] ? text.trimmingSpaces : ""
        values.append(
          isTextColumn[column]
            ? (trimmed.isEmpty ? .nil : .string(trimmed))
            : try cell(
              decimalCommaColumns.contains(column) ? Self.decimalCommaRead(text) : text, unit: unit,
              headed: headed,
              column: longForm && column == valueColumn ? metric : names[column],
              source: source, offset: offset))
      }
      if !primaryColumns.isEmpty, let package {
        let key = primaryColumns.map { row[$0].0 }
        if let empty = primaryColumns.first(where: { values[$0].isNilValue }) {
          throw PQError(
            .runtime,
            "this row has no '\(names[empty])', part of the primary key of \(package.descriptorName)",
            source: source, span: Span(start: row[empty].1, end: row[empty].1 + 1))
        }
        guard keysSeen.insert(key).inserted else {
          let offset = row[primaryColumns[0]].1
          throw PQError(
            .runtime,
            "a second row with the primary key \(key.joined(separator: ", ")) (\(package.primaryKey.joined(separator: ", ")) in \(package.descriptorName))",
            source: source, span: Span(start: offset, end: offset + max(1, key[0].utf8.count)))
        }
      }
      for (column, value) in values.enumerated() where !isTextColumn[column] && declared[column] == nil {
        switch value {
        case .number, .quantity: holdsNumbers[column] = true
        case .string(let text) where DataFile.missingMarkers.contains(text):
          // `NA`, `n/a`, `-`: no figure, in a column of numbers (made empty below).
          markers.append((rowNumber, column))
        case .string(let text) where firstText[column] == nil: firstText[column] = (text, row[column].1)
        default: break
        }
      }
      if !periodColumns.isEmpty {
        try appendPeriodRows(
          values: values, row: row, rowNumber: rowNumber, names: names, periodColumns: periodColumns,
          header: header, metric: metricOfPeriods, provenanceColumns: provenanceColumnList, package: package,
          source: source, periods: &periods, origins: &origins, into: &records)
        continue
      }
      if !provenanceColumns.isEmpty || package != nil {
        let name = nameColumn.map { row[$0].0.trimmingSpaces } ?? "row \(rowNumber + 1)"
        func given(_ columns: [Int]) -> [String: (String, Int)] {
          var given: [String: (String, Int)] = [:]
          for column in columns where !row[column].0.trimmingSpaces.isEmpty {
            given[names[column]] = (row[column].0.trimmingSpaces, row[column].1)
          }
          package?.supply(&given)
          return given
        }
        let cells = originColumns.map { row[$0].0.trimmingSpaces }
        let provenance: RowProvenance
        if cells == lastCells {
          provenance = lastProvenance
        } else {
          if let table = provenanceByCells[cells] {
            provenance = table
          } else {
            provenance = RowProvenance(
              origin: try rowOrigin(given: given(originColumns), source: source, periods: &periods))
            if provenanceByCells.count < OriginCache.limit { provenanceByCells[cells] = provenance }
          }
          lastCells = cells
          lastProvenance = provenance
        }
        func isFigureColumn(_ index: Int) -> Bool {
          guard !isTextColumn[index] else { return false }
          switch values[index] {
          case .number, .quantity: return true
          default: return false
          }
        }
        // Only a row with a margin or confidence cell lists its figures for `rowMargin` (most
        // rows have none: no list is made for them).
        var margin: Margin?
        if marginColumns.contains(where: { !row[$0].0.trimmingSpaces.isEmpty }) {
          margin = try rowMargin(
            given: given(provenanceColumnList),
            figures: values.indices.filter(isFigureColumn).map { (names[$0], values[$0]) }, source: source)
        }
        for index in values.indices where isFigureColumn(index) {
          let unit = values[index].unit
          let field = longForm && index == valueColumn ? metric : names[index]
          // …and each field's description, its definition.
          let shared = figureOrigin(
            provenance.origin, definition: package?.fields[field]?.description ?? package?.definition,
            cache: &origins, made: &provenance.made)
          // A range cell (`600K..700K`) carries its own margin.
          values[index] = rowFigure(
            values[index].numericValue ?? 0, unit, name: name, field: field, origin: shared, row: rowNumber,
            margin: Margin.of(values[index]) ?? margin)
        }
      }
      // Every row has the header's columns: one shape for the whole file.
      var named = false
      if let nameColumn, case .string = values[nameColumn] { named = true }
      records.append(.record(Record(shape: named ? platformShape : shape, values: values)))
    }
    // A marker of no figure (`NA`, `-`) in a column of numbers is an empty cell, as pandas
    // reads it; in a column of text it stays text.
    for (row, column) in markers where holdsNumbers[column] {
      guard case .record(var record) = records[row] else { continue }
      records[row] = .nil
      record.values[column] = .nil
      records[row] = .record(record)
    }
    for column in names.indices where holdsNumbers[column] {
      guard let (text, offset) = firstText[column] else { continue }
      throw PQError(
        .runtime, "'\(text)' in column '\(names[column])' is not a number, and the column's other cells are",
        source: source, span: Span(start: offset, end: offset + max(1, text.utf8.count)),
        notes: [
          "write numbers as pq reads them: 20M, 1.5B, 20,000,000, 57%, $2.6M; leave a cell empty when there is no figure"
        ]
          // A quirk of an export, said as such: a decimal comma in a comma-separated file.
          + (decimalCommaNumber(text).map { $0 != text && Literal.parse($0) != nil } == true
            ? [
              "'\(text)' looks like a number with a decimal comma: pq reads those in semicolon-separated files, or where a datapackage.json gives the field \"decimalChar\": \",\""
            ] : []))
    }
    return periodColumns.isEmpty
      ? .list(records) : platformsIfNamed(.list(records), file: fileName(source.name))
  }

  /// A number written with a decimal comma as pq notation: `1.234,5` is `1234.5`, `40,5%` is
  /// `40.5%`, `1.234` is `1234` (a dot groups thousands); nil for text that is not such a number.
  static func decimalCommaNumber(_ text: String) -> String? {
    let trimmed = text.trimmingSpaces
    var body = Substring(trimmed)
    var prefix = ""
    var suffix = ""
    if body.hasPrefix("-") {
      prefix = "-"
      body = body.dropFirst()
    }
    if body.hasPrefix("$") {
      prefix += "$"
      body = body.dropFirst()
    }
    if body.hasSuffix("%") {
      suffix = "%"
      body = body.dropLast()
    }
    body = Substring(body.trimmingSpaces)
    let parts = body.split(separator: ",", omittingEmptySubsequences: false)
    guard parts.count <= 2, let whole = parts.first, !whole.isEmpty else { return nil }
    let groups = whole.split(separator: ".", omittingEmptySubsequences: false)
    guard groups.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
      groups.dropFirst().allSatisfy({ $0.count == 3 }), groups[0].count <= (groups.count > 1 ? 3 : 15)
    else { return nil }
    var out = prefix + groups.joined()
    if parts.count == 2 {
      guard !parts[1].isEmpty, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
      out += "." + parts[1]
    }
    return out + suffix
  }

  /// A cell of a column read with decimal commas, as pq notation (text that is no such number
  /// unchanged: it is then read, or refused, as any cell).
  static func decimalCommaRead(_ text: String) -> String { decimalCommaNumber(text) ?? text }

  /// The columns of a semicolon-separated export that write decimal commas: every number-like
  /// cell reads as one, and at least one cannot be read otherwise (`2,5`, `1.234,5`). A column
  /// whose separators could be read either way (`1,000` or `1.234` alone: one, or a thousand) is
  /// refused at its first such cell rather than guessed.
  static func decimalCommaColumns(_ source: Source, dialect: Dialect) throws(PQError) -> (Set<Int>, [String])
  {
    var reader = CSVRows(source, dialect: dialect)
    guard let header = try reader.next() else { return ([], []) }
    var sure = Set<Int>()
    var against = Set<Int>()
    var ambiguous: [Int: (String, Int)] = [:]
    var row: [(String, Int)] = []
    while try reader.next(into: &row) {
      for (column, (text, offset)) in row.enumerated() where column < header.count {
        let cell = text.trimmingSpaces
        guard cell.contains(",") || cell.contains(".") else { continue }
        guard let read = decimalCommaNumber(cell) else {
          // A number only pq's own notation reads (`1,234.5`, `2.5`): not a decimal-comma column.
          if Literal.parse(cell) != nil { against.insert(column) }
          continue
        }
        let commaDigits = cell.split(separator: ",").dropFirst().first.map { $0.filter(\.isNumber).count }
        let either =
          (cell.contains(",") && !cell.contains(".") && commaDigits == 3)
          || (!cell.contains(",") && Literal.parse(cell) != nil)
        if either {
          if ambiguous[column] == nil { ambiguous[column] = (cell, offset) }
        } else if read != cell {
          sure.insert(column)
        }
      }
    }
    let decided = sure.subtracting(against)
    for (column, (text, offset)) in ambiguous.sorted(by: { $0.key < $1.key })
    where !decided.contains(column) && !against.contains(column) {
      throw PQError(
        .runtime,
        "'\(text)' in column '\(header[column].0.trimmingSpaces)' could be read with a decimal comma, as semicolon files write numbers, or not: pq does not guess",
        source: source, span: Span(start: offset, end: offset + max(1, text.utf8.count)),
        notes: [
          "write the numbers without separators, or describe the column in a datapackage.json with \"decimalChar\" and \"groupChar\""
        ])
    }
    return (decided, decided.sorted().map { header[$0].0.trimmingSpaces })
  }

  /// The delimiter of a `.csv` file without a descriptor whose header has no comma but has
  /// semicolons or tabs (spreadsheets in much of Europe write `;`), or nil for a comma.
  static func sniffedDelimiter(_ bytes: [UInt8]) -> UInt8? {
    let header = bytes.prefix { $0 != 0x0A && $0 != 0x0D }
    guard !header.contains(UInt8(ascii: ",")) else { return nil }
    if header.contains(UInt8(ascii: ";")) { return UInt8(ascii: ";") }
    if header.contains(0x09) { return 0x09 }
    return nil
  }

  /// Cells that mean "no figure" in a column of numbers, as spreadsheets and statistics
  /// packages write it; read as empty cells (docs/data.md, "Files").
  static let missingMarkers: Set<String> = [
    "NA", "N/A", "n/a", "na", "NaN", "nan", "null", "NULL", "-", "–", "—",
  ]

  /// The records of one row of a file with periods as columns: one a cell with a figure,
  /// `{name, period, <metric>, …the row's other columns}`, the figure's period its column's
  /// header and its provenance the row's cells and what `load` was told.
  static func appendPeriodRows(
    values cells: [Value], row: [(String, Int)], rowNumber: Int, names: [String], periodColumns: [Int],
    header: [(String, Int)], metric: String, provenanceColumns: [Int], package: DataPackage?, source: Source,
    periods: inout [String: Period], origins: inout OriginCache, into records: inout [Value]
  ) throws(PQError) {
    guard let nameColumn = names.firstIndex(of: "name") else { return }
    let name = row[nameColumn].0.trimmingSpaces
    var given: [String: (String, Int)] = [:]
    for column in provenanceColumns where !row[column].0.trimmingSpaces.isEmpty {
      given[names[column]] = (row[column].0.trimmingSpaces, row[column].1)
    }
    package?.supply(&given)
    let others = names.indices.filter { !periodColumns.contains($0) && $0 != nameColumn }
    let shape = Shape(keys: ["name", "period", metric] + others.map { names[$0] })
    for column in periodColumns {
      let cell = cells[column]
      guard let number = cell.numericValue else {
        if case .nil = cell { continue }
        let (text, offset) = row[column]
        throw PQError(
          .runtime, "'\(text.trimmingSpaces)' under \(names[column]) is not a number", source: source,
          span: Span(start: offset, end: offset + max(1, text.utf8.count)),
          notes: [
            "numbers may be written 70.4M, $2B, 57% or 1,000; leave the cell empty when there is no figure"
          ])
      }
      var cellGiven = given
      cellGiven["period"] = (names[column], header[column].1)
      let origin = try rowOrigin(given: cellGiven, source: source, periods: &periods)
      var made: [(String, Figure.Origin)] = []
      let shared = figureOrigin(
        origin, definition: package?.fields[metric]?.description ?? package?.definition, cache: &origins,
        made: &made)
      let figure = rowFigure(
        number, cell.unit, name: name, field: metric, origin: shared, row: records.count,
        margin: Margin.of(cell))
      var values: [Value] = [.string(name), .string(names[column]), figure]
      for index in others { values.append(cells[index]) }
      records.append(.record(Record(shape: shape, values: values)))
    }
  }

  /// What a row's provenance cells say, read once for all the row's figures.
  struct RowOrigin: Hashable {
    var publisher = ""
    var period = "not given"
    var periodGiven = false
    var span: Period?
    var status = Figure.Status.reported
    var definition: String?
    var quote = ""
    /// The words that state the number (JSON figure objects have them; CSV rows do not).
    var statedAs = ""
    var approximation: String?
    var producer: String?
    var url: String?
    var published: String?
    var accessed: String?
    var note: String?
    var license: String?
    var dataset: String?

    /// Sets the fields both formats read the same way from their columns or members (`source`,
    /// `period` or `period_note`, `quote`, `approximate`, `producer`, `url`, `published`,
    /// `accessed`, `note`); the period's span, the status and the definition each reader sets
    /// itself.
    mutating func readTexts(_ text: (String) -> String?) {
      publisher = text("source") ?? ""
      period = text("period") ?? text("period_note") ?? "not given"
      quote = text("quote") ?? ""
      approximation = text("approximate")
      producer = text("producer")
      url = text("url")
      published = text("published")
      accessed = text("accessed")
      license = text("license")
      dataset = text("dataset")
      note = text("note")
    }
  }

  /// Reads a row's provenance cells; a period or status that cannot be read is an error at its cell.
  static func rowOrigin(given: [String: (String, Int)], source: Source, periods: inout [String: Period])
    throws(PQError) -> RowOrigin
  {
    func text(_ key: String) -> String? { given[key]?.0 }
    var origin = RowOrigin()
    if let (period, offset) = given["period"] {
      // Rows share a few periods: each text is read once.
      if let known = periods[period] {
        origin.span = known
      } else {
        origin.span = Period.parse(period)
        if let span = origin.span { periods[period] = span }
      }
      guard origin.span != nil else {
        throw PQError(
          .runtime, "'\(period)' in column 'period' is not a period", source: source,
          span: Span(start: offset, end: offset + period.utf8.count),
          notes: ["periods are written " + Period.acceptedForms])
      }
      origin.periodGiven = true
    }
    if let (word, offset) = given["status"] {
      guard let known = Figure.Status.read(word) else {
        throw PQError(
          .runtime, "'\(word)' in column 'status' is not a status", source: source,
          span: Span(start: offset, end: offset + word.utf8.count),
          notes: ["statuses: " + Figure.Status.acceptedWords])
      }
      origin.status = known
    }
    origin.readTexts(text)
    origin.definition = text("definition")
    return origin
  }

  /// A row's origin as its provenance cells say it, with the figure origins made from it (one
  /// per definition), kept for the rows that have the same cells.
  /// A class: rows share it, and a struct of fourteen fields would be copied for every row.
  final class RowProvenance {
    let origin: RowOrigin
    var made: [(String, Figure.Origin)] = []
    init(origin: RowOrigin) { self.origin = origin }
  }

  /// The origins made for one file's figures. Rows share a few distinct provenances (sources ×
  /// periods), so one origin serves every row that says the same (up to `limit` distinct ones;
  /// beyond that each row has its own, as a file of unique notes would need anyway).
  struct OriginCache {
    /// The file's last path component, which labels its figures (`wide.csv[3].mau`).
    let file: String
    var known: [RowOrigin: Figure.Origin] = [:]
    static let limit = 4096

    init(file: String) { self.file = file }

    /// The one origin for these provenance fields (the definition already decided).
    mutating func origin(_ key: RowOrigin) -> Figure.Origin {
      if let known = known[key] { return known }
      let made = Figure.Origin(
        publisher: key.publisher, period: key.period, definition: key.definition ?? "", quote: key.quote,
        statedAs: key.statedAs, approximation: key.approximation, periodGiven: key.periodGiven,
        span: key.span,
        producer: key.producer, status: key.status, url: key.url, published: key.published,
        accessed: key.accessed, note: key.note, license: key.license,
        dataset: key.dataset, file: file)
      if known.count < OriginCache.limit { known[key] = made }
      return made
    }
  }

  /// The shared origin of a row's figures; one per distinct definition (a data package may
  /// describe each field differently), kept in `made` for the row and in `cache` for the file.
  static func figureOrigin(
    _ origin: RowOrigin, definition: String?, cache: inout OriginCache, made: inout [(String, Figure.Origin)]
  ) -> Figure.Origin {
    let text = origin.definition ?? definition ?? ""
    if let shared = made.first(where: { $0.0 == text }) { return shared.1 }
    var key = origin
    key.definition = text
    let shared = cache.origin(key)
    made.append((text, shared))
    return shared
  }

  /// One figure of a row, labelled as the user reaches it: `pew.csv[0].news_share` (the file's
  /// name is the origin's).
  static func rowFigure(
    _ number: Double, _ unit: Unit, name: String, field: String, origin: Figure.Origin, row: Int,
    margin: Margin? = nil
  )
    -> Value
  {
    Dataset.figureValue(
      Figure(
        platform: name, field: field, row: row, value: number, unit: unit, margin: margin, origin: origin))
  }

  /// The margin of error a row's `margin` and `confidence` cells give its one figure, read as
  /// `value ± margin` reads it (a percentage's margin in points: `3pp`); nil without a margin
  /// cell. A margin is one figure's: a row of several figures with one is an error at the cell,
  /// as is a confidence without a margin.
  static func rowMargin(given: [String: (String, Int)], figures: [(String, Value)], source: Source)
    throws(PQError) -> Margin?
  {
    func failure(_ key: String, _ message: String, notes: [String] = []) -> PQError {
      let (text, offset) = given[key] ?? ("", 0)
      return PQError(
        .runtime, message, source: source, span: Span(start: offset, end: offset + max(1, text.utf8.count)),
        notes: notes)
    }
    guard let (text, _) = given["margin"] else {
      if given["confidence"] != nil {
        throw failure("confidence", "a confidence goes with a margin, and this row's margin cell is empty")
      }
      return nil
    }
    guard figures.count == 1, let (column, value) = figures.first else {
      throw failure(
        "margin",
        figures.isEmpty
          ? "this row has a margin of error but no figure"
          : "a margin column gives one figure's margin, and this row has \(figures.count) (\(figures.map(\.0).joined(separator: ", ")))",
        notes: ["write one figure a row: name, metric, value, margin, confidence"])
    }
    guard let width = Literal.parse(text) else {
      throw failure(
        "margin", "'\(text)' in column 'margin' is not a number", notes: ["write it as 3pp, 2M or 1,000"])
    }
    var confidence: Double?
    if let (level, _) = given["confidence"] {
      guard let read = Literal.parse(level), let fraction = read.numericValue,
        read.unit.isNone || read.isPercent, fraction > 0, fraction < 1
      else {
        throw failure("confidence", "'\(level)' in column 'confidence' is not a confidence such as 95%")
      }
      confidence = fraction
    }
    do {
      return Margin.of(try Margin.attach(width, to: value, confidence: confidence))
    } catch {
      throw failure("margin", "\(column)'s margin: " + error.message, notes: error.notes)
    }
  }

  /// One cell. `headed` says the unit was written in the header (`share (%)`), which is the only
  /// way a bare number in a percent column is read as a percentage: `57` under `news_share` could
  /// be 57% or 0.57 as a fraction, so it is an error rather than a guess.
  /// The two ends of a range cell (`600K..700K`, `$1M..$2M`, `55%..61%`): text that starts as
  /// a number does and has `..` once between two non-empty ends; nil for any other text.
  static func intervalEnds(_ text: String) -> (String, String)? {
    // Most cells have no `..`: found without copying the text (this runs for every cell).
    var previousDot = false
    var hasDots = false
    for byte in text.utf8 {
      let dot = byte == UInt8(ascii: ".")
      if dot, previousDot {
        hasDots = true
        break
      }
      previousDot = dot
    }
    guard hasDots else { return nil }
    let bytes = Array(text.utf8)
    guard let first = bytes.first,
      (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) || first == UInt8(ascii: "$")
        || first == UInt8(ascii: "-")
    else { return nil }
    var found: Int?
    var index = 0
    while index + 1 < bytes.count {
      if bytes[index] == UInt8(ascii: "."), bytes[index + 1] == UInt8(ascii: ".") {
        guard found == nil else { return nil }
        found = index
        index += 2
        continue
      }
      index += 1
    }
    guard let found, found > 0, found + 2 < bytes.count else { return nil }
    return (
      String(decoding: bytes[..<found], as: UTF8.self), String(decoding: bytes[(found + 2)...], as: UTF8.self)
    )
  }

  static func cell(
    _ raw: String, unit: Unit?, headed: Bool = false, column: String, source: Source, offset: Int
  ) throws(PQError) -> Value {
    let text = raw.trimmingSpaces
    if text.isEmpty { return .nil }
    // Most cells are one plain number (`70.4M`, `$2B`, `57%`): read in one pass over the bytes,
    // which no range, code or word passes.
    if let number = Literal.parseSimple(text) {
      return try fitted(
        number, text: text, raw: raw, unit: unit, headed: headed, column: column, source: source,
        offset: offset)
    }
    if text == "true" { return .bool(true) }
    if text == "false" { return .bool(false) }
    // A range a source states (`600K..700K`): its midpoint, with half its width as the margin.
    if let (low, high) = intervalEnds(text) {
      let lowValue = try cell(low, unit: unit, headed: headed, column: column, source: source, offset: offset)
      let highValue = try cell(
        high, unit: unit, headed: headed, column: column, source: source, offset: offset)
      do throws(PQError) {
        return try Margin.interval(lowValue, highValue)
      } catch {
        throw PQError(
          .runtime, "'\(text)' in column '\(column)': " + error.message, source: source,
          span: Span(start: offset, end: offset + raw.utf8.count), notes: error.notes)
      }
    }
    // A code with a leading zero (a ZIP code, `08123`) is text, not the number 8123.
    guard !Literal.looksLikeCode(text), let number = Literal.parse(text) else {
      if unit != nil {
        throw PQError(
          .runtime, "'\(text)' in column '\(column)' is not a number", source: source,
          span: Span(start: offset, end: offset + raw.utf8.count),
          notes: ["numbers may be written 70.4M, $2B, 57% or 1,000"])
      }
      return .string(text)
    }
    return try fitted(
      number, text: text, raw: raw, unit: unit, headed: headed, column: column, source: source, offset: offset
    )
  }

  /// A number read from a cell, given its column's unit: a bare number takes it (a percentage
  /// only when the header says so), a number with another unit is an error at the cell.
  static func fitted(
    _ number: Value, text: String, raw: String, unit: Unit?, headed: Bool, column: String, source: Source,
    offset: Int
  ) throws(PQError) -> Value {
    guard let unit, let value = number.numericValue else { return number }
    if number.unit.isNone {
      if unit.shownFactor != 1 {
        let symbol = unit.scale == .percent ? "%" : "pp"
        guard headed else {
          throw PQError(
            .runtime, "'\(text)' in column '\(column)' has no \(symbol) sign, so its scale is unclear",
            source: source, span: Span(start: offset, end: offset + raw.utf8.count),
            notes: [
              "write \(text)\(symbol) in the cell, or head the column '\(column) (\(symbol))' to read bare numbers as \(unit)"
            ])
        }
        // Read as if the cell had the sign: the decimal scaled before it is rounded.
        let exact = Literal.parse(text + symbol)?.numericValue ?? value / unit.shownFactor
        return Value.make(exact, unit, nil)
      }
      return Value.make(value, unit, nil)
    }
    guard number.unit == unit else {
      throw PQError(
        .runtime, "'\(text)' is in \(number.unit), but column '\(column)' holds \(unit)", source: source,
        span: Span(start: offset, end: offset + raw.utf8.count))
    }
    return number
  }

  /// Writes records as CSV: a header from the union of keys, units in the header where a column
  /// is not a known metric, numbers in full precision.
  /// The provenance columns a CSV file may have, read into each figure of the row: the fields
  /// of `figure()`, plus `period_note` (the words for a period that is not given) and
  /// `approximate` (the word that marks an approximate figure, as "roughly").
  static let csvProvenanceColumns =
    Builtins.provenanceFields + ["period_note", "approximate", "margin", "confidence"]

  /// A figure's provenance as the cells of the CSV provenance columns.
  static func provenanceCells(_ figure: Figure) -> [String: String] {
    var cells: [String: String] = [:]
    cells["source"] = figure.publisher
    cells["producer"] = figure.producer
    if figure.periodGiven {
      cells["period"] = figure.period
    } else if figure.period != "not given" {
      cells["period_note"] = figure.period
    }
    cells["definition"] = figure.definition
    if figure.status != .reported { cells["status"] = figure.status.rawValue }
    cells["url"] = figure.url
    cells["published"] = figure.published
    cells["accessed"] = figure.accessed
    cells["license"] = figure.license
    cells["dataset"] = figure.dataset
    cells["quote"] = figure.quote
    cells["note"] = figure.note
    cells["approximate"] = figure.approximation
    if let margin = figure.margin { cells.merge(marginCells(margin, unit: figure.unit)) { $1 } }
    return cells.filter { !$0.value.isEmpty }
  }

  /// A margin of error as the cells of the `margin` and `confidence` columns: `3pp` for a
  /// percentage's, `95%`.
  static func marginCells(_ margin: Margin, unit: Unit) -> [String: String] {
    let marginUnit = Margin.unit(for: unit)
    var cells = ["margin": cellText(Value.make(margin.halfWidth, marginUnit, nil))]
    if let confidence = margin.confidence {
      cells["confidence"] = cellText(Value.make(confidence, .percent, nil))
    }
    return cells
  }

  /// Writes records as CSV: a header from the union of keys, units in the header where a column
  /// is not a known metric, numbers as pq writes them, and the provenance of each row's figures
  /// in provenance columns. What the wide form cannot hold is an error, never a silent loss: a
  /// row whose figures have different sources or periods, or a value computed from figures.
  static func writeCSV(_ items: [Value], lineEnding: String = "\n") throws(PQError) -> String {
    var columns: [String] = []
    var seen = Set<String>()
    for item in items {
      guard case .record(let record) = item else { continue }
      for key in record.keys where seen.insert(key).inserted { columns.append(key) }
    }
    var units: [String: Unit] = [:]
    var rowProvenance: [[String: String]] = []
    var rowRanges: [Set<String>] = []
    for (index, item) in items.enumerated() {
      guard case .record(let record) = item else { continue }
      var shared: [String: String]?
      var uncertain: [String] = []
      var ranges: Set<String> = []
      let hasOwnColumns = record.keys.contains { csvProvenanceColumns.contains($0) }
      // A row with provenance columns of its own, as loaded, keeps its `margin` cell.
      let ownMargin = hasOwnColumns && record["margin"] != nil
      for (column, value) in record.pairs {
        if value.numericValue != nil, !value.unit.isNone { units[column] = value.unit }
        // A margin without a stated confidence is written as the range it describes
        // (`600K..700K`), in its own cell; one with a confidence needs the margin columns.
        if let margin = Margin.of(value), !ownMargin {
          if margin.confidence == nil { ranges.insert(column) } else { uncertain.append(column) }
        }
        // A margin has a column only beside the one figure it belongs to.
        if !uncertain.isEmpty, !ownMargin,
          hasOwnColumns || record.pairs.filter({ $0.1.numericValue != nil }).count > 1
        {
          throw PQError(
            .runtime,
            "a CSV row holds one margin of error, for one figure, and \(record["name"]?.text ?? "row \(index + 1)")'s \(uncertain[0]) has one beside other figures",
            notes: [
              "save as .json, which keeps every figure's margin, or as one figure a row (name, metric, value)"
            ])
        }
        guard let provenance = value.provenance, !hasOwnColumns else {
          // A number typed with a margin and a confidence: no source, but its margin is kept.
          if let margin = Margin.of(value), !ranges.contains(column), !ownMargin {
            shared = marginCells(margin, unit: value.unit)
          }
          continue
        }
        let label = record["name"].map { "\($0.text)'s \(column)" } ?? "row \(index + 1)'s \(column)"
        guard provenance.figureList.count == 1, provenance.expression == provenance.figureList[0].label else {
          throw PQError(
            .runtime,
            "a CSV file cannot hold where \(label) came from: it is computed (\(provenance.expression))",
            notes: ["save as .json, which keeps every input's source, or keep value(…) only, on purpose"])
        }
        var cells = provenanceCells(provenance.figureList[0])
        if ranges.contains(column) || ownMargin {
          cells["margin"] = nil
          cells["confidence"] = nil
        }
        if let shared, shared != cells {
          throw PQError(
            .runtime,
            "a CSV row holds one set of sources, and \(record["name"]?.text ?? "row \(index + 1)")'s figures have different ones",
            notes: [
              "save as .json, which keeps every figure's source, or as one figure a row (name, metric, value)"
            ])
        }
        shared = cells
      }
      rowProvenance.append(shared ?? [:])
      rowRanges.append(ranges)
    }
    let extra = csvProvenanceColumns.filter { key in
      !columns.contains(key) && rowProvenance.contains { $0[key] != nil }
    }
    var lines: [String] = []
    lines.append(
      (columns.map { column in
        if let unit = units[column], Metric.named(column)?.unit != unit, !unit.isMoney, unit.scale == .none {
          return escape("\(column) (\(unit))")
        }
        return escape(column)
      } + extra).joined(separator: ","))
    var row = 0
    for item in items {
      guard case .record(let record) = item else { continue }
      let cells =
        columns.map { column in
          let value = record[column] ?? .nil
          if rowRanges[row].contains(column), let margin = Margin.of(value) {
            return escape(rangeText(value, margin))
          }
          return escape(cellText(value))
        }
        + extra.map { escape(rowProvenance[row][$0] ?? "") }
      // A row of one empty cell is written `""`, or it would read back as a blank line.
      lines.append(cells == [""] ? "\"\"" : cells.joined(separator: ","))
      row += 1
    }
    return lines.joined(separator: lineEnding) + lineEnding
  }

  /// A number with a margin as the range it describes: `600000..700000`, `56%..62%`.
  static func rangeText(_ value: Value, _ margin: Margin) -> String {
    let number = value.numericValue ?? 0
    let low = (try? Arithmetic.plain(.subtract, number, margin.halfWidth)) ?? number - margin.halfWidth
    let high = (try? Arithmetic.plain(.add, number, margin.halfWidth)) ?? number + margin.halfWidth
    return cellText(Value.make(low, value.unit, nil)) + ".." + cellText(Value.make(high, value.unit, nil))
  }

  static func cellText(_ value: Value) -> String {
    switch value {
    case .nil: return ""
    case .string(let text): return text
    case .number(let n): return NumberFormat.written(n)
    case .quantity(let n, let measure):
      if measure.unit.isMoney { return (n < 0 ? "-$" : "$") + NumberFormat.written(abs(n)) }
      if measure.unit.factors.isEmpty {
        switch measure.unit.scale {
        case .percent: return NumberFormat.written(n, shift: 2) + "%"
        case .points: return NumberFormat.written(n, shift: 2) + "pp"
        case .none: break
        }
      }
      return NumberFormat.written(n)
    default: return value.inline
    }
  }

  /// A cell as RFC 4180 writes it: quoted, with quotes doubled, when it holds a comma, a quote
  /// or a line break. Decided byte by byte, because a quote followed by a combining mark is
  /// one Character that is not `"` but still a quote to a CSV reader.
  static func escape(_ text: String) -> String {
    let special: (UInt8) -> Bool = {
      $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n")
        || $0 == UInt8(ascii: "\r")
    }
    guard text.utf8.contains(where: special) else { return text }
    var bytes: [UInt8] = [UInt8(ascii: "\"")]
    for byte in text.utf8 {
      bytes.append(byte)
      if byte == UInt8(ascii: "\"") { bytes.append(byte) }
    }
    bytes.append(UInt8(ascii: "\""))
    return String(decoding: bytes, as: UTF8.self)
  }
}
