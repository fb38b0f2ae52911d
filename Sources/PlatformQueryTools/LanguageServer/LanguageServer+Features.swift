import PlatformQuery

/// The language server's answers: completion, hover, definition, symbols and formatting.
extension LanguageServer {
  /// LSP's CompletionItemKind and SymbolKind numbers that pq uses.
  enum ItemKind {
    static let function = 3, field = 5, variable = 6, module = 9, keyword = 14, constant = 21
  }
  enum SymbolKind {
    static let module = 2, function = 12, variable = 13, constant = 14
  }

  /// The word (letters, digits, `_`) around a byte offset, with its span.
  func word(at offset: Int, in source: Source) -> (text: String, span: Span)? {
    let bytes = source.bytes
    var start = min(offset, bytes.count)
    var end = start
    while start > 0, isIdentifierPart(bytes[start - 1]) { start -= 1 }
    while end < bytes.count, isIdentifierPart(bytes[end]) { end += 1 }
    guard start < end, isIdentifierStart(bytes[start]) else { return nil }
    return (String(decoding: bytes[start..<end], as: UTF8.self), Span(start: start, end: end))
  }

  /// The name before `.` when the word at `span` is a field (`x` for `x.mau`).
  func base(before span: Span, in source: Source) -> String? {
    let bytes = source.bytes
    guard span.start > 0, bytes[span.start - 1] == UInt8(ascii: ".") else { return nil }
    var start = span.start - 1
    while start > 0, isIdentifierPart(bytes[start - 1]) || bytes[start - 1] == UInt8(ascii: ".") {
      start -= 1
    }
    return String(decoding: bytes[start..<(span.start - 1)], as: UTF8.self)
  }

  // MARK: Completion

  func completion(_ document: Document, _ offset: Int) -> JSONTree {
    let source = document.source
    let location = source.location(of: offset)
    let lineStart = source.lineStarts[location.line - 1]
    let line = String(decoding: source.bytes[lineStart..<location.offset], as: UTF8.self)
    let characters = Array(line)
    let found = interpreter.completions(for: line, cursor: characters.count)
    let typed = String(characters[found.start...])
    var items: [String: JSONTree] = [:]
    let inString = interpreter.stringCompletions(characters) != nil
    let afterDot = !inString && found.start > 0 && characters[found.start - 1] == "."
    for candidate in found.candidates {
      items[candidate] = item(candidate, afterDot: afterDot, inString: inString, path: nil)
    }
    if afterDot {
      // Fields of a record literal bound in this document (`let s = {a: 1}` then `s.`).
      let prefix = String(characters[..<(found.start - 1)])
      let name = String(prefix.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" }.reversed())
      if let declaration = document.analysis.declaration(named: name, at: offset) {
        for key in declaration.recordKeys where key.hasPrefix(typed) {
          items[key] = .object([("label", .string(key)), ("kind", .int(ItemKind.field))])
        }
      }
    } else if !inString {
      for declaration in document.analysis.declarations
      where declaration.visible.contains(offset) && declaration.name.hasPrefix(typed) {
        let kind: Int
        switch declaration.kind {
        case .function: kind = ItemKind.function
        case .module: kind = ItemKind.module
        case .constant: kind = ItemKind.constant
        case .variable, .parameter: kind = ItemKind.variable
        }
        items[declaration.name] = .object([
          ("label", .string(declaration.name)), ("kind", .int(kind)),
          ("detail", .string(lineText(of: declaration.nameSpan, in: source))),
        ])
      }
    }
    let startCharacter = String(characters[..<found.start]).utf16.count
    let position = PositionEncoding.position(source, offset)
    let range = PositionEncoding.range(
      line: position.line, character: startCharacter, line: position.line, character: position.character)
    let list: [JSONTree] = items.sorted { $0.key < $1.key }.map { label, item in
      guard case .object(var fields) = item else { return item }
      fields.append(("textEdit", .object([("range", range), ("newText", .string(label))])))
      return .object(fields)
    }
    return .object([("isIncomplete", .bool(false)), ("items", .array(list))])
  }

  func item(_ candidate: String, afterDot: Bool, inString: Bool, path: String?) -> JSONTree {
    var fields: [(String, JSONTree)] = [("label", .string(candidate))]
    if afterDot || inString {
      fields.append(("kind", .int(ItemKind.field)))
    } else if Keyword(rawValue: candidate) != nil {
      fields.append(("kind", .int(ItemKind.keyword)))
    } else if let help = interpreter.help(candidate) {
      let lines = help.split(separator: "\n", maxSplits: 1).map(String.init)
      fields.append(("kind", .int(ItemKind.function)))
      fields.append(("detail", .string(lines[0])))
      if lines.count > 1 { fields.append(("documentation", .string(lines[1].trimmingSpaces))) }
    } else {
      fields.append(("kind", .int(ItemKind.variable)))
    }
    return .object(fields)
  }

  /// The text of the line a span starts on, trimmed.
  func lineText(of span: Span, in source: Source) -> String {
    source.lineText(source.location(of: span.start).line).trimmingSpaces
  }

  // MARK: Hover

  func hover(_ document: Document, _ offset: Int) -> JSONTree {
    let source = document.source
    guard let (name, span) = word(at: offset, in: source) else { return .null }
    var text: String?
    if let base = base(before: span, in: source) {
      if !document.analysis.boundNames.contains(String(base.prefix { $0 != "." })) {
        text = interpreter.inspection(of: "\(base).\(name)")
      }
    } else if let declaration = document.analysis.declaration(named: name, at: offset) {
      text = "```pq\n\(lineText(of: declaration.nameSpan, in: source))\n```"
      // What the binding is known to hold before running: its unit first.
      if let value = document.analysis.values[declaration.nameSpan.start], value.numericValue != nil {
        let unit = value.unit.isNone ? "a plain number" : "\(value.unit)"
        text? += "\n\nunit: \(unit) — known before running: \(value.inline)"
      }
    } else {
      text = interpreter.inspection(of: name)
    }
    guard let text else { return .null }
    return .object([
      ("contents", .object([("kind", .string("markdown")), ("value", .string(text))])),
      ("range", PositionEncoding.range(source, span)),
    ])
  }

  // MARK: Definition

  func definition(_ document: Document, _ offset: Int) -> JSONTree {
    let source = document.source
    let analysis = document.analysis
    // On the path of `import "file.pq"`: the file.
    for declaration in analysis.declarations
    where declaration.importPath != nil && declaration.nameSpan.start <= offset
      && offset <= declaration.nameSpan.end
    {
      guard let path = declaration.importPath else { continue }
      let folder = LanguageServer.path(of: document.uri).map { FileSystem.directory(of: $0) } ?? "."
      let target = path.hasPrefix("/") ? path : FileSystem.join(folder, path)
      return location(LanguageServer.uri(ofPath: target), PositionEncoding.zeroRange)
    }
    guard let (name, span) = word(at: offset, in: source), base(before: span, in: source) == nil,
      let declaration = analysis.declaration(named: name, at: offset)
    else { return .null }
    return location(document.uri, PositionEncoding.range(source, declaration.nameSpan))
  }

  func location(_ uri: String, _ range: JSONTree) -> JSONTree {
    .object([("uri", .string(uri)), ("range", range)])
  }

  // MARK: Symbols and formatting

  func symbols(_ document: Document) -> JSONTree {
    let source = document.source
    let list: [JSONTree] = document.analysis.declarations.filter(\.isTopLevel).map { declaration in
      let kind: Int
      switch declaration.kind {
      case .function: kind = SymbolKind.function
      case .module: kind = SymbolKind.module
      case .constant: kind = SymbolKind.constant
      case .variable, .parameter: kind = SymbolKind.variable
      }
      return .object([
        ("name", .string(declaration.name)), ("kind", .int(kind)),
        ("range", PositionEncoding.range(source, declaration.statementSpan)),
        ("selectionRange", PositionEncoding.range(source, declaration.nameSpan)),
      ])
    }
    return .array(list)
  }

  func formatting(_ document: Document) -> JSONTree {
    let source = document.source
    guard let formatted = try? CodeFormatter.format(source.text, name: source.name), formatted != source.text
    else { return .array([]) }
    let end = PositionEncoding.position(source, source.bytes.count)
    return .array([
      .object([
        ("range", PositionEncoding.range(line: 0, character: 0, line: end.line, character: end.character)),
        ("newText", .string(formatted)),
      ])
    ])
  }
}
