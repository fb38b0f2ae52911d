import PQTestSupport
import Testing

@testable import PlatformQuery

/// A Frictionless Data Package honoured in full or refused (issue 38): the dialect, missing
/// values, field types and formats, constraints and the primary key, a resource in parts, a
/// descriptor one folder up, licences kept — and every property pq does not apply an error. The
/// files are written here, in the shapes of the Frictionless project's own test data.
@Suite struct DataPackageTests {
  let dir = temporaryDirectory()

  func write(_ name: String, _ text: String) throws {
    if name.contains("/") {
      let folder = dir + "/" + name.split(separator: "/").dropLast().joined(separator: "/")
      _ = folder.withCString { mkdir($0, 0o755) }
    }
    try FileSystem.writeAtomically(dir + "/" + name, Array(text.utf8))
  }

  func descriptor(_ resource: String, extra: String = "") throws {
    try write("datapackage.json", "{\(extra)\"resources\": [\(resource)]}")
  }

  func load(_ name: String) throws -> Value {
    try makeInterpreter(files: .folders([dir])).0.evaluate("load(\"\(dir)/\(name)\")")
  }

  func loadFailure(_ name: String) -> PQError? {
    do {
      _ = try load(name)
      return nil
    } catch let error as PQError {
      return error
    } catch {
      return nil
    }
  }

  func cells(_ value: Value) -> [[String]] {
    guard case .list(let rows) = value else { return [] }
    return rows.compactMap { row -> [String]? in
      guard case .record(let record) = row else { return nil }
      return record.values.map { value in
        if case .string(let text) = value { return text }
        return value.inline
      }
    }
  }

  @Test func theDialectIsApplied() throws {
    try write("semi.csv", "id;timestamp\n1;2024-01-05\n2;2024-02-05\n")
    try write("pipe.csv", "1|\"a|b\"\n2|c\n")
    try write("odd.csv", "# a comment\nid, note\n1, 'it''s'\n")
    try descriptor(
      """
      {"path": "semi.csv", "dialect": {"delimiter": ";"}},
      {"path": "pipe.csv", "dialect": {"delimiter": "|", "header": false},
       "schema": {"fields": [{"name": "id", "type": "integer"}, {"name": "text", "type": "string"}]}},
      {"path": "odd.csv", "dialect": {"commentChar": "#", "skipInitialSpace": true, "quoteChar": "'"}}
      """)
    #expect(cells(try load("semi.csv")) == [["1", "2024-01-05"], ["2", "2024-02-05"]])
    #expect(cells(try load("pipe.csv")) == [["1", "a|b"], ["2", "c"]])
    #expect(cells(try load("odd.csv")) == [["1", "it's"]])
  }

  @Test func numbersAsTheFieldWritesThem() throws {
    try write(
      "n.csv",
      "name,amount,price,count,share\nX,\"10.000.000,00\",-12.3 €,\"1#234\",40\nY,\"2,5\",€ 7,12,57.5\n")
    try descriptor(
      """
      {"path": "n.csv", "schema": {"fields": [
        {"name": "amount", "type": "number", "decimalChar": ",", "groupChar": "."},
        {"name": "price", "type": "number", "bareNumber": false},
        {"name": "count", "type": "integer", "groupChar": "#"},
        {"name": "share", "type": "number", "unit": "%"}]}}
      """)
    let rows = try load("n.csv")
    guard case .list(let items) = rows, case .record(let x) = items[0], case .record(let y) = items[1] else {
      Issue.record("\(rows)")
      return
    }
    #expect(x["amount"]?.numericValue == 10_000_000)
    #expect(y["amount"]?.numericValue == 2.5)
    #expect(x["price"]?.numericValue == -12.3)
    #expect(y["price"]?.numericValue == 7)
    #expect(x["count"]?.numericValue == 1234)
    #expect(x["share"]?.inline == "40%")
    #expect(y["share"]?.inline == "57.5%")
    // A cell the field cannot read is an error at it, with what the field expects.
    try write("bad.csv", "name,amount\nX,70.4M\n")
    try descriptor(
      "{\"path\": \"bad.csv\", \"schema\": {\"fields\": [{\"name\": \"amount\", \"type\": \"number\"}]}}")
    let error = try #require(loadFailure("bad.csv"))
    #expect(error.message.hasPrefix("'70.4M' is not a number, as "), "\(error.message)")
    #expect(error.location?.line == 2 && error.location?.column == 3)
    #expect(error.notes.contains { $0.contains("pq's notation") })
  }

  @Test func typesOtherThanNumbers() throws {
    try write(
      "t.csv",
      "code,founded,month,day,active,when\n08123,2004,2024-09,05/01/2024,yes,2024-10-01\n79594.72,1999,2023-12,31/12/2023,no,2024-10-02\n"
    )
    try descriptor(
      """
      {"path": "t.csv", "schema": {"fields": [
        {"name": "code", "type": "string"}, {"name": "founded", "type": "year"},
        {"name": "month", "type": "yearmonth"}, {"name": "day", "type": "date", "format": "%d/%m/%Y"},
        {"name": "active", "type": "boolean", "trueValues": ["yes"], "falseValues": ["no"]},
        {"name": "when", "type": "date"}]}}
      """)
    #expect(
      cells(try load("t.csv")) == [
        ["08123", "2004", "2024-09", "2024-01-05", "true", "2024-10-01"],
        ["79594.72", "1999", "2023-12", "2023-12-31", "false", "2024-10-02"],
      ])
    // A year column named `year` is the rows' period.
    try write("y.csv", "name,year,users\nX,2023,10M\nX,2024,12M\n")
    try descriptor(
      "{\"path\": \"y.csv\", \"schema\": {\"fields\": [{\"name\": \"year\", \"type\": \"year\"}]}}")
    let (pq, _) = makeInterpreter(files: .folders([dir]))
    #expect(try pq.evaluate("series(load(\"\(dir)/y.csv\"), \"X\", \"users\")").inline == "[10M, 12M]")
    #expect(try pq.evaluate("source(load(\"\(dir)/y.csv\")[1].users)[0].period").inline == "\"2024\"")
  }

  @Test func missingValuesAtEveryLevel() throws {
    try write("m.csv", "name,users,share\nX,-,n.a.\nY,10M,-\n")
    try descriptor(
      """
      {"path": "m.csv", "missingValues": ["-"],
       "schema": {"fields": [{"name": "share", "type": "number", "unit": "%", "missingValues": ["n.a.", "-"]}]}}
      """)
    #expect(cells(try load("m.csv")) == [["X", "nil", "nil"], ["Y", "10M", "nil"]])
    // The package's own list, when the resource has none.
    try descriptor("{\"path\": \"m.csv\"}", extra: "\"missingValues\": [\"-\", \"n.a.\"], ")
    #expect(cells(try load("m.csv")) == [["X", "nil", "nil"], ["Y", "10M", "nil"]])
  }

  @Test func constraintsAndThePrimaryKey() throws {
    let schema = """
      {"path": "c.csv", "schema": {"primaryKey": ["name", "year"], "fields": [
        {"name": "name", "type": "string", "constraints": {"required": true, "pattern": "[A-Z][a-z]*"}},
        {"name": "year", "type": "year", "constraints": {"minimum": 2000, "maximum": "2030"}},
        {"name": "kind", "type": "string", "constraints": {"enum": ["app", "web"]}},
        {"name": "users", "type": "integer", "constraints": {"minimum": 0, "unique": true}}]}}
      """
    try descriptor(schema)
    try write("c.csv", "name,year,kind,users\nX,2024,app,10\nBluesky,2024,web,20\n")
    #expect(cells(try load("c.csv")).count == 2)
    let cases: [(String, String, Int, Int)] = [
      (
        "name,year,kind,users\nx,2024,app,10\n",
        "'x' breaks the constraint of field 'name': the pattern [A-Z][a-z]*", 2, 1
      ),
      (
        "name,year,kind,users\nX,1999,app,10\n", "'1999' breaks the constraint of field 'year': minimum 2000",
        2, 3
      ),
      (
        "name,year,kind,users\nX,2031,app,10\n", "'2031' breaks the constraint of field 'year': maximum 2030",
        2, 3
      ),
      (
        "name,year,kind,users\nX,2024,tv,10\n", "'tv' breaks the constraint of field 'kind': one of app, web",
        2, 8
      ),
      (
        "name,year,kind,users\nX,2024,app,-1\n", "'-1' breaks the constraint of field 'users': minimum 0", 2,
        12
      ),
      ("name,year,kind,users\nX,2024,app,1\nY,2024,app,1\n", "'1' appears twice in field 'users'", 3, 12),
      ("name,year,kind,users\n,2024,app,1\n", "field 'name' is required", 2, 1),
      (
        "name,year,kind,users\nX,2024,app,1\nX,2024,web,2\n", "a second row with the primary key X, 2024", 3,
        1
      ),
    ]
    for (text, message, line, column) in cases {
      try write("c.csv", text)
      guard let error = loadFailure("c.csv") else {
        Issue.record("loaded: \(text)")
        continue
      }
      #expect(error.message.hasPrefix(message), "\(text): \(error.message)")
      #expect(
        error.location?.line == line && error.location?.column == column,
        "\(text): \(String(describing: error.location))")
      #expect(error.source?.name.hasSuffix("c.csv") == true)
    }
  }

  @Test func whatPqDoesNotApplyIsRefused() throws {
    try write("r.csv", "id\n1\n")
    let cases: [(String, String, String)] = [
      (
        "{\"path\": \"r.csv\", \"schema\": {\"fields\": [], \"foreignKeys\": []}}", "",
        "'foreignKeys' in the schema of resource 0"
      ),
      (
        "{\"path\": \"r.csv\", \"dialect\": {\"delimiter\": \";\", \"quoting\": 1}}", "",
        "'quoting' in the dialect of resource 0"
      ),
      (
        "{\"path\": \"r.csv\", \"schema\": {\"fields\": [{\"name\": \"id\", \"type\": \"geopoint\"}]}}", "",
        "field 'id' has type 'geopoint', which pq does not read"
      ),
      (
        "{\"path\": \"r.csv\", \"schema\": {\"fields\": [{\"name\": \"id\", \"constraints\": {\"exclusiveMinimum\": 1}}]}}",
        "", "'exclusiveMinimum' in the constraints of field 'id'"
      ),
      ("{\"path\": \"r.csv\", \"encoding\": \"latin-1\"}", "", "is encoded in latin-1, and pq reads UTF-8"),
      ("{\"path\": \"r.csv\", \"compression\": \"gz\"}", "", "'compression' in resource 0"),
      ("{\"path\": \"r.csv\"}", "\"extras\": 1, ", "'extras' in the package"),
      (
        "{\"path\": \"r.csv\", \"schema\": {\"fields\": [{\"name\": \"missing\", \"type\": \"string\"}]}}",
        "", "field 'missing' of "
      ),
    ]
    for (resource, extra, message) in cases {
      try descriptor(resource, extra: extra)
      let error = try #require(loadFailure("r.csv"), "\(resource)")
      #expect(error.message.contains(message), "\(resource): \(error.message)")
    }
    // Descriptive properties are kept, not refused; the licence goes with every figure.
    try write("k.csv", "name,users\nX,10M\n")
    try descriptor(
      """
      {"path": "k.csv", "title": "Users", "description": "…", "format": "csv", "mediatype": "text/csv",
       "schema": {"fields": [{"name": "users", "title": "Users", "description": "monthly users", "example": "1M"}]}}
      """,
      extra: """
        "name": "p", "title": "P", "homepage": "https://example.org", "version": "1.0", "keywords": ["a"],
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "contributors": [{"title": "Jane Doe", "role": "author"}],
        "sources": [{"title": "Example Office", "path": "https://example.org/data"}],
        """)
    let (pq, _) = makeInterpreter(files: .folders([dir]))
    let explained = try pq.evaluate("explain(load(\"\(dir)/k.csv\")[0].users)").description
    #expect(explained.contains("Example Office"), "\(explained)")
    #expect(
      explained.contains("license: CC-BY-4.0 (https://creativecommons.org/licenses/by/4.0/)"), "\(explained)")
    #expect(explained.contains("url: https://example.org/data"), "\(explained)")
    #expect(explained.contains("primary source: Jane Doe (author)"), "\(explained)")
    #expect(explained.contains("dataset: P (https://example.org)"), "\(explained)")
    // A licence is not a caveat.
    #expect(try pq.evaluate("caveats(load(\"\(dir)/k.csv\")[0].users)").inline.contains("licen") == false)
    // And it survives save and load as JSON.
    _ = try pq.evaluate("save(load(\"\(dir)/k.csv\"), \"\(dir)/k.json\")")
    #expect(
      try pq.evaluate("explain(load(\"\(dir)/k.json\")[0].users)").description.contains("license: CC-BY-4.0"))
  }

  @Test func aResourceInPartsAndADescriptorOneFolderUp() throws {
    try write("data/a.csv", "name,users\nX,10M\n")
    try write("data/b.csv", "name,users\nY,20M\n")
    try write("data/c.csv", "name,users\nZ,30M\n")
    try descriptor(
      """
      {"name": "parts", "path": ["data/a.csv", "data/b.csv"]},
      {"name": "c", "path": "data/c.csv", "sources": [{"title": "One folder up"}]}
      """)
    #expect(cells(try load("data/a.csv")) == [["X", "10M"], ["Y", "20M"]])
    let (pq, _) = makeInterpreter(files: .folders([dir]))
    #expect(
      try pq.evaluate("source(load(\"\(dir)/data/c.csv\")[0].users)[0].publisher").inline
        == "\"One folder up\"")
  }

  /// Times, a translated title, a resource type, and a file of the same name in another folder
  /// (another resource: not this file's).
  @Test func timesAndWhichFileAResourceIs() throws {
    try write("dt.csv", "when,at\n2024-09-30T14:05:00Z,14:05:00\n")
    try descriptor(
      """
      {"path": "dt.csv", "type": "table", "scheme": "file", "title@de": "Zeiten",
       "schema": {"fields": [{"name": "when", "type": "datetime"}, {"name": "at", "type": "time"}]}}
      """)
    #expect(cells(try load("dt.csv")) == [["2024-09-30T14:05:00Z", "14:05:00"]])
    try write("dt.csv", "when,at\n2024-09-30 25h,14:05:00\n")
    #expect(loadFailure("dt.csv")?.message.hasPrefix("'2024-09-30 25h' is not a date and time") == true)
    try write("other/dt.csv", "name,users\nX,10M\n")
    // The descriptor lists dt.csv at the top, not other/dt.csv: nothing of it applies there.
    #expect(cells(try load("other/dt.csv")) == [["X", "10000000"]])
    try descriptor("{\"path\": \"dt.csv\", \"type\": \"geojson\"}")
    #expect(loadFailure("dt.csv")?.message.contains("has type 'geojson', and pq reads tables") == true)
  }

  /// Common exports outside any package: a semicolon file with decimal commas (said in one
  /// line), tab-separated values, JSON Lines with errors at their line, `59 %` in a cell.
  @Test func exportsAsTheyCome() throws {
    try write("eu.csv", "name;users;share\nX;1.234,5;59 %\nY;2,5;40,5%\n")
    try write("t.tsv", "name\tusers\nX\t10M\n")
    try write(
      "a.jsonl",
      "{\"name\": \"X\", \"users\": \"10M\", \"source\": \"API\"}\n\n{\"name\": \"Y\", \"users\": 5}\n")
    try write("bad.ndjson", "{\"name\": \"X\"}\n{\"name\": \n")
    let (pq, output) = makeInterpreter(files: .folders([dir]))
    #expect(
      cells(try pq.evaluate("load(\"\(dir)/eu.csv\")")) == [["X", "1234.5", "59%"], ["Y", "2.5", "40.5%"]])
    #expect(
      output.contents
        == "load: eu.csv is separated by semicolons (its header has no comma); users and share have decimal commas (1.234,5 is 1234.5)\n"
    )
    // Decided column by column, never guessed: a comma before three digits alone could be
    // either; a dot between thousands reads as one beside a decimal comma; `1,234.5` is not one.
    try write("amb.csv", "name;users\nX;1,000\nY;12,345\n")
    let ambiguous = try #require(loadFailure("amb.csv"))
    #expect(
      ambiguous.message.hasPrefix("'1,000' in column 'users' could be read with a decimal comma"),
      "\(ambiguous.message)")
    try write("mix.csv", "name;a;b;c\nX;1,000;1.234;1,234.5\nY;2,5;2,5;3\n")
    #expect(cells(try load("mix.csv")) == [["X", "1", "1234", "1234.5"], ["Y", "2.5", "2.5", "3"]])
    #expect(cells(try pq.evaluate("load(\"\(dir)/t.tsv\")")) == [["X", "10000000"]])
    #expect(cells(try pq.evaluate("load(\"\(dir)/a.jsonl\")")) == [["X", "10M", "API"], ["Y", "5"]])
    #expect(try pq.evaluate("source(load(\"\(dir)/a.jsonl\")[0].users)[0].publisher") == .string("API"))
    do {
      _ = try pq.evaluate("load(\"\(dir)/bad.ndjson\")")
      Issue.record("loaded a broken line")
    } catch {
      #expect(error.message.hasPrefix("invalid JSON on this line"), "\(error.message)")
      #expect(error.location?.line == 2 && error.location?.column == 10)
    }
    _ = try pq.evaluate("save(load(\"\(dir)/a.jsonl\"), \"\(dir)/b.jsonl\")")
    #expect(try pq.evaluate("load(\"\(dir)/b.jsonl\") == load(\"\(dir)/a.jsonl\")") == .bool(true))
    let saved = String(decoding: try FileSystem.read(dir + "/b.jsonl"), as: UTF8.self)
    #expect(saved.split(separator: "\n").count == 2, "\(saved)")
    #expect(throws: PQError.self) { try pq.evaluate("save([{a: 1}], \"\(dir)/x.tsv\")") }
    // A decimal comma in a comma-separated file: an error that names the quirk.
    try write("dc.csv", "name,users\nX,\"1,5\"\nY,2\n")
    let quirk = try #require(loadFailure("dc.csv"))
    #expect(
      quirk.notes.contains { $0.hasPrefix("'1,5' looks like a number with a decimal comma") },
      "\(quirk.notes)")
    // With a descriptor nothing is guessed: its dialect gives the delimiter, and a decimal comma
    // is read only where a field's decimalChar says so.
    try write(
      "datapackage.json", "{\"resources\": [{\"path\": \"eu.csv\", \"dialect\": {\"delimiter\": \";\"}}]}")
    #expect(loadFailure("eu.csv")?.message.hasPrefix("'40,5%' in column 'share' is not a number") == true)
  }

  /// Generated tables written with a generated dialect and number format: each loads back as the
  /// numbers and words it was written from.
  @Test func generatedDialectsAndNumberFormatsReadBack() throws {
    var random = SplitMix(state: 0xDA7A_0038)
    for round in 0..<40 {
      let delimiter = [",", ";", "|", "\t"][random.int(0...3)]
      let (decimal, group) = [(".", ""), (",", "."), (",", " "), (".", ",")][random.int(0...3)]
      guard decimal != delimiter, group != delimiter else { continue }
      var lines = ["word" + delimiter + "amount"]
      var expected: [(String, Double)] = []
      for row in 0..<random.int(1...12) {
        let whole = random.int(0...9_999_999)
        let cents = random.int(0...99)
        var digits = String(whole)
        if !group.isEmpty {
          var grouped = ""
          for (index, character) in digits.reversed().enumerated() {
            if index > 0, index % 3 == 0 { grouped.append(Character(group)) }
            grouped.append(character)
          }
          digits = String(grouped.reversed())
        }
        let cell = digits + decimal + (cents < 10 ? "0\(cents)" : "\(cents)")
        let quoted = cell.contains(delimiter) ? "\"\(cell)\"" : cell
        lines.append("w\(row)" + delimiter + quoted)
        expected.append(("w\(row)", Double(whole) + Double(cents) / 100))
      }
      try write("g.csv", lines.joined(separator: "\n") + "\n")
      let escapedDelimiter = delimiter == "\t" ? "\\t" : delimiter
      try descriptor(
        """
        {"path": "g.csv", "dialect": {"delimiter": "\(escapedDelimiter)"}, "schema": {"fields": [
          {"name": "word", "type": "string"},
          {"name": "amount", "type": "number", "decimalChar": "\(decimal)", "groupChar": "\(group)"}]}}
        """)
      let rows = try load("g.csv")
      guard case .list(let items) = rows else {
        Issue.record("round \(round): \(rows)")
        continue
      }
      #expect(items.count == expected.count, "round \(round)")
      for (item, (word, amount)) in zip(items, expected) {
        guard case .record(let record) = item else { continue }
        #expect(record["word"] == .string(word), "round \(round)")
        if let value = record["amount"]?.numericValue {
          #expect(abs(value - amount) < 1e-6, "round \(round): \(value) vs \(amount)")
        } else {
          Issue.record("round \(round): no amount in \(record)")
        }
      }
    }
  }
}

#if canImport(Glibc)
  import Glibc
#endif
