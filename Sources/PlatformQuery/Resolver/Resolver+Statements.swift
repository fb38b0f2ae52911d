extension Resolver {
  /// Resolves a block in a new scope.
  mutating func resolveBlock(_ block: Block, statementPosition: Bool) -> Node {
    simplified(resolveBlockNode(block, statementPosition: statementPosition))
  }

  /// The block as a `BlockNode`, never simplified to its one statement (a loop runs the
  /// statements of its body itself).
  mutating func resolveBlockNode(_ block: Block, statementPosition: Bool) -> BlockNode {
    let savedSlot = functions[functionDepth].nextSlot
    pushScope()
    prepareEnvironment(for: declarationsToHoist(block.statements))
    hoist(block.statements)
    let nodes = resolveStatements(block.statements)
    let environmentSize = popScope(releasingTo: savedSlot)
    return BlockNode(
      nodes, environmentSize: environmentSize, isStatementPosition: statementPosition, span: block.span)
  }

  /// A block of one expression with no environment runs as that expression, saving a node per
  /// evaluation. Inside an expression, a lone `return`, `break` or `continue` keeps its block,
  /// which turns it into the control signal.
  func simplified(_ block: BlockNode) -> Node {
    guard block.environmentSize == 0, block.statements.count == 1, let only = block.statements.first else {
      return block
    }
    if !block.isStatementPosition, only is ReturnNode || only is JumpNode { return block }
    if only is LocalSetNode || only is GlobalSetNode || only is EnvironmentSetNode { return block }
    return only
  }

  mutating func resolveStatements(_ statements: [Statement]) -> [Node] {
    var nodes: [Node] = []
    for statement in statements {
      if let node = resolveStatement(statement) { nodes.append(node) }
    }
    return nodes
  }

  mutating func resolveStatement(_ statement: Statement) -> Node? {
    let span = statement.span
    switch statement.kind {
    case .expression(let expression):
      return resolve(expression, statementPosition: true)
    case .binding(let name, let nameSpan, let mutable, let value):
      // A function literal may call itself by the name it is bound to (`let f = fn(n) { f(n) }`),
      // so that name is in scope inside it; any other value sees the names before the binding.
      if case .function = value.kind {
        let place = declare(name, mutable: mutable, span: nameSpan)
        return setter(place, value: resolve(value), span: span)
      }
      let node = resolve(value)
      let place = declare(name, mutable: mutable, span: nameSpan)
      return setter(place, value: node, span: span)
    case .function(let function):
      guard let name = function.name, let nameSpan = function.nameSpan else { return nil }
      let place = declare(name, mutable: false, span: nameSpan)
      let closure = resolveFunction(function, name: name)
      return setter(place, value: closure, span: span)
    case .assign(let target, let compound, let value, let operatorSpan):
      return resolveAssignment(target, compound, value, operatorSpan: operatorSpan, span: span)
    case .whileLoop(let condition, let body):
      let test = resolve(condition)
      functions[functionDepth].loopDepth += 1
      let block = resolveBlockNode(body, statementPosition: true)
      functions[functionDepth].loopDepth -= 1
      return WhileNode(condition: test, body: block, span: span)
    case .forLoop(let first, let second, let sequence, let body):
      return resolveFor(first, second, sequence, body, span: span)
    case .breakLoop, .continueLoop:
      let word = statement.kind.isBreak ? "break" : "continue"
      guard functions[functionDepth].loopDepth > 0 else {
        report(
          "'\(word)' outside a loop", span,
          notes: functionDepth > 0 && functionsHaveOuterLoop
            ? ["a function body cannot \(word) the loop around it"] : [])
        return nil
      }
      return JumpNode(statement.kind.isBreak ? .breakLoop : .continueLoop, span: span)
    case .returnValue(let value):
      guard functions[functionDepth].isFunction, functionDepth > 0 else {
        report("'return' outside a function", span, notes: ["the value of a script is its last expression"])
        return nil
      }
      return ReturnNode(value.map { resolve($0) }, span: span)
    case .error(let names):
      // Only in a recovered tree (the editor's analysis): the names the broken statement was
      // about to bind are defined, as variables, so that their uses are not undefined.
      for (name, nameSpan) in names where scopes[scopes.count - 1].names[name] == nil {
        brokenDeclarations.insert(nameSpan.start)
        _ = declare(name, mutable: true, span: nameSpan)
      }
      return nil
    case .importModule(let name, let isPath, let alias, let nameSpan):
      let binding = alias ?? moduleBindingName(name, isPath: isPath)
      guard isName(binding) else {
        report(
          "cannot bind the module \"\(name)\" to the name '\(binding)'", nameSpan,
          notes: ["give it a name: import \"\(name)\" as lib"])
        return nil
      }
      let place = declare(binding, mutable: false, span: nameSpan)
      let scope = scopes.count - 1
      let target = storage(
        of: LocalBinding(place: place, mutable: false, declaration: nameSpan), scope: scope)
      return ImportNode(name: name, isPath: isPath, target: target, source: source, span: span)
    }
  }

  var functionsHaveOuterLoop: Bool { functions.dropLast().contains { $0.loopDepth > 0 } }

  func moduleBindingName(_ name: String, isPath: Bool) -> String {
    guard isPath else { return name }
    let file = name.split(separator: "/").last.map(String.init) ?? name
    return file.hasSuffix(".pq") ? String(file.dropLast(3)) : file
  }

  /// A node that stores a value into a freshly declared name.
  func setter(_ place: LocalBinding.Place, value: Node, span: Span) -> Node {
    let value = Resolver.stored(value)
    switch place {
    case .slot(let slot): return LocalSetNode(slot: slot, value: value, span: span)
    case .global(let index): return GlobalSetNode(index: index, value: value, span: span)
    case .environment(_, let index):
      // Declared in the innermost scope, whose environment is the current one.
      return EnvironmentSetNode(hops: 0, index: index, value: value, span: span)
    }
  }

  /// The value of a store as the store evaluates it: a variable read, a number constant or an
  /// element or field read on a variable in its numeric form (`let t = y`, `x = 0`,
  /// `let t = xs[i]`), so that a plain number is stored without making a `Value` and a loop
  /// counts the store among its numeric ones (`LoopStatement`); anything else as it is. A
  /// numeric read of something that is not a plain number gives NaN and reads it as usual.
  static func stored(_ value: Node) -> Node {
    switch value {
    case is LocalGetNode, is GlobalGetNode, is EnvironmentGetNode, is ConstantNode, is IndexNode,
      is FieldNode, is LocalConstantBinaryNode, is ConstantRightBinaryNode:
      return NumericNode.operand(value) ?? value
    default: return value
    }
  }

  mutating func resolveFor(
    _ first: (name: String, span: Span), _ second: (name: String, span: Span)?, _ sequence: Expr,
    _ body: Block,
    span: Span
  ) -> Node {
    let rangeArguments = rangeCallArguments(sequence, variables: second == nil ? 1 : 2)
    let sequenceNode = rangeArguments == nil ? resolve(sequence) : nil
    let bounds = rangeArguments?.map { resolve($0) }
    let savedSlot = functions[functionDepth].nextSlot
    pushScope()
    var declared = [first.span.start]
    if let second { declared.append(second.span.start) }
    prepareEnvironment(for: declared + declarationsToHoist(body.statements))
    let firstSlot = loopSlot(declare(first.name, mutable: false, span: first.span))
    let secondSlot = second.map { loopSlot(declare($0.name, mutable: false, span: $0.span)) }
    hoist(body.statements)
    functions[functionDepth].loopDepth += 1
    let nodes = resolveStatements(body.statements)
    functions[functionDepth].loopDepth -= 1
    let environmentSize = popScope(releasingTo: savedSlot)
    let block = BlockNode(nodes, environmentSize: environmentSize, isStatementPosition: true, span: body.span)
    if let bounds {
      let (start, end, step): (Node?, Node, Node?) =
        bounds.count == 1 ? (nil, bounds[0], nil) : (bounds[0], bounds[1], bounds.count > 2 ? bounds[2] : nil)
      return ForRangeNode(variable: firstSlot, start: start, end: end, step: step, body: block, span: span)
    }
    return ForNode(
      first: firstSlot, second: secondSlot, sequence: sequenceNode ?? ConstantNode(.nil, span: span),
      body: block, span: span)
  }

  /// Where a loop variable lives; one in an environment is in the body's, the current one.
  func loopSlot(_ place: LocalBinding.Place) -> Storage {
    switch place {
    case .slot(let slot): return .local(slot)
    case .environment(_, let index): return .environment(hops: 0, index: index)
    case .global(let index): return .global(index)
    }
  }

  /// The arguments of `range(…)` when a one-variable loop runs over a direct call to the
  /// built-in, which then counts without building a list.
  mutating func rangeCallArguments(_ sequence: Expr, variables: Int) -> [Expr]? {
    guard variables == 1, case .call(let callee, let arguments) = sequence.kind,
      case .name("range") = callee.kind,
      (1...3).contains(arguments.count), arguments.allSatisfy({ $0.label == nil })
    else { return nil }
    for index in stride(from: scopes.count - 1, through: 0, by: -1) where scopes[index].names["range"] != nil
    {
      return nil
    }
    guard let entry = globals.names["range"], entry.isBuiltin else { return nil }
    return arguments.map(\.value)
  }

  /// A function literal or declaration: its own slot numbering, parameters in the first slots.
  mutating func resolveFunction(_ function: FunctionSyntax, name: String) -> Node {
    functions.append(FunctionContext(isFunction: true))
    let savedScopes = scopes.count
    pushScope()
    let declarations = function.parameters.map(\.span.start) + declarationsToHoist(function.body.statements)
    prepareEnvironment(for: declarations)
    var capturedParameters: [(Int, Int)] = []
    for (index, parameter) in function.parameters.enumerated() {
      // Parameters arrive in the first slots; captured ones are copied into the environment.
      let slot = functions[functionDepth].nextSlot
      functions[functionDepth].nextSlot += 1
      functions[functionDepth].maximumSlots = max(functions[functionDepth].maximumSlots, slot + 1)
      if scopes[scopes.count - 1].hasEnvironment, captured.contains(parameter.span.start) {
        let environmentIndex = scopes[scopes.count - 1].environmentSize
        scopes[scopes.count - 1].environmentSize += 1
        capturedParameters.append((index, environmentIndex))
        scopes[scopes.count - 1].names[parameter.name] = LocalBinding(
          place: .environment(scope: scopes.count - 1, index: environmentIndex), mutable: true,
          declaration: parameter.span)
      } else {
        scopes[scopes.count - 1].names[parameter.name] = LocalBinding(
          place: .slot(slot), mutable: true, declaration: parameter.span)
      }
    }
    hoist(function.body.statements)
    var nodes = resolveStatements(function.body.statements)
    // A `return` that ends the body gives what the body's last expression would: its value
    // is the body's, without setting and reading back the runtime's return slot and flow.
    if let last = nodes.last as? ReturnNode {
      nodes[nodes.count - 1] = last.value ?? ConstantNode(.nil, span: last.span)
    }
    let environmentSize = scopes[scopes.count - 1].environmentSize
    let body = simplified(
      BlockNode(nodes, environmentSize: 0, isStatementPosition: true, span: function.body.span))
    scopes.removeLast(scopes.count - savedScopes)
    let prototype = FunctionPrototype(
      name: name, parameterCount: function.parameters.count, capturedParameters: capturedParameters,
      frameSize: functions[functionDepth].maximumSlots, environmentSize: environmentSize, body: body,
      source: source, span: function.span)
    functions.removeLast()
    return ClosureNode(prototype, span: function.span)
  }
}

extension StatementKind {
  var isBreak: Bool {
    if case .breakLoop = self { return true }
    return false
  }
}
