extension String {
  /// The number of characters (extended grapheme clusters), as `count` gives it, but read
  /// straight from the UTF-8 bytes when every scalar is one that always stands alone: Latin,
  /// Greek and Cyrillic letters without combining marks, general punctuation (— “ ” …), arrows,
  /// math operators, box drawing and block elements. Text with anything else (combining marks,
  /// emoji, joiners, Hangul) takes the full `count`. `\r\n` is one character, as in `count`.
  var characterCount: Int {
    let fast = utf8.withContiguousStorageIfAvailable { bytes -> Int? in
      var index = 0
      var scalars = 0
      var lineBreakPairs = 0
      var previousWasCR = false
      let raw = UnsafeRawBufferPointer(bytes)
      while index < bytes.count {
        // Eight ASCII bytes with no carriage return (and no pending one) are eight characters.
        if !previousWasCR, index + 8 <= bytes.count {
          let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
          let carriageReturns = word ^ 0x0D0D_0D0D_0D0D_0D0D
          let hasCR = (carriageReturns &- 0x0101_0101_0101_0101) & ~carriageReturns & 0x8080_8080_8080_8080
          if word & 0x8080_8080_8080_8080 == 0, hasCR == 0 {
            previousWasCR = false
            scalars += 8
            index += 8
            continue
          }
        }
        let lead = bytes[index]
        if lead < 0x80 {
          if lead == 0x0A, previousWasCR { lineBreakPairs += 1 }
          previousWasCR = lead == 0x0D
          index += 1
        } else if lead < 0xCC {  // two bytes, up to U+02FF
          previousWasCR = false
          index += 2
        } else if lead >= 0xE0, lead < 0xF0 {
          let value =
            UInt32(lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
          guard
            (0x2010...0x2027).contains(value) || (0x2030...0x205E).contains(value)
              || (0x2190...0x22FF).contains(value) || (0x2500...0x25FF).contains(value)
          else { return nil }
          previousWasCR = false
          index += 3
        } else {
          return nil
        }
        scalars += 1
      }
      return scalars - lineBreakPairs
    }
    return (fast ?? nil) ?? count
  }
}

extension String {
  /// Appends `count` spaces. `String(repeating:count:)` costs hundreds of instructions even for a
  /// short run; this copies bytes from a prepared run of blanks.
  mutating func appendSpaces(_ count: Int) {
    var remaining = count
    while remaining > 0 {
      let chunk = Swift.min(remaining, blankRun.utf8.count)
      append(contentsOf: Substring(blankRun.utf8.prefix(chunk)))
      remaining -= chunk
    }
  }

  /// The text followed by spaces up to `width` characters.
  func padding(_ width: Int) -> String {
    let length = characterCount
    guard length < width else { return self }
    var result = self
    result.appendSpaces(width - length)
    return result
  }
}

private let blankRun = String(repeating: " ", count: 64)
