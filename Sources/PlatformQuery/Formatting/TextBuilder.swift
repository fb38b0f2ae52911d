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

extension String {
  /// Up to six strings one after another, their bytes copied once into a string of the right
  /// size. For a few short pieces this costs about 60% of a `TextBuilder` and of appends to a
  /// `String` with reserved capacity (a three-piece note: 1,025 instructions against 1,586 and
  /// 1,700; bench/README.md, "2026-12-02 (late morning)").
  static func concatenating(
    _ a: String, _ b: String, _ c: String = "", _ d: String = "", _ e: String = "", _ f: String = ""
  ) -> String {
    let count = a.utf8.count + b.utf8.count + c.utf8.count + d.utf8.count + e.utf8.count + f.utf8.count
    return String(unsafeUninitializedCapacity: count) { buffer in
      var end = copy(a, into: buffer, at: 0)
      end = copy(b, into: buffer, at: end)
      end = copy(c, into: buffer, at: end)
      end = copy(d, into: buffer, at: end)
      end = copy(e, into: buffer, at: end)
      return copy(f, into: buffer, at: end)
    }
  }

  /// Copies `text`'s UTF-8 into `buffer` from `index`; returns the index after it.
  @inline(__always)
  private static func copy(_ text: String, into buffer: UnsafeMutableBufferPointer<UInt8>, at index: Int)
    -> Int
  {
    var text = text
    return text.withUTF8 { bytes in
      guard let source = bytes.baseAddress, let target = buffer.baseAddress, !bytes.isEmpty else {
        return index
      }
      precondition(index + bytes.count <= buffer.count, "concatenating: the pieces outgrew their count")
      (target + index).update(from: source, count: bytes.count)
      return index + bytes.count
    }
  }
}
