import PlatformQuery

/// Services for interactive front ends: completion, continuation of unfinished input, and
/// turning a multi-line input into one history line.
extension Interpreter {
  /// Completion candidates for the word that ends at `cursor` (a character offset) in `line`.
  /// - Returns: the character offset where the word starts and the full candidates, sorted.
  public func completions(for line: String, cursor: Int) -> (start: Int, candidates: [String]) {
    let characters = Array(line.prefix(cursor))
    var start = characters.count
    while start > 0,
      characters[start - 1].isLetter || characters[start - 1].isNumber || characters[start - 1] == "_"
    {
      start -= 1
    }
    let word = String(characters[start...])
    if let inString = stringCompletions(characters) { return inString }
    if start > 0, characters[start - 1] == "." {
      var pathStart = start - 1
      while pathStart > 0,
        characters[pathStart - 1].isLetter || characters[pathStart - 1].isNumber
          || characters[pathStart - 1] == "_"
          || characters[pathStart - 1] == "."
      {
        pathStart -= 1
      }
      let path = String(characters[pathStart..<(start - 1)])
      guard case .record(let record)? = value(atPath: path) else { return (start, []) }
      return (start, record.keys.filter { $0.hasPrefix(word) }.sorted())
    }
    var names = Set(globalNames.filter { !$0.hasPrefix("_") })
    names.formUnion(Keyword.allCases.map(\.rawValue))
    return (start, names.filter { $0.hasPrefix(word) }.sorted())
  }

  /// Functions whose string argument is a file path, and those whose string argument names a
  /// metric, for completion inside a string.
  static let pathFunctions: Set<String> = ["load", "save"]
  static let metricFunctions: Set<String> = [
    "rank", "top", "chart", "get", "with_figure", "series", "latest", "sort_by", "headline", "definition",
  ]

  /// Candidates when the cursor is inside a string literal: file names for `load("…`,
  /// `save(v, "…` and `import "…` (when the interpreter may touch files), metric names for
  /// `rank(ps, "…` and the like. Nil when the cursor is not inside a string.
  func stringCompletions(_ characters: [Character]) -> (start: Int, candidates: [String])? {
    // The opening quote of the string the cursor is in, if it is in one.
    var quote: Int?
    var index = 0
    while index < characters.count {
      if characters[index] == "\\", quote != nil {
        index += 2
        continue
      }
      if characters[index] == "\"" { quote = quote == nil ? index : nil }
      index += 1
    }
    guard let quote else { return nil }
    let typed = String(characters[(quote + 1)...])
    if typed.contains("\\(") { return (quote + 1, []) }
    // The function whose argument this is: the name before the innermost open parenthesis.
    var depth = 0
    var position = quote - 1
    var function = ""
    while position >= 0 {
      let character = characters[position]
      if character == ")" || character == "]" { depth += 1 }
      if character == "(" || character == "[" {
        if depth == 0 {
          var nameStart = position
          while nameStart > 0, characters[nameStart - 1].isLetter || characters[nameStart - 1] == "_" {
            nameStart -= 1
          }
          function = String(characters[nameStart..<position])
          break
        }
        depth -= 1
      }
      position -= 1
    }
    let before = String(characters[..<quote]).trimmingSpaces
    let isImport = before.hasSuffix("import")
    if isImport || Interpreter.pathFunctions.contains(function) {
      if case .none = options.fileAccess { return (quote + 1, []) }
      return (quote + 1, FileSystem.completions(of: typed))
    }
    if Interpreter.metricFunctions.contains(function) {
      // The fields of the list the call is about (`rank(d, "` offers d's columns), when its
      // first argument is a name or a path of fields; else the article's metrics.
      var metrics = Metric.all.map(\.field) + ["name"]
      if position >= 0, position + 1 < quote {
        let first = String(characters[(position + 1)..<quote]).split(separator: ",").first.map {
          String($0).trimmingSpaces
        }
        if let first, !first.isEmpty,
          first.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }),
          case .list(let items)? = value(atPath: first)
        {
          var keys: [String] = []
          for item in items.prefix(50) {
            guard case .record(let record) = item else { continue }
            for key in record.keys where !keys.contains(key) { keys.append(key) }
          }
          if !keys.isEmpty { metrics = keys }
        }
      }
      return (quote + 1, metrics.filter { $0.hasPrefix(typed) }.sorted())
    }
    return (quote + 1, [])
  }

  /// True when the text is one expression (`gap("mau")`, `_ > 100`), not a statement or several:
  /// what a prompt can save as `_ = (text)` to keep `_` meaning the same in a script.
  public static func isSingleExpression(_ text: String) -> Bool {
    guard
      let program = try? LargeStack.run({ () throws(PQError) in
        try Parser.parse(Source(name: "<repl>", text: text))
      }),
      program.statements.count == 1, case .expression = program.statements[0].kind
    else { return false }
    return true
  }

  /// Whether the text uses the name `_` (as a name, not inside a string or comment).
  public static func usesLastValue(_ text: String) -> Bool {
    guard let tokens = try? Lexer.tokenize(Source(name: "<repl>", text: text)) else { return false }
    return tokens.contains { token in
      if case .identifier(let name) = token.kind { return name == "_" }
      return false
    }
  }

  /// True when the text is valid so far but unfinished: an open bracket, block or string, or a
  /// trailing operator. The prompt then asks for more.
  public func isIncomplete(_ text: String) -> Bool {
    let trimmed = text.trimmingSpaces
    if trimmed.hasSuffix("\\") { return true }
    do {
      _ = try LargeStack.run { () throws(PQError) in try Parser.parse(Source(name: "<repl>", text: text)) }
      return false
    } catch {
      return error.isUnexpectedEnd
    }
  }

  /// One line equivalent to a multi-line input, for history: line breaks that end statements
  /// become `; `, the others spaces.
  public static func singleLine(_ text: String) -> String {
    guard text.contains("\n") else { return text }
    let source = Source(name: "<history>", text: text)
    guard let tokens = try? Lexer.tokenize(source) else {
      return text.split(separator: "\n").map { $0.trimmingSpaces }.joined(separator: " ")
    }
    var separators = Set<Int>()
    var insideStrings: [Range<Int>] = []
    for token in tokens {
      if case .newline = token.kind { separators.insert(token.span.start) }
      if case .string = token.kind { insideStrings.append(token.span.start..<token.span.end) }
    }
    var out: [UInt8] = []
    var index = 0
    let bytes = source.bytes
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "#"), !insideStrings.contains(where: { $0.contains(index) }) {
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
        continue
      }
      if byte == UInt8(ascii: "\n"), !insideStrings.contains(where: { $0.contains(index) }) {
        while let last = out.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\\") {
          out.removeLast()
        }
        let previous = out.last
        let piece =
          separators.contains(index) && previous != UInt8(ascii: "{") && previous != nil ? "; " : " "
        out.append(contentsOf: piece.utf8)
        index += 1
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") {
          index += 1
        }
        continue
      }
      out.append(byte)
      index += 1
    }
    return String(decoding: out, as: UTF8.self).trimmingSpaces
  }
}
