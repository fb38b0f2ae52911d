import PQTestSupport
import Testing

@testable import PlatformQuery

#if canImport(Glibc)
  import Glibc
#endif

/// Properties of number display and writing over many generated values, each with an
/// expectation computed independently of the formatting code.
@Suite struct NumberPropertyTests {
  /// `value()`, `round` and the writers read a number "as shown" (15 significant digits). The
  /// fast path computes it by one division; it must give exactly the double that reading the
  /// written digits back with `strtod` gives, for every magnitude, sign and digit count —
  /// including values on a rounding boundary and whole numbers.
  @Test func shownMatchesReadingTheTextBack() {
    var random = SplitMix(state: 21)
    var values: [Double] = [
      0.1, 0.2, 0.3, 1.005, 2.675, 100.859_598_853_868_2, 1e-6, 9.999_999_999_999_99e14,
      123_456_789_012_345.6,
      0.000_001_234_567_890_123_45, 57, 0.57, 70.4e6 / 698e3, -0.000_000_5, 5e-7, 1 / 3, 2 / 3,
    ]
    for _ in 0..<20_000 {
      values.append(random.magnitude())
      values.append(Double(bitPattern: random.next() & 0x433F_FFFF_FFFF_FFFF))  // up to ~2^53
      values.append(Double(random.int(-1_000_000...1_000_000)) / Double(random.int(1...10_000)))
    }
    for value in values {
      let expected = Double(NumberFormat.significant(value, digits: 15)) ?? value
      let shown = NumberFormat.shown(value)
      #expect(shown.bitPattern == expected.bitPattern || (shown == 0 && expected == 0), "\(value)")
    }
  }

  /// The number written in a display (`70.4M users`, `$2.6M`, `9,986%`, `2 pp`), read by hand:
  /// the digits, separators dropped, scaled by the suffix.
  static func readBack(_ text: String) -> Double? {
    var body = text
    for unit in [" users", " user", " visits", " visit", " pp", "%"] where body.hasSuffix(unit) {
      body = String(body.dropLast(unit.count))
    }
    var negative = false
    if body.hasPrefix("-") {
      negative = true
      body.removeFirst()
    }
    if body.hasPrefix("$") { body.removeFirst() }
    var scale = 1.0
    if let last = body.last, let index = "KMBT".firstIndex(of: last) {
      scale = pow(1000, Double("KMBT".distance(from: "KMBT".startIndex, to: index) + 1))
      body.removeLast()
    }
    body.removeAll { $0 == "," }
    guard let value = Double(body) else { return nil }
    return (negative ? -1 : 1) * value * scale
  }

  /// The place value of the last digit shown (`70.4M` → 100K; `9,986` → 1; `0.982` → 0.001).
  static func lastDigitPlace(_ text: String) -> Double {
    var body = text
    var scale = 1.0
    for unit in [" users", " user", " visits", " visit", " pp", "%"] where body.hasSuffix(unit) {
      body = String(body.dropLast(unit.count))
    }
    if let last = body.last, let index = "KMBT".firstIndex(of: last) {
      scale = pow(1000, Double("KMBT".distance(from: "KMBT".startIndex, to: index) + 1))
      body.removeLast()
    }
    // The exponent form beyond 10^15: `1.04e15` shows digits down to 10^13.
    if let e = body.firstIndex(of: "e") {
      scale *= pow(10, Double(body[body.index(after: e)...]) ?? 0)
      body = String(body[..<e])
    }
    if let dot = body.firstIndex(of: ".") {
      return scale * pow(10, -Double(body.distance(from: dot, to: body.endIndex) - 1))
    }
    return scale
  }

  @Test func displayedQuantitiesReadBackWithinTheirShownPrecision() {
    var random = SplitMix(state: 13)
    var checked = 0
    for _ in 0..<5000 {
      let value = random.magnitude()
      for unit in [Unit.users, .usd, .percent, .points] {
        let shown = NumberFormat.quantity(value, unit)
        guard let read = NumberPropertyTests.readBack(shown) else {
          Issue.record("cannot read back \(shown) (from \(value))")
          continue
        }
        let factor = unit.shownFactor
        // Half a unit of the last digit shown (a hair more for the double arithmetic here).
        let tolerance = NumberPropertyTests.lastDigitPlace(shown) * 0.5 + 1e-12 * abs(value * factor)
        #expect(abs(read - value * factor) <= tolerance, "\(value) \(unit) shown as \(shown)")
        checked += 1
      }
    }
    #expect(checked == 20000)
  }

  /// `format(v, ",")` writes every whole digit, grouped, at any magnitude (1e21 was `1,e21`):
  /// no exponent, groups of three, and the text without commas reads back as the same number.
  @Test func groupedFormatWritesEveryDigit() {
    var random = SplitMix(state: 77)
    for _ in 0..<3000 {
      let exponent = random.int(-9...40)
      let value = (Double(random.next() % 1_000_000) / 1e5 + 1) * pow(10, Double(exponent))
      let text = NumberFormat.custom(value, unit: .none, spec: ",") ?? ""
      #expect(!text.contains("e"), "\(value): \(text)")
      let whole = text.split(separator: ".")[0].split(separator: ",")
      #expect(
        whole.dropFirst().allSatisfy { $0.count == 3 } && (1...3).contains(whole.first?.count ?? 0), "\(text)"
      )
      // Whole numbers are written exactly (as the shortest digits that read back); fractions
      // to the 6 significant digits a plain number shows.
      let read = Double(text.replacingOccurrences(",", "")) ?? .nan
      if abs(value) >= 1e15 {
        #expect(read == value, "\(value): \(text)")
      } else {
        #expect(abs(read - value) <= 1e-5 * abs(value), "\(value): \(text)")
      }
    }
    #expect(NumberFormat.custom(1e21, unit: .none, spec: ",") == "1,000,000,000,000,000,000,000")
  }

  @Test func percentagesFromAThousandShowEveryWholeDigit() {
    var random = SplitMix(state: 99)
    for _ in 0..<5000 {
      // From 1,000% to 10^12 %, with hundredths: at most 14 significant digits, all of which a
      // double holds.
      let percent =
        Double(random.int(1000...999_999_999)) * pow(10, Double(random.int(0...3)))
        + Double(random.int(0...99)) / 100
      let shown = NumberFormat.quantity(percent / 100, .percent)
      let digits = shown.dropLast().filter { $0 != "," }
      // The whole number, rounded half away from zero, worked out with integers.
      let expected = Int64(percent) + (percent - Double(Int64(percent)) >= 0.5 ? 1 : 0)
      #expect(Int64(digits) == expected, "\(percent)% shown as \(shown)")
      // Separators every three digits from the right.
      let groups = shown.dropLast().split(separator: ",")
      #expect(
        groups.dropFirst().allSatisfy { $0.count == 3 } && (1...3).contains(groups[0].count), "\(shown)")
    }
  }

  @Test func wholeNumbersAreExactUpTo2To53() {
    var random = SplitMix(state: 7)
    for _ in 0..<5000 {
      let whole = Int64(random.next() % 9_007_199_254_740_993) * (random.next() % 2 == 0 ? 1 : -1)
      #expect(NumberFormat.plain(Double(whole)) == String(whole))
    }
    // Beyond 2^53 and between whole numbers, the six significant digits; a fraction is never
    // cut to the whole number below it.
    #expect(NumberFormat.plain(9_007_199_254_740_994) == "9.0072e15")
    #expect(NumberFormat.plain(-9_007_199_254_740_994) == "-9.0072e15")
    for _ in 0..<2000 {
      let whole = Double(random.next() % 10_000) * (random.next() % 2 == 0 ? 1 : -1)
      let fraction = whole + (whole < 0 ? -0.25 : 0.25)
      #expect(NumberFormat.plain(fraction) == NumberFormat.significant(fraction, digits: 6))
      #expect(NumberFormat.plain(fraction).hasSuffix(".25"))
    }
  }

  /// Percentages and points written with one or two decimals, combined, saved as JSON and CSV:
  /// the text written is the decimal the integers give, with no binary noise, and reads back equal.
  @Test func filesHoldTheDecimalsOfDecimalArithmetic() throws {
    var random = SplitMix(state: 2024)
    let pq = makeInterpreter().0
    for _ in 0..<2000 {
      let a = random.int(0...10_000)  // hundredths of a percent
      let b = random.int(0...10_000)
      let literalA = decimal(a, places: 2) + "%"
      let literalB = decimal(b, places: 2) + "%"
      let gap = try pq.evaluate("\(literalA) - \(literalB)")
      let json = try JSON.encode(gap, pretty: false)
      #expect(
        json == "{\"value\": \(decimal(a - b, places: 2)), \"unit\": \"pp\"}", "\(literalA) - \(literalB)")
      let sum = try pq.evaluate("\(literalA) + \(literalB)")
      #expect(DataFile.cellText(sum) == decimal(a + b, places: 2) + "%", "\(literalA) + \(literalB)")
      let read = try DataFile.value(json: json)
      #expect(try Arithmetic.equal(read, gap))
    }
  }

  /// The decimal snapping of `+` and `-` against the straightforward computation with log10,
  /// over scales across every decade it handles, boundaries included.
  @Test func snappingMatchesTheDecimalGridOfTheLargerOperand() {
    var random = SplitMix(state: 5)
    var scales: [Double] = []
    for exponent in -8...14 {
      let decade = Arithmetic.power(10, Double(exponent))
      scales += [decade, decade.nextDown, decade.nextUp, decade * 9.99999, decade * 5]
    }
    for _ in 0..<3000 {
      scales.append(Double(random.int(1...999_999)) * Arithmetic.power(10, Double(random.int(-8...9))))
    }
    for scale in scales where scale >= 1e-8 && scale < 1e15 {
      let result = scale * 0.7 + 1e-3 * scale
      let places = 14 - Int(log10(scale).rounded(.down))
      guard (0...22).contains(places) else { continue }
      let reference =
        (result * Arithmetic.power(10, Double(places))).rounded() / Arithmetic.power(10, Double(places))
      #expect(Arithmetic.snapped(result, scale: scale) == reference, "scale \(scale)")
    }
  }

  /// `n / 10^places` as a decimal with trailing zeros removed, from integers only.
  func decimal(_ n: Int, places: Int) -> String {
    let sign = n < 0 ? "-" : ""
    let magnitude = abs(n)
    var divisor = 1
    for _ in 0..<places { divisor *= 10 }
    let whole = magnitude / divisor
    var fraction = String(magnitude % divisor)
    while fraction.count < places { fraction = "0" + fraction }
    while fraction.hasSuffix("0") { fraction.removeLast() }
    return sign + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
  }
}

/// The fast reader of a file's common notations gives exactly what the full reader gives.
@Suite struct SimpleNotationTests {
  @Test func agreesWithTheFullReader() {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next(_ bound: UInt64) -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return (state >> 33) % bound
    }
    var checked = 0
    for _ in 0..<20_000 {
      var text = next(4) == 0 ? "$" : ""
      // Sometimes up to 18 digits: the fast reader takes at most 15, the full one the rest.
      let whole =
        next(6) == 0
        ? "0"
        : next(5) == 0 ? String(next(1_000_000_000)) + String(next(1_000_000_000)) : String(next(10_000_000))
      text += whole
      if next(2) == 0 { text += "." + String(next(1000)) }
      text += ["", "", "K", "M", "B", "T"][Int(next(6))]
      if next(4) == 0 { text += "%" }
      let fast = Literal.parseSimple(text)
      let full = Literal.parseFull(text)
      if let fast {
        checked += 1
        #expect(fast.numericValue == full?.numericValue, "\(text)")
        #expect(fast.unit == full?.unit, "\(text)")
      }
    }
    #expect(checked > 10_000)
    // What the fast reader leaves to the full one.
    for text in [
      "08123", "1,000", "-5", "+5", "2pp", "1e3", " 5", "5 ", ".5", "5.", "$5%", "1.2.3", "", "00", "00.5",
      "1234567890123456", "12345678901234.56", "5.M", "$", "M", "5MM", "5%%", "1..2",
    ] {
      #expect(Literal.parseSimple(text) == nil, "\(text)")
    }
    for text in ["0", "0.5", "123456789012345", "1234567890123.45", "$0.01M", "0%", "9.99T"] {
      #expect(Literal.parseSimple(text)?.numericValue == Literal.parseFull(text)?.numericValue, "\(text)")
      #expect(Literal.parseSimple(text) != nil, "\(text)")
    }
  }

  /// `a mod b` over generated whole numbers within ±2^53 gives the remainder Int64 arithmetic
  /// gives (with the sign of `b`), on every path that computes it — a numeric node (a constant
  /// divisor and a variable one), the operator over two values, a local and a constant, a
  /// compound store, a store into a list — and past 2^53, where whole numbers are not held
  /// exactly, every path refuses it with the same error instead of answering from noise
  /// (`(2147483647 * 1103515245 + 12345) mod 2147483648` was 1043980800; it is 1043980748).
  @Test func remaindersAreExactOrRefused() throws {
    let (pq, _) = makeInterpreter()
    _ = try pq.evaluate(
      """
      fn numeric(a, b) { (a + 0) mod b }
      fn constant(a) { (a + 0) mod 1000003 }
      fn plain(a, b) { [a][0] mod [b][0] }
      fn local(a) { a mod 97 }
      fn compound(a, b) { var s = a\ns = s mod b\ns }
      fn place(a, b) { var xs = [a]\nxs[0] = xs[0] mod b\nxs[0] }
      """)
    var random = SplitMix(state: 53)
    var pairs: [(Int64, Int64)] = [
      (9_007_199_254_740_991, 10), (-9_007_199_254_740_991, 10), (9_007_199_254_740_991, -7), (0, 5),
      (-1, 97),
    ]
    for _ in 0..<300 {
      let a = Int64(bitPattern: random.next()) >> Int64(random.int(8...60))
      var b = Int64(bitPattern: random.next()) >> Int64(random.int(11...62))
      if b == 0 { b = 3 }
      pairs.append((a, b))
    }
    func exact(_ a: Int64, _ b: Int64) -> String {
      let r = a % b
      return "\(r != 0 && (r < 0) != (b < 0) ? r + b : r)"
    }
    var refused = 0
    for (a, b) in pairs {
      for (call, divisor) in [
        ("numeric", b), ("constant", 1_000_003), ("plain", b), ("local", 97), ("compound", b), ("place", b),
      ] {
        let source = "\(call)(\(a)\(["constant", "local"].contains(call) ? "" : ", \(b)"))"
        let beyond = abs(Double(a)) >= 0x1p53
        do {
          let value = try pq.evaluate(source)
          #expect(!beyond, "\(source) answered \(value) past 2^53")
          #expect(value.description == exact(a, divisor), "\(source)")
        } catch {
          #expect(beyond, "\(source): \(error.message)")
          #expect(error.message.contains("past 2^53"), "\(source): \(error.message)")
          refused += 1
        }
      }
    }
    #expect(refused >= 30)
    #expect(
      failure("(2147483647 * 1103515245 + 12345) mod 2147483648", pq)?.message.contains("past 2^53") == true)
  }
}
