import PQTestSupport
import Testing

@testable import PlatformQuery

/// Every built-in is documented with an example, and the example runs.
@Suite struct BuiltinsTests {
  static let natives = Builtins.all

  /// `slice` of text cuts at characters, at byte offsets when every byte is one: generated
  /// texts (ASCII, `\r\n`, combining marks, flags, long and short) and bounds (negative, past
  /// either end, crossed, omitted) against the characters cut as a list is.
  @Test func slicingTextCutsAtCharacters() throws {
    let pq = makeInterpreter().0
    let pieces = ["a", "b", "xyz", " ", "\r\n", "\r", "\n", "é", "e\u{301}", "🇫🇷", "—", "0123456789abcdef"]
    var random = SplitMix(state: 3)
    for round in 0..<400 {
      let text = (0..<random.int(0...(round % 4 == 0 ? 30 : 6))).map { _ in
        pieces[random.int(0...pieces.count - 1)]
      }
      .joined()
      let characters = Array(text)
      let start = random.int(-characters.count - 3...characters.count + 3)
      let end = random.int(-characters.count - 3...characters.count + 3)
      func clamp(_ index: Int) -> Int {
        max(0, min(characters.count, index < 0 ? characters.count + index : index))
      }
      let withEnd = clamp(start) < clamp(end) ? String(characters[clamp(start)..<clamp(end)]) : ""
      let toTheEnd = clamp(start) < characters.count ? String(characters[clamp(start)...]) : ""
      #expect(
        try pq.evaluate("slice(\(Self.literal(text)), \(start), \(end))") == .string(withEnd),
        "\(Self.literal(text)) \(start) \(end)")
      #expect(
        try pq.evaluate("slice(\(Self.literal(text)), \(start))") == .string(toTheEnd),
        "\(Self.literal(text)) \(start)"
      )
    }
  }

  /// A pq string literal of any text: printable ASCII as it is, every other scalar escaped.
  static func literal(_ text: String) -> String {
    "\""
      + text.unicodeScalars.map {
        $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\"
          ? String($0) : "\\u{\(String($0.value, radix: 16))}"
      }.joined() + "\""
  }

  /// `slice` of a list, with its bounds read once the list is known (generated lists and
  /// bounds against Swift's slicing), and its errors in the order of the arguments.
  @Test func slicingListsCutsAsSwiftAndComplainsInOrder() throws {
    let pq = makeInterpreter().0
    var random = SplitMix(state: 11)
    for _ in 0..<300 {
      let items = (0..<random.int(0...8)).map { _ in random.int(0...99) }
      let start = random.int(-11...11)
      let end = random.int(-11...11)
      func clamp(_ index: Int) -> Int { max(0, min(items.count, index < 0 ? items.count + index : index)) }
      let cut = clamp(start) < clamp(end) ? Array(items[clamp(start)..<clamp(end)]) : []
      let list = "[" + items.map(String.init).joined(separator: ", ") + "]"
      #expect(try pq.evaluate("slice(\(list), \(start), \(end))") == .list(cut.map { .number(Double($0)) }))
      #expect(
        try pq.evaluate("slice(\(list), \(start))")
          == .list(items[min(clamp(start), items.count)...].map { .number(Double($0)) }))
    }
    for (call, message) in [
      ("slice(5, \"x\")", "argument 1 must be a list, not a plain number"),
      ("slice([1, 2], \"x\")", "argument 2 must be a plain number, not a string"),
      ("slice([1, 2], 1, 0.5)", "argument 3 must be a whole number, not 0.5"),
      ("slice(\"abc\", 1.5)", "argument 2 must be a whole number, not 1.5"),
      ("slice(\"abc\", 1, \"z\")", "argument 3 must be a plain number, not a string"),
    ] {
      #expect(failure(call, pq)?.message == "slice: " + message, "\(call)")
    }
  }

  /// `upper` and `lower` answer as Swift's `uppercased()` and `lowercased()` over generated
  /// texts: the bytes around the letters' ranges (`@ [ ` { `), letters of both cases, text that
  /// is not ASCII (`ß` grows, `İ` takes a mark), short texts and long. Where the case would not
  /// change (`String.caseChange`: ASCII, no letter of the other case), the text is returned as
  /// it is, and ASCII letters are flipped byte by byte; both agree with Swift on every text.
  @Test func changingCaseAnswersAsSwift() throws {
    let pq = makeInterpreter().0
    let pieces = [
      "a", "z", "A", "Z", "@", "[", "`", "{", "0", " ", "\r\n", "~", "ß", "é", "İ", "Σ", "ﬁ", "👍",
      "already lower case", "ALREADY UPPER CASE", "Mixed Case Words",
    ]
    var random = SplitMix(state: 5)
    var unchanged = 0
    for round in 0..<1_500 {
      let text = (0..<random.int(0...(round % 3 == 0 ? 12 : 4))).map { _ in
        pieces[random.int(0...pieces.count - 1)]
      }
      .joined()
      for upper in [true, false] {
        let swift = upper ? text.uppercased() : text.lowercased()
        let ascii = text.utf8.allSatisfy { $0 < 0x80 }
        let change = text.caseChange(upper: upper)
        #expect((change == .none) == (ascii && swift == text), "\(Self.literal(text)) \(upper)")
        #expect((change == .other) == !ascii, "\(Self.literal(text)) \(upper)")
        #expect(text.cased(upper: upper) == swift, "\(Self.literal(text)) \(upper)")
        if ascii, swift == text { unchanged += 1 }
        if round % 5 == 0 {
          let call = "\(upper ? "upper" : "lower")(\(Self.literal(text)))"
          #expect(try pq.evaluate(call) == .string(swift), "\(call)")
        }
      }
    }
    #expect(unchanged > 300)
  }

  /// `join` copies short pieces byte by byte and long ones in one move: every length around the
  /// boundary, text that is not ASCII, and separators short and long give what Swift's
  /// `joined(separator:)` gives.
  @Test func joinGivesEveryPieceAndSeparatorWhole() throws {
    let pq = makeInterpreter().0
    let alphabet = Array("aé—🇫🇷b")
    var pieces: [String] = []
    for length in 0...40 {
      pieces.append(String((0..<length).map { alphabet[($0 * 7 + length) % alphabet.count] }))
    }
    for separator in ["", ",", " — ", "a separator of twenty-four", "🇫🇷"] {
      let list = "[" + pieces.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
      let joined = try pq.evaluate("join(\(list), \"\(separator)\")")
      guard case .string(let text) = joined else {
        Issue.record("join gave \(joined)")
        continue
      }
      #expect(text == pieces.joined(separator: separator), "separator '\(separator)'")
    }
    // Elements that are not strings join as their text, as print shows them, strings among them
    // whole.
    let mixed = try pq.evaluate(#"join([1, "a", nil, 2.5, [1, "b"], "a longer piece than sixteen"], "-")"#)
    #expect(mixed.description == #"1-a-nil-2.5-[1, "b"]-a longer piece than sixteen"#)
  }

  @Test func everyBuiltinHasADocAndAnExample() {
    #expect(BuiltinsTests.natives.count > 60)
    for native in BuiltinsTests.natives {
      #expect(!native.doc.isEmpty, "\(native.name) has no doc")
      #expect(
        native.example.hasPrefix(native.name) || native.example.contains(native.name),
        "\(native.name): \(native.example)")
      #expect(native.signature.hasPrefix(native.name + "("), "\(native.name): \(native.signature)")
    }
    #expect(Set(BuiltinsTests.natives.map(\.name)).count == BuiltinsTests.natives.count)
  }

  @Test(arguments: natives.filter { !["save", "error", "env"].contains($0.name) }.map(\.name))
  func exampleRuns(_ name: String) throws {
    let (pq, _) = makeInterpreter(files: .folders([repositoryRoot]))
    let native = try #require(BuiltinsTests.natives.first { $0.name == name })
    let example = native.example.replacingPath()
    do {
      _ = try pq.evaluate(example)
    } catch {
      Issue.record("help example of \(name) fails: \(error)")
    }
  }

  @Test(arguments: [
    ("f()", 0, Int?.some(0)), ("f(a)", 1, 1), ("f(a, b?)", 1, 2), ("f( a ,  b? , c? )", 1, 3),
    ("f(...xs)", 0, nil), ("f(a, ...rest)", 1, nil), ("f(list, separator?)", 1, 2),
  ])
  func arityComesFromTheSignature(signature: String, minimum: Int, maximum: Int?) {
    let native = NativeFunction(signature, doc: "", example: "") { _ throws(PQError) in .nil }
    #expect(native.name == "f")
    #expect(native.minimumArity == minimum)
    #expect(native.maximumArity == maximum)
  }

  @Test func helpShowsDocAndExample() throws {
    #expect(
      try show("help(\"ratio\")")
        == "ratio(a, b)\n  How many times b fits in a: a / b, with units and sources.\n  example: ratio(x.mau, truth.mau)"
    )
    #expect(try show("help(\"headline\")").contains("(written in pq: stdlib/prelude.pq)"))
    #expect(try show("help(\"stats.median\")").contains("example: stats.median([3, 1, 2])"))
    #expect(failure("help(\"rato\")")?.notes == ["did you mean 'ratio'?"])
    #expect(try show("help()").contains("platform data: ratio, diff, pct_change, share, compare, rank, top"))
  }

  @Test func everyPreludeFunctionIsDocumented() throws {
    let text = try #require(readText("stdlib/prelude.pq"))
    let declared = text.split(separator: "\n").filter { $0.hasPrefix("fn ") }.count
    let documented = StandardLibrary.docs.values.filter { $0.module == nil }.count
    #expect(declared == documented)
  }
}

extension String {
  /// Examples name files relative to the repository root; tests run elsewhere.
  fileprivate func replacingPath() -> String {
    replacingOccurrences("\"examples/", with: "\"\(repositoryRoot)/examples/")
  }

  fileprivate func replacingOccurrences(_ target: String, with replacement: String) -> String {
    split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
  }
}
