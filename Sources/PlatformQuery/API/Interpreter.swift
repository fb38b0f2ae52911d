import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A pq interpreter: built-in functions, the article's platform data, the prelude, and the
/// globals of one session. Separate interpreters share nothing and may run on different threads
/// at once. An interpreter is not `Sendable`: it stays with the task or thread that made it
/// (make one per task from `Options`, which is `Sendable`); any thread may stop its running
/// evaluation with `cancellation`.
///
/// ```swift
/// let pq = Interpreter()
/// let v = try pq.evaluate("ratio(x.mau, truth.mau)")
/// print(v)   // 101
/// ```
public final class Interpreter {

  /// The version of pq.
  public static let version = "0.1.0"

  /// The options this interpreter was made with (limits may be changed later).
  public private(set) var options: Options
  /// A flag any thread may set to stop the running evaluation with a `limit` error.
  public let cancellation = CancellationFlag()
  /// The thread running the outermost evaluation, 0 when none (see `beginEvaluation`).
  let evaluationThread = Atomic<UInt>(0)
  let runtime: Runtime
  var scope = GlobalScope()
  /// How many globals `removeGlobal` has removed: a compiled `Program` from before must be
  /// compiled again.
  var removals = 0
  var modules: [String: Value] = [:]
  var loading: [String] = []
  var natives: [String: NativeFunction] = [:]
  /// The built-in data's globals still without their values, by name (see `installDataset`).
  var pendingData: [String: Int] = [:]
  /// The prelude's globals, by name, while the prelude has not run (see `loadPrelude`).
  var pendingPrelude: [String: Int] = [:]

  /// Creates an interpreter with built-ins, data and (unless disabled) the prelude.
  public init(options: Options = Options()) {
    self.options = options
    runtime = Runtime(limits: options.limits, cancellation: cancellation)
    runtime.host = self
    runtime.dataName = options.dataName
    for native in Builtins.all {
      defineNative(native)
    }
    installDataset()
    defineGlobal("args", .list(options.arguments.map { .string($0) }), builtin: true)
    if options.loadsPrelude {
      // The prelude's names now, its code when one of them is first used (`loadPrelude`).
      for name in StandardLibrary.preludeNames {
        pendingPrelude[name] = scope.define(name, mutable: false, isBuiltin: true)
      }
      runtime.globals.grow(to: scope.count)
    }
    scope.protects = options.protectsGlobals
  }

  deinit {
    // Module functions that call each other capture the module's environment, which holds
    // them: a reference cycle. Emptying those environments lets them go with the interpreter.
    for module in modules.values {
      guard case .record(let record) = module else { continue }
      for value in record.values {
        if case .function(let function) = value, case .closure(_, let environment?) = function.body {
          environment.clear()
        }
      }
    }
  }

  /// Changes the limits for later evaluations.
  public func setLimits(_ limits: Limits) {
    options.limits = limits
    runtime.limits = limits
  }

  /// Evaluates pq source text as one prompt input: top-level names stay defined for later calls,
  /// `let` may redefine a name, and an input that fails leaves no bindings behind.
  /// - Returns: the value of the last expression (nil for a statement).
  /// - Throws: `PQError` of kind syntax, runtime or limit.
  @discardableResult
  public func evaluate(_ text: String, name: String = "<input>") throws(PQError) -> Value {
    try run(Source(name: name, text: text), mode: .prompt)
  }

  /// Runs a script: like `evaluate`, but defining a name twice at top level is an error.
  @discardableResult
  public func run(script text: String, name: String) throws(PQError) -> Value {
    try run(Source(name: name, text: text), mode: .script)
  }

  /// Reads and runs a script file (subject to `fileAccess` only for its imports).
  @discardableResult
  public func run(file path: String) throws(PQError) -> Value {
    let bytes: [UInt8]
    do {
      bytes = try FileSystem.read(path)
    } catch {
      throw PQError(.runtime, error.message)
    }
    return try run(Source.decode(bytes, name: path), mode: .script)
  }

  /// Parses and resolves source without running it, reporting every syntax and name error.
  /// The size limit, the time limit and a cancellation hold as for an evaluation.
  public func check(_ text: String, name: String = "<input>") throws(PQError) {
    try check(Source(name: name, text: text))
  }

  /// Checks a source that is already decoded: every syntax error (the parser recovers at
  /// statement and bracket boundaries and reads on), the names of what parses, and the unit
  /// errors that are certain before running — an operation on known values (literals, the
  /// built-in figures, `let` bindings of them, records and lists of them, calls of the source's
  /// own functions and of the pure built-ins with known arguments) that running would refuse, with
  /// the message running would give. The first problem, by position, is thrown; the others are
  /// its `followUps`.
  public func check(_ source: Source) throws(PQError) {
    try checkSourceSize(source)
    let (tree, syntaxErrors) = try analysisStep { (runtime) throws(PQError) in
      try Parser.recovering(source, interruption: runtime)
    }
    var problems = syntaxErrors
    do {
      try resolve(tree)
    } catch {
      if error.kind == .limit { throw error }
      problems += ([error] + error.followUps).map { problem in
        var problem = problem
        problem.followUps = []
        return problem
      }
    }
    var checker = UnitChecker(
      interpreter: self, bound: UnitChecker.declaredNames(tree.statements), source: source)
    try analysisStep { (_) throws(PQError) in checker.check(tree.statements) }
    problems += checker.problems
    // In order of position; a problem without one (none here has none) last.
    let ordered = problems.enumerated().sorted { a, b in
      let (x, y) = (a.element.span?.start ?? Int.max, b.element.span?.start ?? Int.max)
      return x != y ? x < y : a.offset < b.offset
    }.map(\.element)
    guard var first = ordered.first else { return }
    first.followUps = Array(ordered.dropFirst())
    throw first
  }

  /// The unit of a formula's result when it is known before running (a ratio of users is a plain
  /// number, `x.revenue / x.mau` is USD per user), after checking it as `check` does; nil when the
  /// result's unit depends on what only running knows. A host checks a formula's unit before it
  /// evaluates a stranger's formula.
  public func resultUnit(of text: String, name: String = "<input>") throws(PQError) -> Unit? {
    let source = Source(name: name, text: text)
    let (tree, _) = try prepare(source, mode: .script)
    var checker = UnitChecker(
      interpreter: self, bound: UnitChecker.declaredNames(tree.statements), source: source)
    let result = try analysisStep { (_) throws(PQError) in checker.result(of: tree.statements) }
    if var first = checker.problems.first {
      first.followUps = Array(checker.problems.dropFirst())
      throw first
    }
    guard let result, result.numericValue != nil else { return nil }
    return result.unit
  }

  /// Runs a decoded source as a script.
  @discardableResult
  public func run(source: Source) throws(PQError) -> Value {
    try run(source, mode: .script)
  }

  /// The documentation of a built-in or prelude function: signature, doc line and example.
  public func help(_ name: String) -> String? {
    Builtins.helpText(name, natives: natives, prelude: StandardLibrary.docs)
  }
}
