import PQTestSupport
import Testing

@testable import PlatformQuery

#if canImport(Glibc)
  import Glibc
#endif

/// Save and load, CSV and JSON, over every unit, nil, quoted text and text that looks like a
/// number. What each file must hold is written out by hand.
@Suite struct FileRoundTripTests {
  func folder() -> String { temporaryDirectory() }

  /// One row per kind of cell: the pq value, its CSV cell, its JSON text.
  static let cells: [(pq: String, csv: String, json: String)] = [
    ("3", "3", "3"), ("0.25", "0.25", "0.25"), ("-1.5", "-1.5", "-1.5"),
    ("as_unit(10, \"users\")", "10", "{\"value\": 10, \"unit\": \"users\"}"),
    ("$2.6M", "$2600000", "{\"value\": 2600000, \"unit\": \"USD\"}"),
    ("57%", "57%", "{\"value\": 57, \"unit\": \"%\"}"), ("14%", "14%", "{\"value\": 14, \"unit\": \"%\"}"),
    ("59% - 57%", "2pp", "{\"value\": 2, \"unit\": \"pp\"}"), ("0.1 + 0.2", "0.3", "0.3"),
    ("nil", "", "null"),
    ("\"a, \\\"quoted\\\" cell\"", "\"a, \"\"quoted\"\" cell\"", "\"a, \\\"quoted\\\" cell\""),
    ("\"08123\"", "08123", "\"08123\""), ("true", "true", "true"),
  ]

  @Test func csvCellsAreWrittenAsPqNotationAndReadBackEqual() throws {
    let dir = folder()
    let (pq, _) = makeInterpreter(files: .folders([dir]))
    for (index, cell) in FileRoundTripTests.cells.enumerated() {
      let path = "\(dir)/c\(index).csv"
      _ = try pq.evaluate("save([{name: \"A\", v: \(cell.pq)}], \"\(path)\")")
      let text = String(decoding: try FileSystem.read(path), as: UTF8.self)
      // A users column is not a metric, so its unit goes into the header.
      let header = cell.pq.contains("users") ? "name,v (users)" : "name,v"
      #expect(text == "\(header)\nA,\(cell.csv)\n", "\(cell.pq)")
      let back = try pq.evaluate("load(\"\(path)\")[0].v == \(cell.pq)")
      #expect(back.description == "true", "\(cell.pq) read back from \(text)")
    }
  }

  /// Saving never changes a number, not even in its last bit: values of full double precision
  /// (ratios, shares, bit patterns) and decimals longer than 15 digits, as plain numbers, money,
  /// percentages and points, through CSV cells, JSON values and JSON figures. (The fuzzer found
  /// `8888888888888888888888877777800` (the double 8_888_888_888_888_888_440_141_161_431_040)
  /// written at 15 digits and read back as another number;
  /// and a percentage written as shown, ×100, then read back ÷100 can miss by a bit.)
  @Test func everyNumberSurvivesASaveExactly() throws {
    var random = SplitMix(state: 8)
    var numbers: [Double] = [
      8_888_888_888_888_888_440_141_161_431_040, 88_888_888_888_888_896, 70.4e6 / 698e3, 0.1 + 0.2, 1 / 3,
      0.57, 0.573_456_789_012_345_6, 1e-7, 123_456_789.123_456_78, 2.6e9 / 2e9,
    ]
    for _ in 0..<400 {
      numbers.append(random.magnitude())
      numbers.append(random.magnitude() / random.magnitude())
      numbers.append(Double(bitPattern: 0x3F00_0000_0000_0000 | (random.next() & 0x00FF_FFFF_FFFF_FFFF)))
    }
    for unit in [Unit.none, .usd, .percent, .points, .users] {
      let records = numbers.map { number in
        Value.record(
          Record([("name", .string("A")), ("v", Value.make(unit == .usd ? abs(number) : number, unit, nil))]))
      }
      let csv = try DataFile.csv(.list(records))
      let fromCSV = try DataFile.records(
        csv: csv.replacingFirstLine(with: unit == .users ? "name,v (users)" : "name,v"))
      let json = try DataFile.json(.list(records))
      let fromJSON = try DataFile.value(json: json)
      for (index, record) in records.enumerated() {
        guard case .record(let written) = record, let expected = written["v"]?.numericValue else { continue }
        for (format, back) in [("CSV", fromCSV), ("JSON", fromJSON)] {
          guard case .list(let rows) = back, case .record(let row) = rows[index] else {
            Issue.record("\(format): no row \(index)")
            continue
          }
          let read = row["v"]?.numericValue
          #expect(
            read?.bitPattern == expected.bitPattern,
            "\(format) \(unit): \(expected) read back as \(String(describing: read))")
        }
      }
    }
  }

  @Test func jsonValuesAreWrittenAsShownAndReadBackEqual() throws {
    let dir = folder()
    let (pq, _) = makeInterpreter(files: .folders([dir]))
    for (index, cell) in FileRoundTripTests.cells.enumerated() {
      let path = "\(dir)/j\(index).json"
      _ = try pq.evaluate("save(\(cell.pq), \"\(path)\")")
      let text = String(decoding: try FileSystem.read(path), as: UTF8.self)
      #expect(text == cell.json + "\n", "\(cell.pq)")
      let back = try pq.evaluate("load(\"\(path)\") == \(cell.pq)")
      #expect(back.description == "true", "\(cell.pq) read back from \(text)")
    }
  }

  /// Cases FuzzLoad found, each once a silent change on a save and load.
  @Test func csvRoundTripsOfOddCells() throws {
    for text in [
      "a\nx\n\"\"\n",  // a one-column row with an empty cell is not a blank line
      "a,b\n\"q\u{30D}\",1\n",  // a quote with a combining mark is still a quote
      "a,b\nx,888888888888888888888 pp\n",  // points beyond 2^53
      "a,b\nx,$2.6111111111111111111111M\n",  // more digits than a double holds
    ] {
      let loaded = try DataFile.records(csv: text)
      let written = try DataFile.csv(loaded)
      let again = try DataFile.records(csv: written)
      #expect(again == loaded, "\(text.debugDescription) wrote \(written.debugDescription)")
      #expect(try DataFile.csv(again) == written, "\(text.debugDescription)")
    }
  }

  @Test func csvPercentColumnsMustSayTheirScale() throws {
    let dir = folder()
    let (pq, _) = makeInterpreter(files: .folders([dir]))
    try FileSystem.writeAtomically("\(dir)/pew.csv", Array("name,news_share\nX,57\n".utf8))
    do {
      _ = try pq.evaluate("load(\"\(dir)/pew.csv\")")
      Issue.record("a bare 57 under news_share loaded")
    } catch {
      #expect(error.message == "'57' in column 'news_share' has no % sign, so its scale is unclear")
      #expect(error.location?.line == 2 && error.location?.column == 3)
      #expect(error.notes.first?.contains("news_share (%)") == true)
    }
    try FileSystem.writeAtomically("\(dir)/headed.csv", Array("name,news_share (%),zip\nX,57,08123\n".utf8))
    #expect(
      try pq.evaluate("let d = load(\"\(dir)/headed.csv\"); [d[0].news_share, d[0].zip]").description
        == "[57%, \"08123\"]")
  }

  @Test func loadedRecordsShowAndSaveTheirOwnColumns() throws {
    let dir = folder()
    let (pq, _) = makeInterpreter(files: .folders([dir]))
    let csv = "name,news_share,wave,source\nX,12%,2024-10,Pew Research\n"
    try FileSystem.writeAtomically("\(dir)/own.csv", Array(csv.utf8))
    let shown = try pq.evaluate("load(\"\(dir)/own.csv\")").description
    #expect(
      shown
        == "name  news_share  wave     source\n────  ──────────  ───────  ────────────\nX            12%  2024-10  Pew Research"
    )
    _ = try pq.evaluate("save(load(\"\(dir)/own.csv\"), \"\(dir)/again.csv\")")
    #expect(String(decoding: try FileSystem.read("\(dir)/again.csv"), as: UTF8.self) == csv)
  }
}

extension String {
  /// The text with its first line replaced.
  fileprivate func replacingFirstLine(with line: String) -> String {
    guard let newline = firstIndex(of: "\n") else { return line }
    return line + self[newline...]
  }
}
