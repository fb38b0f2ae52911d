import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How an evaluation runs: one at a time per interpreter, on a deep stack, under the limits,
/// a failed input leaving no bindings behind, and a result handed over only when the host can
/// hold it.
extension Interpreter {
  /// Runs the editor's work on a document (a parse) as one evaluation, so that
  /// `cancellation.cancel()` from another thread stops it; nested in an evaluation, inside
  /// that one.
  package func analysisStep<T>(_ body: (Runtime) throws(PQError) -> T) throws(PQError) -> T {
    let outermost = try beginEvaluation()
    defer { if outermost { endEvaluation() } }
    return try LargeStack.run { () throws(PQError) -> T in
      if outermost {
        claimEvaluationThread()
        runtime.begin()
      }
      return try body(runtime)
    }
  }

  /// Resolves a parsed tree (a recovered one, whose broken statements bind their names) as
  /// `check` does, under the limits, for the editor's analysis: its name errors, thrown.
  package func resolve(_ tree: SyntaxTree, mode: ResolutionMode = .script) throws(PQError) {
    try checkSourceSize(tree.source)
    try analysisStep { (runtime) throws(PQError) in
      try Resolver.check(tree, mode: mode, globals: scope, interruption: runtime)
    }
  }

  /// Parses and resolves a source for `check` and `compile`, under the limits: the size limit
  /// first, then the deadline and a cancellation, checked as it parses and resolves (not reset
  /// when called back from a native function inside an evaluation, whose limits then hold).
  package func prepare(_ source: Source, mode: ResolutionMode) throws(PQError) -> (
    SyntaxTree, Resolver.Output
  ) {
    try checkSourceSize(source)
    let outermost = try beginEvaluation()
    defer { if outermost { endEvaluation() } }
    return try LargeStack.run { () throws(PQError) in
      if outermost {
        claimEvaluationThread()
        runtime.begin()
      }
      let tree = try Parser.parse(source, interruption: runtime)
      return (tree, try Resolver.resolve(tree, mode: mode, globals: scope, interruption: runtime))
    }
  }

  /// Refuses a source longer than the size limit before it is parsed: parsing and resolving are
  /// linear in its length, so the limit bounds their time too.
  func checkSourceSize(_ source: Source) throws(PQError) {
    let length = source.text.utf8.count
    guard length > options.limits.maximumLength else { return }
    throw PQError.limit(
      "size limit reached: the source is \(length) bytes, more than the \(options.limits.maximumLength) allowed",
      nil, reason: .size)
  }

  func run(_ source: Source, mode: ResolutionMode) throws(PQError) -> Value {
    try checkSourceSize(source)
    let savedScope = scope
    let savedCount = runtime.globals.count
    let outermost = try beginEvaluation()
    defer { if outermost { endEvaluation() } }
    do {
      return try LargeStack.run { () throws(PQError) -> Value in
        claimEvaluationThread()
        // The deadline runs from here: parsing and resolving are timed and cancellable too.
        runtime.begin()
        let program = try Parser.parse(source, interruption: runtime)
        let resolved = try Resolver.resolve(program, mode: mode, globals: scope, interruption: runtime)
        loadPrelude(ifReading: resolved.usedGlobals)
        fillBuiltInData(ifReading: resolved.usedGlobals)
        scope = resolved.globals
        runtime.globals.grow(to: scope.count)
        runtime.continueAfterPreparing()
        return try handOver(
          try execute(resolved.body, frameSize: resolved.frameSize, source: source), from: source)
      }
    } catch {
      // A failed input defines nothing: names it introduced are dropped, while assignments it
      // made to existing variables before failing stay (as in Python's prompt).
      scope = savedScope
      runtime.globals.shrink(to: savedCount)
      runtime.abandon()
      throw error
    }
  }

  /// Marks the start of an evaluation; returns true for the outermost one (imports and calls
  /// back from native functions nest inside it), which is the one `cancel()` stops.
  ///
  /// An interpreter runs one evaluation at a time. A second one begun from another thread while
  /// the first runs is refused with an error rather than left to race on the same state; a
  /// native function calling back into pq runs on the evaluation's own thread and nests.
  func beginEvaluation() throws(PQError) -> Bool {
    let current = Interpreter.currentThread
    let (claimed, holder) = evaluationThread.compareExchange(
      expected: 0, desired: Interpreter.startingThread, ordering: .acquiringAndReleasing)
    if claimed {
      cancellation.begin()
      return true
    }
    if holder == current { return false }
    throw PQError(
      .runtime, "this interpreter is already evaluating on another thread",
      notes: ["an Interpreter runs one evaluation at a time: give each thread or task its own"])
  }

  /// Marks the current thread as the one running this interpreter's evaluation (called first
  /// thing on the evaluation thread), so that calls back from native functions nest.
  func claimEvaluationThread() {
    evaluationThread.store(Interpreter.currentThread, ordering: .releasing)
  }

  /// Ends the outermost evaluation: a later `cancel()` stops nothing.
  func endEvaluation() {
    cancellation.end()
    evaluationThread.store(0, ordering: .releasing)
  }

  /// What `evaluationThread` holds between the outermost `beginEvaluation` and the evaluation
  /// thread's claim: no thread id is 1.
  static let startingThread: UInt = 1

  /// The current thread's id as a number.
  static var currentThread: UInt {
    #if canImport(Darwin)
      UInt(bitPattern: pthread_self())
    #else
      UInt(pthread_self())
    #endif
  }

  /// Runs a resolved body in a fresh frame on top of the stack.
  func execute(_ body: BlockNode, frameSize: Int, source: Source) throws(PQError) -> Value {
    do {
      return try runtime.withTopFrame(frameSize) { () throws(PQError) in try body.evaluate(runtime) }
    } catch {
      var error = error
      if error.source == nil { error.source = source }
      throw error
    }
  }

  /// A result as the host gets it, checked on the evaluation's own deep stack: one that nests
  /// deeper than `Value.deepestResult` is taken apart here and refused, for the host would free
  /// it (or print it) by recursion on its own thread's stack.
  /// The error points at the last line of `source`, whose value the result is.
  func handOver(_ value: consuming Value, from source: Source? = nil) throws(PQError) -> Value {
    switch value {
    case .list, .record:
      guard value.nests(deeperThan: Value.deepestResult) else { return value }
      Value.dismantle(value)
      var span: Span?
      if let source {
        let bytes = Array(source.text.utf8)
        var end = bytes.count
        while end > 0, bytes[end - 1] == 10 || bytes[end - 1] == 32 || bytes[end - 1] == 13 { end -= 1 }
        var start = end
        while start > 0, bytes[start - 1] != 10 { start -= 1 }
        span = Span(start: start, end: max(start + 1, end))
      }
      var error = PQError.limit(
        "depth limit reached: the result nests lists or records more than \(Value.deepestResult) deep",
        span, reason: .depth)
      error.source = source
      error.notes = ["a value this deep cannot be shown or handed over; return a part of it, or its len()"]
      throw error
    default: return value
    }
  }
}
