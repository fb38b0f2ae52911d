import Synchronization

/// The caveats of a figure against another, kept per pair by the figure (a `compare` of the same
/// figures again makes none of them twice).
extension Figure {
  /// The caveats against one other figure, kept without the two figures they name: a caveat
  /// names its figures, and a cache that held them would hold the figure it belongs to (and the
  /// other figure, whose cache may hold this one), so that neither were ever freed. Each
  /// caveat's figures are kept as which of the two each is, and given back when read.
  struct CaveatEntry: Sendable {
    let other: UInt64
    /// The caveats with no figures, and for each of their figures whether it is the figure
    /// itself (true) or the other one.
    private let kept: [(caveat: Caveat, isSelf: [Bool])]
    /// `caveats` as a comparison's row of a metric holds them (caveat records name no figures).
    var row: (metric: String, values: [Value])?

    /// The entry for `caveats` of `figure` against `other`, or nil when a caveat names a third
    /// figure (not kept: it is made again when asked).
    init?(other serial: UInt64, caveats: [Caveat], of figure: Figure, against other: Figure) {
      var kept: [(caveat: Caveat, isSelf: [Bool])] = []
      kept.reserveCapacity(caveats.count)
      for caveat in caveats {
        var isSelf: [Bool] = []
        for named in caveat.figures {
          if named === figure {
            isSelf.append(true)
          } else if named === other {
            isSelf.append(false)
          } else {
            return nil
          }
        }
        kept.append((caveat.naming([]), isSelf))
      }
      self.other = serial
      self.kept = kept
    }

    /// The caveats, naming `figure` and `other` again.
    func caveats(of figure: Figure, against other: Figure) -> [Caveat] {
      kept.map { caveat, isSelf in caveat.naming(isSelf.map { $0 ? figure : other }) }
    }
  }

  /// Caveats against other figures, by their serial numbers; bounded, and emptied when full.
  ///
  /// A figure is immutable and shared between threads, and most figures are never explained or
  /// compared, so a figure has no room for its cache: it is made on first use and kept — for a
  /// labelled figure, in its own place (`LabelledPlace.cache`); for a figure of a file's row, in a
  /// table of caches by the figure's address (`caches`, one of 64 shards chosen by the address,
  /// each behind its own lock), and the figure's `hasCache` flag tells its `deinit` to remove it.
  /// An address is not reused while the figure lives, and its entry goes when the figure does.
  var caveatCache: Locked<FigureCache> {
    // A labelled figure (the article's) keeps its cache in its own place.
    let place = self.place
    if place.row < 0 { return unsafeDowncast(place, to: LabelledPlace.self).cache }
    let key = UInt(bitPattern: ObjectIdentifier(self))
    return Figure.shard(of: key).withLock { table in
      if let cache = table.element(at: key) { return cache }
      let made = Locked(FigureCache(), tag: Figure.serials.add(1, ordering: .relaxed).newValue)
      table.insert(made, at: key)
      hasCache.store(true, ordering: .releasing)
      return made
    }
  }

  /// Removes the figure's cache from the table (its `deinit`, when `hasCache` is set).
  static func forgetCache(of figure: Figure) {
    let key = UInt(bitPattern: ObjectIdentifier(figure))
    // Released outside the shard's lock: a cache's entries hold values, whose release may free
    // other figures, whose `deinit` takes a shard's lock.
    let cache = shard(of: key).withLock { table in table.remove(at: key) }
    withExtendedLifetime(cache) {}
  }

  /// The shard of the cache table an address falls in.
  static func shard(of address: UInt) -> Locked<AddressTable<Locked<FigureCache>>> {
    caches[Int(truncatingIfNeeded: address >> 5) & (caches.count - 1)]
  }

  /// The caches of the figures that have one, by address, in 64 shards.
  static let caches: [Locked<AddressTable<Locked<FigureCache>>>] = (0..<64).map { _ in Locked(AddressTable())
  }

  /// What a figure makes once and keeps: caveats against other figures, and its shown value.
  struct FigureCache {
    var entries: [CaveatEntry] = []
    var display: Display?
    /// The last `inputLine` made, with the widths it was made for.
    var inputLine: (labelWidth: Int, valueWidth: Int, text: String)?
  }
}
