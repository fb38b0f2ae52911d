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

/// The mutable state of one evaluation: the value stack, globals, environment chain, control
/// flow and limit counters. One per `Interpreter`; never shared between threads.
package final class Runtime {
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
  /// `source` is who gives the platform's figures (`Record.figureSource`).
  var nilFields: [(node: ObjectIdentifier, platform: String?, source: String)] = []

  /// The last string `isPlainASCII` looked at, and its answer. The string is held, so its
  /// storage cannot be freed and another string's take its address while it is here.
  private var asciiCache: (text: String, isPlain: Bool)?

  /// Whether every character of `text` is one ASCII byte (no byte over 0x7F, and no "\r\n",
  /// which is one character of two bytes): then the i-th character is the i-th byte. Worked out
  /// once for the string a loop keeps indexing (found by its storage), O(n) the first time.
  func isPlainASCII(_ text: String) -> Bool {
    if let cached = asciiCache, Runtime.sameStorage(cached.text, text) { return cached.isPlain }
    // Read where the bytes lie (iterating the UTF-8 view cost 35 instructions a byte).
    let plain =
      text.utf8.withContiguousStorageIfAvailable(Runtime.isPlainASCII)
      ?? Runtime.isPlainASCII(Array(text.utf8))
    asciiCache = (text, plain)
    return plain
  }

  static func isPlainASCII(_ bytes: some RandomAccessCollection<UInt8>) -> Bool {
    var previous: UInt8 = 0
    for byte in bytes {
      if byte >= 0x80 || (previous == 13 && byte == 10) { return false }
      previous = byte
    }
    return true
  }

  /// Whether two strings share their UTF-8 storage (copies of one string do); false for strings
  /// without contiguous storage.
  static func sameStorage(_ a: String, _ b: String) -> Bool {
    guard a.utf8.count == b.utf8.count,
      let first = a.utf8.withContiguousStorageIfAvailable({ $0.baseAddress }),
      let second = b.utf8.withContiguousStorageIfAvailable({ $0.baseAddress })
    else { return false }
    return first == second
  }

  /// Records that a field read gave nil.
  func noteNilField(_ node: ObjectIdentifier, platform: String?, source: String) {
    // The same read again (a loop testing `t.left == nil`): already the latest entry.
    if let last = nilFields.last, last.node == node, last.platform == platform, last.source == source {
      return
    }
    nilFields.removeAll { $0.node == node }
    if nilFields.count >= 8 { nilFields.removeFirst() }
    nilFields.append((node, platform, source))
  }

  init(limits: Limits, cancellation: CancellationFlag) {
    self.limits = limits
    self.cancellation = cancellation
    capacity = 4096
    stack = UnsafeMutablePointer<Value>.allocate(capacity: capacity)
    stack.initialize(repeating: .nil, count: capacity)
  }

  deinit {
    GlobalSlots.release(stack, count: capacity)
    stack.deallocate()
  }

  // MARK: Frames and locals. The stack, the frame pointer and the stack top are the runtime's
  // own: nodes and the front door use these accessors, which inline to the same loads.

  /// A pointer to local `slot` of the current frame.
  @inline(__always)
  func localPointer(_ slot: Int) -> UnsafeMutablePointer<Value> { stack + (framePointer &+ slot) }

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
  func setArgument(_ base: Int, _ index: Int, _ value: Value) {
    // Every slot above the stack top is nil (`clearFrame` leaves them so, `grow` makes them so):
    // the argument is written as new memory, with no old value to destroy.
    assert(stack[base + index].isNil, "a slot above the stack top was not cleared")
    (stack + (base + index)).initialize(to: value)
  }

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
    let old = capacity
    (stack, capacity) = ValueStorage.grow(stack, capacity, keeping: old, to: needed)
    (stack + old).initialize(repeating: .nil, count: capacity - old)
  }

  /// Resets counters before a top-level evaluation.
  func begin() {
    allocated = 0
    memoryCheckpoint = nextMemoryCheckpoint()
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

  /// After parsing and resolving, which `begin` timed: the counters start again for running,
  /// while the deadline keeps running from `begin`.
  func continueAfterPreparing() {
    let deadline = self.deadline
    begin()
    self.deadline = deadline
  }

  /// Runs pq's own code (the prelude, loaded on first use) outside the limits of the
  /// evaluation that needed it: it cannot be stopped half-loaded by a deadline, a cancellation
  /// or a step count the formula has used up, and its work is not charged to the formula. The
  /// counters are put back afterwards.
  func withoutLimits<T>(_ body: () throws(PQError) -> T) throws(PQError) -> T {
    let saved = (limits, steps, checkpoint, deadline, allocated, memoryCheckpoint)
    limits = Limits(callDepth: saved.0.callDepth)
    deadline = .max
    checkpoint = .max
    memoryCheckpoint = .max
    ignoresCancellation = true
    defer {
      (limits, steps, checkpoint, deadline, allocated, memoryCheckpoint) = saved
      ignoresCancellation = false
    }
    return try body()
  }

  /// Set while `withoutLimits` runs pq's own code.
  var ignoresCancellation = false

  static func now() -> UInt64 { Clock.nanoseconds() }

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

  /// The error a cancellation or the passed deadline makes, or nil: for the parser and the
  /// resolver, which collect errors rather than throw them.
  func interruption(_ span: Span?) -> PQError? {
    do {
      try checkTimeAndCancellation(span)
      return nil
    } catch {
      return error
    }
  }

  /// The checks that do not depend on counting: a cancellation and the deadline.
  func checkTimeAndCancellation(_ span: Span?) throws(PQError) {
    if cancellation.isCancelled, !ignoresCancellation {
      throw PQError.limit("interrupted", span, reason: .cancelled)
    }
    if deadline != .max, Runtime.now() >= deadline {
      throw PQError.limit(
        "time limit of \(NumberFormat.plain(limits.seconds ?? 0)) s reached", span, reason: .time)
    }
  }

  /// Bytes of lists, strings, records and closures made in this evaluation, for the memory
  /// budget and the resident-memory ceiling.
  var allocated = 0
  /// When `allocated` passes this, `checkMemory` runs: the budget, and every 16 MiB made, the
  /// process's resident memory against the ceiling. One comparison on the common path.
  var memoryCheckpoint = Int.max
  /// Lists and records copied because another value shared them when one holder changed them
  /// in place (`chargeCopy`): what the tests of in-place updates count.
  var copies = 0
  /// The bytes of the interpolations being made (`InterpolationNode`), kept between them.
  let textBuffer = TextBuffer()
  /// "the article" or "the dataset", for messages about a missing figure.
  var dataName = "the article"

  /// The bytes one list element takes.
  static let elementBytes = MemoryLayout<Value>.stride

  /// Counts a built-in's work after it returns: one step per call plus one per element it
  /// returned or was given (so `sum(range(5000000))` counts as five million steps, and the time
  /// and cancellation checks come at least that often), and the bytes of a list, string or
  /// record it returned against the memory budget (a value it passed through unchanged is
  /// charged again: a little more than is made, never less). A host's own native function may take any time, so the
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
    case .record(let record):
      work &+= record.count
      bytes = Runtime.containerBytes(record.count)
    default: break
    }
    if arguments.count > 0 { work &+= Runtime.size(arguments.first) }
    if arguments.count > 1 { work &+= Runtime.size(arguments.second) }
    steps &+= work
    allocated &+= bytes
    if allocated > memoryCheckpoint { try checkMemory(arguments.span, request: bytes) }
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

  /// How often the resident memory is read while an evaluation makes values: every 16 MiB.
  static let residentCheckInterval = 16 << 20

  /// Where the next `checkMemory` comes: at the budget, or sooner when a ceiling on resident
  /// memory is set.
  func nextMemoryCheckpoint() -> Int {
    let budget = limits.memory ?? .max
    guard limits.residentMemory != nil else { return budget }
    return Swift.min(budget, allocated &+ Runtime.residentCheckInterval)
  }

  /// Checks the memory budget and the resident-memory ceiling once `allocated` (which already
  /// counts `request`, the bytes about to be made) has passed `memoryCheckpoint`.
  func checkMemory(_ span: Span?, request: Int) throws(PQError) {
    if let budget = limits.memory, allocated > budget {
      throw PQError.limit(
        "memory limit reached: more than \(Runtime.megabytes(budget)) of values made in one evaluation",
        span, reason: .memory)
    }
    if let ceiling = limits.residentMemory, let resident = ProcessMemory.resident(),
      request > ceiling || resident > ceiling &- request
    {
      var error = PQError.limit(
        "memory limit reached: the process would hold more than its ceiling of \(Runtime.megabytes(ceiling))"
          + " (it holds \(Runtime.megabytes(resident)), and \(Runtime.megabytes(request)) more were asked for)",
        span, reason: .memory)
      if let hint = limits.residentMemoryHint { error.notes.append(hint) }
      throw error
    }
    memoryCheckpoint = nextMemoryCheckpoint()
  }

  static func megabytes(_ bytes: Int) -> String {
    if bytes >= 1 << 30 { return "\(NumberFormat.plain(Double(bytes) / Double(1 << 30))) GiB" }
    return bytes >= 1 << 20 ? "\(NumberFormat.plain(Double(bytes) / Double(1 << 20))) MiB" : "\(bytes) bytes"
  }

  /// Before a list of `count` elements (or, with `what: .bytes`, a string of `count` bytes) is
  /// made: checks it against the size limit and charges it to the memory budget, so that a
  /// request over the budget is a `memory` limit error, never an allocation the host cannot
  /// survive; the work of making it counts as steps (a copy of a long list is long work).
  @inline(__always)
  func reserve(_ count: Int, _ span: Span?, what: Counted = .elements) throws(PQError) {
    try checkSize(count, span, what: what)
    let work = what == .elements ? count : count >> 4
    steps &+= work
    let bytes = what == .elements ? count &* Runtime.elementBytes : count
    allocated &+= bytes
    if allocated > memoryCheckpoint { try checkMemory(span, request: bytes) }
    if steps >= checkpoint { try checkLimits(span) }
  }

  /// Charges `bytes` a value just made takes (a list or record literal, a closure) to the memory
  /// budget: no steps, no size check, one comparison unless a check is due.
  @inline(__always)
  func charge(_ bytes: Int, _ span: Span?) throws(PQError) {
    allocated &+= bytes
    if allocated > memoryCheckpoint { try checkMemory(span, request: bytes) }
  }

  /// What the budget counts for a list or record of `count` elements (their storage and its
  /// header) and for a closure (the function object and the environment it keeps alive).
  static func containerBytes(_ count: Int) -> Int { 32 &+ count &* elementBytes }
  static let closureBytes = 160
  static func environmentBytes(_ slots: Int) -> Int { 48 &+ slots &* elementBytes }

  /// What a size counts: a list's elements, a string's bytes or its characters.
  enum Counted: String {
    case elements, bytes, characters
  }

  /// Checks a list length (or, with `what: .bytes`, a string's) against the size limit and,
  /// before the list or string is made, against the memory budget.
  @inline(__always)
  func checkSize(_ count: Int, _ span: Span?, what: Counted = .elements) throws(PQError) {
    if count > limits.maximumLength {
      let shown = count == Int.max ? "more" : "\(count)"
      throw PQError.limit(
        "size limit reached: \(shown) \(what.rawValue) is more than the \(limits.maximumLength) allowed",
        span,
        reason: .size)
    }
    let bytes = what == .elements ? count &* Runtime.elementBytes : count
    if allocated &+ bytes > memoryCheckpoint {
      // Checked as if made, then uncharged: the caller charges what it makes.
      allocated &+= bytes
      defer { allocated &-= bytes }
      try checkMemory(span, request: bytes)
    }
  }
}
