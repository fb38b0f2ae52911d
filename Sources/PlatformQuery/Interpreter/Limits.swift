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
