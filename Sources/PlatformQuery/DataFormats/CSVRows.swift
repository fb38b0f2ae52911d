/// The CSV row splitter (RFC 4180, or a data package's dialect): bytes into rows of cells with
/// their offsets.
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
}
