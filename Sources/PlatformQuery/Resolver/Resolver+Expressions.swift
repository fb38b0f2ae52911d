extension Resolver {
  /// Resolves an expression. In statement position, `if` branches pass `return`/`break`/`continue`
  /// on as flow; elsewhere they throw a control signal (see `BlockNode`).
  mutating func resolve(_ expression: Expr, statementPosition: Bool = false) -> Node {
    let span = expression.span
    resolved &+= 1
    if resolved & 4095 == 0, let interruption, interrupted == nil {
      interrupted = interruption.interruption(span)
    }
    if interrupted != nil { return ConstantNode(.nil, span: span) }
    switch expression.kind {
    case .number(let value, let unit):
      switch unit {
      case .none: return ConstantNode(.number(value), span: span)
      case .money: return ConstantNode(Value.make(value, .usd, nil), span: span)
      case .percent: return ConstantNode(Value.make(value, .percent, nil), span: span)
      case .points: return ConstantNode(Value.make(value, .points, nil), span: span)
      }
    case .string(let text):
      return ConstantNode(.string(text), span: span)
    case .interpolation(let parts):
      return InterpolationNode(
        parts.map { part in
          switch part {
          case .text(let text): return .text(text)
          case .code(let code): return .code(resolve(code))
          }
        }, span: span)
    case .boolean(let value):
      return ConstantNode(.bool(value), span: span)
    case .nilLiteral:
      return ConstantNode(.nil, span: span)
    case .name(let name):
      return resolveName(name, span: span)
    case .list(let elements):
      return ListNode(elements.map { resolve($0) }, span: span)
    case .record(let entries):
      return RecordNode(
        shape: globals.shape(for: entries.map(\.key)), fields: entries.map { resolve($0.value) }, span: span)
    case .negate(let operand):
      if case .number(let value, let unit) = operand.kind {
        return resolve(Expr(kind: .number(-value, unit), span: span))
      }
      return NegateNode(resolve(operand), span: span)
    case .not(let operand):
      return NotNode(resolve(operand), span: span)
    case .binary(let op, let left, let right, let operatorSpan):
      if op == .equal || op == .notEqual, case .nilLiteral = right.kind {
        return NilTestNode(resolve(left), negated: op == .notEqual, span: span)
      }
      if op == .equal || op == .notEqual, case .nilLiteral = left.kind {
        return NilTestNode(resolve(right), negated: op == .notEqual, span: span)
      }
      if op == .margin || op == .interval {
        return MarginNode(
          resolve(left), resolve(right), interval: op == .interval, operatorSpan: operatorSpan, span: span)
      }
      let node = BinaryNode(op, resolve(left), resolve(right), operatorSpan: operatorSpan, span: span)
      if let local = node.left as? LocalGetNode, let constant = node.right as? ConstantNode,
        let number = constant.number
      {
        return LocalConstantBinaryNode(node, slot: local.slot, constant: number)
      }
      if let numeric = NumericNode.lift(node) { return numeric }
      if let constant = node.right as? ConstantNode, let number = constant.number {
        return ConstantRightBinaryNode(node, constant: number)
      }
      return node
    case .and(let left, let right):
      return AndNode(resolve(left), resolve(right), span: span)
    case .or(let left, let right):
      return OrNode(resolve(left), resolve(right), span: span)
    case .call(let callee, let arguments):
      // `rank(d, users)`: a built-in that takes a field's name, given a bare name that is not
      // defined, was most likely meant the name in quotes.
      var fieldNames = false
      if case .name(let function) = callee.kind, Resolver.takesFieldName.contains(function),
        globals.names[function]?.isBuiltin == true,
        !scopes.contains(where: { !$0.isGlobal && $0.names[function] != nil })
      {
        fieldNames = true
      }
      let resolvedCallee = resolve(callee)
      var resolvedArguments: [Node] = []
      for (position, argument) in arguments.enumerated() {
        if fieldNames, position > 0, argument.label == nil, case .name(let name) = argument.value.kind,
          lookup(name) == nil
        {
          quotedFieldHint = name
        }
        resolvedArguments.append(resolve(argument.value))
        quotedFieldHint = nil
      }
      return CallNode(
        callee: resolvedCallee, arguments: resolvedArguments, labels: arguments.map(\.label),
        source: source, span: span)
    case .index(let base, let index):
      return IndexNode(base: resolve(base), index: resolve(index), span: span)
    case .field(let base, let name, let nameSpan):
      return FieldNode(base: resolve(base), name: name, nameSpan: nameSpan, span: span)
    case .ifElse(let condition, let then, let otherwise):
      let test = resolve(condition)
      let thenNode = resolveBlock(then, statementPosition: statementPosition)
      let elseNode = otherwise.map { resolve($0, statementPosition: statementPosition) }
      return IfNode(condition: test, then: thenNode, otherwise: elseNode, span: span)
    case .function(let function):
      return resolveFunction(function, name: "<anonymous>")
    case .block(let block):
      return resolveBlock(block, statementPosition: statementPosition)
    }
  }

  mutating func resolveName(_ name: String, span: Span) -> Node {
    guard let (binding, scope) = lookup(name) else {
      var notes = Suggestion.note(for: name, in: visibleNames())
      if quotedFieldHint == name { notes = ["did you mean \"\(name)\" (a field name, in quotes)?"] }
      if mode == .module, globals.names[name] != nil {
        notes.append("a module sees only built-ins and its own names")
      }
      report("'\(name)' is not defined", span, notes: notes)
      return ConstantNode(.nil, span: span)
    }
    switch storage(of: binding, scope: scope) {
    case .local(let slot): return LocalGetNode(slot: slot, span: span)
    case .environment(let hops, let index): return EnvironmentGetNode(hops: hops, index: index, span: span)
    case .global(let index):
      if index < existingGlobals, !usedGlobals.contains(name) { usedGlobals.append(name) }
      return GlobalGetNode(index: index, name: name, span: span)
    }
  }

  /// A read of the variable in `storage`, for the numeric forms of an assignment.
  func read(_ storage: Storage, _ name: String, span: Span) -> Node {
    switch storage {
    case .local(let slot): LocalGetNode(slot: slot, span: span)
    case .global(let index): GlobalGetNode(index: index, name: name, span: span)
    case .environment(let hops, let index): EnvironmentGetNode(hops: hops, index: index, span: span)
    }
  }

  mutating func resolveAssignment(
    _ target: Expr, _ compound: BinaryOperator?, _ value: Expr, operatorSpan: Span, span: Span
  ) -> Node? {
    var path: [PathStep] = []
    var root = target
    while true {
      if case .field(let base, let name, let nameSpan) = root.kind {
        path.insert(.field(name, nameSpan), at: 0)
        root = base
      } else if case .index(let base, let index) = root.kind {
        path.insert(.index(resolve(index)), at: 0)
        root = base
      } else {
        break
      }
    }
    guard case .name(let name) = root.kind else {
      report("cannot assign to this expression", target.span)
      return nil
    }
    let valueNode = resolve(value)
    guard let (binding, scope) = lookup(name) else {
      report(
        "'\(name)' is not defined", root.span,
        notes: Suggestion.note(for: name, in: visibleNames()) + ["declare it first: var \(name) = …"])
      return nil
    }
    guard binding.mutable else {
      let isBuiltin = scope < 0 && (globals.names[name]?.isBuiltin ?? false)
      var notes: [String] = []
      if isBuiltin {
        notes.append("'\(name)' is built in; define your own with 'let \(name) = …'")
      } else if scope >= 0 || binding.declaration.end > 0 {
        let line = source.location(of: binding.declaration.start).line
        notes.append("'\(name)' is declared with 'let' on line \(line); declare it with 'var' to change it")
      } else {
        notes.append("'\(name)' was declared with 'let'; declare it with 'var' to change it")
      }
      report("cannot assign to '\(name)': it is a constant", root.span, notes: notes)
      return nil
    }
    let storage = storage(of: binding, scope: scope)
    if !path.isEmpty {
      let general = PathAssignNode(
        target: storage, path: path, op: compound, value: valueNode, operatorSpan: operatorSpan, span: span)
      return PlaceStoreNode.make(general, root: read(storage, name, span: root.span)) ?? general
    }
    if let compound {
      let general = CompoundAssignNode(
        target: storage, op: compound, value: valueNode, operatorSpan: operatorSpan, span: span)
      // `xs += [x]`: the element appended where the list lies.
      if compound == .add, let list = valueNode as? ListNode, list.elements.count == 1 {
        return AppendNode(target: storage, element: list.elements[0], general: general)
      }
      // `i += 1`, `s -= x * 2`: over plain numbers, the sum as the numeric nodes compute it.
      let sum = BinaryNode(
        compound, read(storage, name, span: root.span), valueNode, operatorSpan: operatorSpan, span: span)
      if let numeric = NumericNode.lift(sum) as? NumericNode {
        return NumericCompoundNode(target: storage, numeric: numeric, general: general)
      }
      return general
    }
    // `s = s + "…"`, `xs = xs + [x]`: grown where the value lies, as `+=` grows it, when nothing
    // in what is added can change the variable.
    if let binary = valueNode as? BinaryNode, binary.op == .add, Resolver.reads(binary.left, storage),
      Resolver.isPure(binary.right)
    {
      return AddInPlaceNode(target: storage, binary: binary, span: span)
    }
    switch storage {
    case .local(let slot): return LocalSetNode(slot: slot, value: Resolver.stored(valueNode), span: span)
    case .environment(let hops, let index):
      return EnvironmentSetNode(hops: hops, index: index, value: Resolver.stored(valueNode), span: span)
    case .global(let index): return GlobalSetNode(index: index, value: Resolver.stored(valueNode), span: span)
    }
  }
}

extension Resolver {
  /// Whether `node` reads the variable at `storage` and does nothing else.
  static func reads(_ node: Node, _ storage: Storage) -> Bool {
    switch (node, storage) {
    case (let local as LocalGetNode, .local(let slot)): return local.slot == slot
    case (let global as GlobalGetNode, .global(let index)): return global.index == index
    case (let captured as EnvironmentGetNode, .environment(let hops, let index)):
      return captured.hops == hops && captured.index == index
    default: return false
    }
  }

  /// Whether evaluating `node` can change no variable: it calls nothing (a call may run any
  /// function, and a function may assign), and is made of constants, variable reads, list and
  /// record literals, interpolation, operators, and field and element reads. Numeric nodes are
  /// pure by their making (`NumericNode`).
  static func isPure(_ node: Node) -> Bool {
    switch node {
    case is ConstantNode, is LocalGetNode, is GlobalGetNode, is EnvironmentGetNode, is NumericNode:
      return true
    case let list as ListNode: return list.elements.allSatisfy(isPure)
    case let record as RecordNode: return record.fields.allSatisfy(isPure)
    case let text as InterpolationNode: return text.code.allSatisfy(isPure)
    case let binary as BinaryNode: return isPure(binary.left) && isPure(binary.right)
    case let binary as LocalConstantBinaryNode: return isPure(binary.general)
    case let binary as ConstantRightBinaryNode: return isPure(binary.general)
    case let negate as NegateNode: return isPure(negate.operand)
    case let not as NotNode: return isPure(not.operand)
    case let and as AndNode: return isPure(and.left) && isPure(and.right)
    case let or as OrNode: return isPure(or.left) && isPure(or.right)
    case let test as NilTestNode: return isPure(test.operand)
    case let margin as MarginNode: return isPure(margin.value) && isPure(margin.margin)
    case let field as FieldNode: return isPure(field.base)
    case let index as IndexNode: return isPure(index.base) && isPure(index.index)
    default: return false
    }
  }
}
