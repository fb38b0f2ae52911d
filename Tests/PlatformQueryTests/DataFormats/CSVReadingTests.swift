import PQTestSupport
import Testing

@testable import PlatformQuery

/// The CSV reader against plain references on generated input: the row splitter against a
/// byte-at-a-time reading of RFC 4180 (quotes, doubled quotes, CR LF, blank lines), and each
/// figure's provenance against the cells of its own row, whatever the order of the rows (the
/// reader reads a row's provenance once for each distinct set of cells).
@Suite struct CSVReadingTests {
  /// The rows of `text` as the reader is documented to split them, written as simply as possible.
  static func referenceRows(_ text: String) -> (rows: [[String]], unterminated: Bool) {
    let bytes = Array(text.utf8)
    var rows: [[String]] = []
    var row: [String] = []
    var cell: [UInt8] = []
    var quoted = false
    var rowHadQuote = false
    var index = 0
    func endCell() {
      row.append(String(decoding: cell, as: UTF8.self))
      cell = []
    }
    while index < bytes.count {
      let byte = bytes[index]
      if quoted {
        if byte == 0x22 {
          if index + 1 < bytes.count, bytes[index + 1] == 0x22 {
            cell.append(0x22)
            index += 1
          } else {
            quoted = false
          }
        } else {
          cell.append(byte)
        }
      } else if byte == 0x22, cell.isEmpty {
        quoted = true
        rowHadQuote = true
      } else if byte == 0x2C {
        endCell()
      } else if byte == 0x0A || byte == 0x0D {
        if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
        endCell()
        if !(row.count == 1 && row[0].isEmpty && !rowHadQuote) { rows.append(row) }
        row = []
        rowHadQuote = false
      } else {
        cell.append(byte)
      }
      index += 1
    }
    if quoted { return (rows, true) }
    if !cell.isEmpty || !row.isEmpty {
      endCell()
      rows.append(row)
    }
    return (rows, false)
  }

  @Test func rowsSplitAsTheReferenceDoesOnGeneratedText() {
    var random = SplitMix(state: 0x00C5_5EED)
    let pieces = ["a", "bc", ",", "\"", "\"\"", "\n", "\r\n", "\r", " ", "é", "12.5M", ""]
    for round in 0..<3000 {
      var text = ""
      for _ in 0..<random.int(0...24) { text += pieces[random.int(0...(pieces.count - 1))] }
      let expected = Self.referenceRows(text)
      let source = Source(name: "g.csv", text: text)
      do {
        let rows = try DataFile.rows(source).map { $0.map(\.0) }
        #expect(!expected.unterminated, "round \(round): \(text.debugDescription) read despite an open quote")
        #expect(rows == expected.rows, "round \(round): \(text.debugDescription)")
      } catch {
        #expect(expected.unterminated, "round \(round): \(text.debugDescription): \(error.message)")
        #expect(error.message == "unterminated quoted cell")
      }
    }
  }

  @Test func cellOffsetsPointAtTheirCells() throws {
    let text = "name,users\r\n\"Blue, sky\",10M\n\nX,\"2\"\"0M\"\n"
    let rows = try DataFile.rows(Source(name: "o.csv", text: text))
    let bytes = Array(text.utf8)
    #expect(rows.map { $0.map(\.0) } == [["name", "users"], ["Blue, sky", "10M"], ["X", "2\"0M"]])
    for row in rows {
      for (cell, offset) in row {
        // An unquoted cell starts at its offset; a quoted one starts with its quote there.
        let first = cell.utf8.first
        #expect(bytes[offset] == first || bytes[offset] == 0x22, "\(cell) at \(offset)")
      }
    }
  }

  /// Rows whose sources and periods change from row to row (repeating, alternating, new ones late
  /// in the file): every figure says its own row's source and period.
  @Test func everyFigureKeepsItsOwnRowsProvenance() throws {
    var random = SplitMix(state: 0x5EED_0035)
    // Sources and notes whose cells run together alike ("Pew" and "Research", "Pew Research"
    // and none): a row's provenance is its own cells', not another's that reads the same joined.
    let sources = ["Pew Research", "Similarweb", "Company filing", "Pew Research ", "Pew"]
    let periods = ["2024", "2024-09", "H1 2024", "2023-Q4", ""]
    let notes = ["", "Research", " Research", "x"]
    for round in 0..<20 {
      var lines = ["name,users,news_share,source,period,note"]
      var expected: [(source: String, period: String, note: String?)] = []
      for row in 0..<random.int(1...60) {
        let source = sources[random.int(0...(sources.count - 1))]
        let period = periods[random.int(0...(periods.count - 1))]
        let note = notes[random.int(0...(notes.count - 1))]
        lines.append("P\(row),\(random.int(1...900))M,\(random.int(1...99))%,\(source),\(period),\(note)")
        expected.append((source.trimmingSpaces, period, note.isEmpty ? nil : note.trimmingSpaces))
      }
      let rows = try DataFile.records(csv: lines.joined(separator: "\n") + "\n", name: "p.csv")
      guard case .list(let items) = rows else {
        Issue.record("round \(round): \(rows)")
        return
      }
      #expect(items.count == expected.count)
      for (index, item) in items.enumerated() {
        guard case .record(let record) = item else { continue }
        for field in ["users", "news_share"] {
          guard case .quantity(_, let measure)? = record[field], let figure = measure.asFigure else {
            Issue.record("round \(round) row \(index): \(field) is not a figure")
            continue
          }
          #expect(figure.publisher == expected[index].source, "round \(round) row \(index)")
          #expect(
            figure.period == (expected[index].period.isEmpty ? "not given" : expected[index].period),
            "round \(round) row \(index)")
          #expect(figure.platform == "P\(index)")
          #expect(figure.note == expected[index].note, "round \(round) row \(index)")
        }
      }
    }
  }

  /// Cells read from the file's bytes in place (the path most cells of a large file take) against
  /// the same files read through each cell's text: generated cells of every notation, with
  /// spaces, quotes and words, under metric, percent, headed, plain, text and period columns,
  /// with and without provenance columns. Both ways give equal records, or the same error at the same place.
  @Test func cellsReadInPlaceAsThroughTheirText() {
    var random = SplitMix(state: 0x00C5_11CE)
    let columns = [
      "users", "news_share", "news_share (%)", "revenue", "web_visits", "count", "zip", "reach (users)",
      "source", "note", "2023", "2024",
    ]
    func pick<T>(_ items: [T]) -> T { items[random.int(0...(items.count - 1))] }
    func cell() -> String {
      switch random.int(0...9) {
      case 0:
        return pick([
          "", " ", "NA", "-", "true", "abc", "20 million", "08123", "1K..2K", "n/a", " \u{301}x", "x \u{301}",
        ])
      case 1: return pick(["\"1,000\"", "\"2.5M\"", "\" 3B \"", "\"x\"\"y\"", "\"\""])
      default:
        var text = pick(["", "", "", " ", "\t", "  "])
        if random.int(0...5) == 0 { text += "$" }
        if random.int(0...9) == 0 { text += "-" }
        text += String(random.int(0...99_999))
        if random.int(0...2) == 0 { text += "." + String(random.int(0...999)) }
        if random.int(0...1) == 0 { text += pick(["K", "M", "B", "T"]) }
        if random.int(0...3) == 0 { text += pick(["%", " pp", "pp", "e3"]) }
        return text + pick(["", "", "", " ", "\t"])
      }
    }
    var loaded = 0
    for round in 0..<400 {
      var header = ["name"]
      for _ in 0..<random.int(1...3) {
        let column = pick(columns)
        if !header.contains(column) { header.append(column) }
      }
      if random.int(0...2) == 0 { header.append("period") }
      var lines = [header.joined(separator: ",")]
      for row in 0..<random.int(1...6) {
        var cells = ["P\(row % 3)"]
        for column in header.dropFirst() {
          cells.append(column == "period" ? pick(["2024", "2024-09", " 2023 ", ""]) : cell())
        }
        lines.append(cells.joined(separator: ","))
      }
      let text = lines.joined(separator: "\n") + "\n"
      func read(_ inPlace: Bool) -> Result<Value, PQError> {
        do throws(PQError) {
          return .success(try DataFile.readCSV(Source(name: "g.csv", text: text), readsInPlace: inPlace))
        } catch {
          return .failure(error)
        }
      }
      switch (read(true), read(false)) {
      case (.success(let fast), .success(let general)):
        loaded += 1
        #expect(fast == general, "round \(round): \(text.debugDescription)")
        #expect(fast.inline == general.inline, "round \(round): \(text.debugDescription)")
      case (.failure(let fast), .failure(let general)):
        #expect(fast.message == general.message, "round \(round): \(text.debugDescription)")
        #expect(fast.location == general.location, "round \(round): \(text.debugDescription)")
      case (let fast, let general):
        Issue.record("round \(round): \(fast) against \(general) for \(text.debugDescription)")
      }
    }
    // Enough files load (the rest fail alike both ways) for the records to be compared.
    #expect(loaded > 60, "\(loaded) of 400 loaded")
  }
}
