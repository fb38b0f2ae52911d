/// A key that carries its own hash, worked out once when the key is made (FNV-1a over its bytes,
/// or a `String`'s `hashValue`), so that a table need not hash it again through `Hasher`.
protocol PrehashedKey: Equatable {
  /// Equal keys have equal hashes.
  var hash: Int { get }
}

/// Distinct keys numbered in the order they were first inserted, found through an
/// open-addressing table of their numbers by their own hashes. Used where a `Dictionary` cost
/// a `Hasher` run a lookup and buckets that kept keys and values apart: `join`'s groups of rows
/// by name, a CSV file's provenances by their cells.
struct NumberedKeys<Key: PrehashedKey> {
  /// Number + 1 of the key in each slot, 0 for an empty slot; a power of two long, at most
  /// half full.
  private var slots: [Int32]
  /// The keys, by number.
  private(set) var keys: [Key] = []

  /// A table with room for `count` keys before it grows.
  init(count: Int = 8) {
    var capacity = 16
    while capacity < count * 2 { capacity *= 2 }
    slots = Array(repeating: 0, count: capacity)
    keys.reserveCapacity(count)
  }

  /// How many distinct keys the table holds.
  var count: Int { keys.count }

  /// The slot holding a key equal to `key`, or the empty slot where it would go.
  private func slot(of key: Key) -> Int {
    let mask = slots.count - 1
    var slot = key.hash & mask
    while slots[slot] != 0, keys[Int(slots[slot]) - 1] != key { slot = (slot + 1) & mask }
    return slot
  }

  /// The number of a key equal to `key`, or nil.
  func number(of key: Key) -> Int? {
    let entry = slots[slot(of: key)]
    return entry == 0 ? nil : Int(entry) - 1
  }

  /// The number of `key`: a new one, the next, when no equal key is in the table.
  mutating func insert(_ key: Key) -> (number: Int, isNew: Bool) {
    let slot = slot(of: key)
    if slots[slot] != 0 { return (Int(slots[slot]) - 1, false) }
    keys.append(key)
    if keys.count * 2 > slots.count {
      // Past half full: every key placed again in a table twice as long.
      slots = Array(repeating: 0, count: slots.count * 2)
      let mask = slots.count - 1
      for (number, key) in keys.enumerated() {
        var slot = key.hash & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(number + 1)
      }
    } else {
      slots[slot] = Int32(keys.count)
    }
    return (keys.count - 1, true)
  }
}
