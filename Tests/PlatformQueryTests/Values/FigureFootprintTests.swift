import PQTestSupport
import Testing

@testable import PlatformQuery

/// The instance size a class's metadata records (Swift's class metadata without Objective-C
/// interoperation: kind, superclass, flags, instance address point, then the instance size as a
/// 32-bit number at byte 24), or nil where that layout does not apply.
private func instanceSize(of type: AnyClass) -> Int? {
  #if canImport(ObjectiveC)
    return nil
  #else
    let metadata = unsafeBitCast(type, to: UnsafeRawPointer.self)
    return Int(metadata.load(fromByteOffset: 24, as: UInt32.self))
  #endif
}

/// A class of one `Int`: 16 bytes of header and 8 of field, to check the reading above.
private final class OneInt {
  let value = 0
}

/// What a figure of a loaded file costs, and the table its cache lives in when it has one.
@Suite struct FigureFootprintTests {
  /// A loaded file has hundreds of thousands of figures (800,000 in bench/'s `csv_load`): each
  /// is one heap block, and the figures of a row share one place. A field added to `Figure` or
  /// `Measure` moves the block up a size class and costs the user megabytes; this says where.
  @Test func aFigureOfARowFitsEightyBytesAndItsRowSharesOnePlace() throws {
    let rows = try DataFile.records(
      csv: "name,mau,revenue,source,period\nA,1M,$2M,Pew,2024\nB,3M,$4M,Pew,2024\n", name: "t.csv")
    guard case .list(let items) = rows, case .record(let first) = items[0],
      case .record(let second) = items[1]
    else {
      Issue.record("not a list of records")
      return
    }
    let figures = [first, second].map { record in
      record.values.compactMap { value -> Figure? in
        if case .quantity(_, let measure) = value { return measure.asFigure }
        return nil
      }
    }
    #expect(figures.map(\.count) == [2, 2])
    // glibc gives a request of up to 72 bytes a block of 80, and of 73 to 88 one of 96: a
    // figure of 72 bytes is 800,000 × 16 bytes smaller than one of 80.
    if let size = instanceSize(of: Figure.self), instanceSize(of: OneInt.self) == 24 {
      #expect(size <= 72, "a figure is \(size) bytes")
      #expect(instanceSize(of: Figure.Place.self).map { $0 <= 48 } == true, "a place grew")
    }
    #expect(figures[0][0].place === figures[0][1].place, "a row's figures share their place")
    #expect(figures[0][0].place !== figures[1][0].place)
    #expect(figures[1][1].label == "t.csv[1].revenue")
    #expect(figures[1][1].platform == "B")
    #expect(figures[1][1].name == "B 2024 revenue")
  }

  /// The table is checked against a dictionary over generated inserts and removals of
  /// addresses that collide on purpose (aligned, close together, and far apart).
  @Test func theAddressTableAgreesWithADictionary() {
    var random = SplitMix(state: 7)
    for round in 0..<40 {
      var table = AddressTable<Int>()
      var model: [UInt: Int] = [:]
      let spread = [16, 4096, 1 << 20][round % 3]
      for step in 0..<Int(random.next() % 3000) {
        let address = UInt(16 + Int(random.next() % UInt64(spread)) * 16)
        if random.next() % 3 == 0 {
          #expect(table.remove(at: address) == model.removeValue(forKey: address))
        } else if model[address] == nil {
          table.insert(step, at: address)
          model[address] = step
        }
        #expect(table.count == model.count)
      }
      for (address, value) in model { #expect(table.element(at: address) == value) }
      for address in stride(from: UInt(16), to: UInt(16 + spread * 16), by: 16 * 7) {
        #expect(table.element(at: address) == model[address])
      }
    }
  }

  /// A figure's cache (made when it is shown or weighed against another) goes when the figure
  /// does: the table of caches keeps nothing of what was loaded and dropped.
  @Test func aFigureCacheGoesWithItsFigure() throws {
    weak var firstCache: Locked<Figure.FigureCache>?
    weak var secondCache: Locked<Figure.FigureCache>?
    do {
      let rows = try DataFile.records(csv: "name,mau,source,period\nA,1M,Pew,2024\nB,3M,Pew,2024\n")
      guard case .list(let items) = rows, case .record(let a) = items[0], case .record(let b) = items[1],
        case .quantity(_, let ma) = a.values[1], case .quantity(_, let mb) = b.values[1],
        let first = ma.asFigure, let second = mb.asFigure
      else {
        Issue.record("not a list of records with figures")
        return
      }
      let madeBefore = first.hasCache.load(ordering: .acquiring)
      #expect(!madeBefore)
      _ = first.caveats(against: second)
      _ = second.display
      let madeAfter = first.hasCache.load(ordering: .acquiring) && second.hasCache.load(ordering: .acquiring)
      #expect(madeAfter)
      #expect(first.serial != second.serial)
      #expect(first.serial == first.serial, "a serial is made once")
      firstCache = first.caveatCache
      secondCache = second.caveatCache
      #expect(firstCache != nil && secondCache != nil)
    }
    #expect(firstCache == nil && secondCache == nil, "a dropped figure's cache is freed")
  }

  /// A labelled figure (the article's, or one made with a label) keeps its cache in its own
  /// place, found without the table; it goes with the figure too, and no two figures share one.
  @Test func aLabelledFigureKeepsItsOwnCache() {
    weak var kept: Locked<Figure.FigureCache>?
    do {
      func made(_ label: String, _ value: Double) -> Figure {
        Figure(
          platform: "A", field: "mau", label: label, value: value, unit: .users, publisher: "P",
          period: "2024",
          definition: "d", quote: "q", statedAs: "1")
      }
      let first = made("a.mau", 1)
      let second = made("b.mau", 2)
      #expect(first.caveatCache === first.caveatCache, "made once")
      #expect(first.caveatCache !== second.caveatCache)
      #expect(first.serial != second.serial)
      let inTable = first.hasCache.load(ordering: .acquiring)
      #expect(!inTable, "a labelled figure's cache is not in the table")
      _ = first.caveats(against: second)
      kept = first.caveatCache
      #expect(kept != nil)
    }
    #expect(kept == nil, "a dropped labelled figure's cache is freed")
  }
}
