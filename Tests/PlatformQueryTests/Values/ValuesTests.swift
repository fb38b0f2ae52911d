import PQTestSupport
import Testing

@testable import PlatformQuery

/// Number display, units and their arithmetic.
@Suite struct ValuesTests {
  /// Values are copied and returned on every step of the interpreter; a payload that grows past
  /// two words (a record's kind, say) makes every copy go through memory.
  @Test func characterCountMatchesCountOnMixedText() {
    let pieces = [
      "a", "Z", " ", "\r", "\n", "\r\n", "—", "“", "é", "e\u{301}", "👍", "\u{200D}", "한", "─", "0123456789",
      // Long ASCII runs, so that special bytes fall at every offset of the word-wise scan.
      "the quick brown fox jumps", "abcdefg",
    ]
    var seed: UInt64 = 42
    for _ in 0..<2000 {
      var text = ""
      for _ in 0..<Int(seed % 40) {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        text += pieces[Int(seed >> 33) % pieces.count]
      }
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      #expect(text.characterCount == text.count, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
    }
  }

  /// `containsText` (what pq's `contains` on text uses) answers as Swift's `contains`, character
  /// by character with canonical equivalents equal, over generated texts and parts: ASCII (its
  /// byte-by-byte path), carriage returns and `\r\n`, combining marks, precomposed letters, and
  /// characters equivalent to an ASCII one (the Kelvin sign, the Greek question mark). Parts are
  /// generated and cut from the text, so both answers come up.
  @Test func containsTextAnswersAsContains() {
    let pieces = [
      "a", "b", "K", ";", "7", " ", "\r", "\n", "\r\n", "e", "\u{301}", "é", "e\u{301}", "\u{212A}",
      "\u{037E}",
      "👍", "ab7", "the quick brown fox",
    ]
    var random = SplitMix(state: 7)
    func text(_ most: Int) -> String {
      (0..<random.int(0...most)).map { _ in pieces[random.int(0...pieces.count - 1)] }.joined()
    }
    var found = 0
    for _ in 0..<3000 {
      let haystack = text(12)
      var part = text(3)
      if random.next() % 2 == 0 {
        let scalars = Array(haystack.unicodeScalars)
        let start = random.int(0...scalars.count)
        let end = random.int(start...min(scalars.count, start + 6))
        part = String(String.UnicodeScalarView(scalars[start..<end]))
      }
      let expected = haystack.contains(part)
      if expected { found += 1 }
      #expect(
        haystack.containsText(part) == expected,
        "\(haystack.unicodeScalars.map { String($0.value, radix: 16) }) / \(part.unicodeScalars.map { String($0.value, radix: 16) })"
      )
    }
    // Both answers were tried often.
    #expect(found > 500 && found < 2500, "\(found)")
  }

  /// `split` without a separator answers on its byte path (ASCII texts) as on its character
  /// path: generated texts of words, spaces, tabs, `\r`, `\n` and `\r\n`, against the
  /// character walk over the same separators; and non-ASCII texts keep a space that carries a
  /// combining mark inside a piece.
  @Test func splittingAtWhitespaceReadsBytesAsCharacters() {
    let pieces = ["a", "bc", "7", " ", "  ", "\t", "\r", "\n", "\r\n", "\n\r", "word"]
    var random = SplitMix(state: 11)
    for _ in 0..<2000 {
      let text = (0..<random.int(0...14)).map { _ in pieces[random.int(0...pieces.count - 1)] }.joined()
      let expected = text.split(whereSeparator: Builtins.isWhitespaceSeparator).map(String.init)
      #expect(Builtins.splitWhitespace(text, as: { $0 }) == expected, "\(Array(text.utf8))")
    }
    #expect(Builtins.splitWhitespace("a \u{301}b c", as: { $0 }) == ["a \u{301}b", "c"])
    #expect(Builtins.splitWhitespace("é\r\nü\tx", as: { $0 }) == ["é", "ü", "x"])
  }

  /// `split` and `replace` with a separator find it as Swift's own split of the text does,
  /// left to right and without overlaps (`"aa"` in `"aaaaa"`), keeping empty pieces: generated
  /// texts and separators of ASCII, two-, three- and four-byte characters (none that combine, where
  /// pq compares bytes and Swift characters).
  @Test func splittingAtASeparatorFindsItAsSwiftDoes() throws {
    let pieces = ["a", "aa", "b", ",", ", ", "é", "—", "👍", " ", "\n"]
    var random = SplitMix(state: 5)
    let pq = makeInterpreter().0
    func literal(_ text: String) -> String { "\"" + text.replacingNewlines() + "\"" }
    for _ in 0..<3000 {
      let text = (0..<random.int(0...12)).map { _ in pieces[random.int(0...pieces.count - 1)] }.joined()
      let separator = (0..<random.int(1...2)).map { _ in pieces[random.int(0...pieces.count - 1)] }.joined()
      let expected = text.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
      #expect(Builtins.splitBytes(text, separator, as: { $0 }) == expected, "\(text) / \(separator)")
      // `replace` through the interpreter: the pieces joined by the replacement.
      let replacement = pieces[random.int(0...pieces.count - 1)] + (random.next() % 3 == 0 ? "" : "+")
      let replaced = try pq.evaluate(
        "replace(\(literal(text)), \(literal(separator)), \(literal(replacement)))")
      #expect(
        replaced == .string(expected.joined(separator: replacement)),
        "\(text) / \(separator) / \(replacement)")
    }
  }

  /// `trimmingSpaces` takes spaces, tabs and line ends off both ends — "\r\n" too, which Swift
  /// reads as one character equal to neither "\r" nor "\n" (it was kept: a quoted cell or JSON
  /// name ending in a Windows line end did not match the same name without one). Checked over
  /// generated texts against a reference over the Unicode scalars.
  @Test func trimmingSpacesTakesEveryKindOfLineEnd() {
    let pieces = ["a", " ", "\t", "\r", "\n", "\r\n", "é", "e\u{301}", "👍", "x y", "\u{A0}"]
    func reference(_ text: String) -> String {
      let spaces: Set<Unicode.Scalar> = [" ", "\t", "\r", "\n"]
      var scalars = Array(text.unicodeScalars)
      while let first = scalars.first, spaces.contains(first) { scalars.removeFirst() }
      while let last = scalars.last, spaces.contains(last) { scalars.removeLast() }
      var result = String.UnicodeScalarView()
      result.append(contentsOf: scalars)
      return String(result)
    }
    var random = SplitMix(state: 3)
    for _ in 0..<3000 {
      let text = (0..<random.int(0...7)).map { _ in pieces[random.int(0...(pieces.count - 1))] }.joined()
      #expect(text.trimmingSpaces == reference(text), "\(Array(text.unicodeScalars))")
    }
    #expect("Bluesky\r\n".trimmingSpaces == "Bluesky")
    #expect("\r\n Threads".trimmingSpaces == "Threads")
  }

  @Test func valueLayoutStaysSmall() {
    #expect(MemoryLayout<Record>.size == 16)
    #expect(MemoryLayout<Value>.size <= 17, "Value is \(MemoryLayout<Value>.size) bytes")
  }

  @Test(arguments: [
    "", "plain ASCII", "“quoted” — dash…", "a\r\nb", "\r\r\n\n", "e\u{301}cole", "Ünïcödé ×",
    "soft\u{AD}hyphen", "👍🏽 and 👨‍👩‍👧", "‼\u{FE0F}", "한국어", "🇫🇷🇩🇪", "→ ≥ ─█▌", "\u{2028}x",
    "a\u{200D}b", "Ωμέγα Кириллица", "\u{2060}\u{300}", "sixteen ascii ch\r\nthen more ascii text",
    "eight by\r\n", "0123456\r\n89abcdef—ghijklmnop", "abcdefghijklmno\u{301}pqrstuvwxyz",
  ])
  func characterCountMatchesCount(text: String) {
    #expect(text.characterCount == text.count, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
  }

  @Test func plainNumbers() {
    #expect(NumberFormat.plain(42) == "42")
    #expect(NumberFormat.plain(123_456_789) == "123456789")
    #expect(NumberFormat.plain(1.0 / 3) == "0.333333")
    #expect(NumberFormat.plain(0.57 * 100) == "57")
    #expect(NumberFormat.plain(-0.5) == "-0.5")
    #expect(NumberFormat.plain(1e20) == "1e20")
    #expect(NumberFormat.plain(2.5e-9) == "2.5e-9")
  }

  @Test(arguments: [
    0, 1, -1, 9, 10, -10, 99, 100, 12_345, -987_654_321, 999_999_999_999_999, Int64.max, Int64.min,
  ])
  func integerDigitsMatchTheStandardLibrary(value: Int64) {
    #expect(NumberFormat.decimal(value) == String(value))
  }

  /// `fixed` writes its digits byte by byte; the reference builds the same text with string
  /// operations (the scaled value rounded, trailing zeros dropped, the point inserted).
  @Test func fixedDecimalsMatchAStringReference() {
    func reference(_ value: Double, _ decimals: Int) -> String? {
      guard decimals <= 15 else { return nil }
      let scaled = abs(value) * NumberFormat.powersOfTen[decimals]
      guard scaled < 1e15 else { return nil }
      var integer = Int64(scaled.rounded())
      var places = decimals
      while places > 0, integer % 10 == 0 {
        integer /= 10
        places -= 1
      }
      var digits = String(integer)
      if places > 0 {
        if digits.count <= places {
          digits = String(repeating: "0", count: places - digits.count + 1) + digits
        }
        digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -places))
      }
      return integer == 0 ? "0" : (value < 0 ? "-" : "") + digits
    }
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    var values: [Double] = [0, 1, -1, 0.5, -0.05, 0.001, 9.995, 99.999_999, 1e14, -123.456, 0.000_001_5]
    for _ in 0..<400 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let mantissa = Double(state >> 11) / Double(1 << 53)
      let exponent = Int(state % 21) - 8
      values.append(
        (state & 1 == 0 ? 1 : -1) * mantissa * NumberFormat.powersOfTen[abs(exponent) % 16]
          / (exponent < 0 ? 1e8 : 1))
    }
    for value in values {
      for decimals in 0...16 {
        #expect(
          NumberFormat.fixed(value, decimals: decimals) == reference(value, decimals), "\(value), \(decimals)"
        )
      }
    }
    #expect(NumberFormat.fixed(-0.05, decimals: 2) == "-0.05")
    #expect(NumberFormat.fixed(100.857, decimals: 3) == "100.857")
    #expect(NumberFormat.fixed(0.0004, decimals: 3) == "0")
  }

  @Test func platformFieldsAreFoundByPosition() {
    let record = Record([("revenue", .number(3)), ("name", .string("A")), ("mau", .number(1))])
    let fields = ["name", "mau", "web_visits", "revenue", "news_share", "suspended_accounts"]
    #expect(Shape.platformFields == fields)
    for (slot, field) in Shape.platformFields.enumerated() {
      // Twice: once computing the positions, once reading them back.
      for _ in 0..<2 {
        #expect(record.platformField(slot).map(\.inline) == record[field].map(\.inline), "\(field)")
      }
    }
    #expect(record.platformField(4) == nil)
    // A record too wide for a byte per position is looked up by name.
    var wide = (0..<300).map { ("f\($0)", Value.number(Double($0))) }
    wide.append(("mau", .number(7)))
    wide.insert(("name", .string("W")), at: 0)
    let large = Record(wide)
    #expect(large.platformField(1).map(\.inline) == "7")
    #expect(large.platformField(0).map(\.inline) == "\"W\"")
    #expect(large.platformField(2) == nil)
  }

  /// Caveats are kept per figure, a bounded few; past the bound the cache empties and the texts
  /// are made again, the same.
  @Test func caveatsStayRightPastTheCacheBound() {
    func figure(_ label: String, period: String, estimate: Bool = false) -> Figure {
      Figure(
        platform: "P", field: "mau", label: label, value: 1, unit: .users, publisher: "S", period: period,
        definition: "d", quote: "", statedAs: "1", isEstimate: estimate)
    }
    let base = figure("a.mau", period: "2024")
    let others = (0..<80).map {
      figure("b\($0).mau", period: $0 % 3 == 0 ? "2024" : "20\($0)", estimate: $0 % 5 == 0)
    }
    for round in 0..<2 {
      for other in others {
        let expected = CaveatRules.listed([base, other])
        #expect(base.caveats(against: other) == expected, "round \(round)")
      }
    }
    #expect(base.caveats(against: others[1]).map(\.text) == ["periods differ (2024 vs 201)"])
    #expect(base.caveats(against: others[3]).isEmpty)
    #expect(
      base.caveats(against: others[5]).map(\.description) == [
        "periods differ (2024 vs 205)", "b5.mau is an estimate",
      ])
  }

  /// A provenance keeps one or two figures without an array (`FigureList`): however many it
  /// holds, it reads back the figures it was given, in order, and lists compare as arrays do.
  @Test(arguments: 0...4) func figureListsReadBackWhatTheyHold(count: Int) {
    let figures = (0..<count).map { index in
      Figure(
        platform: "P\(index)", field: "mau", label: "p\(index).mau", value: Double(index + 1), unit: .users,
        publisher: "S", period: "2024", definition: "d", quote: "", statedAs: "1", isEstimate: false)
    }
    let list = FigureList(many: figures)
    #expect(list.count == count)
    #expect(list.map(\.label) == figures.map(\.label))
    #expect(list.array.map(ObjectIdentifier.init) == figures.map(ObjectIdentifier.init))
    #expect(list == FigureList(many: figures))
    #expect(list != FigureList(many: Array(figures.reversed())) || count < 2)
    #expect(list != FigureList(many: figures + figures) || count == 0)
    let provenance = Provenance(expression: "e", figures: figures)
    #expect(provenance.figures.map(\.label) == figures.map(\.label))
    #expect(provenance.figureCount == count)
    if count == 2 {
      #expect(FigureList(figures[0], figures[1]) == list)
      #expect(FigureList(single: figures[0]) != list)
    }
  }

  /// `String.concatenating` gives what `+` gives, for any pieces: empty, ASCII, multi-byte,
  /// long (past the 15 bytes a small string holds in place).
  @Test func concatenatingMatchesPlus() {
    let pieces = ["", "a", "“quoted”", "naïve café 🇺🇸", String(repeating: "x", count: 40), "(", ", "]
    for a in pieces {
      for b in pieces {
        for c in pieces {
          #expect(String.concatenating(a, b, c) == a + b + c)
          #expect(String.concatenating(c, "(", a, ", ", b, ")") == c + "(" + a + ", " + b + ")")
        }
      }
    }
  }

  @Test func compactQuantities() {
    #expect(NumberFormat.quantity(70_400_000, .users) == "70.4M users")
    #expect(NumberFormat.quantity(698_000, .users) == "698K users")
    #expect(NumberFormat.quantity(999_950, .users) == "1M users")
    #expect(NumberFormat.quantity(999_499, .users) == "999K users")
    #expect(NumberFormat.quantity(999.6, .users) == "1K users")
    #expect(NumberFormat.quantity(999.4, .users) == "999 users")
    #expect(NumberFormat.quantity(-999_950, .users) == "-1M users")
    #expect(NumberFormat.quantity(999_950_000_000_000, .users) == "1000T users")
    #expect(NumberFormat.quantity(0.000_000_2, .users) == "2e-7 users")
    #expect(NumberFormat.reachesThousand("1000") && NumberFormat.reachesThousand("1000.5"))
    #expect(!NumberFormat.reachesThousand("999.9") && !NumberFormat.reachesThousand("1e-7"))
    #expect(NumberFormat.quantity(1, .users) == "1 user")
    #expect(NumberFormat.quantity(2_600_000, .usd) == "$2.6M")
    #expect(NumberFormat.quantity(-5, .usd) == "-$5")
    #expect(NumberFormat.quantity(0.57, .percent) == "57%")
    #expect(NumberFormat.quantity(87.496, .percent) == "8,750%")
    #expect(NumberFormat.quantity(768.23, .percent) == "76,823%")
    #expect(NumberFormat.quantity(0.00982, .percent) == "0.982%")
    #expect(NumberFormat.quantity(-0.99, .percent) == "-99%")
    #expect(NumberFormat.quantity(20_000, .percent) == "2,000,000%")
    #expect(NumberFormat.quantity(1.234, .points) == "123 pp")
    #expect(NumberFormat.quantity(0.59 - 0.57, .points) == "2 pp")
    #expect(NumberFormat.quantity(28.409, .usd / .users) == "$28.4 per user")
    #expect(NumberFormat.quantity(14.2, .visits / .users) == "14.2 visits per user")
    // A plain number over a count reads as a rate of nothing in particular, without a bare 1.
    #expect(NumberFormat.quantity(0.005, Unit.none / .visits) == "0.005 per visit")
    #expect(NumberFormat.quantity(2, Unit.none / (.users * .users)) == "2 per user^2")
  }

  @Test func unitAlgebra() {
    #expect((Unit.usd / .users).description == "USD per user")
    #expect((Unit.users / .users).isNone)
    #expect((Unit.percent * .users) == .users)
    #expect(((Unit.usd / .users) * .users) == .usd)
    #expect(Arithmetic.additiveUnit(.subtract, .percent, .percent) == .points)
    #expect(Arithmetic.additiveUnit(.add, .percent, .points) == .percent)
    #expect(Arithmetic.additiveUnit(.add, .usd, .users) == nil)
    #expect(Arithmetic.additiveUnit(.add, .none, .users) == .users)
    #expect(Unit.parse("USD per user") == Unit.usd / .users)
    #expect(Unit.parse("%") == .percent)
    // A share divided by a number stays a share; by a share or points, it is a plain ratio.
    #expect(Unit.percent / .none == .percent)
    #expect((Unit.points / .percent).isNone)
    #expect((Unit.percent / .points).isNone)
    #expect((Unit.percent / .percent).isNone)
    #expect(Unit.none / .percent == .none)
  }

  /// The shown ratio of two fractions is the ratio of the fractions, never re-read as points or
  /// a percentage (`2pp / 57%` was shown "3.51 pp", `57% / 2pp` "2,850%").
  @Test(arguments: [
    ("2pp / 57%", "0.0350877"), ("57% / 2pp", "28.5"), ("57% / 2", "28.5%"), ("2 / 57%", "3.50877"),
    ("57% / 50%", "1.14"), ("2pp / 1pp", "2"), ("ratio(2pp, 57%)", "0.0350877"),
  ])
  func ratiosOfFractionsArePlain(expression: String, shown: String) throws {
    #expect(try show(expression) == shown)
  }

  /// Unit names in ASCII are split and lowercased byte by byte; the result must be what the
  /// general path (Unicode lowercasing, a split on " per ") gives.
  @Test func unitWordsAgreeWithTheUnicodePath() {
    let names = [
      "USD per user", " Users ", "USD PER visit per Month", "per", " per ", "a per  per b", "users per",
      "per users", "x  per y", "Percentage Points", "  ", "", "USD per\tuser", "USDper user", "pp",
    ]
    for name in names {
      let general = name.lowercased().split(separator: " per ").map { $0.trimmingSpaces }
      #expect(Unit.words(name) == general, "\(name)")
    }
  }

  @Test func arithmeticErrors() throws {
    #expect(failure("1 / 0")?.message == "division by zero")
    #expect(failure("5 mod 0")?.message == "remainder by zero ('mod 0')")
    #expect(failure("$1 - as_unit(1, \"users\")")?.message == "cannot subtract users from USD")
    #expect(failure("$1 < 57%")?.message == "cannot compare USD and percent")
    #expect(failure("\"a\" * 2")?.message == "cannot multiply a string by a plain number")
    #expect(failure("-\"a\"")?.message == "cannot negate a string")
    #expect(failure("(-8) ^ 0.5")?.message == "-8 ^ 0.5 is not a real number")
    #expect(failure("nil + 1")?.message == "cannot add nil and a plain number")
  }

  @Test func plainNumbersCarryNothing() throws {
    let pq = makeInterpreter().0
    let value = try pq.evaluate("2 * 3 + 1")
    guard case .number = value else {
      Issue.record("a plain computation should stay a plain number, got \(value)")
      return
    }
    #expect(value.provenance == nil)
  }

  @Test func equalityAcrossTypes() throws {
    #expect(try show("x.mau == nil") == "false")
    #expect(try show("1 == \"1\"") == "false")
    #expect(try show("x.mau == 70.4M") == "true")
    #expect(failure("x.mau == x.revenue")?.message == "cannot compare users and USD")
  }
}

extension String {
  /// The text with its line feeds written as pq's escape, for a string literal.
  fileprivate func replacingNewlines() -> String {
    split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\\n")
  }
}
