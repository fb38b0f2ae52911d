#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A task executor with a large-stack thread of its own, made for one `async` evaluation: the
/// calling task runs the evaluation on it (`withTaskExecutorPreference`), so the evaluation
/// stays in the caller's task — its task-local values are visible to native functions, and
/// `Task.isCancelled` is the caller's — while the stack is deep enough for the call-depth limit,
/// which a thread of Swift's cooperative pool is not.
///
/// The thread runs the jobs given to it, in order, until `finish()` and the queue is empty; it
/// is started by `LargeStack.spawn`, which marks it as an evaluation thread so that the
/// evaluation inside runs inline.
///
/// `@unchecked Sendable` (a `TaskExecutor` must be): its mutable state, the queue and the
/// finished flag, is read and written only with `mutex` held.
final class EvaluationExecutor: TaskExecutor, @unchecked Sendable {
  private var mutex = pthread_mutex_t()
  private var condition = pthread_cond_t()
  /// Jobs not yet run, and whether the executor will get no more (guarded by `mutex`).
  private var queue: [UnownedJob] = []
  private var finished = false

  /// Starts the executor's thread; nil when the system will not make one (then nothing may
  /// wait for jobs on the caller's thread).
  init?() {
    pthread_mutex_init(&mutex, nil)
    pthread_cond_init(&condition, nil)
    guard LargeStack.spawn({ [self] in runJobs() }) else { return nil }
  }

  deinit {
    pthread_cond_destroy(&condition)
    pthread_mutex_destroy(&mutex)
  }

  func enqueue(_ job: consuming ExecutorJob) {
    let unowned = UnownedJob(job)
    pthread_mutex_lock(&mutex)
    queue.append(unowned)
    pthread_cond_signal(&condition)
    pthread_mutex_unlock(&mutex)
  }

  /// No job will come after those queued: the thread ends when they have run.
  func finish() {
    pthread_mutex_lock(&mutex)
    finished = true
    pthread_cond_signal(&condition)
    pthread_mutex_unlock(&mutex)
  }

  private func runJobs() {
    while true {
      pthread_mutex_lock(&mutex)
      while queue.isEmpty, !finished { pthread_cond_wait(&condition, &mutex) }
      if queue.isEmpty {
        pthread_mutex_unlock(&mutex)
        return
      }
      let job = queue.removeFirst()
      pthread_mutex_unlock(&mutex)
      job.runSynchronously(on: asUnownedTaskExecutor())
    }
  }
}
