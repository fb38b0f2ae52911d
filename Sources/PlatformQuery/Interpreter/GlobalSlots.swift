/// The values of globals, in slots the resolver numbered. A manually managed buffer: reading a
/// global is one load, without the exclusivity and uniqueness checks of an array in a class.
final class GlobalSlots {
  private var pointer: UnsafeMutablePointer<Value>
  private var capacity: Int
  /// The number of slots in use.
  private(set) var count = 0

  init() {
    capacity = 256
    pointer = UnsafeMutablePointer<Value>.allocate(capacity: capacity)
  }

  deinit {
    GlobalSlots.release(pointer, count: count)
    pointer.deallocate()
  }

  /// Deinitializes `count` values, taking lists and records apart without recursion (see
  /// `Value.dismantle`): an interpreter let go by its host frees its globals on the host's
  /// thread, whose stack a deeply nested list would overflow.
  static func release(_ start: UnsafeMutablePointer<Value>, count: Int) {
    // Each value moved straight into `dismantle`, so that it holds the only reference.
    for index in 0..<count { Value.dismantle((start + index).move()) }
  }

  /// A global's value; plain numbers are rebuilt rather than copied (see `LocalGetNode`).
  @inline(__always)
  func read(_ index: Int) -> Value {
    let slot = pointer + index
    if case .number(let n) = slot.pointee { return .number(n) }
    return slot.pointee
  }

  /// A global's number when it holds a plain one, else NaN (see `NumericNode`).
  @inline(__always)
  func number(_ index: Int) -> Double {
    if case .number(let n) = pointer[index] { return n }
    return .nan
  }

  /// Stores a plain number in a global (see `UnsafeMutablePointer.storeNumber`).
  @inline(__always)
  func storeNumber(_ number: Double, at index: Int) {
    (pointer + index).storeNumber(number)
  }

  /// The function a global holds, or nil: one retain, without copying the whole value.
  @inline(__always)
  func function(_ index: Int) -> Function? {
    if case .function(let function) = pointer[index] { return function }
    return nil
  }

  /// Whether a global holds the built-in `native` (see `NumericCall`).
  @inline(__always)
  func holds(_ native: NativeFunction, at index: Int) -> Bool {
    if case .function(let function) = pointer[index] { return function.native === native }
    return false
  }

  /// The slot of a global, for changing its value in place.
  @inline(__always)
  func slot(_ index: Int) -> UnsafeMutablePointer<Value> { pointer + index }

  subscript(index: Int) -> Value {
    @inline(__always) get { pointer[index] }
    @inline(__always) set { pointer[index] = newValue }
  }

  /// Grows to `newCount` slots, new ones nil.
  func grow(to newCount: Int) {
    guard newCount > count else { return }
    if newCount > capacity {
      (pointer, capacity) = ValueStorage.grow(pointer, capacity, keeping: count, to: newCount)
    }
    (pointer + count).initialize(repeating: .nil, count: newCount - count)
    count = newCount
  }

  /// Drops the slots from `newCount` on.
  func shrink(to newCount: Int) {
    guard newCount < count else { return }
    GlobalSlots.release(pointer + newCount, count: count - newCount)
    count = newCount
  }
}

/// The one way pq grows a manually managed run of values (the runtime's stack, the globals):
/// double the capacity until it holds `needed`, move the first `keeping` values over.
enum ValueStorage {
  static func grow(
    _ pointer: UnsafeMutablePointer<Value>, _ capacity: Int, keeping count: Int, to needed: Int
  ) -> (UnsafeMutablePointer<Value>, Int) {
    var newCapacity = Swift.max(1, capacity) * 2
    while newCapacity < needed { newCapacity *= 2 }
    let newPointer = UnsafeMutablePointer<Value>.allocate(capacity: newCapacity)
    newPointer.moveInitialize(from: pointer, count: count)
    pointer.deallocate()
    return (newPointer, newCapacity)
  }
}
