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
      // A word is a run of ASCII without a carriage return when this is 0.
      func special(_ word: UInt64) -> UInt64 {
        let carriageReturns = word ^ 0x0D0D_0D0D_0D0D_0D0D
        let hasCR = (carriageReturns &- 0x0101_0101_0101_0101) & ~carriageReturns & 0x8080_8080_8080_8080
        return (word & 0x8080_8080_8080_8080) | hasCR
      }
      while index < bytes.count {
        if !previousWasCR {
          // Sixteen ASCII bytes with no carriage return (and no pending one) are sixteen
          // characters: runs of prose are counted two words at a time.
          while index + 16 <= bytes.count,
            special(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
              | special(raw.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)) == 0
          {
            scalars += 16
            index += 16
          }
          // Then the ASCII bytes before the first special one (non-ASCII or a carriage
          // return), found from the lowest set bit: the tests' borrows only ever reach above
          // the first match, so the lowest is exact.
          if index + 8 <= bytes.count {
            let mask = special(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let plain = mask == 0 ? 8 : mask.trailingZeroBitCount >> 3
            scalars += plain
            index += plain
            if plain == 8 { continue }
          } else {
            // Fewer than eight bytes left (all of a short word): the plain ones before the
            // first special one, byte by byte but with nothing else to look at (a four-letter
            // word took 125 instructions through the general steps below, now about 30).
            var end = index
            while end < bytes.count, bytes[end] < 0x80, bytes[end] != 0x0D { end += 1 }
            scalars += end - index
            index = end
          }
          if index == bytes.count { break }
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
  /// The columns the text takes on a terminal: East Asian wide and fullwidth characters and
  /// emoji take two, combining marks and other zero-width characters none, the rest one (the
  /// rules of `wcwidth`, per grapheme cluster). Text of the kinds `characterCount` reads fast
  /// is one column a character.
  public var displayWidth: Int {
    if utf8.allSatisfy({ $0 < 0x80 }) { return characterCount }
    var width = 0
    for character in self {
      width += character.displayWidth
    }
    return width
  }

  /// The longest prefix that fits in `columns` display columns.
  func prefix(columns: Int) -> String {
    var width = 0
    var result = ""
    for character in self {
      let next = character.displayWidth
      if width + next > columns { break }
      width += next
      result.append(character)
    }
    return result
  }
}

extension Character {
  /// Columns on a terminal: 2 for wide and emoji-presentation characters, 0 for a lone
  /// combining mark or zero-width character, else 1.
  var displayWidth: Int {
    let scalars = unicodeScalars
    guard let first = scalars.first else { return 0 }
    if first.value < 0x300 { return first.value < 0x20 || first.value == 0x7F ? 0 : 1 }
    // An emoji variation selector makes any base wide.
    if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
    switch first.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format, .control: return 0
    default: break
    }
    return Character.isWide(first.value) ? 2 : 1
  }

  /// East Asian Wide and Fullwidth ranges, and emoji shown as pictures by default.
  static func isWide(_ value: UInt32) -> Bool {
    switch value {
    case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3, 0x25FD...0x25FE,
      0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE,
      0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA, 0x26FD, 0x2705,
      0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757, 0x2795...0x2797, 0x27B0, 0x27BF,
      0x2B1B...0x2B1C, 0x2B50, 0x2B55, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
      0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
      0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x18CFF, 0x1B000...0x1B2FF, 0x1F004, 0x1F0CF, 0x1F18E,
      0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C,
      0x1F37E...0x1F393, 0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4, 0x1F3F8...0x1F43E,
      0x1F440, 0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A,
      0x1F595...0x1F596, 0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5, 0x1F6CC, 0x1F6D0...0x1F6D2,
      0x1F6D5...0x1F6D7, 0x1F6DC...0x1F6DF, 0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7EB, 0x1F7F0,
      0x1F90C...0x1F93A, 0x1F93C...0x1F945, 0x1F947...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD,
      0x30000...0x3FFFD:
      return true
    default:
      return false
    }
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

  /// The text followed by spaces up to `width` display columns.
  func padding(_ width: Int) -> String {
    let length = displayWidth
    guard length < width else { return self }
    var result = self
    result.appendSpaces(width - length)
    return result
  }
}

private let blankRun = String(repeating: " ", count: 64)

extension String {
  /// Whether the text holds `part`, as `contains` gives it (character by character, canonical
  /// equivalents equal), but compared byte by byte when both are ASCII and the text has no
  /// carriage return: then every byte is a character of its own and equivalent to no other,
  /// so the two answers are the same. Swift's generic search took 4,600
  /// instructions to look for "7" in a four-letter word.
  func containsText(_ part: String) -> Bool {
    let fast = utf8.withContiguousStorageIfAvailable { text -> Bool? in
      part.utf8.withContiguousStorageIfAvailable { pattern -> Bool? in
        // The part must be ASCII too: a few other characters are canonically equivalent to an
        // ASCII one (the Kelvin sign to K, the Greek question mark to ;).
        for byte in text where byte >= 0x80 || byte == 0x0D { return nil }
        for byte in pattern where byte >= 0x80 { return nil }
        return pattern.isEmpty || text.firstMatch(of: pattern, from: 0) != nil
      } ?? nil
    }
    if let answer = fast ?? nil { return answer }
    return contains(part)
  }
}

extension UnsafeBufferPointer<UInt8> {
  /// The offset of the first occurrence of `pattern` (not empty) at or after `start`, or nil.
  func firstMatch(of pattern: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
    guard let first = pattern.first else { return nil }
    let count = pattern.count
    var index = start
    let last = self.count - count
    while index <= last {
      if self[index] == first {
        var offset = 1
        while offset < count, self[index + offset] == pattern[offset] { offset += 1 }
        if offset == count { return index }
      }
      index += 1
    }
    return nil
  }
}

extension String {
  /// The text in upper or lower case: the text itself when every byte is ASCII and none is a
  /// letter of the other case (`lower(word) == word` made and compared a copy of every word);
  /// ASCII text with letters to change mapped byte by byte into a new string (as fast as
  /// `lowercased()` on such text, so that the test first costs nothing); any other text by
  /// Swift's `uppercased()` or `lowercased()`, with the whole of Unicode's case mappings
  /// (`ß` → `SS`).
  func cased(upper: Bool) -> String {
    switch caseChange(upper: upper) {
    case .none: return self
    case .ascii:
      let first: UInt8 = upper ? 0x61 : 0x41
      let mapped = utf8.withContiguousStorageIfAvailable { bytes in
        String(unsafeUninitializedCapacity: bytes.count) { buffer in
          // A letter to change is within 26 of the first; its case is bit 0x20.
          for index in 0..<bytes.count {
            let byte = bytes[index]
            buffer[index] = byte &- first < 26 ? byte ^ 0x20 : byte
          }
          return bytes.count
        }
      }
      if let mapped { return mapped }
    case .other: break
    }
    return upper ? uppercased() : lowercased()
  }

  /// What changing the case of the text takes.
  enum CaseChange {
    /// Nothing: the text is ASCII with no letter of the other case.
    case none
    /// ASCII letters flipped.
    case ascii
    /// Unicode's case mappings: some byte is not ASCII, or the bytes are not contiguous.
    case other
  }

  /// What `cased(upper:)` must do with this text.
  func caseChange(upper: Bool) -> CaseChange {
    // Eight bytes at a time. Below 0x80 a byte plus a constant below 0x80 carries into no
    // other byte, so one addition tests eight bytes: a byte's top bit is set by adding
    // 0x80 - c when it is at least c. A letter to change is at least the first and not past
    // the last.
    let ones: UInt64 = 0x0101_0101_0101_0101
    let tops: UInt64 = 0x8080_8080_8080_8080
    let atLeastFirst = (upper ? 0x80 - 0x61 : 0x80 - 0x41) &* ones
    let pastLast = (upper ? 0x80 - 0x7B : 0x80 - 0x5B) &* ones
    let answer = utf8.withContiguousStorageIfAvailable { bytes -> CaseChange in
      let raw = UnsafeRawBufferPointer(bytes)
      var nonASCII: UInt64 = 0
      var letters: UInt64 = 0
      func test(_ word: UInt64) {
        nonASCII |= word & tops
        letters |= (word &+ atLeastFirst) & ~(word &+ pastLast) & tops
      }
      if raw.count < 8 {
        // A short text, padded with zeros (which no test takes for a letter).
        var word: UInt64 = 0
        for index in 0..<raw.count { word |= UInt64(raw[index]) &<< (8 &* index) }
        test(word)
      } else {
        // The last eight bytes are read as a word too, overlapping the words before them.
        test(raw.loadUnaligned(fromByteOffset: raw.count &- 8, as: UInt64.self))
        var offset = 0
        while offset &+ 8 <= raw.count {
          test(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
          offset &+= 8
        }
      }
      return nonASCII != 0 ? .other : letters != 0 ? .ascii : .none
    }
    return answer ?? .other
  }
}
