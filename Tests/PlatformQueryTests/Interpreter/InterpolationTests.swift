import PQTestSupport
import Testing

@testable import PlatformQuery

/// Interpolation writes its parts as bytes into a buffer the runtime keeps and numbers as digits
/// straight into it (`InterpolationNode`, `TextBuffer`). These tests hold it to what
/// joining the parts' texts gives (`str`), over generated values of every kind, nested
/// interpolations (which find the buffer taken), long texts and the size limit.
@Suite struct InterpolationTests {
  /// Whole numbers are written digit by digit; everything else as `plain` writes it.
  @Test func writtenNumbersAreThePlainText() {
    var generator = SplitMix(state: 11)
    var numbers: [Double] = [
      0, -0.0, 1, -1, 9, 10, 99, 100, -100, 9_007_199_254_740_992, -9_007_199_254_740_992,
      9_007_199_254_740_994,
      1e300, -1e-300, 0.5, .infinity, -.infinity, .nan, Double(Int64.max), Double(Int64.min),
    ]
    for _ in 0..<3000 {
      let digits = Double(generator.next() % 20)
      let whole = Double(Int64(bitPattern: generator.next()) % 1_000_000_000_000_000)
      numbers.append(whole)
      numbers.append(whole / Arithmetic.power(10, digits))
      numbers.append(Double(bitPattern: generator.next()))
    }
    let buffer = TextBuffer()
    buffer.append("x")
    for number in numbers {
      let start = buffer.count
      buffer.append(plain: number)
      #expect(buffer.text(from: start) == NumberFormat.plain(number), "\(number)")
    }
    #expect(buffer.text(from: 0) == "x")
  }

  @Test func partsJoinAsTheirTexts() throws {
    let values = [
      "0", "-12", "3.25", "1e20", "9007199254740993", "1 / 3", "$4.5B", "20%", "5pp", "x.mau", "\"\"",
      "\"é ü 🎉\"",
      "\"a\\nb\"", "nil", "true", "[1, \"a\", nil]", "{k: 1, j: [2]}", "caveats(x.mau)", "len",
    ]
    let (pq, _) = makeInterpreter()
    for left in values {
      for right in values {
        let interpolated = try pq.evaluate("\"<\\(\(left))|\\(\(right))>\"").description
        let joined = try pq.evaluate("\"<\" + str(\(left)) + \"|\" + str(\(right)) + \">\"").description
        #expect(interpolated == joined, "\(left), \(right)")
        // Nested: the inner interpolation runs while the outer holds the buffer.
        let nested = try pq.evaluate("\"(\\(\"[\\(\(left))]\")\\(\(right)))\"").description
        let nestedJoined = try pq.evaluate("\"([\" + str(\(left)) + \"]\" + str(\(right)) + \")\"")
          .description
        #expect(nested == nestedJoined, "nested \(left), \(right)")
      }
    }
    // No code, only code, empty text between, and a long text (its buffer is not kept).
    #expect(try pq.evaluate("\"plain\"").description == "plain")
    #expect(try pq.evaluate("\"\\(1)\\(2)\\(\"\")\\(3)\"").description == "123")
    let long = try pq.evaluate("var s = \"\"\nfor i in range(20000) { s += \"ab\" }\n\"<\\(s)>\"")
    #expect(long.description.utf8.count == 40_002)
    #expect(try pq.evaluate("\"after \\(7)\"").description == "after 7")
    // A part that fails leaves nothing behind for the next interpolation, nested or not.
    #expect(throws: PQError.self) { try pq.evaluate("\"left \\(\"inner \\(nope(1)) x\") right\"") }
    #expect(throws: PQError.self) { try pq.evaluate("\"\\(s) \\(1 + \"a\")\"") }
    #expect(try pq.evaluate("\"clean \\(\"[\\(2)]\")\"").description == "clean [2]")
    #expect(pq.runtime.textBuffer.count == 0)
  }

  /// A text past the size limit is refused at the interpolation, as before.
  @Test func theSizeLimitHolds() {
    var options = Interpreter.Options()
    options.limits = Limits(maximumLength: 1000)
    let pq = Interpreter(options: options)
    #expect(throws: PQError.self) {
      try pq.evaluate("let s = \"\\(range(400))\"")
    }
    #expect(throws: PQError.self) {
      try pq.evaluate("var t = \"\"\nfor i in range(300) { t += \"x\" }\nlet s = \"\\(t)\\(t)\\(t)\\(t)\"")
    }
  }
}
