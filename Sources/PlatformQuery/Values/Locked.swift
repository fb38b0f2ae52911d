#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A value behind a pthread mutex, for the small caches that immutable shared objects (figures)
/// keep. A pthread mutex rather than `Synchronization.Mutex` because ThreadSanitizer follows
/// pthread locking, so the tests that run interpreters on many threads check these caches too.
final class Locked<State>: @unchecked Sendable {
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  /// Guarded by `mutex`, so the run-time exclusivity check on every access (76 instructions,
  /// a quarter of a cached caveat's lookup) is left out: the lock already excludes.
  @exclusivity(unchecked) private var state: State
  /// A number for the owner's use, fixed when the lock is made (a figure's serial number).
  let tag: UInt64

  init(_ state: State, tag: UInt64 = 0) {
    self.state = state
    self.tag = tag
    mutex = .allocate(capacity: 1)
    mutex.initialize(to: pthread_mutex_t())
    pthread_mutex_init(mutex, nil)
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deinitialize(count: 1)
    mutex.deallocate()
  }

  /// Runs `body` with the state, holding the lock.
  func withLock<T>(_ body: (inout State) -> T) -> T {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return body(&state)
  }
}
