#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs work on a thread whose stack is large enough for the call-depth limit, so deep pq
/// recursion ends in a depth error rather than a native stack overflow.
enum LargeStack {
  /// Bytes of stack for evaluation threads: room for the default depth limit in debug builds.
  static let size = 1 << 30

  private final class Job: @unchecked Sendable {
    let work: () -> Void
    init(_ work: @escaping () -> Void) { self.work = work }
  }

  /// Runs `body` on a fresh thread with a large stack and waits for it.
  static func run<T>(_ body: () throws(PQError) -> T) throws(PQError) -> T {
    var result: Result<T, PQError>?
    withoutActuallyEscaping(body) { body in
      let job = Job {
        do throws(PQError) { result = .success(try body()) } catch { result = .failure(error) }
      }
      var attributes = pthread_attr_t()
      pthread_attr_init(&attributes)
      pthread_attr_setstacksize(&attributes, size)
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
      pthread_attr_destroy(&attributes)
      if started != 0 {
        unmanaged.release()
        job.work()
      } else {
        #if canImport(Darwin)
          if let thread { pthread_join(thread, nil) }
        #else
          pthread_join(thread, nil)
        #endif
      }
    }
    switch result {
    case .success(let value): return value
    case .failure(let error): throw error
    case nil: throw PQError(.runtime, "evaluation did not finish")
    }
  }
}
