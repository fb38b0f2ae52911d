import PQTestSupport
import Testing

@testable import PlatformQuery

/// `NumberedKeys` against a dictionary on generated keys: hashes that collide (few distinct
/// hashes, negative ones), tables that grow from small, and lookups of keys never inserted.
@Suite struct NumberedKeysTests {
  struct Key: PrehashedKey {
    let value: Int
    let hash: Int
  }

  @Test func numbersKeysInTheOrderTheyCameAsADictionaryWould() {
    var random = SplitMix(state: 0x0000_7AB1)
    for round in 0..<40 {
      let spread = [1, 3, 50, 1_000_000][round % 4]
      var table = NumberedKeys<Key>(count: random.int(0...20))
      var reference: [Int: Int] = [:]
      func key(_ value: Int) -> Key { Key(value: value, hash: (value % spread) - spread / 2) }
      for _ in 0..<random.int(0...600) {
        let value = random.int(0...300)
        let (number, isNew) = table.insert(key(value))
        if let known = reference[value] {
          #expect(!isNew && number == known, "round \(round): \(value)")
        } else {
          #expect(isNew && number == reference.count, "round \(round): \(value)")
          reference[value] = reference.count
        }
      }
      #expect(table.count == reference.count)
      for value in 0...400 {
        #expect(table.number(of: key(value)) == reference[value], "round \(round): \(value)")
      }
      #expect(table.keys.map(\.value) == reference.sorted { $0.value < $1.value }.map(\.key))
    }
  }
}
