import Testing

@testable import PlatformQuery

/// Units known before running (issue 34, in part): `check` reports an operation on known values
/// that running would refuse — through `let` bindings, in the scopes they are visible in — with
/// the message running gives; a name that could hold anything is unknown, and unknown is never an
/// error. `resultUnit(of:)` gives a host the unit of a formula before it runs.
@Suite struct UnitCheckTests {
  func checkFailure(_ text: String) -> PQError? {
    do {
      try Interpreter().check(text, name: "t.pq")
      return nil
    } catch {
      return error
    }
  }

  @Test func unitErrorsFlowThroughBindings() throws {
    let cases: [(String, String, Int, Int)] = [
      ("let users = x.mau\nlet money = x.revenue\nprint(users + money)\n", "cannot add users and USD", 3, 13),
      ("let a = x.mau\nlet b = a\nlet c = b\nc - x.revenue\n", "cannot subtract USD from users", 4, 3),
      ("let users = x.mau\nfn f() { users + x.revenue }\n", "cannot add users and USD", 2, 16),
      ("let ns = x.news_share\nif ns > 50% { ns + x.mau }\n", "cannot add", 2, 18),
      ("let m = x.mau\nlet n = m + 1M\n[n, n + x.web_visits]\n", "cannot add users and visits", 3, 7),
      ("x.revenue + x.mau\n", "cannot add USD and users", 1, 11),
    ]
    for (text, message, line, column) in cases {
      let error = try #require(checkFailure(text), "\(text)")
      #expect(error.message.hasPrefix(message), "\(text): \(error.message)")
      #expect(
        error.location?.line == line && error.location?.column == column,
        "\(text): \(String(describing: error.location))")
      // The message running gives.
      do {
        _ = try Interpreter().evaluate(text + (text.contains("fn f") ? "\nf()" : ""))
        Issue.record("running \(text) did not fail")
      } catch {
        #expect(error.message.hasPrefix(message), "running \(text): \(error.message)")
      }
    }
  }

  /// What could hold anything is unknown, and never an error.
  @Test func unknownIsNeverAnError() {
    let fine = [
      "var a = x.mau\na = x.revenue\na + x.revenue\n",
      "let a = x.mau\nfn f(a) { a + x.revenue }\nf($1)\n",
      "let a = x.mau\nfor a in [x.revenue] { a + x.revenue }\n",
      "let a = x.mau\nif true { let a = x.revenue\n a + x.revenue }\n",
      "let a = x.mau\nlet f = fn(a) { a + x.revenue }\n",
      "fn h(x) { x.revenue + 1 }\n",
      "let a = if true { x.mau } else { x.revenue }\na + x.mau\n",
      "let a = x.mau\nwhile false { let a = x.revenue\n a + $1 }\n",
      "let a = x.mau / x.mau\na + 1\n",
      "import stats\nlet a = stats.median([x.mau])\na + x.mau\n",
      "let a = 59% ± 3pp\nlet b = 600K..700K\nprint(a, b)\n",
    ]
    for text in fine {
      #expect(checkFailure(text) == nil, "\(text): \(checkFailure(text)?.message ?? "")")
    }
  }

  @Test func aHostLearnsAFormulasUnitBeforeRunningIt() throws {
    let pq = Interpreter()
    #expect(try pq.resultUnit(of: "x.revenue / x.mau")?.description == "USD per user")
    #expect(try pq.resultUnit(of: "let u = x.mau\nu * 2") == Unit.parse("users"))
    #expect(try pq.resultUnit(of: "x.mau / truth.mau") == Unit.none)
    #expect(try pq.resultUnit(of: "ratio(x.mau, truth.mau)") == nil)  // a call: known only by running
    #expect(try pq.resultUnit(of: "let a = 1") == nil)
    #expect(throws: PQError.self) { try pq.resultUnit(of: "let a = x.mau\na + x.revenue") }
  }

  /// Generated straight-line programs of bindings over the article's figures: whenever `check`
  /// reports an error, running fails there with the same message, or earlier at what only running
  /// knows (no false error); and a program that runs cleanly always checks cleanly.
  @Test func checkNeverReportsWhatRunningWouldNotDo() {
    var random = SplitMix(state: 0x0C4E_C034)
    let atoms = [
      "x.mau", "x.revenue", "truth.mau", "x.news_share", "truth.news_share", "x.web_visits", "5", "2M",
    ]
    let ops = ["+", "-", "*", "/", "<"]
    var checkedErrors = 0
    for round in 0..<300 {
      var lines: [String] = []
      for index in 0..<random.int(1...6) {
        func operand() -> String {
          index > 0 && random.int(0...1) == 0
            ? "v\(random.int(0...(index - 1)))" : atoms[random.int(0...(atoms.count - 1))]
        }
        let expression =
          random.int(0...2) == 0
          ? operand() : "\(operand()) \(ops[random.int(0...(ops.count - 1))]) \(operand())"
        lines.append("\(random.int(0...4) == 0 ? "var" : "let") v\(index) = \(expression)")
      }
      let text = lines.joined(separator: "\n") + "\n"
      let checked = checkFailure(text)
      var ran: PQError?
      do { _ = try Interpreter().evaluate(text) } catch { ran = error }
      if let checked {
        checkedErrors += 1
        // Running fails there with the same message, or earlier, at what only running knows.
        let sameOrEarlier =
          ran.map { ran in
            ran.message == checked.message || (ran.span?.start ?? 0) < (checked.span?.start ?? 0)
          } ?? false
        #expect(
          sameOrEarlier,
          "round \(round): \(text)check: \(checked.message)\nrun: \(ran?.message ?? "no error")")
      }
      if ran == nil { #expect(checked == nil, "round \(round): \(text)") }
    }
    #expect(checkedErrors > 20)
  }
}

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
      // A statement left open by a bracket: the statements after it are read.
      (
        "let a = x.mau\nlet b = (a +\nlet c = a + x.revenue\n",
        ["expected an expression", "cannot add users and USD"],
        ["a", "c"]
      ),
      // Two broken lines.
      (
        "let a = x.mau\nlet = 5\nlet q = )\nlet c = a + x.revenue\n",
        ["expected a name after 'let'", "expected an expression", "cannot add users and USD"], ["a", "c"]
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
