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
  /// What the interpreter loads and what a script may do.
  public struct Options: Sendable {
    /// Which platform data the globals `x`, `truth` and `platforms` hold. (Named apart from
    /// `Dataset`, the article's data itself.)
    public enum DataChoice: Sendable {
      /// The article's figures, built in.
      case builtIn
      /// The host's own platforms (records whose metric fields may carry `Figure` provenance).
      case custom([Value])
      /// The host's own platforms, each bound to a global name when it has one (as the article's
      /// are to `x` and `truth`): what ``json(_:)`` makes of platform JSON with `label`s.
      case labelled([(label: String?, platform: Value)])
      /// No platform data: `platforms` is empty and `x`/`truth` are not defined.
      case none

      /// The host's platforms from JSON in the format of the built-in data (docs/embedding.md):
      /// every figure keeps its source, and each platform's `label` becomes a global, protected
      /// like a built-in. A label that is not a name, is a keyword, or is already a built-in's
      /// name is an error, as is a label given twice.
      public static func json(_ text: String) throws(PQError) -> DataChoice {
        var seen: Set<String> = []
        var items: [(label: String?, platform: Value)] = []
        for platform in try Dataset.parse(text).platforms {
          if let label = platform.label {
            guard isName(label) else {
              throw PQError(
                .runtime, "the label '\(label)' of \(platform.name) is not a name pq code can use",
                notes: [
                  "a label is ASCII letters, digits and '_', not starting with a digit, and not a keyword"
                ])
            }
            guard !Builtins.reservedNames.contains(label), label != "platforms" else {
              throw PQError(.runtime, "the label '\(label)' of \(platform.name) is the name of a built-in")
            }
            guard seen.insert(label).inserted else {
              throw PQError(.runtime, "the label '\(label)' is given to more than one platform")
            }
          }
          items.append((platform.label, Dataset.value(of: platform)))
        }
        return .labelled(items)
      }
    }

    /// Which environment variables `env(name)` may read: a grant of its own, apart from files
    /// (a host that lets formulas read one folder has not let them read `PATH` or a secret).
    public enum EnvironmentAccess: Sendable {
      /// None: `env` is refused. The default for embedding.
      case none
      /// The process's environment (the `pq` command).
      case all
      /// Only these names, from the process's environment.
      case names([String])
      /// These values, given by the host (the process's environment is not read).
      case values([String: String])
    }

    /// Which files a script may read and write (`load`, `save`, `import "path"`).
    public enum FileAccess: Sendable {
      /// No file access at all: the default for embedding.
      case none
      /// Any path the process can reach.
      case all
      /// Only paths inside these folders.
      case folders([String])
      /// Reading (`load`, `import`) inside the first folders, writing (`save`) inside the second.
      case separate(read: [String], write: [String])
    }

    /// A note added to every refused file access, saying how to grant more (the `pq` command
    /// names its `--allow-read` and `--allow-write` flags here).
    public var fileAccessHint: String?

    /// What `load("-")` reads: the host's standard input, or nil when there is none.
    public var standardInput: (@Sendable () -> [UInt8])?

    /// The platform data.
    public var dataset: DataChoice = .builtIn
    /// Whether the prelude (`stdlib/prelude.pq`) is available: its names are defined at start and
    /// it runs when a source first uses one of them.
    public var loadsPrelude = true
    /// Where `print` output goes: a closure that receives each piece of text (lines end in "\n").
    public var output: @Sendable (String) -> Void = { _ in }
    /// Files the script may touch.
    public var fileAccess: FileAccess = .none
    /// Environment variables `env` may read; none unless the host grants them.
    public var environment: EnvironmentAccess = .none
    /// Steps, depth, time and size limits.
    public var limits = Limits()
    /// Whether charts and tables may use Unicode block and rule characters.
    public var unicode = true
    /// The width charts fit into.
    public var terminalWidth = 80
    /// When output goes to a terminal this many columns wide: `print` fits tables to it
    /// (cells wrap inside their columns). Nil, the default, wraps nothing, as for a pipe or file.
    public var wrapWidth: Int?
    /// The form `print` writes tables and charts in (`pq --format`): text by default; Markdown,
    /// CSV, JSON or HTML for output that goes into a story or another program.
    public var tableFormat = OutputFormat.text
    /// The values of `args` for scripts.
    public var arguments: [String] = []
    /// Whether code may not redefine a built-in or a global the host set (`let ratio = 0` is
    /// then an error, so one formula cannot change what later formulas see). The `pq` command
    /// turns it off: a user's own session may shadow names.
    public var protectsGlobals = true
    /// What the data is called in messages about a missing figure: "the article" for the
    /// built-in data, else "the dataset".
    var dataName: String {
      if case .builtIn = dataset { return "the article" }
      return "the dataset"
    }

    /// Creates options with the defaults: built-in data, prelude, no output, no file access.
    public init() {}
  }

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

  func defineNative(_ native: NativeFunction) {
    natives[native.name] = native
    defineGlobal(native.name, .function(Function(.native(native))), builtin: true)
  }

  func defineGlobal(_ name: String, _ value: Value, builtin: Bool) {
    let index = scope.define(name, mutable: false, isBuiltin: builtin)
    runtime.globals.grow(to: index + 1)
    runtime.globals[index] = value
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

  /// Checks a source that is already decoded: syntax, names, and the unit errors that are
  /// certain before running — an operation on known values (literals, the built-in figures, `let`
  /// bindings of them) that running would refuse, with the message running would give. The first
  /// problem is thrown, the others are its `followUps`.
  public func check(_ source: Source) throws(PQError) {
    let (tree, _) = try prepare(source, mode: .script)
    var checker = UnitChecker(
      interpreter: self, bound: UnitChecker.declaredNames(tree.statements), source: source)
    checker.check(tree.statements)
    guard var first = checker.problems.first else { return }
    first.followUps = Array(checker.problems.dropFirst())
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
    let result = checker.result(of: tree.statements)
    if var first = checker.problems.first {
      first.followUps = Array(checker.problems.dropFirst())
      throw first
    }
    guard let result, result.numericValue != nil else { return nil }
    return result.unit
  }

  /// Runs the editor's work on a document (a parse) as one evaluation, so that
  /// `cancellation.cancel()` from another thread stops it; nested in an evaluation, inside
  /// that one.
  func analysisStep<T>(_ body: (Runtime) throws(PQError) -> T) throws(PQError) -> T {
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

  /// Parses and resolves a source for `check` and `compile`, under the limits: the size limit
  /// first, then the deadline and a cancellation, checked as it parses and resolves (not reset
  /// when called back from a native function inside an evaluation, whose limits then hold).
  func prepare(_ source: Source, mode: ResolutionMode) throws(PQError) -> (SyntaxTree, Resolver.Output) {
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

  /// Runs a decoded source as a script.
  @discardableResult
  public func run(source: Source) throws(PQError) -> Value {
    try run(source, mode: .script)
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

  // MARK: Globals and natives

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

  /// Registers a native function that receives a `NativeCall`: its arguments, the interpreter
  /// (not retained), and whether the evaluation was cancelled, so a long native can stop early.
  /// An error it throws is reported at the call. Same rules as `register`.
  public func registerWithContext(
    _ name: String, arity: Int? = nil, doc: String = "", replacing: Bool = false,
    _ body: @escaping @Sendable (NativeCall) throws -> Value
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
    _ body: @escaping @Sendable (NativeCall) throws -> Value
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

  /// The documentation of a built-in or prelude function: signature, doc line and example.
  public func help(_ name: String) -> String? {
    Builtins.helpText(name, natives: natives, prelude: StandardLibrary.docs)
  }
}
