/// A table from object addresses to values: open addressing with linear probing, hashed by one
/// multiplication (the figures' cache table, `Figure.caches`). A `Dictionary` keyed by
/// `ObjectIdentifier` hashed each address with SipHash, which cost 7% of a loop of `compare`
/// and `explain`; an address needs no protection against chosen keys.
struct AddressTable<Element> {
  /// The keys by slot: `empty`, `removed`, or an address (never 0 or 1: objects are aligned).
  private var keys: [UInt]
  private var elements: [Element?]
  /// The addresses held.
  private(set) var count = 0
  /// Slots not empty (addresses and removed ones); the table grows or is rebuilt past 3/4.
  private var used = 0

  private static var empty: UInt { 0 }
  private static var removed: UInt { 1 }

  init() {
    keys = Array(repeating: Self.empty, count: 16)
    elements = Array(repeating: nil, count: 16)
  }

  /// The element at `address`, or nil.
  func element(at address: UInt) -> Element? {
    var slot = home(address)
    while true {
      let key = keys[slot]
      if key == address { return elements[slot] }
      if key == Self.empty { return nil }
      slot = (slot + 1) & (keys.count - 1)
    }
  }

  /// Puts `element` at `address`, which must not be in the table.
  mutating func insert(_ element: Element, at address: UInt) {
    precondition(address > Self.removed, "an address is never 0 or 1")
    if (used + 1) * 4 > keys.count * 3 { rebuild() }
    var slot = home(address)
    while keys[slot] > Self.removed { slot = (slot + 1) & (keys.count - 1) }
    if keys[slot] == Self.empty { used += 1 }
    keys[slot] = address
    elements[slot] = element
    count += 1
  }

  /// Takes out the element at `address`, if any.
  mutating func remove(at address: UInt) -> Element? {
    var slot = home(address)
    while true {
      let key = keys[slot]
      if key == Self.empty { return nil }
      if key == address {
        keys[slot] = Self.removed
        count -= 1
        let element = elements[slot].take()
        // Emptied to an eighth: smaller again, so that a table once large does not stay so.
        if keys.count > 16 && count * 8 < keys.count { rebuild() }
        return element
      }
      slot = (slot + 1) & (keys.count - 1)
    }
  }

  /// The first slot to look in: the address (without its always-zero low bits) times 2⁶⁴/φ,
  /// its top bits.
  private func home(_ address: UInt) -> Int {
    let bits = UInt(keys.count.trailingZeroBitCount)
    return Int(truncatingIfNeeded: ((address >> 4) &* 0x9E37_79B9_7F4A_7C15) >> (UInt(UInt.bitWidth) - bits))
  }

  /// Rebuilds the table without removed slots, with room for twice its count and more (16 slots
  /// at least).
  private mutating func rebuild() {
    var capacity = 16
    while capacity < (count + 1) * 4 { capacity *= 2 }
    let oldKeys = keys
    var oldElements = elements
    keys = Array(repeating: Self.empty, count: capacity)
    elements = Array(repeating: nil, count: capacity)
    count = 0
    used = 0
    for slot in oldKeys.indices where oldKeys[slot] > Self.removed {
      if let element = oldElements[slot].take() { insert(element, at: oldKeys[slot]) }
    }
  }
}
