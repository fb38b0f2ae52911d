/// Evaluation from Swift concurrency, and one deep stack for a batch of evaluations.
extension Interpreter {
  /// Evaluates like `evaluate(_:name:)` without blocking a thread of Swift's concurrency pool.
  /// The evaluation runs in the calling task, on a thread of its own that is deep enough for
  /// the call-depth limit (an `EvaluationExecutor`, preferred for the call): task-local values
  /// are visible inside native functions, and cancelling the calling task stops the evaluation
  /// with a `.cancelled` limit error (also when it is cancelled before the evaluation starts).
  /// One evaluation at a time per interpreter, as for the synchronous form.
  public func evaluate(_ text: String, name: String = "<input>") async throws(PQError) -> Value {
    let flag = cancellation
    guard let executor = EvaluationExecutor() else {
      throw PQError(
        .runtime, "could not start a thread for the evaluation", notes: ["the system refused a new thread"])
    }
    defer { executor.finish() }
    let result: Result<Value, PQError> = await withTaskCancellationHandler {
      await withTaskExecutorPreference(executor) { [self] () async -> Result<Value, PQError> in
        if Task.isCancelled { flag.cancelRunningOrNext() }
        let outcome: Result<Value, PQError>
        do throws(PQError) {
          outcome = .success(try self.evaluateHere(text, name: name))
        } catch {
          outcome = .failure(error)
        }
        flag.clearNext()
        return outcome
      }
    } onCancel: {
      flag.cancelRunningOrNext()
    }
    return try result.get()
  }

  /// The synchronous `evaluate`, named apart so that the `async` one can call it.
  private func evaluateHere(_ text: String, name: String) throws(PQError) -> Value {
    try evaluate(text, name: name)
  }

  /// Runs `body` on a thread whose stack is deep enough for the call-depth limit and waits for
  /// it. Every evaluation inside `body` then runs inline rather than on a thread of its own, so
  /// a host that makes several evaluations in a row (a script runner, a batch of formulas)
  /// starts one thread instead of one per evaluation. Evaluations are safe without it.
  public static func withEvaluationStack<T>(_ body: () -> T) -> T {
    var value: T?
    _ = try? LargeStack.run { () throws(PQError) in value = body() }
    // The thread always runs the body; should it ever not have, run it here.
    return value ?? body()
  }
}
