import PlatformQuery

/// What the language server knows about one open document without running it: its problems
/// (syntax and name errors as `pq --check` reports them, and unit errors among figures whose
/// values are known before running) and the names it declares, with where each can be seen.
struct DocumentAnalysis {
  /// A name the document binds.
  struct Declaration {
    enum Kind {
      case constant, variable, function, parameter, module
    }
    var name: String
    var kind: Kind
    var nameSpan: Span
    /// The whole statement (or parameter) that declares it.
    var statementSpan: Span
    /// The byte range in which the name refers to this declaration.
    var visible: Range<Int>
    var isTopLevel: Bool
    /// The keys of a record literal it is bound to (`let s = {a: 1}`), for completion.
    var recordKeys: [String] = []
    /// For `import "file.pq"`: the path as written.
    var importPath: String?
    /// For a function: its parameters' names (signature help).
    var parameters: [String] = []
  }

  let source: Source
  var program: SyntaxTree?
  var problems: [PQError] = []
  var declarations: [Declaration] = []
  /// Every name the document binds anywhere; a global of the same name is then not "known".
  var boundNames: Set<String> = []
  /// The declarations of each name, by their index in `declarations`: a name is found among its
  /// own declarations, not by scanning them all (a 20,000-line file has 20,000).
  var declarationsByName: [String: [Int]] = [:]
  /// Every use of a name as a value (`a` in `a + 1`, `f` in `f(x)`, an assignment's target), in
  /// the order of the source: for renaming and semantic tokens.
  var references: [(name: String, span: Span)] = []
  /// The value of each `let` binding known before running, by the offset of its name: what
  /// hover shows (its unit first).
  var values: [Int: Value] = [:]

  /// Documents larger than this are kept but not analysed.
  static let largestAnalysed = 4 << 20

  /// Whether the text was analysed to the end: false when a newer change stopped the analysis
  /// or made the server skip it (its problems and declarations are then not known).
  var isAnalysed = true

  /// A document kept without analysis (a newer change superseded it).
  init(unanalysed source: Source) {
    self.source = source
    isAnalysed = false
  }

  /// Analyses a document. `stop` is asked between the stages, and a cancellation of the
  /// interpreter's evaluation stops the parse and resolve inside them: either leaves the
  /// analysis not `isAnalysed`.
  init(source: Source, interpreter: Interpreter, stop: () -> Bool = { false }) {
    self.source = source
    guard source.bytes.count <= DocumentAnalysis.largestAnalysed else {
      problems = [
        PQError(
          .runtime,
          "this file is larger than \(DocumentAnalysis.largestAnalysed >> 20) MB: pq's editor support does not analyse it",
          source: source, span: Span(start: 0, end: 0))
      ]
      return
    }
    if stop() {
      isAnalysed = false
      return
    }
    // The parser recovers at statement and bracket boundaries: every syntax error is reported,
    // and the statements around them are read on, so that the names, definitions and unit
    // errors of the rest are known while a line is being typed. Only text the lexer refuses (an
    // unclosed string) is read with the lines of its errors blanked instead.
    var analysed = source
    var blanked = false
    do {
      let (tree, errors) = try interpreter.analysisStep { (runtime) throws(PQError) in
        try Parser.recovering(source, interruption: runtime)
      }
      program = tree
      problems = errors
    } catch {
      if error.limitReason == .cancelled {
        isAnalysed = false
        return
      }
      problems = [error] + error.followUps
      guard let (text, tree) = DocumentAnalysis.recover(source, from: problems, interpreter: interpreter)
      else {
        return
      }
      analysed = text
      program = tree
      blanked = true
    }
    guard let program else { return }
    let whole = 0..<(source.bytes.count + 1)
    collect(program.statements, visible: whole, topLevel: true)
    boundNames = Set(declarations.map(\.name))
    for (index, declaration) in declarations.enumerated() {
      declarationsByName[declaration.name, default: []].append(index)
    }
    references.sort { $0.span.start < $1.span.start }
    if stop() {
      isAnalysed = false
      return
    }
    do {
      // Resolved as `check` does (a recovered tree's broken statements bind their names); the
      // unit checker below is this analysis's own.
      try interpreter.resolve(program)
    } catch {
      if error.limitReason == .cancelled {
        isAnalysed = false
        return
      }
      // The names a broken statement was about to bind are bound (`StatementKind.error`), so a
      // name error here is news, not noise under the syntax error. In blanked text, a name
      // bound on a blanked line is missing: name errors there would be noise, and are left out.
      var all = (blanked ? [] : [error] + error.followUps).map { problem in
        var problem = problem
        problem.followUps = []
        return problem
      }
      all.removeAll { problem in
        problems.contains { $0.span == problem.span && $0.message == problem.message }
      }
      problems += all
    }
    if stop() {
      isAnalysed = false
      return
    }
    var checker = UnitChecker(interpreter: interpreter, bound: boundNames, source: source)
    _ = try? interpreter.analysisStep { (_) throws(PQError) in checker.check(program.statements) }
    problems += checker.problems.map { problem in
      var problem = problem
      problem.pointing(from: analysed, to: source)
      return problem
    }
    values = checker.boundValues
    problems.sort { ($0.span?.start ?? 0) < ($1.span?.start ?? 0) }
  }

  /// The document with the lines of its syntax errors blanked (bytes made spaces, line breaks
  /// kept, so every offset is the document's) until it parses, and its tree; nil when it does not
  /// within a few rounds. A statement left open to the end (`fn f() {` never closed) is blanked
  /// from its first line.
  static func recover(_ source: Source, from errors: [PQError], interpreter: Interpreter) -> (
    Source, SyntaxTree
  )? {
    var bytes = source.bytes
    var pending = errors
    for _ in 0..<32 {
      var changed = false
      for error in pending {
        let offset = min(error.span?.start ?? bytes.count, bytes.count)
        var start = offset
        while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
        var end = offset
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        let atEnd =
          error.isUnexpectedEnd
          || bytes[offset...].allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }
        let lineIsBlank = bytes[start..<end].allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
        func beginsStatement(_ lineStart: Int) -> Bool {
          guard let first = bytes[lineStart...].first else { return false }
          return first != 0x20 && first != 0x09 && first != 0x0A && first != 0x0D
            && first != UInt8(ascii: "}")
            && first != UInt8(ascii: ")") && first != UInt8(ascii: "]")
        }
        // An error at the first word of a statement's line (`let` after `let b = (a +`) belongs to
        // the statement before, left open: that one is blanked, from its first line.
        let firstWord = bytes[start..<offset].allSatisfy { $0 == 0x20 || $0 == 0x09 }
        if !atEnd, !lineIsBlank, firstWord, beginsStatement(start), start > 0 {
          end = start - 1
          start = end
          while start > 0 {
            var previous = start - 1
            while previous > 0, bytes[previous - 1] != 0x0A { previous -= 1 }
            start = previous
            if beginsStatement(start) { break }
          }
        } else if (atEnd && !beginsStatement(start)) || lineIsBlank {
          // Back to the line the open statement began on: the last line starting in column 1.
          while start > 0 {
            var previous = start - 1
            while previous > 0, bytes[previous - 1] != 0x0A { previous -= 1 }
            start = previous
            if beginsStatement(start) { break }
          }
        }
        if atEnd { end = bytes.count }
        for index in start..<end where bytes[index] != 0x0A && bytes[index] != 0x20 {
          bytes[index] = 0x20
          changed = true
        }
      }
      guard changed else { return nil }
      let candidate = Source(name: source.name, text: String(decoding: bytes, as: UTF8.self))
      do {
        let (tree, _) = try interpreter.analysisStep { (runtime) throws(PQError) in
          try Parser.recovering(candidate, interruption: runtime)
        }
        return (candidate, tree)
      } catch {
        if error.limitReason == .cancelled { return nil }
        pending = [error] + error.followUps
      }
    }
    return nil
  }

  // MARK: Declarations

  mutating func collect(_ statements: [Statement], visible: Range<Int>, topLevel: Bool) {
    for statement in statements {
      let rest = statement.span.start..<visible.upperBound
      switch statement.kind {
      case .binding(let name, let nameSpan, let mutable, let value):
        var declaration = Declaration(
          name: name, kind: mutable ? .variable : .constant, nameSpan: nameSpan,
          statementSpan: statement.span,
          visible: rest, isTopLevel: topLevel)
        if case .record(let fields) = value.kind { declaration.recordKeys = fields.map(\.key) }
        if case .function(let function) = value.kind {
          declaration.kind = .function
          declaration.parameters = function.parameters.map(\.name)
        }
        declarations.append(declaration)
        collect(value)
      case .function(let function):
        if let name = function.name, let nameSpan = function.nameSpan {
          var declaration = Declaration(
            name: name, kind: .function, nameSpan: nameSpan, statementSpan: statement.span,
            visible: visible,
            isTopLevel: topLevel)
          declaration.parameters = function.parameters.map(\.name)
          declarations.append(declaration)
        }
        collect(function)
      case .error(let names):
        // A statement being typed (`let b = (a +`): its name is declared from here on.
        for (name, nameSpan) in names {
          declarations.append(
            Declaration(
              name: name, kind: .variable, nameSpan: nameSpan, statementSpan: statement.span, visible: rest,
              isTopLevel: topLevel))
        }
      case .importModule(let name, let isPath, let alias, let nameSpan):
        let bound = alias ?? (isPath ? Self.moduleName(ofPath: name) : name)
        declarations.append(
          Declaration(
            name: bound, kind: .module, nameSpan: nameSpan, statementSpan: statement.span, visible: rest,
            isTopLevel: topLevel, importPath: isPath ? name : nil))
      case .expression(let expression):
        collect(expression)
      case .assign(let target, _, let value, _):
        collect(target)
        collect(value)
      case .whileLoop(let condition, let body):
        collect(condition)
        collect(body.statements, visible: body.span.start..<body.span.end, topLevel: false)
      case .forLoop(let first, let second, let sequence, let body):
        collect(sequence)
        let inside = body.span.start..<body.span.end
        for variable in [first] + (second.map { [$0] } ?? []) {
          declarations.append(
            Declaration(
              name: variable.name, kind: .variable, nameSpan: variable.span, statementSpan: variable.span,
              visible: inside, isTopLevel: false))
        }
        collect(body.statements, visible: inside, topLevel: false)
      case .returnValue(let value):
        if let value { collect(value) }
      case .breakLoop, .continueLoop:
        break
      }
    }
  }

  mutating func collect(_ function: FunctionSyntax) {
    let inside = function.body.span.start..<function.body.span.end
    for parameter in function.parameters {
      declarations.append(
        Declaration(
          name: parameter.name, kind: .parameter, nameSpan: parameter.span, statementSpan: parameter.span,
          visible: inside, isTopLevel: false))
    }
    collect(function.body.statements, visible: inside, topLevel: false)
  }

  /// Finds the declarations inside an expression (function literals and blocks) and the uses of
  /// names.
  mutating func collect(_ expression: Expr) {
    switch expression.kind {
    case .name(let name): references.append((name, expression.span))
    case .function(let function): collect(function)
    case .block(let block):
      collect(block.statements, visible: block.span.start..<block.span.end, topLevel: false)
    case .ifElse(let condition, let then, let otherwise):
      collect(condition)
      collect(then.statements, visible: then.span.start..<then.span.end, topLevel: false)
      if let otherwise { collect(otherwise) }
    default:
      for child in expression.children { collect(child) }
    }
  }

  /// The name `import "path/to/file.pq"` binds: the file's name without folder and extension.
  static func moduleName(ofPath path: String) -> String {
    var name = path.split(separator: "/").last.map(String.init) ?? path
    if name.hasSuffix(".pq") { name.removeLast(3) }
    return name
  }

  /// The declaration a name at `offset` refers to: the innermost one visible there, and among
  /// those the latest declared before it (a re-`let` at the top level shadows).
  func declaration(named name: String, at offset: Int) -> Declaration? {
    // Compared where they lie, by index: only the one found is copied out (a name declared
    // thousands of times, a loop's `k`, made every lookup copy every declaration of it).
    var best: Int?
    for index in declarationsByName[name] ?? [] where declarations[index].visible.contains(offset) {
      guard let current = best else {
        best = index
        continue
      }
      let a = declarations[index]
      let b = declarations[current]
      let better: Bool
      if a.visible.count != b.visible.count {
        better = a.visible.count < b.visible.count
      } else if (a.nameSpan.start <= offset) != (b.nameSpan.start <= offset) {
        better = a.nameSpan.start <= offset
      } else {
        better = a.nameSpan.start > b.nameSpan.start
      }
      if better { best = index }
    }
    return best.map { declarations[$0] }
  }
}
