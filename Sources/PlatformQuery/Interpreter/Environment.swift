#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The fixed part of an environment: the enclosing one and the number of slots.
struct EnvironmentHeader {
  let parent: Environment?
  let count: Int
}

/// Captured variables of one scope, kept alive by the closures that refer to them. The slots
/// live in the same allocation as the object (one allocation per environment, not two).
final class Environment: ManagedBuffer<EnvironmentHeader, Value> {
  /// A new environment of `size` nil slots inside `parent`.
  static func make(parent: Environment?, size: Int) -> Environment {
    let buffer = Environment.create(minimumCapacity: size) { _ in
      EnvironmentHeader(parent: parent, count: size)
    }
    let environment = unsafeDowncast(buffer, to: Environment.self)
    environment.withUnsafeMutablePointerToElements { $0.initialize(repeating: .nil, count: size) }
    return environment
  }

  deinit {
    // A closure's environment may hold a closure whose environment holds another, as deep as
    // a loop made them (`let g = f; f = fn() { g() }`): freed by recursion, such a chain would
    // overflow the stack of the thread that lets it go. Functions, lists and records are moved
    // to this thread's queue and freed there one at a time instead; other values are destroyed
    // in place, slot by slot (`deinitialize(count:)` would go through the runtime's generic
    // array destroy).
    withUnsafeMutablePointers { header, elements in
      var queue: PendingReleases?
      for index in 0..<header.pointee.count {
        let slot = elements + index
        if slot.pointee.isContainerOrFunction {
          if queue == nil { queue = PendingReleases.current }
          queue?.values.append(slot.move())
        } else {
          slot.deinitialize(count: 1)
        }
      }
      queue?.drain()
    }
  }

  /// The enclosing environment.
  var parent: Environment? { header.parent }

  /// A slot's value.
  subscript(index: Int) -> Value {
    @inline(__always) get { withUnsafeMutablePointerToElements { $0[index] } }
    @inline(__always) set { withUnsafeMutablePointerToElements { $0[index] = newValue } }
  }

  /// Sets every slot to nil, breaking reference cycles through this environment.
  func clear() {
    withUnsafeMutablePointerToElements { elements in
      for index in 0..<header.count { elements[index] = .nil }
    }
  }
}

/// Values whose freeing an environment's `deinit` put off (one queue per thread), so that
/// freeing a chain of closures never recurses: the outermost `deinit` on the thread frees them,
/// one at a time; an environment freed meanwhile only adds its values to the queue.
final class PendingReleases {
  var values: [Value] = []
  var draining = false

  /// Frees the queued values unless an outer `deinit` on this thread is already doing so.
  func drain() {
    guard !draining else { return }
    draining = true
    while let value = values.popLast() { Value.dismantle(value) }
    draining = false
  }

  /// This thread's queue, made on first use and freed when the thread ends.
  static var current: PendingReleases {
    let key = PendingReleases.key
    if let existing = pthread_getspecific(key) {
      return Unmanaged<PendingReleases>.fromOpaque(existing).takeUnretainedValue()
    }
    let queue = PendingReleases()
    // Retained for the thread: the key's destructor releases it when the thread ends.
    pthread_setspecific(key, Unmanaged.passRetained(queue).toOpaque())
    return queue
  }

  private static let key: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key) { pointer in
      #if canImport(Darwin)
        Unmanaged<PendingReleases>.fromOpaque(pointer).release()
      #else
        if let pointer { Unmanaged<PendingReleases>.fromOpaque(pointer).release() }
      #endif
    }
    return key
  }()
}

extension Value {
  /// Whether this is a list, a record or a function: a value whose freeing may free others.
  var isContainerOrFunction: Bool {
    switch self {
    case .list, .record, .function: return true
    default: return false
    }
  }
}
