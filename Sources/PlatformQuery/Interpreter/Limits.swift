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
  /// The most bytes of values (lists, strings, records, closures) one evaluation may make,
  /// counted as they are made, not as they are freed, or nil for no budget.
  public var memory: Int?
  /// A ceiling on the memory the whole process holds resident, read from the system every
  /// 16 MiB of values made (and before any larger one is made), or nil for none. Unlike
  /// `memory`, it measures what is alive, so a long script that makes and frees values runs
  /// as long as it likes; it counts every thread of the process. The `pq` command sets it to
  /// three quarters of the memory it may use (`--max-memory` changes it). Linux only: where
  /// resident memory cannot be read it is not checked.
  public var residentMemory: Int?
  /// A note added to the error when `residentMemory` is reached, saying how to raise it.
  public var residentMemoryHint: String?

  /// Limits for formulas typed by strangers: a million steps, 200 nested calls, one second,
  /// lists and strings of up to a million elements or bytes, and 64 MiB made per evaluation.
  public static let untrusted = Limits(
    steps: 1_000_000, callDepth: 200, seconds: 1, maximumLength: 1_000_000, memory: 64 << 20)

  /// Creates limits; the defaults suit interactive use and scripts.
  public init(
    steps: Int? = nil, callDepth: Int = 10_000, seconds: Double? = nil, maximumLength: Int = 100_000_000,
    memory: Int? = nil, residentMemory: Int? = nil
  ) {
    self.steps = steps
    self.callDepth = callDepth
    self.seconds = seconds
    self.maximumLength = maximumLength
    self.memory = memory
    self.residentMemory = residentMemory
  }
}
