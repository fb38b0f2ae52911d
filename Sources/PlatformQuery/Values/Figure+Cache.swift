import Synchronization

/// The caveats of a figure against another, kept per pair by the figure (a `compare` of the same
/// figures again makes none of them twice).
extension Figure {
  struct CaveatEntry: Sendable {
    let other: UInt64
    let caveats: [Caveat]
    /// `caveats` as a comparison's row of a metric holds them.
    var row: (metric: String, values: [Value])?
  }

  /// Caveats against other figures, by their serial numbers; bounded, and emptied when full.
  ///
  /// A figure is immutable and shared between threads, and most figures are never compared, so
  /// the cache is made on first use by whichever thread needs it. Its address is kept in an
  /// `Atomic<UInt>` (an atomic cannot hold a class reference) as a retained reference: the first
  /// thread to store it wins, a loser releases its own, and `deinit` releases the stored one.
  var caveatCache: Locked<FigureCache> {
    let address = cacheAddress.load(ordering: .acquiring)
    if address != 0 { return Figure.cache(at: address) }
    let made = Unmanaged.passRetained(Locked(FigureCache()))
    let (stored, existing) = cacheAddress.compareExchange(
      expected: 0, desired: UInt(bitPattern: made.toOpaque()), ordering: .acquiringAndReleasing)
    if stored { return made.takeUnretainedValue() }
    // Another thread made one first: that one is kept.
    made.release()
    return Figure.cache(at: existing)
  }

  static func cache(at address: UInt) -> Locked<FigureCache> {
    cacheReference(at: address).takeUnretainedValue()
  }

  static func cacheReference(at address: UInt) -> Unmanaged<Locked<FigureCache>> {
    guard let pointer = UnsafeRawPointer(bitPattern: address) else {
      preconditionFailure("a figure's cache is read only once its address is stored")
    }
    return Unmanaged<Locked<FigureCache>>.fromOpaque(pointer)
  }

  /// What a figure makes once and keeps: caveats against other figures, and its shown value.
  struct FigureCache {
    var entries: [CaveatEntry] = []
    var display: Display?
    /// The last `inputLine` made, with the widths it was made for.
    var inputLine: (labelWidth: Int, valueWidth: Int, text: String)?
  }
}
