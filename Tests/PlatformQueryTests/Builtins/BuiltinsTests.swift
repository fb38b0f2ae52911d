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
    func literal(_ text: String) -> String {
      "\""
        + text.unicodeScalars.map {
          $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\"
            ? String($0) : "\\u{\(String($0.value, radix: 16))}"
        }.joined() + "\""
    }
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
        try pq.evaluate("slice(\(literal(text)), \(start), \(end))") == .string(withEnd),
        "\(literal(text)) \(start) \(end)")
      #expect(
        try pq.evaluate("slice(\(literal(text)), \(start))") == .string(toTheEnd), "\(literal(text)) \(start)"
      )
    }
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
