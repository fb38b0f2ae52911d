/// Globals the host reads and sets, and Swift functions it registers for pq code to call.
extension Interpreter {
  /// The value of a global (a built-in, a prelude function or a user binding), or nil.
  public subscript(name: String) -> Value? {
    loadPrelude(ifReading: CollectionOfOne(name))
    fillBuiltInData(ifReading: CollectionOfOne(name))
    return scope.names[name].map { runtime.globals[$0.index] }
  }

  /// Defines (or replaces) a global for later evaluations. A global the host sets is protected
  /// like a built-in (see `Options.protectsGlobals`): formulas can read it, not redefine it.
  public func setGlobal(_ name: String, _ value: Value) {
    loadPrelude(ifReading: CollectionOfOne(name))
    fillBuiltInData(ifReading: CollectionOfOne(name))
    if let entry = scope.names[name] {
      runtime.globals[entry.index] = value
      scope.names[name]?.isBuiltin = options.protectsGlobals || entry.isBuiltin
    } else {
      defineGlobal(name, value, builtin: options.protectsGlobals)
    }
  }

  /// Removes a global: later formulas no longer see it. Returns whether there was one.
  @discardableResult
  public func removeGlobal(_ name: String) -> Bool {
    guard let entry = scope.names.removeValue(forKey: name) else { return false }
    removals += 1
    runtime.globals[entry.index] = .nil
    natives[name] = nil
    return true
  }

  /// The names of every global: built-ins, data, prelude and the user's.
  public var globalNames: [String] { scope.names.keys.sorted() }

  /// The names the user defined (not built in), in definition order.
  public var userGlobals: [(name: String, value: Value)] {
    scope.names.filter { !$0.value.isBuiltin }.sorted { $0.value.index < $1.value.index }.map {
      ($0.key, runtime.globals[$0.value.index])
    }
  }

  /// Registers a native Swift function that pq code calls like a built-in.
  /// - Parameters:
  ///   - name: the name pq code uses.
  ///   - arity: the exact number of arguments, or nil for any number.
  ///   - doc: one line for `help(name)`.
  ///   - replacing: true to replace a built-in of the same name on purpose.
  ///   - body: receives the arguments; a thrown error becomes a pq runtime error.
  /// - Throws: a `PQError` when `name` is not a name pq code can call, or is already a
  ///   built-in and `replacing` is false (the default), so that a host cannot replace `ratio`
  ///   by accident.
  public func register(
    _ name: String, arity: Int? = nil, doc: String = "", replacing: Bool = false,
    _ body: @escaping @Sendable ([Value]) throws -> Value
  ) throws(PQError) {
    try checkRegistration(name, replacing: replacing)
    defineNative(NativeFunction(name: name, arity: arity, doc: doc, body: body))
  }

  /// Registers a native function that receives a `NativeCall`: its arguments, calls back into
  /// pq, and whether the evaluation was cancelled, so a long native can stop early.
  /// An error it throws is reported at the call. Same rules as `register`.
  public func registerWithContext(
    _ name: String, arity: Int? = nil, doc: String = "", replacing: Bool = false,
    _ body: @escaping @Sendable (borrowing NativeCall) throws -> Value
  ) throws(PQError) {
    let parameters = arity.map { count in (0..<count).map { "a\($0 + 1)" } } ?? ["...values"]
    try register(name, parameters: parameters, doc: doc, replacing: replacing, body)
  }

  /// Registers a native function described by its parameters' names: `["value", "population"]`;
  /// a name ending in `?` may be left out (`"digits?"`), and a last one starting with `...`
  /// takes any number of arguments (`"...values"`). The arity follows from them, and they show
  /// in `help`, in the usage note of an arity error, and in `NativeCall.parameters`
  /// (`call.argument("population")` reads one by name). `example`, when given, is a pq
  /// expression `help` shows. A malformed list is an error; otherwise the same rules as
  /// `register`.
  public func register(
    _ name: String, parameters: [String], doc: String = "", example: String = "", replacing: Bool = false,
    _ body: @escaping @Sendable (borrowing NativeCall) throws -> Value
  ) throws(PQError) {
    if let problem = NativeFunction.problem(withParameters: parameters) {
      throw PQError(.runtime, "cannot register '\(name)': \(problem)")
    }
    try checkRegistration(name, replacing: replacing)
    let flag = cancellation
    // The function runs only inside this interpreter's evaluations, on their thread, while the
    // interpreter is alive; the reference is not retained (a strong one would be a cycle).
    nonisolated(unsafe) let interpreter = Unmanaged.passUnretained(self)
    defineNative(
      NativeFunction(host: name, parameters: parameters, doc: doc, example: example) { arguments in
        try body(
          NativeCall(
            arguments: arguments.values, name: name, parameters: parameters,
            interpreterReference: interpreter,
            cancellation: flag))
      })
  }

  /// Refuses a name pq code could not call, and registering over a built-in unless asked to.
  private func checkRegistration(_ name: String, replacing: Bool) throws(PQError) {
    guard isName(name) else {
      throw PQError(
        .runtime, "cannot register '\(name)': not a name pq code can call",
        notes: ["names are ASCII letters, digits and '_', not starting with a digit, and not a keyword"])
    }
    if !replacing, let entry = scope.names[name], entry.isBuiltin {
      throw PQError(
        .runtime, "'\(name)' is already a built-in; register(…, replacing: true) replaces it",
        notes: ["or choose another name"])
    }
  }

  /// Calls a pq function value (from a global or a result) with arguments.
  public func call(_ function: Value, _ arguments: [Value]) throws(PQError) -> Value {
    guard case .function(let callee) = function else {
      throw PQError(.runtime, "cannot call \(Arithmetic.describe(function))")
    }
    let outermost = try beginEvaluation()
    defer { if outermost { endEvaluation() } }
    return try LargeStack.run { () throws(PQError) -> Value in
      claimEvaluationThread()
      if runtime.depth == 0 { runtime.begin() }
      return try handOver(try runtime.call(callee, arguments, span: Span(start: 0, end: 0)))
    }
  }

  /// The value at a path of fields from a global (`x`, `x.mau`, `platforms`), or nil: what
  /// completion, hover and the unit checker read.
  package func value(atPath path: String) -> Value? {
    let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard let first = parts.first, var current = self[first] else { return nil }
    for part in parts.dropFirst() {
      guard case .record(let record) = current, let next = record[part] else { return nil }
      current = next
    }
    return current
  }

  func defineNative(_ native: NativeFunction) {
    natives[native.name] = native
    defineGlobal(native.name, .function(Function(.native(native))), builtin: true)
  }

  func defineGlobal(_ name: String, _ value: Value, builtin: Bool) {
    let index = scope.define(name, mutable: false, isBuiltin: builtin)
    runtime.globals.grow(to: index + 1)
    runtime.globals[index] = value
  }
}
