/// `f(a, b)` — runs pq functions on the value stack with no allocation per call, natives with an
/// argument list.
final class CallNode: Node {
  let callee: Node
  let arguments: [Node]
  /// The first two arguments again as fields (or a placeholder): a node's own non-optional
  /// fields are read without a retain, array elements and optionals are not.
  let first: Node
  let second: Node
  let unownedArguments: UnownedNodes
  let labels: [String?]
  let hasLabels: Bool
  let source: Source
  /// The global slot of a callee that is a global's name (`fib(n - 1)`), else -1: the function
  /// is then read from the slot directly instead of being copied out as a value.
  let globalIndex: Int
  /// The same for a callee that is a local's name (`f(1)`): its frame slot, else -1.
  let localSlot: Int

  init(callee: Node, arguments: [Node], labels: [String?], source: Source, span: Span) {
    self.callee = callee
    self.arguments = arguments
    self.unownedArguments = UnownedNodes(arguments)
    self.first = arguments.first ?? CallNode.absent
    self.second = arguments.count > 1 ? arguments[1] : CallNode.absent
    self.labels = labels
    self.hasLabels = labels.contains { $0 != nil }
    self.source = source
    self.globalIndex = (callee as? GlobalGetNode)?.index ?? -1
    self.localSlot = (callee as? LocalGetNode)?.slot ?? -1
    super.init(span: span)
  }

  /// Stands in for a missing first or second argument; never evaluated, never changed.
  /// `nonisolated(unsafe)`: a node is a class and not `Sendable`, but this one holds a constant
  /// and is never evaluated or changed, so every interpreter may share it.
  nonisolated(unsafe) static let absent = ConstantNode(.nil, span: Span(start: 0, end: 0))

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    let function: Function
    if globalIndex >= 0, let global = runtime.globals.function(globalIndex) {
      function = global
    } else if localSlot >= 0, case .function(let local) = runtime.local(localSlot) {
      function = local
    } else {
      let value = try callee.evaluate(runtime)
      guard case .function(let callable) = value else { throw notCallable(value) }
      function = callable
    }
    if function.native == nil {
      if hasLabels {
        throw PQError(
          .runtime, "\(function.prototype.name) does not take named arguments", span: span,
          notes: ["only built-in functions take named arguments"])
      }
      let count = arguments.count
      guard count == function.parameterCount else {
        throw PQError.arity(
          function.prototype.name, minimum: function.parameterCount, maximum: function.parameterCount,
          given: count,
          span: span)
      }
      let frameSize = function.frameSize
      let base = runtime.pushFrame(frameSize)
      do {
        if count > 0 {
          runtime.setArgument(base, 0, try first.evaluate(runtime))
          if count > 1 {
            runtime.setArgument(base, 1, try second.evaluate(runtime))
            var index = 2
            while index < count {
              runtime.setArgument(base, index, try arguments[index].evaluate(runtime))
              index += 1
            }
          }
        }
      } catch {
        runtime.clearFrame(base, frameSize)
        throw error
      }
      return try runtime.invoke(function, base: base, callSite: self)
    } else if let native = function.native {
      if !hasLabels {
        let count = arguments.count
        if count <= 2 {
          // Evaluated straight into the arguments: held in locals first, each value was copied
          // into them and destroyed twice.
          var gathered = Arguments(
            first: count > 0 ? try first.evaluate(runtime) : .nil,
            second: count > 1 ? try second.evaluate(runtime) : .nil, count: count, runtime: runtime,
            span: span, function: native)
          return try runtime.callNative(native, &gathered, callSite: self)
        }
        if count == 3 {
          // Three (`get(r, k, 0)`) also in place: an array of them was made and freed per call.
          var gathered = Arguments(
            first: try first.evaluate(runtime), second: try second.evaluate(runtime),
            third: try unownedArguments.evaluate(2, runtime), count: 3, runtime: runtime, span: span,
            function: native)
          return try runtime.callNative(native, &gathered, callSite: self)
        }
        return try runtime.callNative(
          native, try unownedArguments.evaluateAll(runtime), named: [:], callSite: self)
      }
      var values: [Value] = []
      values.reserveCapacity(arguments.count)
      var named: [String: Value] = [:]
      for (index, argument) in arguments.enumerated() {
        let result = try argument.evaluate(runtime)
        if let label = labels[index] { named[label] = result } else { values.append(result) }
      }
      return try runtime.callNative(native, values, named: named, callSite: self)
    }
    throw notCallable(.function(function))
  }

  func notCallable(_ value: Value) -> PQError {
    if case .nil = value, let path = callee.fieldPath {
      return PQError(.runtime, "'\(path.field)' is nil and cannot be called", span: callee.span)
    }
    return PQError(
      .runtime, "cannot call \(Arithmetic.describe(value)); only functions can be called", span: callee.span)
  }

  func argumentSpan(_ index: Int) -> Span {
    var positional = 0
    for (position, label) in labels.enumerated() where label == nil {
      if positional == index { return arguments[position].span }
      positional += 1
    }
    return span
  }
}

extension CallNode {
  func positionalNode(_ index: Int) -> Node? {
    var positional = 0
    for (position, label) in labels.enumerated() where label == nil {
      if positional == index { return arguments[position] }
      positional += 1
    }
    return nil
  }
}
