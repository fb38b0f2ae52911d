import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a statement asks of the loops and calls around it.
enum Flow: UInt8 {
  case normal, breakLoop, continueLoop, returnValue
}

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

/// Stops the evaluation that is running when `cancel()` is called, from any thread or a signal
/// handler. It is not sticky: each evaluation has its own number, and a `cancel()` that comes
/// when none is running, or after the one it meant has ended, stops nothing later.
public final class CancellationFlag: Sendable {
  /// The number of the running evaluation, or 0 between evaluations.
  private let running = Atomic<UInt64>(0)
  /// The number of the evaluation a `cancel()` was meant for.
  private let cancelled = Atomic<UInt64>(0)
  private let serial = Atomic<UInt64>(0)

  /// Creates a flag.
  public init() {}

  /// Asks the running evaluation, if there is one, to stop at its next check.
  public func cancel() {
    let current = running.load(ordering: .acquiring)
    if current != 0 { cancelled.store(current, ordering: .releasing) }
  }

  /// True when the running evaluation was asked to stop.
  public var isCancelled: Bool {
    let current = running.load(ordering: .acquiring)
    guard current != 0 else { return false }
    let target = cancelled.load(ordering: .acquiring)
    return target == current || target == CancellationFlag.next
  }

  /// Marks "the evaluation running now or the next to start": what a cancelled task asks when
  /// its evaluation may not have begun yet. The task clears it when its evaluation returns.
  static let next = UInt64.max

  func cancelRunningOrNext() { cancelled.store(CancellationFlag.next, ordering: .releasing) }

  func clearNext() {
    _ = cancelled.compareExchange(
      expected: CancellationFlag.next, desired: 0, ordering: .acquiringAndReleasing)
  }

  /// Forgets a request to stop the running evaluation (the prompt after Ctrl-C at a line).
  public func reset() { cancelled.store(0, ordering: .releasing) }

  /// Marks an evaluation as running; `cancel()` now stops it.
  func begin() {
    running.store(serial.add(1, ordering: .relaxed).newValue, ordering: .releasing)
  }

  /// Marks the evaluation as ended; a later `cancel()` does nothing.
  func end() {
    running.store(0, ordering: .releasing)
  }
}

/// The mutable state of one evaluation: the value stack, globals, environment chain, control
/// flow and limit counters. One per `Interpreter`; never shared between threads.
final class Runtime {
  var stack: UnsafeMutablePointer<Value>
  var capacity: Int
  var framePointer = 0
  var stackTop = 0
  let globals = GlobalSlots()
  var env: Environment?
  var flow = Flow.normal
  var returnValue = Value.nil
  var depth = 0
  var steps = 0
  var checkpoint = 0
  var deadline: UInt64 = .max
  var limits: Limits
  let cancellation: CancellationFlag
  weak var host: (any RuntimeHost)?
  /// The latest field reads that gave nil, each with the platform it was read from (nil for any
  /// other record): what an error about that nil says. A node's new nil read replaces its old
  /// entry, so an entry always describes that node's latest read, never an earlier evaluation's.
  var nilFields: [(node: ObjectIdentifier, platform: String?)] = []

  /// Records that a field read gave nil.
  func noteNilField(_ node: ObjectIdentifier, platform: String?) {
    nilFields.removeAll { $0.node == node }
    if nilFields.count >= 8 { nilFields.removeFirst() }
    nilFields.append((node, platform))
  }

  init(limits: Limits, cancellation: CancellationFlag) {
    self.limits = limits
    self.cancellation = cancellation
    capacity = 4096
    stack = UnsafeMutablePointer<Value>.allocate(capacity: capacity)
    stack.initialize(repeating: .nil, count: capacity)
  }

  deinit {
    stack.deinitialize(count: capacity)
    stack.deallocate()
  }

  // MARK: Frames and locals. The stack, the frame pointer and the stack top are the runtime's
  // own: nodes and the front door use these accessors, which inline to the same loads.

  /// A pointer to local `slot` of the current frame.
  @inline(__always)
  func localPointer(_ slot: Int) -> UnsafeMutablePointer<Value> { stack + (framePointer + slot) }

  /// Local `slot` of the current frame.
  @inline(__always)
  func local(_ slot: Int) -> Value { stack[framePointer + slot] }

  /// Sets local `slot` of the current frame.
  @inline(__always)
  func setLocal(_ slot: Int, _ value: Value) { stack[framePointer + slot] = value }

  /// Pushes a frame of `size` slots for a call and returns its base; the caller fills the
  /// arguments with `setArgument` and hands the base to `invoke`.
  @inline(__always)
  func pushFrame(_ size: Int) -> Int {
    let base = stackTop
    reserve(size)
    stackTop = base + size
    return base
  }

  /// Sets slot `index` of a frame pushed by `pushFrame`.
  @inline(__always)
  func setArgument(_ base: Int, _ index: Int, _ value: Value) { stack[base + index] = value }

  /// Runs `body` in a fresh frame of `size` slots on top of the stack, restoring the frame,
  /// the environment and the stack afterwards.
  func withTopFrame<T>(_ size: Int, _ body: () throws(PQError) -> T) throws(PQError) -> T {
    let base = pushFrame(size)
    let savedFrame = framePointer
    let savedEnvironment = env
    framePointer = base
    defer {
      framePointer = savedFrame
      env = savedEnvironment
      clearFrame(base, size)
    }
    return try body()
  }

  /// Forgets an evaluation that failed: control flow, environment and frames back to none.
  func abandon() {
    flow = .normal
    env = nil
    framePointer = 0
    stackTop = 0
  }

  /// Makes room for `count` more slots above `stackTop`.
  @inline(__always)
  func reserve(_ count: Int) {
    if stackTop + count > capacity { grow(stackTop + count) }
  }

  private func grow(_ needed: Int) {
    var newCapacity = capacity * 2
    while newCapacity < needed { newCapacity *= 2 }
    let newStack = UnsafeMutablePointer<Value>.allocate(capacity: newCapacity)
    newStack.moveInitialize(from: stack, count: capacity)
    (newStack + capacity).initialize(repeating: .nil, count: newCapacity - capacity)
    stack.deallocate()
    stack = newStack
    capacity = newCapacity
  }

  /// Resets counters before a top-level evaluation.
  func begin() {
    allocated = 0
    steps = 0
    depth = 0
    flow = .normal
    checkpoint = min(limits.steps.map { $0 + 1 } ?? .max, 4096)
    if let seconds = limits.seconds {
      deadline = Runtime.now() &+ UInt64(seconds * 1e9)
    } else {
      deadline = .max
    }
  }

  static func now() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
  }

  /// Counts one step (a loop iteration or a call) and, every few thousand, checks the limits.
  @inline(__always)
  func tick(_ span: Span) throws(PQError) {
    steps &+= 1
    if steps >= checkpoint { try checkLimits(span) }
  }

  func checkLimits(_ span: Span?) throws(PQError) {
    if let limit = limits.steps, steps > limit {
      throw PQError.limit("step limit of \(limit) reached", span, reason: .steps)
    }
    try checkTimeAndCancellation(span)
    checkpoint = min(limits.steps.map { $0 + 1 } ?? .max, steps &+ 4096)
  }

  /// The checks that do not depend on counting: a cancellation and the deadline.
  func checkTimeAndCancellation(_ span: Span?) throws(PQError) {
    if cancellation.isCancelled {
      throw PQError.limit("interrupted", span, reason: .cancelled)
    }
    if deadline != .max, Runtime.now() >= deadline {
      throw PQError.limit(
        "time limit of \(NumberFormat.plain(limits.seconds ?? 0)) s reached", span, reason: .time)
    }
  }

  /// Bytes of lists and strings made in this evaluation, for the memory budget.
  var allocated = 0
  /// True while a top-level evaluation runs (imports and calls from natives nest inside it).
  var evaluating = false
  /// "the article" or "the dataset", for messages about a missing figure.
  var dataName = "the article"

  /// The bytes one list element takes.
  static let elementBytes = MemoryLayout<Value>.stride

  /// Counts a built-in's work after it returns: one step per call plus one per element it
  /// returned or was given (so `sum(range(5000000))` counts as five million steps, and the time
  /// and cancellation checks come at least that often), and the bytes of a list or string it
  /// made against the memory budget. A host's own native function may take any time, so the
  /// deadline and cancellation are checked after every one.
  @inline(__always)
  func account(_ result: Value, _ arguments: borrowing Arguments, _ native: NativeFunction) throws(PQError) {
    var work = 1
    var bytes = 0
    switch result {
    case .list(let items):
      work &+= items.count
      bytes = items.count &* Runtime.elementBytes
    case .string(let text):
      bytes = text.utf8.count
      work &+= bytes >> 4
    default: break
    }
    if arguments.count > 0 { work &+= Runtime.size(arguments.first) }
    if arguments.count > 1 { work &+= Runtime.size(arguments.second) }
    steps &+= work
    if bytes > 4096, let budget = limits.memory {
      allocated &+= bytes
      if allocated > budget { throw memoryLimit(arguments.span) }
    }
    if native.isHostFunction { try checkTimeAndCancellation(arguments.span) }
    if steps >= checkpoint { try checkLimits(arguments.span) }
  }

  @inline(__always)
  static func size(_ value: Value) -> Int {
    switch value {
    case .list(let items): return items.count
    case .string(let text): return text.utf8.count >> 4
    default: return 0
    }
  }

  func memoryLimit(_ span: Span?) -> PQError {
    PQError.limit(
      "memory limit reached: more than \(Runtime.megabytes(limits.memory ?? 0)) of lists and strings in one evaluation",
      span, reason: .memory)
  }

  static func megabytes(_ bytes: Int) -> String {
    bytes >= 1 << 20 ? "\(NumberFormat.plain(Double(bytes) / Double(1 << 20))) MiB" : "\(bytes) bytes"
  }

  /// Checks a list length (or, with `what: "bytes"`, a string's) against the size limit and,
  /// before the list or string is made, against the memory budget.
  @inline(__always)
  func checkSize(_ count: Int, _ span: Span?, what: String = "elements") throws(PQError) {
    if count > limits.maximumLength {
      let shown = count == Int.max ? "more" : "\(count)"
      throw PQError.limit(
        "size limit reached: \(shown) \(what) is more than the \(limits.maximumLength) allowed", span,
        reason: .size)
    }
    if let budget = limits.memory {
      let bytes = what == "elements" ? count &* Runtime.elementBytes : count
      if allocated &+ bytes > budget { throw memoryLimit(span) }
    }
  }
}

/// Resource limits for one interpreter; exceeding one ends the evaluation with a `limit` error.
public struct Limits: Sendable {
  /// The most loop iterations plus calls in one evaluation, or nil for no limit.
  public var steps: Int?
  /// The deepest nesting of calls.
  public var callDepth: Int
  /// Wall-clock seconds for one evaluation, or nil for no limit.
  public var seconds: Double?
  /// The longest list, string (in bytes) or range a script may build.
  public var maximumLength: Int
  /// The most bytes of lists and strings one evaluation may make (counted as they are made,
  /// not as they are freed), or nil for no budget.
  public var memory: Int?

  /// Limits for formulas typed by strangers: a million steps, 200 nested calls, one second,
  /// lists and strings of up to a million elements or bytes, and 64 MiB made per evaluation.
  public static let untrusted = Limits(
    steps: 1_000_000, callDepth: 200, seconds: 1, maximumLength: 1_000_000, memory: 64 << 20)

  /// Creates limits; the defaults suit interactive use and scripts.
  public init(
    steps: Int? = nil, callDepth: Int = 10_000, seconds: Double? = nil, maximumLength: Int = 100_000_000,
    memory: Int? = nil
  ) {
    self.steps = steps
    self.callDepth = callDepth
    self.seconds = seconds
    self.maximumLength = maximumLength
    self.memory = memory
  }
}

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
    pointer.deinitialize(count: count)
    pointer.deallocate()
  }

  /// A global's value; plain numbers are rebuilt rather than copied (see `LocalGetNode`).
  @inline(__always)
  func read(_ index: Int) -> Value {
    let slot = pointer + index
    if case .number(let n) = slot.pointee { return .number(n) }
    return slot.pointee
  }

  /// The function a global holds, or nil: one retain, without copying the whole value.
  @inline(__always)
  func function(_ index: Int) -> Function? {
    if case .function(let function) = pointer[index] { return function }
    return nil
  }

  subscript(index: Int) -> Value {
    @inline(__always) get { pointer[index] }
    @inline(__always) set { pointer[index] = newValue }
  }

  /// Grows to `newCount` slots, new ones nil.
  func grow(to newCount: Int) {
    guard newCount > count else { return }
    if newCount > capacity {
      var newCapacity = capacity * 2
      while newCapacity < newCount { newCapacity *= 2 }
      let newPointer = UnsafeMutablePointer<Value>.allocate(capacity: newCapacity)
      newPointer.moveInitialize(from: pointer, count: count)
      pointer.deallocate()
      pointer = newPointer
      capacity = newCapacity
    }
    (pointer + count).initialize(repeating: .nil, count: newCount - count)
    count = newCount
  }

  /// Drops the slots from `newCount` on.
  func shrink(to newCount: Int) {
    guard newCount < count else { return }
    (pointer + newCount).deinitialize(count: count - newCount)
    count = newCount
  }
}
