extension Runtime {
  /// Sets a frame's slots back to nil and pops it (inlined: a call's frame is one or two slots).
  @inline(__always)
  func clearFrame(_ base: Int, _ size: Int) {
    var slot = stack + base
    let end = slot + size
    while slot < end {
      // A plain number needs no destroying: overwritten as new memory, as `storeNumber` does.
      if case .number = slot.pointee { slot.initialize(to: .nil) } else { slot.pointee = .nil }
      slot += 1
    }
    stackTop = base
  }

  /// Runs a pq function whose arguments are already in the frame at `base`. The caller keeps
  /// `function` alive for the call.
  ///
  /// Inlined into `CallNode.evaluate`, the hot path; a function that makes or enters an
  /// environment (or a call from inside one) takes `invokeSwitchingEnvironment`, so the common
  /// call holds no environment at all (`fib`: 423 → 366 instructions a call).
  @inline(__always)
  func invoke(_ function: Function, base: Int, callSite: CallNode?) throws(PQError) -> Value {
    if function.hasEnvironment || env != nil {
      return try invokeSwitchingEnvironment(function, base: base, callSite: callSite)
    }
    try enter(function, base: base, callSite: callSite)
    let savedFrame = framePointer
    framePointer = base
    var result: Value
    do {
      result = try function.code.evaluate(self)
    } catch {
      framePointer = savedFrame
      return try leave(function, base: base, callSite: callSite, throwing: error)
    }
    depth -= 1
    framePointer = savedFrame
    clearFrame(base, function.frameSize)
    if flow == .returnValue { result = takeReturnValue() }
    return result
  }

  /// `invoke` for a function that makes or enters an environment, or a call made inside one:
  /// the caller's environment is swapped out and back rather than copied (one retain and one
  /// release a call instead of two of each).
  @inline(never)
  func invokeSwitchingEnvironment(_ function: Function, base: Int, callSite: CallNode?) throws(PQError)
    -> Value
  {
    try enter(function, base: base, callSite: callSite)
    let savedFrame = framePointer
    framePointer = base
    let environmentSize = function.environmentSize
    var savedEnvironment: Environment?
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
    var result: Value
    do {
      result = try function.code.evaluate(self)
    } catch {
      framePointer = savedFrame
      swap(&env, &savedEnvironment)
      return try leave(function, base: base, callSite: callSite, throwing: error)
    }
    depth -= 1
    framePointer = savedFrame
    swap(&env, &savedEnvironment)
    clearFrame(base, function.frameSize)
    if flow == .returnValue { result = takeReturnValue() }
    return result
  }

  /// Counts a call against the depth and step limits; on failure the frame is cleared.
  @inline(__always)
  func enter(_ function: Function, base: Int, callSite: CallNode?) throws(PQError) {
    depth += 1
    if depth > limits.callDepth {
      depth -= 1
      clearFrame(base, function.frameSize)
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
        clearFrame(base, function.frameSize)
        throw error
      }
    }
  }

  /// The value a `return` left, taken out of the runtime.
  @inline(__always)
  func takeReturnValue() -> Value {
    flow = .normal
    let value = returnValue
    returnValue = .nil
    return value
  }

  /// After a call's body threw (the frame pointer and environment already restored): clears the
  /// frame, turns a `return` signal into the returned value, and adds the call to the error's
  /// trace.
  @inline(never)
  func leave(_ function: Function, base: Int, callSite: CallNode?, throwing error: PQError) throws(PQError)
    -> Value
  {
    depth -= 1
    clearFrame(base, function.frameSize)
    // A body reduced to one expression has no block to turn a `return` inside an expression
    // into flow; the signal arrives here instead.
    if error.isControlSignal, flow == .returnValue { return takeReturnValue() }
    var error = error
    let prototype = function.prototype
    if error.source == nil { error.source = prototype.source }
    if let callSite, error.kind != .syntax, error.trace.count < 12 {
      error.trace.append(TraceEntry(function: prototype.name, source: callSite.source, span: callSite.span))
    }
    throw error
  }

  /// Calls a native function and points its errors at the argument or call they are about.
  func callNative(_ native: NativeFunction, _ values: [Value], named: [String: Value], callSite: CallNode?)
    throws(PQError) -> Value
  {
    let span = callSite?.span ?? Span(start: 0, end: 0)
    var gathered = Arguments(values: values, named: named, runtime: self, span: span, function: native)
    return try callNative(native, &gathered, callSite: callSite)
  }

  /// Calls a native function with its arguments gathered: the one entry every native call goes
  /// through (arity, the body, counting its work). Errors point at the argument they are about
  /// when the call is in the source (`callSite`), else at the built-in call that made it.
  func callNative(_ native: NativeFunction, _ arguments: inout Arguments, callSite: CallNode? = nil)
    throws(PQError) -> Value
  {
    do {
      if arguments.hasNamed {
        try native.checkArity(arguments.count, named: arguments.named)
      } else {
        try native.checkArity(arguments.count)
      }
      let result = try native.body(&arguments)
      try account(result, arguments, native)
      return result
    } catch {
      var error = error
      if error.span == nil, callSite == nil {
        error.span = arguments.span
      } else if error.span == nil, let callSite {
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
      for (index, value) in values.enumerated() { setArgument(base, index, value) }
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
      setArgument(base, 0, first)
      if count == 2 { setArgument(base, 1, second) }
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
      throw PQError.arity(
        prototype.name, minimum: prototype.parameterCount, maximum: prototype.parameterCount, given: count,
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

}

func plural(_ count: Int, _ word: String) -> String {
  "\(count) \(word)\(count == 1 ? "" : "s")"
}

extension PQError {
  /// The one wording of a call with the wrong number of arguments, for pq functions and natives:
  /// `ratio takes 2 arguments, but 1 was given`.
  static func arity(
    _ name: String, minimum: Int, maximum: Int?, given count: Int, span: Span? = nil, notes: [String] = []
  ) -> PQError {
    let expected: String
    if let maximum, maximum == minimum {
      expected = plural(minimum, "argument")
    } else if let maximum {
      expected = "\(minimum) to \(maximum) arguments"
    } else {
      expected = "at least \(plural(minimum, "argument"))"
    }
    return PQError(
      .runtime, "\(name) takes \(expected), but \(count) \(count == 1 ? "was" : "were") given", span: span,
      notes: notes)
  }
}
