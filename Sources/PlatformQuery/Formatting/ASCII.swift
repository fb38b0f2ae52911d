/// Plain-ASCII forms of the characters pq's output uses, for `--ascii` and terminals that cannot
/// show anything else.
public enum ASCII {
  /// The text with every character outside ASCII replaced: pq's own marks by their ASCII forms
  /// (`─` → `-`, `—` → `-`, `×` → `x`, `“ ”` → `"`, `’` → `'`, `…` → `...`, bars → `#`), letters
  /// with accents by the letter (`é` → `e`), and anything else by `?`.
  public static func transliterate(_ text: String) -> String {
    if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      if scalar.isASCII {
        out.unicodeScalars.append(scalar)
      } else if let replacement = replacements[scalar.value] {
        out += replacement
      } else if let letter = baseLetter(scalar) {
        out.unicodeScalars.append(letter)
      } else if isCombiningMark(scalar) {
        continue
      } else {
        out += "?"
      }
    }
    return out
  }

  /// Whether a text is pure ASCII.
  public static func isASCII(_ text: String) -> Bool { text.utf8.allSatisfy { $0 < 0x80 } }

  static let replacements: [UInt32: String] = {
    var table: [UInt32: String] = [
      0x2500: "-", 0x2502: "|", 0x2014: "-", 0x2013: "-", 0x2212: "-", 0x2010: "-", 0x2011: "-",
      0x00D7: "x", 0x00B1: "+/-", 0x00B7: ".", 0x2022: "*", 0x2026: "...", 0x2192: "->", 0x2190: "<-",
      0x201C: "\"", 0x201D: "\"", 0x201E: "\"", 0x00AB: "\"", 0x00BB: "\"", 0x2018: "'", 0x2019: "'",
      0x201A: "'", 0x2032: "'", 0x00A0: " ", 0x2009: " ", 0x202F: " ", 0x00B5: "u", 0x00B0: " deg",
      0x20AC: "EUR", 0x00A3: "GBP", 0x2264: "<=", 0x2265: ">=", 0x2260: "!=", 0x21E5: "->|",
      0x00DF: "ss", 0x00E6: "ae", 0x00C6: "AE", 0x0153: "oe", 0x0152: "OE", 0x00F8: "o", 0x00D8: "O",
      0xFFFD: "?",
    ]
    // Block elements (bars) and box drawing are all `#` and `-`.
    for code in UInt32(0x2580)...0x259F { table[code] = "#" }
    for code in UInt32(0x2501)...0x257F where table[code] == nil { table[code] = "-" }
    return table
  }()

  /// The unaccented letter of a Latin-1 or Latin Extended-A letter (`é` → `e`), or nil.
  static func baseLetter(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
    let latin1 = "AAAAAAACEEEEIIIIDNOOOOO*OUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty"
    let value = scalar.value
    if (0xC0...0xFF).contains(value) {
      let index = latin1.unicodeScalars.index(latin1.unicodeScalars.startIndex, offsetBy: Int(value - 0xC0))
      let letter = latin1.unicodeScalars[index]
      return letter == "*" || letter == "/" ? nil : letter
    }
    if (0x100...0x17F).contains(value) {
      // Latin Extended-A pairs capital and small letters; the base letters in order.
      let bases =
        "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiJjJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs"
      let offset = Int(value - 0x100)
      guard offset < bases.unicodeScalars.count else { return nil }
      return bases.unicodeScalars[
        bases.unicodeScalars.index(bases.unicodeScalars.startIndex, offsetBy: offset)]
    }
    return nil
  }

  static func isCombiningMark(_ scalar: Unicode.Scalar) -> Bool {
    (0x300...0x36F).contains(scalar.value) || (0xFE00...0xFE0F).contains(scalar.value)
      || scalar.value == 0x200D
  }
}
