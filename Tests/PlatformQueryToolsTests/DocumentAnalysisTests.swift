import PQTestSupport
import Testing

@testable import PlatformQuery
@testable import PlatformQueryTools

/// The editor while a line is broken (issue 34, in part): the analysis blanks the broken
/// statements and reads the rest, so unit errors, symbols and definitions elsewhere in the file
/// are still known.
@Suite struct BrokenFileAnalysisTests {
  func analyse(_ text: String) -> DocumentAnalysis {
    DocumentAnalysis(source: Source(name: "t.pq", text: text), interpreter: Interpreter())
  }

  @Test func theRestOfABrokenFileIsStillAnalysed() {
    let cases: [(String, [String], [String])] = [
      // A half-typed field access at the end: the unit error above it is still reported.
      (
        "let a = x.mau\nlet b = x.mau + x.revenue\nprint(a)\nx.\n",
        ["cannot add users and USD", "expected a field name"],
        ["a", "b"]
      ),
      // A statement left open by a bracket: the statements after it are read, and the name it
      // is binding is declared (a symbol, and no "not defined" where it is used).
      (
        "let a = x.mau\nlet b = (a +\nlet c = a + x.revenue\nprint(b)\n",
        ["expected an expression", "cannot add users and USD"],
        ["a", "b", "c"]
      ),
      // Two broken lines.
      (
        "let a = x.mau\nlet = 5\nlet q = )\nlet c = a + x.revenue\n",
        ["expected a name after 'let'", "expected an expression", "cannot add users and USD"],
        ["a", "q", "c"]
      ),
    ]
    for (text, messages, names) in cases {
      let analysis = analyse(text)
      let found = analysis.problems.map(\.message)
      #expect(found.count == messages.count, "\(text): \(found)")
      for (message, problem) in zip(messages, found) {
        #expect(problem.hasPrefix(message), "\(text): \(found)")
      }
      #expect(analysis.declarations.filter(\.isTopLevel).map(\.name) == names, "\(text)")
      // Every problem points into the document as written.
      for problem in analysis.problems {
        #expect(problem.source === analysis.source, "\(text): \(problem.message)")
      }
    }
  }

  /// Random damage to a valid program never crashes the analysis or makes it point outside the
  /// document; an undamaged program has no problems.
  @Test func damagedProgramsAreAnalysedWithoutHarm() {
    var random = SplitMix(state: 0xB0C3_0034)
    let program =
      "let a = x.mau\nfn f(n) {\n  n * 2\n}\nlet b = f(a)\nfor p in platforms {\n  print(p.name)\n}\nlet c = a + 1M\n"
    #expect(analyse(program).problems.isEmpty)
    let bytes = Array(program.utf8)
    let junk: [UInt8] = Array("(){}[].+,\"=\n x".utf8)
    for round in 0..<200 {
      var damaged = bytes
      for _ in 0..<random.int(1...3) {
        let index = random.int(0...(damaged.count - 1))
        if random.int(0...1) == 0 {
          damaged[index] = junk[random.int(0...(junk.count - 1))]
        } else {
          damaged.remove(at: index)
        }
      }
      let text = String(decoding: damaged, as: UTF8.self)
      let analysis = analyse(text)
      for problem in analysis.problems {
        #expect((problem.span?.start ?? 0) <= damaged.count, "round \(round): \(text.debugDescription)")
      }
    }
  }
}
