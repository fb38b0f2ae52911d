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

  /// One row's cells, found in the file's bytes: a cell without quotes is a range of the file,
  /// one with quotes was copied (its doubled quotes made one) into the row's own bytes. Its text
  /// is made only when asked: the numbers of a large file are read from the bytes in place.
  struct CSVRow {
    /// Each cell: where it starts in the file (what errors point at), and its bytes — in the
    /// file, or in `copied` when `copied` is true. The first `count` are this row's; the rest
    /// are room kept from longer rows before (overwritten, not removed and appended again).
    fileprivate var cells: [(offset: Int, start: Int, end: Int, copied: Bool)] = []
    fileprivate var copied: [UInt8] = []
    /// The file's bytes (shared with its `Source`, not copied).
    fileprivate let file: [UInt8]
    /// How many cells the row has.
    private(set) var count = 0

    init(_ source: Source) { file = source.bytes }

    var isEmpty: Bool { count == 0 }

    /// Where cell `index` starts in the file.
    func offset(_ index: Int) -> Int { cells[index].offset }

    /// Cell `index`'s bytes, as they are (spaces kept).
    func withBytes<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
      let cell = cells[index]
      return (cell.copied ? copied : file).withUnsafeBufferPointer { all in
        body(UnsafeBufferPointer(rebasing: all[cell.start..<cell.end]))
      }
    }

    /// Cell `index`'s bytes without the spaces, tabs and line breaks around them. (As bytes: a
    /// number read from them is the number `trimmingSpaces` leaves, since no mark combines with
    /// a space before a digit or after a number's last character.)
    func withTrimmedBytes<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
      withBytes(index) { bytes in
        var start = 0
        var end = bytes.count
        while start < end, CSVRow.isSpace(bytes[start]) { start += 1 }
        while end > start, CSVRow.isSpace(bytes[end - 1]) { end -= 1 }
        return body(UnsafeBufferPointer(rebasing: bytes[start..<end]))
      }
    }

    /// What `trimmingSpaces` trims (ASCII only: a file's other spaces are text).
    static func isSpace(_ byte: UInt8) -> Bool {
      byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    /// Cell `index`'s text, as it is.
    func text(_ index: Int) -> String { withBytes(index) { String(decoding: $0, as: UTF8.self) } }

    /// Cell `index`'s text without the spaces around it, as `trimmingSpaces` makes it (which
    /// trims characters: a space a combining mark follows is not trimmed).
    func trimmed(_ index: Int) -> String {
      withBytes(index) { bytes in
        guard let first = bytes.first, let last = bytes.last else { return "" }
        let text = String(decoding: bytes, as: UTF8.self)
        return CSVRow.isSpace(first) || CSVRow.isSpace(last) ? text.trimmingSpaces : text
      }
    }

    /// Whether cell `index` has no bytes at all.
    fileprivate func isEmptyCell(_ index: Int) -> Bool { cells[index].start == cells[index].end }

    /// Whether cell `index` is empty once trimmed.
    func isBlank(_ index: Int) -> Bool { withTrimmedBytes(index) { $0.isEmpty } }

    /// Cell `index`'s text and offset.
    subscript(index: Int) -> (String, Int) { (text(index), cells[index].offset) }

    /// Every cell's text and offset.
    var pairs: [(String, Int)] { (0..<count).map { self[$0] } }

    /// Appends cell `index`'s bytes, as they are, to `key`, then 0xFF, a byte UTF-8 never has
    /// (a source's bytes are UTF-8: `Source.decode` refuses others): the cells of two rows have
    /// the same bytes exactly when their keys are equal.
    func appendBytes(_ index: Int, to key: inout [UInt8]) {
      withBytes(index) { key.append(contentsOf: $0) }
      key.append(0xFF)
    }

    fileprivate mutating func removeAll() {
      count = 0
      if !copied.isEmpty { copied.removeAll(keepingCapacity: true) }
    }

    /// Adds a cell: the file's bytes from `offset` to `end`.
    fileprivate mutating func append(offset: Int, end: Int) {
      set((offset, offset, end, false))
    }

    /// Adds a cell starting at `offset` in the file whose bytes are `copy`'s.
    fileprivate mutating func append(offset: Int, copy: [UInt8]) {
      set((offset, copied.count, copied.count + copy.count, true))
      copied.append(contentsOf: copy)
    }

    private mutating func set(_ cell: (offset: Int, start: Int, end: Int, copied: Bool)) {
      if count < cells.count { cells[count] = cell } else { cells.append(cell) }
      count += 1
    }
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
      var row = CSVRow(source)
      return try next(into: &row) ? row.pairs : nil
    }

    /// Reads the next row into `row` (its room kept from the row before), or returns false at
    /// the end. An unquoted cell is made from the file's bytes in place; only a cell with quotes
    /// is copied a byte at a time (its doubled quotes made one).
    mutating func next(into row: inout CSVRow) throws(PQError) -> Bool {
      row.removeAll()
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

    /// `scanRow` for another dialect: the delimiter, quote and escape characters as given,
    /// comment lines skipped, spaces after a delimiter dropped when asked. (The RFC 4180 reader
    /// below is the fast path every file without a dialect takes.)
    private static func scanRow(
      _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, dialect: Dialect, into row: inout CSVRow
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
          row.append(offset: cellStart, copy: cell)
          cell.removeAll(keepingCapacity: true)
          cellStart = index + 1
          atCellStart = true
          if dialect.skipInitialSpace {
            while cellStart < count, bytes[cellStart] == 0x20 { cellStart += 1 }
            index = cellStart
            continue
          }
        } else if byte == newline || byte == carriageReturn {
          row.append(offset: cellStart, copy: cell)
          if byte == carriageReturn, index + 1 < count, bytes[index + 1] == newline { index += 1 }
          index += 1
          if !(row.count == 1 && row.isEmptyCell(0) && !rowHadQuote) {
            return (true, index, nil)
          }
          rowHadQuote = false
          row.removeAll()
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
        row.append(offset: cellStart, copy: cell)
        return (true, index, nil)
      }
      return (false, index, nil)
    }

    /// Reads one row from `start`: whether a row was found, where the next begins, and where an
    /// unterminated quote began. A blank line is skipped; a line holding only `""` is a row with
    /// one empty cell.
    private static func scanRow(
      _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, into row: inout CSVRow
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
        if !copying {
          // A run of bytes that are neither a comma, a quote nor a line break, in a cell read in
          // place: only the position moves, in a loop of its own (in the loop below, which keeps
          // its state on the stack, each such byte cost about 25 instructions).
          var scan = index
          while scan < count {
            let byte = bytes[scan]
            if byte == comma || byte == quote || byte == newline || byte == carriageReturn { break }
            scan += 1
          }
          index = scan
          if index == count { break }
        }
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
          if copying {
            row.append(offset: cellStart, copy: cell)
            // Only a copied cell has bytes to clear: `removeAll` on every cell cost about 80
            // instructions a cell, empty or not.
            cell.removeAll(keepingCapacity: true)
            copying = false
          } else {
            row.append(offset: cellStart, end: index)
          }
          cellStart = index + 1
        } else if byte == newline || byte == carriageReturn {
          if copying {
            row.append(offset: cellStart, copy: cell)
          } else {
            row.append(offset: cellStart, end: index)
          }
          if byte == carriageReturn, index + 1 < count, bytes[index + 1] == newline { index += 1 }
          index += 1
          if !(row.count == 1 && row.isEmptyCell(0) && !rowHadQuote) {
            return (true, index, nil)
          }
          rowHadQuote = false
          row.removeAll()
          if copying {
            cell.removeAll(keepingCapacity: true)
            copying = false
          }
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
        if copying {
          row.append(offset: cellStart, copy: cell)
        } else {
          row.append(offset: cellStart, end: index)
        }
        return (true, index, nil)
      }
      return (false, index, nil)
    }
  }
}

/// Bytes as a table key, hashed once over the bytes (FNV-1a, as record shapes hash their keys):
/// an `[UInt8]` hashes each byte through `Hasher` on its own.
struct CellBytes: PrehashedKey {
  let bytes: [UInt8]
  let hash: Int

  init(_ bytes: [UInt8]) {
    self.bytes = bytes
    hash = Int(truncatingIfNeeded: bytes.withUnsafeBufferPointer { KeyTable.hash($0) })
  }

  static func == (left: CellBytes, right: CellBytes) -> Bool {
    left.hash == right.hash && left.bytes == right.bytes
  }
}
