/// Text built as UTF-8 bytes and made into one `String` at the end (validated once). Appending
/// to a `String` checks its storage, capacity and flags on every piece, which costs more than
/// the copy for text made of many small pieces (a figure's `explain` lines, `compare`'s notes);
/// for a few large pieces a `String` with reserved capacity is cheaper, since the final
/// validation reads every byte (bench/README.md, 2026-12-01 late night).
struct TextBuilder {
  private var bytes: [UInt8] = []

  /// An empty builder with room for `capacity` bytes.
  init(capacity: Int) { bytes.reserveCapacity(capacity) }

  /// Appends text (copied from the string's contiguous UTF-8).
  mutating func add(_ text: String) { bytes.append(contentsOf: text.utf8) }

  /// Appends part of a string.
  mutating func add(_ text: Substring) { bytes.append(contentsOf: text.utf8) }

  /// Appends `count` spaces (none when `count` is not positive).
  mutating func spaces(_ count: Int) {
    if count > 0 { bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count)) }
  }

  /// The text so far.
  var text: String { String(decoding: bytes, as: UTF8.self) }
}
