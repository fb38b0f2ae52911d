/// A formula parsed and resolved once, to evaluate many times: a spreadsheet cell, a rule a host
/// checks against every record. ``names`` lists the globals it reads (built-ins, data and the
/// host's names), so a host can tell before running it what a formula depends on, or refuse one
/// that reads something it should not.
///
/// ```swift
/// let formula = try pq.compile("ratio(users, truth.mau)")
/// formula.names                       // ["ratio", "users", "truth"]
/// for value in candidates {
///   pq.setGlobal("users", value)
///   let result = try formula.evaluate()
/// }
/// ```
///
/// A compiled formula may not define global names (`let`, `var`, `fn` or `import` at its top
/// level; inside a block they are fine: `{ let a = x.mau; a * 2 }`). It belongs to the
/// interpreter that compiled it and follows that interpreter's rules: one evaluation at a time,
/// its limits, its cancellation. After ``Interpreter/removeGlobal(_:)`` it must be compiled
/// again (evaluating it throws until then).
public final class Program {
  /// The interpreter it was compiled by and runs in.
  public let interpreter: Interpreter
  /// The formula's source.
  public let source: Source
  /// The globals the formula reads, in order of first use.
  public let names: [String]
  let body: BlockNode
  let frameSize: Int
  let removals: Int

  init(
    interpreter: Interpreter, source: Source, names: [String], body: BlockNode, frameSize: Int, removals: Int
  ) {
    self.interpreter = interpreter
    self.source = source
    self.names = names
    self.body = body
    self.frameSize = frameSize
    self.removals = removals
  }

  /// Evaluates the formula with the interpreter's current globals; the value of its last
  /// expression. Errors are as for `Interpreter.evaluate(_:name:)`.
  public func evaluate() throws(PQError) -> Value {
    guard interpreter.removals == removals else {
      throw PQError(
        .runtime, "a global was removed since this formula was compiled: compile it again",
        source: source, span: Span(start: 0, end: 0))
    }
    return try interpreter.run(compiled: self)
  }
}

extension Interpreter {
  /// Parses and resolves a formula once, for ``Program/evaluate()`` to run many times. Syntax
  /// and name errors are thrown here, as `check` reports them; so is a top-level definition.
  /// The size limit, the time limit and a cancellation hold while it compiles.
  public func compile(_ text: String, name: String = "<formula>") throws(PQError) -> Program {
    let source = Source(name: name, text: text)
    let (tree, resolved) = try prepare(source, mode: .script)
    for statement in tree.statements {
      switch statement.kind {
      case .binding, .function, .importModule:
        throw PQError(
          .syntax, "a compiled formula cannot define global names", source: source, span: statement.span,
          notes: ["put definitions inside a block: { let a = x.mau; a * 2 }, or use setGlobal from Swift"])
      default: break
      }
    }
    loadPrelude(ifReading: resolved.usedGlobals)
    fillBuiltInData(ifReading: resolved.usedGlobals)
    return Program(
      interpreter: self, source: source, names: resolved.usedGlobals, body: resolved.body,
      frameSize: resolved.frameSize, removals: removals)
  }

  func run(compiled program: Program) throws(PQError) -> Value {
    let outermost = try beginEvaluation()
    defer { if outermost { endEvaluation() } }
    do {
      return try LargeStack.run { () throws(PQError) -> Value in
        claimEvaluationThread()
        runtime.begin()
        return try handOver(
          try execute(program.body, frameSize: program.frameSize, source: program.source),
          from: program.source)
      }
    } catch {
      runtime.abandon()
      throw error
    }
  }
}
