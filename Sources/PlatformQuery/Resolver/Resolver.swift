/// Binds every name to its declaration and builds the tree the interpreter runs: locals become
/// frame slots, variables captured by closures become environment slots, top-level names become
/// globals. Reports undefined names (with a did-you-mean), assignment to `let`, and `break` or
/// `return` out of place, all before anything runs.
package struct Resolver {
  let source: Source
  let mode: ResolutionMode
  var moduleName = ""
  var globals: GlobalScope
  /// Declarations (by span start) referenced from an inner function: these live in environments.
  var captured: Set<Int>
  var discovered: Set<Int> = []
  var scopes: [BlockScope] = []
  var functions: [FunctionContext] = []
  var errors: [PQError] = []
  /// Where the names of broken statements are declared (`StatementKind.error`): a later binding
  /// of the same name is not a second definition.
  var brokenDeclarations: Set<Int> = []
  /// Names a module exposes, in order.
  var exports: [(String, LocalBinding)] = []
  /// The globals that existed before this source (built-ins, data, the host's and earlier
  /// inputs' names) that it reads, in order of first use.
  var usedGlobals: [String] = []
  /// How many globals existed before this source.
  let existingGlobals: Int
  /// Existing global slots the source's top-level definitions of these names go into instead
  /// of new ones (the prelude's, see `Interpreter.loadPrelude`).
  var placing: [String: Int] = [:]
  /// What stops a long resolve: the evaluation's deadline and cancellation, checked every 4,096
  /// expressions. Once it fires, the rest resolves to placeholders and the limit error is thrown.
  var interruption: Runtime?
  var interrupted: PQError?
  var resolved = 0
  /// A name being resolved as an argument of a built-in that takes a field's name
  /// (`rank(d, users)`): if it is not defined, the error suggests it in quotes.
  var quotedFieldHint: String?
  /// The built-ins whose arguments after the first name a field or metric.
  static let takesFieldName: Set<String> = [
    "rank", "top", "series", "get", "has", "chart", "sort_by", "latest",
  ]

  init(source: Source, mode: ResolutionMode, globals: GlobalScope, captured: Set<Int>) {
    self.source = source
    self.mode = mode
    self.globals = globals
    self.captured = captured
    self.existingGlobals = globals.count
  }

  /// The resolved program: a body to run in a frame of `frameSize` slots.
  package struct Output {
    var body: BlockNode
    var frameSize: Int
    var globals: GlobalScope
    /// The existing globals the source reads (see `Resolver.usedGlobals`).
    var usedGlobals: [String] = []
  }

  /// Resolves a program. Runs twice: the first pass finds which variables closures capture.
  static func resolve(
    _ program: SyntaxTree, mode: ResolutionMode, globals: GlobalScope, moduleName: String = "",
    placing: [String: Int] = [:], interruption: Runtime? = nil
  )
    throws(PQError) -> Output
  {
    var first = Resolver(source: program.source, mode: mode, globals: globals, captured: [])
    first.moduleName = moduleName
    first.placing = placing
    first.interruption = interruption
    _ = first.resolveTop(program.statements)
    if let interrupted = first.interrupted { throw interrupted }
    var second = Resolver(source: program.source, mode: mode, globals: globals, captured: first.discovered)
    second.moduleName = moduleName
    second.placing = placing
    second.interruption = interruption
    let body = second.resolveTop(program.statements)
    if let interrupted = second.interrupted { throw interrupted }
    if var error = second.errors.first {
      error.followUps = Array(second.errors.dropFirst().prefix(9))
      throw error
    }
    return Output(
      body: body, frameSize: second.functions[0].maximumSlots, globals: second.globals,
      usedGlobals: second.usedGlobals)
  }

  /// Reports a program's name errors without keeping what running needs: one pass (the first
  /// pass of `resolve` finds the variables functions capture, which place values, not errors).
  /// What `check` and the editor's analysis use: half the work of `resolve`.
  static func check(
    _ program: SyntaxTree, mode: ResolutionMode, globals: GlobalScope, interruption: Runtime? = nil
  ) throws(PQError) {
    var resolver = Resolver(source: program.source, mode: mode, globals: globals, captured: [])
    resolver.interruption = interruption
    _ = resolver.resolveTop(program.statements)
    if let interrupted = resolver.interrupted { throw interrupted }
    if var error = resolver.errors.first {
      error.followUps = Array(resolver.errors.dropFirst().prefix(9))
      throw error
    }
  }

  mutating func resolveTop(_ statements: [Statement]) -> BlockNode {
    functions = [FunctionContext(isFunction: mode == .module)]
    var top = BlockScope(functionDepth: 0)
    top.isGlobal = mode != .module
    scopes = [top]
    let declared = declarationsToHoist(statements)
    prepareEnvironment(for: declared)
    hoist(statements)
    var nodes: [Node] = []
    for statement in statements {
      if let node = resolveStatement(statement) { nodes.append(node) }
    }
    let span = Span(start: 0, end: source.bytes.count)
    if mode == .module {
      exports = scopes[0].order.compactMap { name in
        name.hasPrefix("_") ? nil : scopes[0].names[name].map { (name, $0) }
      }
      let fields = exports.map { name, binding in resolveName(name, span: binding.declaration) }
      nodes.append(
        RecordNode(
          shape: Shape(keys: exports.map(\.0), kind: .module(moduleName)), fields: fields, span: span))
    }
    return BlockNode(nodes, environmentSize: scopes[0].environmentSize, isStatementPosition: true, span: span)
  }

  func error(_ message: String, _ span: Span, notes: [String] = []) -> PQError {
    PQError(.syntax, message, source: source, span: span, notes: notes)
  }

  mutating func report(_ message: String, _ span: Span, notes: [String] = []) {
    errors.append(error(message, span, notes: notes))
  }

  // MARK: Scopes

  var functionDepth: Int { functions.count - 1 }

  mutating func pushScope() {
    scopes.append(BlockScope(functionDepth: functionDepth))
  }

  /// Pops a scope, releasing its slots for reuse; returns its environment size.
  mutating func popScope(releasingTo slot: Int) -> Int {
    let scope = scopes.removeLast()
    functions[functionDepth].nextSlot = slot
    return scope.environmentSize
  }

  /// The names a block declares, with their declaration spans, before resolving its statements.
  func declarationsToHoist(_ statements: [Statement]) -> [Int] {
    statements.compactMap { statement in
      switch statement.kind {
      case .binding(_, let span, _, _): return span.start
      case .function(let function): return function.nameSpan?.start
      case .importModule(_, _, _, let span): return span.start
      default: return nil
      }
    }
  }

  /// Marks the current scope as needing an environment when any of these declarations is captured.
  mutating func prepareEnvironment(for declarations: [Int]) {
    if !scopes[scopes.count - 1].isGlobal, declarations.contains(where: captured.contains) {
      scopes[scopes.count - 1].hasEnvironment = true
    }
  }

  /// Declares the block's `fn` names up front so functions can call each other in any order.
  mutating func hoist(_ statements: [Statement]) {
    for statement in statements {
      if case .function(let function) = statement.kind, let name = function.name, let span = function.nameSpan
      {
        _ = declare(name, mutable: false, span: span, hoisted: true)
      }
    }
  }

  /// Declares a name in the innermost scope and returns where it lives.
  mutating func declare(_ name: String, mutable: Bool, span: Span, hoisted: Bool = false)
    -> LocalBinding.Place
  {
    let current = scopes.count - 1
    let placed = scopes[current].isGlobal ? placing[name] : nil
    if scopes[current].isGlobal, placed == nil, globals.protects, let entry = globals.names[name],
      entry.isBuiltin
    {
      report(
        "'\(name)' is provided by the host and cannot be redefined", span,
        notes: ["choose another name for your value"])
    }
    if let existing = scopes[current].names[name] {
      if existing.declaration == span { return existing.place }  // hoisted earlier
      // A name a broken statement was about to bind is not defined twice by a later binding.
      if !(mode == .prompt && scopes[current].isGlobal),
        !brokenDeclarations.contains(existing.declaration.start)
      {
        let line = source.location(of: existing.declaration.start).line
        report(
          "'\(name)' is already defined in this scope", span,
          notes: ["the earlier definition is on line \(line); use 'var' and assignment, or another name"])
        return existing.place
      }
    }
    let place: LocalBinding.Place
    if let placed {
      place = .global(placed)
    } else if scopes[current].isGlobal {
      place = .global(globals.define(name, mutable: mutable, isBuiltin: false))
    } else if scopes[current].hasEnvironment, captured.contains(span.start) {
      place = .environment(scope: current, index: scopes[current].environmentSize)
      scopes[current].environmentSize += 1
    } else {
      let slot = functions[functionDepth].nextSlot
      functions[functionDepth].nextSlot += 1
      functions[functionDepth].maximumSlots = max(functions[functionDepth].maximumSlots, slot + 1)
      place = .slot(slot)
    }
    // A name new to the scope joins its order (checked by the table, not by scanning the
    // order: 100,000 `let`s were quadratic).
    let isNew =
      scopes[current].names.updateValue(
        LocalBinding(place: place, mutable: mutable, declaration: span), forKey: name) == nil
    if isNew { scopes[current].order.append(name) }
    return place
  }

  /// Finds a name: locals from the innermost scope out, then globals.
  mutating func lookup(_ name: String) -> (LocalBinding, scope: Int)? {
    for index in stride(from: scopes.count - 1, through: 0, by: -1) {
      guard let binding = scopes[index].names[name] else { continue }
      if scopes[index].functionDepth < functionDepth, !scopes[index].isGlobal {
        discovered.insert(binding.declaration.start)
      }
      return (binding, index)
    }
    if let entry = globals.names[name], mode != .module || entry.isBuiltin {
      return (
        LocalBinding(
          place: .global(entry.index), mutable: entry.mutable, declaration: Span(start: 0, end: 0)), -1
      )
    }
    return nil
  }

  /// How a binding is reached from the current position.
  func storage(of binding: LocalBinding, scope: Int) -> Storage {
    switch binding.place {
    case .slot(let slot): return .local(slot)
    case .global(let index): return .global(index)
    case .environment(let owner, let index):
      var hops = 0
      var position = scopes.count - 1
      while position > owner {
        if scopes[position].hasEnvironment { hops += 1 }
        position -= 1
      }
      return .environment(hops: hops, index: index)
    }
  }

  /// Every name visible here, for did-you-mean.
  func visibleNames() -> [String] {
    var names = Set<String>()
    for scope in scopes { names.formUnion(scope.names.keys) }
    for (name, entry) in globals.names where mode != .module || entry.isBuiltin { names.insert(name) }
    return names.sorted()
  }
}
