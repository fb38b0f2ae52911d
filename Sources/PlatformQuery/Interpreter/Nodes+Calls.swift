/// `f(a, b)` — runs pq functions on the value stack with no allocation per call, natives with an
/// argument list.
final class CallNode: Node {
  let callee: Node
  let arguments: [Node]
  /// The first two arguments again as fields (or a placeholder): a node's own non-optional
  /// fields are read without a retain, array elements and optionals are not.
  let first: Node
  let second: Node
  /// The arguments without ownership (`arguments` keeps them), read without a retain each.
  let unownedArguments: [Unmanaged<Node>]
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
    self.unownedArguments = arguments.map { Unmanaged.passUnretained($0) }
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
        throw PQError(
          .runtime,
          "\(function.prototype.name) takes \(plural(function.parameterCount, "argument")), but \(count) \(count == 1 ? "was" : "were") given",
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
          let a = count > 0 ? try first.evaluate(runtime) : .nil
          let b = count > 1 ? try second.evaluate(runtime) : .nil
          var gathered = Arguments(
            first: a, second: b, count: count, runtime: runtime, span: span, function: native)
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

func plural(_ count: Int, _ word: String) -> String {
  "\(count) \(word)\(count == 1 ? "" : "s")"
}

extension Runtime {
  func clearFrame(_ base: Int, _ size: Int) {
    for slot in base..<(base + size) { stack[slot] = .nil }
    stackTop = base
  }

  /// Runs a pq function whose arguments are already in the frame at `base`. The caller keeps
  /// `function` alive for the call.
  func invoke(_ function: Function, base: Int, callSite: CallNode?) throws(PQError) -> Value {
    let frameSize = function.frameSize
    depth += 1
    if depth > limits.callDepth {
      depth -= 1
      clearFrame(base, frameSize)
      throw PQError.limit(
        "call depth limit of \(limits.callDepth) reached in \(function.prototype.name)", callSite?.span,
        reason: .depth)
    }
    steps &+= 1
    if steps >= checkpoint {
      do {
        try checkLimits(callSite?.span ?? function.prototype.span)
      } catch {
        depth -= 1
        clearFrame(base, frameSize)
        throw error
      }
    }
    let savedFrame = framePointer
    framePointer = base
    // Environments are touched only by functions that have or capture one.
    let environmentSize = function.environmentSize
    let switchesEnvironment = environmentSize > 0 || function.environment != nil || env != nil
    // The caller's environment is swapped out and back rather than copied: one retain and one
    // release a call instead of two of each.
    var savedEnvironment: Environment?
    if switchesEnvironment {
      if environmentSize > 0 {
        let captured = Environment.make(parent: function.environment, size: environmentSize)
        for (parameter, slot) in function.prototype.capturedParameters {
          captured[slot] = stack[base + parameter]
        }
        savedEnvironment = captured
      } else {
        savedEnvironment = function.environment
      }
      swap(&env, &savedEnvironment)
    }
    var result: Value
    do {
      result = try function.code.evaluate(self)
    } catch {
      depth -= 1
      framePointer = savedFrame
      if switchesEnvironment { swap(&env, &savedEnvironment) }
      clearFrame(base, frameSize)
      // A body reduced to one expression has no block to turn a `return` inside an expression
      // into flow; the signal arrives here instead.
      if error.isControlSignal, flow == .returnValue {
        flow = .normal
        let value = returnValue
        returnValue = .nil
        return value
      }
      var error = error
      let prototype = function.prototype
      if error.source == nil { error.source = prototype.source }
      if let callSite, error.kind != .syntax, error.trace.count < 12 {
        error.trace.append(TraceEntry(function: prototype.name, source: callSite.source, span: callSite.span))
      }
      throw error
    }
    depth -= 1
    framePointer = savedFrame
    if switchesEnvironment { swap(&env, &savedEnvironment) }
    clearFrame(base, frameSize)
    if flow == .returnValue {
      flow = .normal
      result = returnValue
      returnValue = .nil
    }
    return result
  }

  /// Calls a native function and points its errors at the argument or call they are about.
  func callNative(_ native: NativeFunction, _ values: [Value], named: [String: Value], callSite: CallNode?)
    throws(PQError) -> Value
  {
    let span = callSite?.span ?? Span(start: 0, end: 0)
    var gathered = Arguments(values: values, named: named, runtime: self, span: span, function: native)
    return try callNative(native, &gathered, callSite: callSite)
  }

  /// Calls a native function with its arguments gathered.
  func callNative(_ native: NativeFunction, _ arguments: inout Arguments, callSite: CallNode?) throws(PQError)
    -> Value
  {
    do {
      try native.checkArity(arguments.count, named: arguments.named)
      let result = try native.body(&arguments)
      try account(result, arguments, native)
      return result
    } catch {
      var error = error
      if error.span == nil, let callSite {
        if let index = error.argumentIndex {
          error.span = callSite.argumentSpan(index)
          if index < arguments.count, case .nil = arguments[index],
            let position = callSite.positionalNode(index),
            let note = MissingFigure.note(for: position, self)
          {
            error.message = "\(native.name): " + note.message
            error.notes = note.notes
          }
        } else {
          error.span = arguments.span
        }
      }
      throw error
    }
  }

  /// Calls any function value with arguments, as built-ins like `map` do.
  func call(_ function: Function, _ values: [Value], span: Span) throws(PQError) -> Value {
    switch values.count {
    case 1: return try call(function, count: 1, values[0], .nil, span: span)
    case 2: return try call(function, count: 2, values[0], values[1], span: span)
    default: break
    }
    switch function.body {
    case .closure(let prototype, _):
      try checkCount(prototype, values.count, span)
      let base = stackTop
      reserve(prototype.frameSize)
      stackTop = base + prototype.frameSize
      for (index, value) in values.enumerated() { stack[base + index] = value }
      return try invokeFromNative(function, base)
    case .native(let native):
      return try callNative(native, values, span: span)
    }
  }

  /// Calls a function with one or two arguments without building an argument list: the path
  /// `map`, `filter`, `reduce` and `sort` take for every element.
  func call(_ function: Function, count: Int, _ first: Value, _ second: Value, span: Span) throws(PQError)
    -> Value
  {
    switch function.body {
    case .closure(let prototype, _):
      try checkCount(prototype, count, span)
      let base = stackTop
      reserve(prototype.frameSize)
      stackTop = base + prototype.frameSize
      stack[base] = first
      if count == 2 { stack[base + 1] = second }
      return try invokeFromNative(function, base)
    case .native(let native):
      var arguments = Arguments(
        first: first, second: count == 2 ? second : .nil, count: count, runtime: self, span: span,
        function: native)
      return try callNative(native, &arguments)
    }
  }

  func checkCount(_ prototype: FunctionPrototype, _ count: Int, _ span: Span) throws(PQError) {
    guard count == prototype.parameterCount else {
      throw PQError(
        .runtime,
        "\(prototype.name) takes \(plural(prototype.parameterCount, "argument")), but is called here with \(count)",
        span: span)
    }
  }

  func invokeFromNative(_ function: Function, _ base: Int) throws(PQError) -> Value {
    do {
      return try invoke(function, base: base, callSite: nil)
    } catch {
      var error = error
      if error.trace.count < 12, function.native == nil {
        let prototype = function.prototype
        error.trace.append(
          TraceEntry(function: prototype.name, source: prototype.source, span: prototype.span))
      }
      throw error
    }
  }

  func callNative(_ native: NativeFunction, _ values: [Value], span: Span) throws(PQError) -> Value {
    var arguments = Arguments(values: values, named: [:], runtime: self, span: span, function: native)
    return try callNative(native, &arguments)
  }

  /// Calls a native function from a built-in; errors point at the built-in's call.
  func callNative(_ native: NativeFunction, _ arguments: inout Arguments) throws(PQError) -> Value {
    do {
      try native.checkArity(arguments.count, named: [:])
      let result = try native.body(&arguments)
      try account(result, arguments, native)
      return result
    } catch {
      var error = error
      if error.span == nil { error.span = arguments.span }
      throw error
    }
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

/// `a.name`, with the field's position cached for the last record shape seen.
final class FieldNode: Node {
  let base: Node
  let name: String
  let nameSpan: Span
  var cachedShape: Shape?
  var cachedIndex = 0
  /// The frame slot of a base that is a local's name (`r.users`), else -1: the field is then
  /// read from the record in place.
  let localSlot: Int

  init(base: Node, name: String, nameSpan: Span, span: Span) {
    self.base = base
    self.name = name
    self.nameSpan = nameSpan
    self.localSlot = (base as? LocalGetNode)?.slot ?? -1
    super.init(span: span)
  }

  override var fieldPath: (base: Node, field: String)? { (base, name) }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    if localSlot >= 0, let cachedShape {
      let slot = runtime.localPointer(localSlot)
      if case .record(let record) = slot.pointee, record.shape === cachedShape {
        let result = record.values[cachedIndex]
        if case .nil = result {} else { return result }
      }
    }
    let value = try base.evaluate(runtime)
    guard case .record(let record) = value else { throw notARecord(value, runtime) }
    let index: Int
    if record.shape === cachedShape {
      index = cachedIndex
    } else {
      guard let found = record.shape.index[name] else {
        throw FieldNode.missing(name, in: record, span: nameSpan)
      }
      cachedShape = record.shape
      cachedIndex = found
      index = found
    }
    let result = record.values[index]
    if case .nil = result {
      let platform: String? =
        if record.kind == .platform, case .string(let owner)? = record["name"] { owner } else { nil }
      runtime.noteNilField(ObjectIdentifier(self), platform: platform)
    }
    return result
  }

  func notARecord(_ value: Value, _ runtime: Runtime) -> PQError {
    if case .nil = value, let note = MissingFigure.note(for: base, runtime) {
      return PQError(.runtime, note.message, span: base.span, notes: note.notes)
    }
    return PQError(
      .runtime, "cannot read field '\(name)' of \(Arithmetic.describe(value))", span: nameSpan,
      notes: ["fields belong to records and platforms"])
  }

  static func missing(_ name: String, in record: Record, span: Span) -> PQError {
    let owner: String
    switch record.kind {
    case .platform:
      if case .string(let platform)? = record["name"] {
        owner = "platform \(platform)"
      } else {
        owner = "the platform"
      }
    case .module(let module): owner = "module \(module)"
    default: owner = "the record"
    }
    var notes = Suggestion.note(for: name, in: record.keys)
    if notes.isEmpty { notes = ["its fields are: " + record.keys.joined(separator: ", ")] }
    return PQError(.runtime, "\(owner) has no field '\(name)'", span: span, notes: notes)
  }
}

/// `a[i]`: list and string elements (negative counts from the end), record fields by name.
final class IndexNode: Node {
  let base: Node
  let index: Node

  init(base: Node, index: Node, span: Span) {
    self.base = base
    self.index = index
    super.init(span: span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    let container = try base.evaluate(runtime)
    let key = try index.evaluate(runtime)
    return try Indexing.get(container, key, indexSpan: index.span)
  }
}

/// Element and field access shared by `a[i]`, assignment and built-ins.
enum Indexing {
  static func position(_ key: Value, count: Int, what: String, span: Span) throws(PQError) -> Int {
    guard case .number(let n) = key else {
      throw PQError(
        .runtime, "\(what) index must be a whole number, not \(Arithmetic.describe(key))", span: span)
    }
    guard n == n.rounded(), abs(n) < 1e15 else {
      throw PQError(
        .runtime, "\(what) index must be a whole number, not \(NumberFormat.plain(n))", span: span)
    }
    let raw = Int(n)
    let resolved = raw < 0 ? count + raw : raw
    guard resolved >= 0, resolved < count else {
      throw PQError(
        .runtime, "index \(raw) is out of range for a \(what) of \(plural(count, "element"))", span: span,
        notes: count == 0 ? [] : ["valid indices are 0…\(count - 1), or -\(count)…-1 from the end"])
    }
    return resolved
  }

  static func get(_ container: Value, _ key: Value, indexSpan: Span) throws(PQError) -> Value {
    switch container {
    case .list(let items):
      return items[try position(key, count: items.count, what: "list", span: indexSpan)]
    case .string(let text):
      let characters = Array(text)
      return .string(
        String(characters[try position(key, count: characters.count, what: "string", span: indexSpan)]))
    case .record(let record):
      guard case .string(let name) = key else {
        throw PQError(
          .runtime, "a record is indexed by a field name string, not \(Arithmetic.describe(key))",
          span: indexSpan)
      }
      guard let value = record[name] else { throw FieldNode.missing(name, in: record, span: indexSpan) }
      return value
    default:
      throw PQError(.runtime, "cannot index \(Arithmetic.describe(container))", span: indexSpan)
    }
  }
}
