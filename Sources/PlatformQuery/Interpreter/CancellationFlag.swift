import Synchronization

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
