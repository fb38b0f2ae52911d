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
    // Slot by slot: `deinitialize(count:)` goes through the runtime's generic array destroy.
    withUnsafeMutablePointers { header, elements in
      for index in 0..<header.pointee.count { (elements + index).deinitialize(count: 1) }
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
