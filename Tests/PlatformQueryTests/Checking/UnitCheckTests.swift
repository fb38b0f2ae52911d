import PQTestSupport
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
