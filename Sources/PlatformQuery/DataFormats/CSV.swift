/// CSV reading: wide and long forms, pq notation in cells, units from headers and metric names,
/// provenance columns, and columns headed by periods.
extension DataFile {
  /// Reads a CSV file with a header row into records. Empty cells are nil; numbers may use pq
  /// notation; a column named after a metric (mau, revenue, …) or headed `name (unit)` gives
  /// its plain numbers that unit. `readsInPlace: false` reads every cell through its text, the
  /// general way (the tests check that both ways read every file alike).
  static func readCSV(
    _ source: Source, package: DataPackage? = nil, dialect given: Dialect? = nil,
    decimalCommaColumns: Set<Int> = [], readsInPlace: Bool = true
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
      // Each period's figure becomes the field named by the metric: a column of that name too
      // would be a second field of the same name.
      if let clash = names.firstIndex(of: metricOfPeriods) {
        let offset = header[clash].1
        throw PQError(
          .runtime,
          "this file has periods as columns, whose figures are named '\(metricOfPeriods)', and a '\(metricOfPeriods)' column too",
          source: source, span: Span(start: offset, end: offset + max(1, header[clash].0.utf8.count)),
          notes: ["name the periods' figures with load(…, metric: \"…\"), or rename the column"])
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
    // The provenance cells' bytes as they are, each followed by 0xFF (`CSVRow.appendBytes`): the
    // row before's, and the one being read (kept from row to row).
    // (Two buffers swapped, so that neither is shared when it is refilled.)
    var lastCells: [UInt8] = []
    var haveLastCells = false
    var cells: [UInt8] = []
    var lastProvenance = RowProvenance(origin: RowOrigin())
    var knownCells = NumberedKeys<CellBytes>()
    var provenanceOfCells: [RowProvenance] = []
    // Whether the file names other missing values than the empty cell (a data package's
    // `missingValues`): asked of every cell.
    let customMissing = missingValues.count > 1 || missingValues.first != ""
    let isDecimalCommaColumn = names.indices.map { decimalCommaColumns.contains($0) }
    // Whether a data package types the column (an array of flags: testing an optional field
    // for nil copied the field, its strings retained and released, on every cell).
    let isDeclared = declared.map { $0 != nil }
    // Asked once: testing the optional package copied the whole descriptor, on every row.
    let hasPackage = package != nil
    // Each column's definition from the package (its field's description, else the package's
    // own), decided once; a long-form file's value column asks by the row's metric.
    let packageDefinitions = names.map { package?.fields[$0]?.description ?? package?.definition }
    // The columns read the plain way: a cell of one is a number read from the file's bytes, or
    // (a column of text) its trimmed text, with no text made that it does not keep.
    let columnUnits = units.map { ColumnUnit($0) }
    let isPlain = names.indices.map { column in
      readsInPlace && !isDeclared[column] && !customMissing && !isDecimalCommaColumn[column]
        && !(longForm && column == valueColumn)
    }
    var holdsNumbers = [Bool](repeating: false, count: names.count)
    var firstText: [(text: String, offset: Int)?] = Array(repeating: nil, count: names.count)
    var markers: [(row: Int, column: Int)] = []
    var row = CSVRow(source)
    while try reader.next(into: &row) {
      rowNumber += 1
      guard row.count == names.count else {
        let offset = row.isEmpty ? 0 : row.offset(0)
        throw PQError(
          .runtime, "this row has \(plural(row.count, "cell")), but the header has \(names.count)",
          source: source,
          span: Span(start: offset, end: offset + 1))
      }
      // The row's values in the header's order (its names are the shape's).
      var values: [Value] = []
      values.reserveCapacity(names.count)
      let metric = metricColumn.map { row.trimmed($0) } ?? ""
      for column in 0..<row.count {
        // Most cells of a large file: a plain number in a column of numbers, read from the
        // file's bytes without making its text (which only an error, or a cell the full reader
        // takes, needs), or the text of a column of text.
        if isPlain[column] {
          if isTextColumn[column] {
            let trimmed = row.trimmed(column)
            values.append(trimmed.isEmpty ? .nil : .string(trimmed))
            continue
          }
          if let number = row.withTrimmedBytes(column, { Literal.parseSimple(bytes: $0) }),
            let value = columnUnits[column].fit(number)
          {
            values.append(value)
            continue
          }
        }
        var unit = units[column]
        var headed = unitInHeader[column]
        let offset = row.offset(column)
        let text = row.text(column)
        if longForm, column == valueColumn {
          // The row's own unit cell, else the metric's unit.
          if let unitColumn, !row.isBlank(unitColumn) {
            let name = row.trimmed(unitColumn)
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
            throw cellError(
              "'\(text)' appears twice in field '\(field.name)', which \(package.descriptorName) says is unique",
              text, at: offset, in: source)
          }
          values.append(value)
          continue
        }
        if customMissing, missingValues.contains(text) {
          values.append(.nil)
          continue
        }
        let trimmed = isTextColumn[column] ? row.trimmed(column) : ""
        values.append(
          isTextColumn[column]
            ? (trimmed.isEmpty ? .nil : .string(trimmed))
            : try cell(
              isDecimalCommaColumn[column] ? Self.decimalCommaRead(text) : text, unit: unit,
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
      for column in values.indices where !isTextColumn[column] && !isDeclared[column] {
        switch values[column] {
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
      if !provenanceColumns.isEmpty || hasPackage {
        // The name the row's values already hold, when read the plain way (its trimmed text).
        let name: String
        if let nameColumn {
          if isPlain[nameColumn], case .string(let text) = values[nameColumn] {
            name = text
          } else {
            name = row.trimmed(nameColumn)
          }
        } else {
          name = "row \(rowNumber + 1)"
        }
        func given(_ columns: [Int]) -> [String: (String, Int)] {
          var given: [String: (String, Int)] = [:]
          for column in columns where !row.isBlank(column) {
            given[names[column]] = (row.trimmed(column), row.offset(column))
          }
          package?.supply(&given)
          return given
        }
        cells.removeAll(keepingCapacity: true)
        for column in originColumns { row.appendBytes(column, to: &cells) }
        let provenance: RowProvenance
        if haveLastCells, cells == lastCells {
          provenance = lastProvenance
        } else {
          let key = CellBytes(cells)
          if let number = knownCells.number(of: key) {
            provenance = provenanceOfCells[number]
          } else {
            provenance = RowProvenance(
              origin: try rowOrigin(given: given(originColumns), source: source, periods: &periods))
            if knownCells.count < OriginCache.limit {
              _ = knownCells.insert(key)
              provenanceOfCells.append(provenance)
            }
          }
          swap(&lastCells, &cells)
          haveLastCells = true
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
        if marginColumns.contains(where: { !row.isBlank($0) }) {
          margin = try rowMargin(
            given: given(provenanceColumnList),
            figures: values.indices.filter(isFigureColumn).map { (names[$0], values[$0]) }, source: source)
        }
        var place: Figure.Place?
        for index in values.indices where isFigureColumn(index) {
          let unit = values[index].unit
          let isMetricValue = longForm && index == valueColumn
          let field = isMetricValue ? metric : names[index]
          // …and each field's description, its definition: found once for each provenance and
          // column (a long-form file's value column asks by the row's metric every time).
          let shared: Figure.Origin
          if !isMetricValue, let known = provenance.origin(ofColumn: index) {
            shared = known
          } else {
            let definition =
              isMetricValue && hasPackage
              ? package?.fields[field]?.description ?? package?.definition : packageDefinitions[index]
            shared = figureOrigin(
              provenance.origin, definition: definition, cache: &origins, made: &provenance.made)
            if !isMetricValue { provenance.setOrigin(shared, ofColumn: index) }
          }
          // A range cell (`600K..700K`) carries its own margin.
          values[index] = rowFigure(
            values[index].numericValue ?? 0, unit, name: name, field: field, origin: shared, row: rowNumber,
            place: &place, margin: Margin.of(values[index]) ?? margin)
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
      throw cellError(
        "'\(text)' in column '\(names[column])' is not a number, and the column's other cells are", text,
        at: offset, in: source,
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

  /// The records of one row of a file with periods as columns: one a cell with a figure,
  /// `{name, period, <metric>, …the row's other columns}`, the figure's period its column's
  /// header and its provenance the row's cells and what `load` was told.
  static func appendPeriodRows(
    values cells: [Value], row: CSVRow, rowNumber: Int, names: [String], periodColumns: [Int],
    header: [(String, Int)], metric: String, provenanceColumns: [Int], package: DataPackage?, source: Source,
    periods: inout [String: Period], origins: inout OriginCache, into records: inout [Value]
  ) throws(PQError) {
    guard let nameColumn = names.firstIndex(of: "name") else { return }
    let name = row.trimmed(nameColumn)
    var given: [String: (String, Int)] = [:]
    for column in provenanceColumns where !row.isBlank(column) {
      given[names[column]] = (row.trimmed(column), row.offset(column))
    }
    package?.supply(&given)
    let others = names.indices.filter { !periodColumns.contains($0) && $0 != nameColumn }
    // A figure in a column that is not a period has no period of its own; copied into each
    // period's record it would take that record's period once saved and loaded again. Refused.
    for column in others where !provenanceColumns.contains(column) {
      switch cells[column] {
      case .number, .quantity:
        let (text, offset) = row[column]
        throw cellError(
          "'\(text.trimmingSpaces)' under \(names[column]) is a figure without a period: this file's periods are its columns (\(names[periodColumns[0]]), …)",
          text, at: offset, in: source,
          notes: [
            "keep \(names[column]) in a file of its own, with a period column, or make it a column per period there"
          ])
      default: continue
      }
    }
    let shape = Shape(keys: ["name", "period", metric] + others.map { names[$0] })
    for column in periodColumns {
      let cell = cells[column]
      guard let number = cell.numericValue else {
        if case .nil = cell { continue }
        let (text, offset) = row[column]
        throw cellError(
          "'\(text.trimmingSpaces)' under \(names[column]) is not a number", text, at: offset, in: source,
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
      var place: Figure.Place?
      let figure = rowFigure(
        number, cell.unit, name: name, field: metric, origin: shared, row: records.count, place: &place,
        margin: Margin.of(cell))
      var values: [Value] = [.string(name), .string(names[column]), figure]
      for index in others { values.append(cells[index]) }
      records.append(.record(Record(shape: shape, values: values)))
    }
  }
}
