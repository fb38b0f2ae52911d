/// Inline Markdown: emphasis, code spans, links, images and autolinks, with unsafe links kept
/// as text.
extension MarkdownHTML {
  static let punctuation = Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

  /// A paragraph's text as HTML: escapes, code spans, links and images, autolinks, emphasis,
  /// hard breaks; everything else escaped.
  static func inline(_ text: String) -> String {
    let characters = Array(text)
    var out = ""
    var index = 0
    while index < characters.count {
      let character = characters[index]
      switch character {
      case "\\":
        if index + 1 < characters.count, punctuation.contains(characters[index + 1]) {
          out += Markup.escape(String(characters[index + 1]))
          index += 2
          continue
        }
        if index + 1 < characters.count, characters[index + 1] == "\n" {
          out += "<br>\n"
          index += 2
          continue
        }
      case "`":
        let run = characters[index...].prefix { $0 == "`" }.count
        if let close = closingRun(characters, from: index + run, run: run) {
          var code = String(characters[(index + run)..<close]).replacingNewlines
          if code.count > 2, code.hasPrefix(" "), code.hasSuffix(" "), code.contains(where: { $0 != " " }) {
            code = String(code.dropFirst().dropLast())
          }
          out += "<code>" + Markup.escape(code) + "</code>"
          index = close + run
          continue
        }
        out += String(repeating: "`", count: run)
        index += run
        continue
      case "!", "[":
        let image = character == "!"
        let open = image ? index + 1 : index
        if open < characters.count, characters[open] == "[", let link = parseLink(characters, from: open) {
          if !isSafe(link.destination) {
            // No script in a story's page: the link's text stays, the link does not.
            out += inline(link.text)
          } else if image {
            out +=
              "<img src=\"\(Markup.escape(link.destination))\" alt=\"\(Markup.escape(plainText(link.text)))\">"
          } else {
            out += "<a href=\"\(Markup.escape(link.destination))\">" + inline(link.text) + "</a>"
          }
          index = link.end
          continue
        }
      case "<":
        if let close = characters[index...].firstIndex(of: ">") {
          let inside = String(characters[(index + 1)..<close])
          if (inside.hasPrefix("http://") || inside.hasPrefix("https://") || inside.hasPrefix("mailto:")),
            !inside.contains(" ")
          {
            out += "<a href=\"\(Markup.escape(inside))\">" + Markup.escape(inside) + "</a>"
            index = close + 1
            continue
          }
        }
      case "*", "_":
        let run = characters[index...].prefix { $0 == character }.count
        let strong = run >= 2
        let width = strong ? 2 : 1
        let leftFlanking = index + width < characters.count && !characters[index + width].isWhitespace
        let intraword =
          character == "_" && index > 0 && (characters[index - 1].isLetter || characters[index - 1].isNumber)
        if leftFlanking, !intraword,
          let close = closingEmphasis(characters, from: index + width, character: character, width: width)
        {
          let inner = inline(String(characters[(index + width)..<close]))
          out += strong ? "<strong>" + inner + "</strong>" : "<em>" + inner + "</em>"
          index = close + width
          continue
        }
        out += Markup.escape(String(repeating: character, count: run))
        index += run
        continue
      case "\n":
        // Two spaces before a line break make a hard break.
        if out.hasSuffix("  ") {
          while out.hasSuffix(" ") { out.removeLast() }
          out += "<br>\n"
        } else {
          out += "\n"
        }
        index += 1
        continue
      default: break
      }
      out += Markup.escape(String(character))
      index += 1
    }
    return out
  }

  static func closingRun(_ characters: [Character], from start: Int, run: Int) -> Int? {
    var index = start
    while index < characters.count {
      if characters[index] == "`" {
        let length = characters[index...].prefix { $0 == "`" }.count
        if length == run { return index }
        index += length
      } else {
        index += 1
      }
    }
    return nil
  }

  /// The closing delimiter of emphasis: the same character, `width` of them, after text that
  /// does not end in a space.
  static func closingEmphasis(_ characters: [Character], from start: Int, character: Character, width: Int)
    -> Int?
  {
    var index = start
    while index + width <= characters.count {
      if characters[index] == "`", let close = closingRun(characters, from: index + 1, run: 1) {
        index = close + 1
        continue
      }
      if characters[index] == "\\" {
        index += 2
        continue
      }
      if characters[index..<(index + width)].allSatisfy({ $0 == character }), index > start,
        !characters[index - 1].isWhitespace
      {
        let after = index + width
        // `**` is not closed by one `*` of it, nor `*` by the first of a `**`.
        let longer = after < characters.count && characters[after] == character
        let wordAfter =
          character == "_" && after < characters.count
          && (characters[after].isLetter || characters[after].isNumber)
        if !wordAfter, !(width == 1 && longer) { return index }
        if width == 1 && longer {
          index = after + 1
          continue
        }
      }
      index += 1
    }
    return nil
  }

  struct Link {
    var text: String
    var destination: String
    var end: Int
  }

  /// `[text](destination "title")` from the `[`.
  static func parseLink(_ characters: [Character], from open: Int) -> Link? {
    var depth = 0
    var index = open
    var close: Int?
    while index < characters.count {
      let character = characters[index]
      if character == "\\" {
        index += 2
        continue
      }
      if character == "[" { depth += 1 }
      if character == "]" {
        depth -= 1
        if depth == 0 {
          close = index
          break
        }
      }
      index += 1
    }
    guard let close, close + 1 < characters.count, characters[close + 1] == "(" else { return nil }
    // The destination ends at the `)` that balances its `(` (`f(1)` inside a link is whole).
    var end = close + 2
    var parentheses = 0
    while end < characters.count {
      if characters[end] == "(" { parentheses += 1 }
      if characters[end] == ")" {
        if parentheses == 0 { break }
        parentheses -= 1
      }
      if characters[end] == "\n" { return nil }
      end += 1
    }
    guard end < characters.count else { return nil }
    var destination = String(characters[(close + 2)..<end]).trimmingSpaces
    if let space = destination.firstIndex(of: " ") { destination = String(destination[..<space]) }
    if destination.hasPrefix("<"), destination.hasSuffix(">") {
      destination = String(destination.dropFirst().dropLast())
    }
    return Link(text: String(characters[(open + 1)..<close]), destination: destination, end: end + 1)
  }

  /// Whether a link may go into the page: not a script or data URL (`javascript:`, `vbscript:`,
  /// `data:`), whatever its case or the spaces and controls before it.
  static func isSafe(_ destination: String) -> Bool {
    let scheme = String(destination.unicodeScalars.filter { $0.value > 0x20 }).lowercased()
    return !(scheme.hasPrefix("javascript:") || scheme.hasPrefix("vbscript:") || scheme.hasPrefix("data:"))
  }

  /// Text without its Markdown marks, for a title or an image's alt text.
  static func plainText(_ text: String) -> String {
    String(text.filter { $0 != "*" && $0 != "_" && $0 != "`" })
  }
}
