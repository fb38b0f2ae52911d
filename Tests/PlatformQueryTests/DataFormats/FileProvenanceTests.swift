import PQTestSupport
import Testing

@testable import PlatformQuery

#if canImport(Glibc)
  import Glibc
#endif

/// A loaded file's figures carry their provenance as honestly as the article's: provenance
/// columns, JSON figure objects and a data package's fields become each figure's source, period
/// and definition; rows that say the same share one origin; nothing is lost on saving.
@Suite struct FileProvenanceTests: FileTesting {
  @Test func csvProvenanceColumnsBecomeTheFiguresSources() throws {
    let dir = folder()
    try write(dir, "pew.csv", "name,news_share,source,period\nX,12%,Pew Research,2024\n")
    let pq = interpreter(dir)
    _ = try pq.evaluate("let d = load(\"\(dir)/pew.csv\")")
    let explained = try pq.evaluate("explain(d[0].news_share)").description
    #expect(explained.contains("pew.csv[0].news_share  12%  Pew Research, 2024"), "\(explained)")
    #expect(!explained.contains("has no source"))
    // No definition in the file: explain says so rather than "none".
    #expect(
      explained.hasSuffix("caveats:\n  - no definition is given for X 2024 news_share"), "\(explained)")
    let compared = try pq.evaluate("compare(d[0].news_share, x.news_share)").description
    #expect(!compared.contains("caveats: none"))
    #expect(compared.contains("no period is given for x.news_share"))
    // Caveats name a file's figure by its row's platform, period and metric.
    #expect(compared.contains("no definition is given for X 2024 news_share"))
  }

  @Test func aFileWithoutSourcesIsNotPassedOffAsComputed() throws {
    let dir = folder()
    try write(dir, "bare.csv", "name,mau\nThreads,275M\n")
    let pq = interpreter(dir)
    _ = try pq.evaluate("let d = load(\"\(dir)/bare.csv\")")
    for expression in ["d[0].mau", "d[0].mau * 2"] {
      let explained = try pq.evaluate("explain(\(expression))").description
      #expect(
        explained.contains("has no source: it was typed, loaded from a file that names none"), "\(explained)")
      #expect(
        explained.hasSuffix("cannot say where it comes from, its period or its definition."), "\(explained)")
    }
  }

  /// A JSON file's figure objects without a label of their own are named by their place, as a
  /// CSV file's figures are (`f.json[0].mau`, not `figure(275M users)`); a label given is kept,
  /// and a figure object that is not a record's member keeps the label made from its value.
  @Test func jsonFiguresAreLabelledByTheirPlace() throws {
    let dir = folder()
    let figure = #"{"value": 275, "unit": "users", "source": "Meta", "period": "2024"}"#
    try write(
      dir, "f.json",
      #"[{"name": "A", "mau": \#(figure)}, {"name": "B", "mau": {"value": 70, "unit": "users", "source": "S", "label": "mine"}}]"#
    )
    try write(dir, "one.json", figure)
    try write(dir, "nested.json", #"{"a": {"mau": \#(figure)}}"#)
    let pq = interpreter(dir)
    _ = try pq.evaluate("let f = load(\"\(dir)/f.json\")")
    #expect(try pq.evaluate("source(f[0].mau)[0].figure").description == "f.json[0].mau")
    #expect(try pq.evaluate("source(f[1].mau)[0].figure").description == "mine")
    #expect(try pq.evaluate("explain(f[0].mau)").description.hasPrefix("f.json[0].mau = 275 users"))
    #expect(
      try pq.evaluate("source(load(\"\(dir)/one.json\"))[0].figure").description == "figure(275 users)")
    #expect(
      try pq.evaluate("source(load(\"\(dir)/nested.json\").a.mau)[0].figure").description
        == "figure(275 users)")
    // Saved and read back, the label is the one it was given.
    _ = try pq.evaluate("save(f, \"\(dir)/g.json\")")
    #expect(
      try pq.evaluate("source(load(\"\(dir)/g.json\")[0].mau)[0].figure").description == "f.json[0].mau")
  }

  /// Rows that say the same provenance share one origin (a file has few distinct sources and
  /// periods); rows that differ in any one provenance cell must not be blurred together.
  @Test func rowsShareAnOriginOnlyWhenTheySayTheSame() throws {
    let dir = folder()
    try write(
      dir, "r.csv",
      """
      name,mau,revenue,source,period,note,status,definition
      A,1M,$2M,S,2024,,,d
      B,2M,$3M,S,2024,,,d
      C,3M,$4M,S,2024,revised,,d
      D,4M,$5M,S,2024,,estimated,d
      E,5M,$6M,T,2024,,,d
      F,6M,$7M,S,2023,,,d

      """)
    let pq = interpreter(dir)
    _ = try pq.evaluate("let d = load(\"\(dir)/r.csv\")")
    #expect(try pq.evaluate("caveats(ratio(d[0].mau, d[1].mau))").description == "[]")
    #expect(try pq.evaluate("source(d[2].mau)[0].note").description == "revised")
    #expect(try pq.evaluate("source(d[1].mau)[0].note").description == "nil")
    #expect(
      try pq.evaluate("caveats(ratio(d[0].mau, d[3].mau))").description
        == "[\"D 2024 mau is an estimate\"]")
    #expect(
      try pq.evaluate("caveats(ratio(d[0].mau, d[4].mau))").description.contains("sources differ (S vs T)"))
    #expect(try pq.evaluate("caveats(ratio(d[0].mau, d[5].mau))").description.contains("(2024 vs 2023)"))
    // Each figure keeps its own row, field and platform, though the row's origin is shared.
    #expect(try pq.evaluate("source(d[1].revenue)[0].figure").description == "r.csv[1].revenue")
    #expect(
      try pq.evaluate("explain(d[4].revenue)").description.contains("r.csv[4].revenue  $6M  T, 2024: d"))
  }

  /// Figure objects of a JSON file that say the same provenance share one origin, periods and
  /// units read once; objects that differ in any one field keep their own.
  @Test func figureObjectsShareAnOriginOnlyWhenTheySayTheSame() throws {
    let dir = folder()
    func figure(_ value: Int, _ extra: String = "") -> String {
      "{\"value\": \(value), \"unit\": \"users\", \"source\": \"S\", \"period\": \"2024\", \"definition\": \"d\"\(extra)}"
    }
    try write(
      dir, "f.json",
      "["
        + [
          figure(1), figure(2), figure(3, ", \"note\": \"revised\""),
          figure(4, ", \"status\": \"estimated\""),
          figure(5, ", \"period\": \"2023\""), figure(6, ", \"unit\": \"%\""),
        ].joined(separator: ", ") + "]")
    let pq = interpreter(dir)
    _ = try pq.evaluate("let f = load(\"\(dir)/f.json\")")
    #expect(try pq.evaluate("caveats(ratio(f[0], f[1]))").description == "[]")
    #expect(try pq.evaluate("source(f[2])[0].note").description == "revised")
    #expect(try pq.evaluate("source(f[1])[0].note").description == "nil")
    #expect(try pq.evaluate("caveats(ratio(f[0], f[3]))").description.contains("is an estimate"))
    #expect(try pq.evaluate("caveats(ratio(f[0], f[4]))").description.contains("(2024 vs 2023)"))
    #expect(try pq.evaluate("f[5]").description == "6%")
    #expect(try pq.evaluate("f[0]").description == "1 user")
  }

  @Test func jsonFiguresAndMetricUnitsMatchCSV() throws {
    let dir = folder()
    try write(
      dir, "own.json",
      """
      [{"name": "X", "mau": 70400000, "dau": {"value": 9, "unit": "users", "source": "Own count", "period": "2024-10"}}]
      """)
    let pq = interpreter(dir)
    _ = try pq.evaluate("let j = load(\"\(dir)/own.json\")")
    #expect(try pq.evaluate("j[0].mau").description == "70.4M users")
    #expect(try pq.evaluate("source(j[0].dau)[0].publisher").description == "Own count")
    #expect(try pq.evaluate("ratio(j[0].mau, j[0].dau)").description == "7.82M")
    try write(dir, "bad.json", "[{\"name\": \"X\", \"news_share\": 57}]")
    #expect(throws: PQError.self) { try pq.evaluate("load(\"\(dir)/bad.json\")") }
  }

  @Test func aDataPackageBesideACSVSuppliesWhatItsColumnsDoNotSay() throws {
    let dir = folder()
    try write(dir, "survey.csv", "name,dau,share,period\nX,12M,40,2024-10\nY,300K,35,2024-10\n")
    try write(
      dir, "datapackage.json",
      """
      {"sources": [{"title": "Example Survey Institute"}],
       "resources": [{"path": "survey.csv", "schema": {"fields": [
         {"name": "dau", "description": "daily active users", "unit": "users"},
         {"name": "share", "description": "share of adults using it", "unit": "%"}]}}]}
      """)
    let pq = interpreter(dir)
    _ = try pq.evaluate("let s = load(\"\(dir)/survey.csv\")")
    // The package's unit reads the bare 40 as 40%, its description is the definition, its
    // source the publisher; the file's own period column still applies.
    #expect(try pq.evaluate("s[0].share").description == "40%")
    #expect(try pq.evaluate("s[0].dau").description == "12M users")
    #expect(try pq.evaluate("source(s[0].dau)[0].publisher").description == "Example Survey Institute")
    #expect(try pq.evaluate("source(s[0].dau)[0].definition").description == "daily active users")
    #expect(try pq.evaluate("caveats(s[0].share / s[1].share)").description == "[]")
    // Without the descriptor, the same bare 40 under a share column is just a number.
    unlink(dir + "/datapackage.json")
    #expect(try pq.evaluate("load(\"\(dir)/survey.csv\")[0].share").description == "40")
  }

  @Test func badProvenanceIsAnErrorAtItsCell() throws {
    let dir = folder()
    try write(dir, "p.csv", "name,mau,period\nX,1M,Sept 2024x\n")
    do {
      _ = try interpreter(dir).evaluate("load(\"\(dir)/p.csv\")")
      Issue.record("loaded a bad period")
    } catch {
      #expect(error.message == "'Sept 2024x' in column 'period' is not a period")
      #expect(error.location?.line == 2 && error.location?.column == 6)
    }
    #expect(throws: PQError.self) { try show("figure(1, status: \"guessed\")") }
    #expect(throws: PQError.self) { try show("figure(1, period: \"2024-13\")") }
    #expect(throws: PQError.self) { try show("figure(5%, unit: \"users\")") }
  }

  @Test func savedArticleDataKeepsItsSourcesAndCaveats() throws {
    let dir = folder()
    let pq = interpreter(dir)
    _ = try pq.evaluate("save(x, \"\(dir)/x.json\"); save(platforms, \"\(dir)/p.json\")")
    #expect(try pq.evaluate("explain(load(\"\(dir)/x.json\").mau) == explain(x.mau)").description == "true")
    let live = try pq.evaluate("compare(x.revenue, truth.revenue).caveats").description
    let reloaded = try pq.evaluate(
      "let a = load(\"\(dir)/p.json\"); compare(a[0].revenue, a[1].revenue).caveats")
    #expect(reloaded.description == live)
    #expect(live.contains("x.revenue is an estimate"))
    // The same caveats, but a figure the file lacks is the file's to lack, not the article's.
    let fromFile = try pq.evaluate("compare(a[0], a[1]).caveats").description
    let fromArticle = try pq.evaluate("compare(x, truth).caveats").description
    #expect(fromArticle.contains("suspended_accounts: the article gives no figure for Truth Social"))
    #expect(fromFile.contains("suspended_accounts: p.json gives no figure for Truth Social"))
    #expect(
      fromFile
        == fromArticle.replacing(
          "suspended_accounts: the article gives", with: "suspended_accounts: p.json gives"))
    let error = try #require(failure("a[1].suspended_accounts * 2", pq))
    #expect(error.message.hasPrefix("p.json gives no figure for Truth Social's suspended_accounts"))
  }

  /// Generated figures with random provenance and periods: JSON save then load gives the same
  /// figure, every field; CSV gives the same provenance wherever a row holds one set of sources.
  @Test func roundTripsOfGeneratedFigures() throws {
    let dir = folder()
    let pq = interpreter(dir)
    var random = SplitMix(state: 16)
    let units = ["users", "visits", "USD", "%", "pp", "accounts"]
    let periods = [
      "2024", "2024-09", "2024-Q3", "2024-H1", "2023-10/2024-03", "September 2024", "2024-09-30",
    ]
    let statuses = ["reported", "estimated", "provisional", "forecast"]
    let words = ["Similarweb", "Pew Research", "Own count", "A, \"quoted\" source", "Zoë & Co", "x"]
    var checked = 0
    for index in 0..<300 {
      var arguments = [
        "\(random.int(1...999_999))", "unit: \"\(units[random.int(0...5)])\"",
        "source: \"\(words[random.int(0...5)].replacingOccurrences("\"", "\\\""))\"",
      ]
      if random.int(0...3) > 0 { arguments.append("period: \"\(periods[random.int(0...6)])\"") }
      if random.int(0...1) == 1 { arguments.append("status: \"\(statuses[random.int(0...3)])\"") }
      if random.int(0...1) == 1 { arguments.append("definition: \"def \(random.int(0...9))\"") }
      if random.int(0...2) == 0 { arguments.append("url: \"https://example.org/\(index)\"") }
      if random.int(0...2) == 0 { arguments.append("note: \"line one\\nline two, with a comma\"") }
      if random.int(0...2) == 0 { arguments.append("producer: \"Similarweb\"") }
      let make = "figure(\(arguments.joined(separator: ", ")))"
      _ = try pq.evaluate("let f\(index) = \(make)")
      _ = try pq.evaluate("save(f\(index), \"\(dir)/f.json\")")
      #expect(
        try pq.evaluate("load(\"\(dir)/f.json\")").provenance?.figures
          == pq.evaluate("f\(index)").provenance?.figures, "\(make)")
      _ = try pq.evaluate("save([{name: \"A\", v: f\(index)}], \"\(dir)/f.csv\")")
      let back = try pq.evaluate("source(load(\"\(dir)/f.csv\")[0].v)[0]")
      let original = try pq.evaluate("source(f\(index))[0]")
      guard case .record(let a) = back, case .record(let b) = original else {
        Issue.record("no source record")
        continue
      }
      for key in ["publisher", "producer", "period", "definition", "status", "url", "note"] {
        #expect(try Arithmetic.equal(a[key] ?? .nil, b[key] ?? .nil), "\(key) of \(make)")
      }
      #expect(try pq.evaluate("load(\"\(dir)/f.csv\")[0].v == f\(index)").description == "true", "\(make)")
      checked += 1
    }
    #expect(checked == 300)
  }
}

/// A JSON list of records with provenance fields loads as a CSV file with provenance columns does.
@Suite struct JSONRowProvenanceTests {
  @Test func sameFiguresFromJSONAndCSV() throws {
    let csv = try DataFile.records(
      csv: "name,mau,news_share,source,period\nX,70.4M,12%,Pew Research,2024\n", name: "d.csv")
    let json = try DataFile.value(
      json:
        #"[{"name": "X", "mau": "70.4M", "news_share": "12%", "source": "Pew Research", "period": "2024"}]"#,
      name: "d.json")
    for loaded in [csv, json] {
      guard case .list(let rows) = loaded, case .record(let row)? = rows.first else {
        Issue.record("not a list of records: \(loaded)")
        continue
      }
      let figure = try #require(row["news_share"]?.figures.first)
      #expect(figure.publisher == "Pew Research")
      #expect(figure.period == "2024" && figure.periodGiven)
      #expect(row["news_share"]?.description == "12%")
      #expect(row["mau"]?.figures.first?.publisher == "Pew Research")
    }
  }

  @Test func figureObjectsKeepTheirOwnAndBadPeriodsAreErrors() throws {
    let json = #"""
      [{"name": "X", "source": "Row source", "period": "2024",
        "mau": {"value": 5, "unit": "users", "source": "Own source", "period": "2023"}}]
      """#
    let value = try DataFile.value(json: json, name: "d.json")
    guard case .list(let rows) = value, case .record(let row)? = rows.first else {
      Issue.record("not a list of records")
      return
    }
    #expect(row["mau"]?.figures.first?.publisher == "Own source")
    do {
      _ = try DataFile.value(json: #"[{"mau": "5M", "period": "someday"}]"#, name: "bad.json")
      Issue.record("accepted a bad period")
    } catch {
      #expect(error.message.hasPrefix("record 0 of bad.json: 'someday' in column 'period' is not a period"))
    }
  }
}

/// A UTF-8 byte order mark (Notepad, Excel's "CSV UTF-8") is not part of a script or a file.
@Suite struct ByteOrderMarkTests {
  @Test func scriptsAndFilesWithAMarkRead() throws {
    let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    let script = try Source.decode(bom + Array("let a = 1\r\na + 1".utf8), name: "s.pq")
    #expect(script.text == "let a = 1\r\na + 1")
    #expect(try Interpreter().run(source: script) == 2)
    let csv = try Source.decode(bom + Array("name,mau,source\nX,70.4M,Similarweb\n".utf8), name: "e.csv")
    let records = try DataFile.readCSV(csv)
    guard case .list(let rows) = records, case .record(let row)? = rows.first else {
      Issue.record("not records")
      return
    }
    #expect(row.keys.first == "name")
    #expect(row.kind == .platform)
    #expect(row["mau"]?.figures.first?.publisher == "Similarweb")
  }
}
