#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs work on a thread whose stack is large enough for the call-depth limit, so deep pq
/// recursion ends in a depth error rather than a native stack overflow.
package enum LargeStack {
  /// Bytes of stack for evaluation threads: room for the default depth limit in debug builds.
  static let size = 1 << 30

  /// The work handed to a new thread. `@unchecked Sendable`: `work` is not `@Sendable` (it
  /// captures the caller's state), and it is safe to run on the new thread because the caller
  /// waits for it to finish (`run` joins the thread) before it touches that state again.
  fileprivate final class Job: @unchecked Sendable {
    let work: () -> Void
    init(_ work: @escaping () -> Void) { self.work = work }
  }

  /// True on an evaluation thread, where a nested evaluation (a native function calling back
  /// into pq) runs inline.
  static var currentStackIsLarge: Bool { pthread_getspecific(marker.key) != nil }

  /// The thread-specific key that marks evaluation threads.
  private final class Marker: Sendable {
    let key: pthread_key_t

    init() {
      var key = pthread_key_t()
      pthread_key_create(&key, nil)
      self.key = key
    }
  }

  private static let marker = Marker()

  /// Runs `body` on a thread with a large stack and waits for it (inline when the current
  /// thread's stack is large already).
  package static func run<T>(_ body: () throws(PQError) -> T) throws(PQError) -> T {
    if currentStackIsLarge { return try body() }
    var result: Result<T, PQError>?
    withoutActuallyEscaping(body) { body in
      let key = marker.key
      let job = Job {
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: 1))
        do throws(PQError) { result = .success(try body()) } catch { result = .failure(error) }
      }
      if let thread = start(job, detached: false) {
        #if canImport(Darwin)
          if let thread { pthread_join(thread, nil) }
        #else
          pthread_join(thread, nil)
        #endif
      } else {
        job.work()
      }
    }
    switch result {
    case .success(let value): return value
    case .failure(let error): throw error
    case nil: throw PQError(.runtime, "evaluation did not finish")
    }
  }
}

extension LargeStack {
  /// Starts `work` on a new large-stack thread and returns at once; false (and `work` not run)
  /// when no thread could be made.
  static func spawn(_ work: @escaping @Sendable () -> Void) -> Bool {
    let key = marker.key
    let job = Job {
      pthread_setspecific(key, UnsafeRawPointer(bitPattern: 1))
      work()
    }
    return start(job, detached: true) != nil
  }

  #if canImport(Darwin)
    typealias Thread = pthread_t?
  #else
    typealias Thread = pthread_t
  #endif

  /// Starts a thread with a stack of `size` bytes running the job; nil when no thread could be
  /// made (the caller then runs the job itself).
  fileprivate static func start(_ job: Job, detached: Bool) -> Thread? {
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    pthread_attr_setstacksize(&attributes, size)
    if detached { pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED)) }
    defer { pthread_attr_destroy(&attributes) }
    let unmanaged = Unmanaged.passRetained(job)
    #if canImport(Darwin)
      var thread: pthread_t?
    #else
      var thread = pthread_t()
    #endif
    let started = pthread_create(
      &thread, &attributes,
      { pointer in
        #if canImport(Darwin)
          let job = Unmanaged<Job>.fromOpaque(pointer).takeRetainedValue()
        #else
          guard let pointer else { return nil }
          let job = Unmanaged<Job>.fromOpaque(pointer).takeRetainedValue()
        #endif
        job.work()
        return nil
      }, unmanaged.toOpaque())
    if started != 0 {
      unmanaged.release()
      return nil
    }
    return thread
  }
}
