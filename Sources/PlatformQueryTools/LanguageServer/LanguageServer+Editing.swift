import PlatformQuery

/// The language server's help while typing and changing code: signature help, renaming a
/// binding, and semantic tokens (figures, units, built-ins and the document's own bindings).
extension LanguageServer {
  // MARK: Signature help

  /// The call the cursor is in: the called name, where its `(` is, and which argument the cursor
  /// is on (the commas before it at the call's own depth). Strings and comments are passed over.
  static func enclosingCall(_ bytes: [UInt8], before offset: Int) -> (name: String, open: Int, argument: Int)?
  {
    var open: [(name: String?, at: Int, commas: Int)] = []
    var index = 0
    let end = min(offset, bytes.count)
    while index < end {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "\""):
        index += 1
        while index < end, bytes[index] != UInt8(ascii: "\"") {
          if bytes[index] == UInt8(ascii: "\\") { index += 1 }
          index += 1
        }
      case UInt8(ascii: "#"):
        while index < end, bytes[index] != UInt8(ascii: "\n") { index += 1 }
      case UInt8(ascii: "("):
        var start = index
        while start > 0, isIdentifierPart(bytes[start - 1]) { start -= 1 }
        let name =
          start < index && isIdentifierStart(bytes[start])
          ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
        open.append((name, index, 0))
      case UInt8(ascii: "["), UInt8(ascii: "{"):
        open.append((nil, index, 0))
      case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
        if !open.isEmpty { open.removeLast() }
      case UInt8(ascii: ","):
        if !open.isEmpty { open[open.count - 1].commas += 1 }
      default:
        break
      }
      index += 1
    }
    guard let call = open.last, let name = call.name, Keyword(rawValue: name) == nil else { return nil }
    return (name, call.at, call.commas)
  }

  /// The parameters written in a signature `name(a, b?, ...rest)`, with their offsets in it in
  /// UTF-16 code units (LSP's parameter labels).
  static func parameterOffsets(in signature: String) -> [(name: String, start: Int, end: Int)] {
    let units = Array(signature.utf16)
    guard let open = units.firstIndex(of: UInt16(UInt8(ascii: "("))),
      let close = units.lastIndex(of: UInt16(UInt8(ascii: ")"))), open < close
    else { return [] }
    var found: [(String, Int, Int)] = []
    var start = open + 1
    for index in (open + 1)...close where index == close || units[index] == UInt16(UInt8(ascii: ",")) {
      var from = start
      while from < index, units[from] == UInt16(UInt8(ascii: " ")) { from += 1 }
      if from < index {
        found.append((String(decoding: units[from..<index], as: UTF16.self), from, index))
      }
      start = index + 1
    }
    return found
  }

  func signatureHelp(_ document: Document, _ offset: Int) -> JSONTree {
    let source = document.source
    guard let call = LanguageServer.enclosingCall(source.bytes, before: offset) else { return .null }
    let label: String
    var documentation: String?
    if let declaration = document.analysis.declaration(named: call.name, at: call.open),
      declaration.kind == .function
    {
      label = "\(call.name)(\(declaration.parameters.joined(separator: ", ")))"
      documentation = lineText(of: declaration.nameSpan, in: source)
    } else if !document.analysis.boundNames.contains(call.name), let help = interpreter.help(call.name) {
      let lines = help.split(separator: "\n", maxSplits: 1).map(String.init)
      label = lines[0]
      if lines.count > 1 { documentation = lines[1].trimmingSpaces }
    } else {
      return .null
    }
    let parameters = LanguageServer.parameterOffsets(in: label)
    var active = call.argument
    if let last = parameters.last, last.name.hasPrefix("...") { active = min(active, parameters.count - 1) }
    var signature: [(String, JSONTree)] = [
      ("label", .string(label)),
      (
        "parameters",
        .array(parameters.map { .object([("label", .array([.int($0.start), .int($0.end)]))]) })
      ),
    ]
    if let documentation {
      signature.append(
        ("documentation", .object([("kind", .string("markdown")), ("value", .string(documentation))])))
    }
    return .object([
      ("signatures", .array([.object(signature)])), ("activeSignature", .int(0)),
      ("activeParameter", .int(active)),
    ])
  }

  // MARK: Rename

  /// The declaration of the document's binding at `offset` (on its name or on a use of it), or
  /// nil for a field, a built-in or anything else the document does not bind.
  func renamable(_ document: Document, _ offset: Int) -> (DocumentAnalysis.Declaration, Span)? {
    let analysis = document.analysis
    guard let (name, span) = word(at: offset, in: document.source),
      base(before: span, in: document.source) == nil
    else { return nil }
    if let index = analysis.declarationsByName[name]?.first(where: {
      analysis.declarations[$0].nameSpan.start == span.start
    }) {
      return (analysis.declarations[index], span)
    }
    guard analysis.references.contains(where: { $0.span.start == span.start }),
      let declaration = analysis.declaration(named: name, at: span.start)
    else { return nil }
    return (declaration, span)
  }

  func prepareRename(_ document: Document, _ offset: Int) -> JSONTree {
    guard let (declaration, span) = renamable(document, offset) else { return .null }
    return .object([
      ("range", PositionEncoding.range(document.source, span)), ("placeholder", .string(declaration.name)),
    ])
  }

  /// Every place that names the binding at `offset` (its declaration and each use that refers to
  /// it, not to another binding of the same name), renamed. A new name that is not a name, is a
  /// keyword, is a built-in's, or would change what another use refers to is refused, and so is
  /// any rename in a file with a syntax error (a use inside the broken statement is not known).
  func rename(_ document: Document, _ offset: Int, to newName: String) throws(Failure) -> JSONTree {
    let analysis = document.analysis
    guard let (declaration, _) = renamable(document, offset) else {
      throw Failure(code: .requestFailed, message: "only a name this file binds can be renamed here")
    }
    // Uses inside a statement that does not parse are not known: renaming then could leave one
    // behind, silently.
    if let broken = analysis.problems.first(where: { $0.kind == .syntax }) {
      let line = document.source.location(of: broken.span?.start ?? 0).line
      throw Failure(
        code: .requestFailed,
        message:
          "the file has a syntax error on line \(line); fix it first, so that every use of '\(declaration.name)' is found"
      )
    }
    guard isName(newName) else {
      throw Failure(code: .invalidParams, message: "'\(newName)' is not a name pq code can use")
    }
    guard !analysis.boundNames.contains(newName) || newName == declaration.name,
      interpreter[newName] == nil
    else {
      throw Failure(
        code: .requestFailed,
        message: "'\(newName)' is already a name here; renaming would change what some uses refer to")
    }
    var spans = [declaration.nameSpan]
    for reference in analysis.references where reference.name == declaration.name {
      guard let found = analysis.declaration(named: reference.name, at: reference.span.start),
        found.nameSpan == declaration.nameSpan, reference.span != declaration.nameSpan
      else { continue }
      spans.append(reference.span)
    }
    let edits: [JSONTree] = spans.sorted { $0.start < $1.start }.map { span in
      .object([("range", PositionEncoding.range(document.source, span)), ("newText", .string(newName))])
    }
    return .object([("changes", .object([(document.uri, .array(edits))]))])
  }

  // MARK: Semantic tokens

  /// The token types and modifiers of `semanticTokensProvider`'s legend, in order.
  static let tokenTypes = ["variable", "parameter", "function", "property", "number", "namespace", "type"]
  static let tokenModifiers = ["declaration", "readonly", "defaultLibrary"]

  enum TokenType: Int {
    case variable, parameter, function, property, number, namespace, unit
  }

  struct TokenModifiers: OptionSet {
    let rawValue: Int
    static let declaration = TokenModifiers(rawValue: 1)
    static let readonly = TokenModifiers(rawValue: 2)
    static let defaultLibrary = TokenModifiers(rawValue: 4)
  }

  /// The document's tokens as LSP's semantic tokens: the figures of the data (`mau` in `x.mau`,
  /// a property of the default library), units named in strings (`as_unit(v, "users")`, `unit:
  /// "USD"`), numbers, built-ins, and the document's own bindings (declaration and uses; a
  /// constant is read-only). Five numbers a token, each position relative to the one before.
  func semanticTokens(_ document: Document) -> JSONTree {
    let source = document.source
    guard let tokens = try? Lexer.tokenize(source) else { return .object([("data", .array([]))]) }
    var found: [(span: Span, type: TokenType, modifiers: TokenModifiers)] = []
    classify(tokens, document, into: &found)
    var data: [JSONTree] = []
    var previous = (line: 0, character: 0)
    for token in found.sorted(by: { $0.span.start < $1.span.start }) {
      let start = PositionEncoding.position(source, token.span.start)
      let end = PositionEncoding.position(source, token.span.end)
      guard end.line == start.line, end.character > start.character else { continue }
      let deltaLine = start.line - previous.line
      let deltaStart = deltaLine == 0 ? start.character - previous.character : start.character
      data += [
        deltaLine, deltaStart, end.character - start.character, token.type.rawValue, token.modifiers.rawValue,
      ]
      .map { .int($0) }
      previous = start
    }
    return .object([("data", .array(data))])
  }

  /// Classifies the tokens (and those inside interpolations) of a document.
  func classify(
    _ tokens: [Token], _ document: Document,
    into found: inout [(span: Span, type: TokenType, modifiers: TokenModifiers)]
  ) {
    let analysis = document.analysis
    // The innermost call's name and argument, for units named in strings.
    var calls: [(name: String?, argument: Int)] = []
    for (index, token) in tokens.enumerated() {
      let previous = index > 0 ? tokens[index - 1].kind : nil
      switch token.kind {
      case .number:
        found.append((token.span, .number, []))
      case .string(let parts):
        for part in parts {
          if case .code(let inner, _) = part { classify(inner, document, into: &found) }
        }
        let labelledUnit: Bool = {
          guard index > 1, case .symbol(.colon)? = previous, case .identifier("unit") = tokens[index - 2].kind
          else { return false }
          return true
        }()
        let unitArgument = calls.last.map { $0.name == "as_unit" && $0.argument == 1 } ?? false
        if labelledUnit || unitArgument, parts.count == 1, case .text(let text) = parts[0],
          Unit.parse(text) != nil
        {
          found.append((token.span, .unit, []))
        }
      case .symbol(.leftParen):
        if case .identifier(let name)? = previous { calls.append((name, 0)) } else { calls.append((nil, 0)) }
      case .symbol(.leftBracket), .symbol(.leftBrace):
        calls.append((nil, 0))
      case .symbol(.rightParen), .symbol(.rightBracket), .symbol(.rightBrace):
        if !calls.isEmpty { calls.removeLast() }
      case .symbol(.comma):
        if !calls.isEmpty { calls[calls.count - 1].argument += 1 }
      case .identifier(let name):
        if case .symbol(.dot)? = previous {
          // A field: a figure of the data when the path starts at one of its globals.
          var first = index - 2
          while first >= 2, case .symbol(.dot) = tokens[first - 1].kind,
            case .identifier = tokens[first - 2].kind
          {
            first -= 2
          }
          if first >= 0, case .identifier(let root) = tokens[first].kind, !analysis.boundNames.contains(root),
            interpreter[root] != nil
          {
            found.append((token.span, .property, [.defaultLibrary, .readonly]))
          } else {
            found.append((token.span, .property, []))
          }
          continue
        }
        if let declaration = analysis.declaration(named: name, at: token.span.start) {
          var modifiers: TokenModifiers = declaration.nameSpan.start == token.span.start ? [.declaration] : []
          let type: TokenType
          switch declaration.kind {
          case .constant:
            type = .variable
            modifiers.insert(.readonly)
          case .variable: type = .variable
          case .parameter: type = .parameter
          case .function: type = .function
          case .module: type = .namespace
          }
          found.append((token.span, type, modifiers))
        } else if case .symbol(.colon)? = index + 1 < tokens.count ? tokens[index + 1].kind : nil {
          continue  // a record key or an argument's label
        } else if let value = interpreter[name] {
          if case .function = value {
            found.append((token.span, .function, [.defaultLibrary]))
          } else {
            found.append((token.span, .variable, [.defaultLibrary, .readonly]))
          }
        }
      default:
        break
      }
    }
  }
}
