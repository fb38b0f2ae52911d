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
    let sources = ["Pew Research", "Similarweb", "Company filing", "Pew Research "]
    let periods = ["2024", "2024-09", "H1 2024", "2023-Q4", ""]
    for round in 0..<20 {
      var lines = ["name,users,news_share,source,period"]
      var expected: [(source: String, period: String)] = []
      for row in 0..<random.int(1...60) {
        let source = sources[random.int(0...(sources.count - 1))]
        let period = periods[random.int(0...(periods.count - 1))]
        lines.append("P\(row),\(random.int(1...900))M,\(random.int(1...99))%,\(source),\(period)")
        expected.append((source.trimmingSpaces, period))
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
        }
      }
    }
  }
}
