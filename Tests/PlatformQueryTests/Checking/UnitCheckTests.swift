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

  /// Units inferred through the document's functions (per call site, in the scope each was
  /// defined in), records and their fields, lists, `if` branches and the pure built-ins: each
  /// error where running reports it, with running's message and notes.
  @Test func unitErrorsFlowThroughFunctionsRecordsListsAndBuiltIns() throws {
    let cases: [(String, String, Int, Int, [String])] = [
      (
        "fn f(a, b) {\n  a + b\n}\nprint(f(x.mau, x.revenue))\n", "cannot add users and USD", 2, 5,
        ["in f, called from t.pq:4:7"]
      ),
      (
        "let g = fn(v) { v + x.revenue }\nlet u = g(x.mau)\n", "cannot add users and USD", 1, 19,
        ["in <anonymous>, called from t.pq:2:9"]
      ),
      (
        "fn g(v) { v + x.revenue }\nfn f(v) { g(v) }\nf(x.mau)\n", "cannot add users and USD", 1, 13,
        ["in g, called from t.pq:2:11", "in f, called from t.pq:3:1"]
      ),
      ("fn half(v) { v / 2 }\nlet h = half(x.mau)\nh + x.revenue\n", "cannot add users and USD", 3, 3, []),
      ("let r = {u: x.mau, m: x.revenue}\nr.u + r.m\n", "cannot add users and USD", 2, 5, []),
      ("let v = if true { x.mau } else { 1 }\nv + x.revenue\n", "cannot add users and USD", 2, 3, []),
      ("let v = sum([x.mau, truth.mau])\nv < x.revenue\n", "cannot compare users and USD", 2, 3, []),
      ("sum([x.mau, x.revenue])\n", "cannot add users and USD", 1, 1, []),
      ("let q = ratio(x.mau, \"a\")\n", "ratio: argument 2 must be a number, not a string", 1, 22, []),
      ("round(x.mau, 1) + x.revenue\n", "cannot add users and USD", 1, 17, []),
      ("as_unit(5, \"visits\") + x.mau\n", "cannot add visits and users", 1, 22, []),
    ]
    for (text, message, line, column, notes) in cases {
      let error = try #require(checkFailure(text), "\(text)")
      #expect(error.message.hasPrefix(message), "\(text): \(error.message)")
      #expect(
        error.location?.line == line && error.location?.column == column,
        "\(text): \(String(describing: error.location))")
      for note in notes {
        #expect(error.rendered(color: false).contains("note: " + note), "\(text): \(error)")
      }
      // Running fails with the same message, at the same place, with the same call notes.
      do {
        _ = try Interpreter().run(script: text, name: "t.pq")
        Issue.record("running \(text) did not fail")
      } catch {
        #expect(error.message.hasPrefix(message), "running \(text): \(error.message)")
        #expect(error.location?.line == line && error.location?.column == column, "running \(text)")
        for note in notes {
          #expect(error.rendered(color: false).contains("note: " + note), "running \(text): \(error)")
        }
      }
    }
  }

  /// What a function, an `if` or a call cannot be known to give is unknown, and never an error.
  @Test func unknownResultsAreNeverErrors() {
    let fine = [
      // Never called with the wrong unit.
      "fn f(v) { v + x.revenue }\nf(x.revenue)\n",
      // Lexical scope: f reads the k it was defined beside, not g's.
      "let k = x.mau\nfn f() { k }\nfn g() {\n  let k = x.revenue\n  f() + x.mau\n}\ng()\n",
      // Either branch may run, and they differ.
      "var c = true\nlet v = if c { x.mau } else { x.revenue }\nv + x.mau\n",
      // Recursion is unknown.
      "fn fact(n) { if n <= 1 { 1 } else { n * fact(n - 1) } }\nfact(5) * x.mau\n",
      // A body with loops or a return in the middle is unknown.
      "fn f(v) {\n  var t = v\n  while false { t = x.mau }\n  t\n}\nf(x.revenue) + x.revenue\n",
      "fn f(v) {\n  if v > 0 { return x.revenue }\n  v\n}\nf(x.mau) + x.mau\n",
      // A built-in that is not pure, a named argument, a call with the wrong number of arguments.
      "len([x.mau]) + 1\n",
      "fn f(a, b) { a + b }\nf(x.mau)\n",
      // A name the document binds (here a parameter) is not the built-in.
      "fn f(sum) { sum([x.mau, x.revenue]) }\n",
    ]
    for text in fine {
      #expect(checkFailure(text) == nil, "\(text): \(checkFailure(text)?.message ?? "")")
    }
  }

  /// A `load` with a literal path is read at check time, as running reads it, when the file is
  /// there, readable and small: its figures' units are known. A file not there yet (a script may
  /// write it first), a refused path or a large file is unknown, never an error.
  @Test func loadedFiguresAreKnownWhenTheFileIsThere() throws {
    let folder = temporaryDirectory()
    try FileSystem.writeAtomically(
      folder + "/own.csv", Array("name,mau,revenue,source,period\nBluesky,20M,$1M,Company,2024\n".utf8))
    var options = Interpreter.Options()
    options.fileAccess = .folders([folder])
    let text = "let d = load(\"\(folder)/own.csv\")\nprint(d[0].mau + d[0][\"revenue\"])\n"
    do {
      try Interpreter(options: options).check(text, name: "t.pq")
      Issue.record("the loaded figures were not known")
    } catch {
      #expect(error.message.hasPrefix("cannot add users and USD"))
      #expect(error.location?.line == 2 && error.location?.column == 16)
    }
    let fine = [
      // Not there when checked: the script writes it first.
      "save([{name: \"A\", mau: 5M}], \"\(folder)/later.csv\")\nlet d = load(\"\(folder)/later.csv\")\nd[0].mau + x.revenue\n",
      // Read as running reads it: the figures add up.
      "let d = load(\"\(folder)/own.csv\")\nd[0].mau + x.mau\n",
    ]
    for text in fine {
      #expect(throws: Never.self, "\(text)") { try Interpreter(options: options).check(text, name: "t.pq") }
    }
    // Without file access the path is refused when checked too: unknown, not an error.
    #expect(throws: Never.self) { try Interpreter().check(text, name: "t.pq") }
  }

  /// Functions that call each other many times are evaluated within a bound, not exponentially.
  @Test func manyNestedCallsAreBounded() throws {
    var lines = ["fn f0(v) { v }"]
    for level in 1...40 { lines.append("fn f\(level)(v) { f\(level - 1)(v) + f\(level - 1)(v) }") }
    lines.append("f40(x.mau) + x.mau")
    // Within the bound, the answer is unknown, never a false error.
    #expect(checkFailure(lines.joined(separator: "\n") + "\n") == nil)
    // A long function called many times: the statements run in calls are bounded too, and past
    // the bound a call is unknown.
    let body = (0..<3_000).map { "  let a\($0) = v * \($0)" }.joined(separator: "\n")
    let calls = (0..<2_000).map { "let r\($0) = f(x.mau)" }.joined(separator: "\n")
    var checker = UnitChecker(
      interpreter: Interpreter(), bound: [], source: Source(name: "t.pq", text: ""))
    let tree = try #require(
      try? LargeStack.run { () throws(PQError) in
        try Parser.parse(Source(name: "t.pq", text: "fn f(v) {\n\(body)\n  v + x.revenue\n}\n\(calls)\n"))
      })
    checker.check(tree.statements)
    #expect(checker.stepBudget < 0)
    // The first calls found the error; it is reported once, however many calls reach it.
    #expect(checker.problems.count == 1)
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
    // A pure built-in called with known arguments is known; other calls only by running.
    #expect(try pq.resultUnit(of: "ratio(x.mau, truth.mau)") == Unit.none)
    #expect(try pq.resultUnit(of: "as_unit(5, \"users\")") == Unit.parse("users"))
    #expect(try pq.resultUnit(of: "len([x.mau])") == nil)
    #expect(try pq.resultUnit(of: "fn f(v) { v * 2 }\nf(x.revenue)") == Unit.usd)
    #expect(try pq.resultUnit(of: "let a = 1") == nil)
    #expect(throws: PQError.self) { try pq.resultUnit(of: "let a = x.mau\na + x.revenue") }
  }

  /// Generated straight-line programs of bindings over the article's figures: whenever `check`
  /// reports an error, running fails too, with the same message where it fails at a place check
  /// reported (no false error); and a program that runs cleanly always checks cleanly.
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
        var expression =
          random.int(0...2) == 0
          ? operand() : "\(operand()) \(ops[random.int(0...(ops.count - 1))]) \(operand())"
        // Through the document's functions, records, lists, `if` and the pure built-ins.
        switch random.int(0...9) {
        case 0: expression = "twice(\(operand()))"
        case 1: expression = "add(\(operand()), \(operand()))"
        case 2: expression = "{a: \(operand()), b: \(operand())}.\(random.int(0...1) == 0 ? "a" : "b")"
        case 3: expression = "sum([\(operand()), \(operand())])"
        case 4:
          expression =
            "if \(random.int(0...1) == 0 ? "true" : "false") { \(operand()) } else { \(operand()) }"
        case 5: expression = "ratio(\(operand()), \(operand()))"
        default: break
        }
        lines.append("\(random.int(0...4) == 0 ? "var" : "let") v\(index) = \(expression)")
      }
      let text =
        "fn twice(v) { v * 2 }\nfn add(a, b) {\n  let s = a + b\n  s\n}\n" + lines.joined(separator: "\n")
        + "\n"
      let checked = checkFailure(text)
      var ran: PQError?
      do { _ = try Interpreter().evaluate(text) } catch { ran = error }
      if let checked {
        checkedErrors += 1
        // No false error: running fails too. Where running fails at a place check reported,
        // check said what running says. (Check reports in order of position, running stops at
        // the first error it executes: one in a function's body may come first in the file and
        // last in time.)
        let all = [checked] + checked.followUps
        #expect(ran != nil, "round \(round): \(text)check: \(checked.message)\nrun: no error")
        if let ran, all.contains(where: { $0.span == ran.span }) {
          #expect(
            all.contains { $0.span == ran.span && $0.message == ran.message },
            "round \(round): \(text)check: \(all.map(\.message))\nrun: \(ran.message)")
        }
      }
      if ran == nil { #expect(checked == nil, "round \(round): \(text)") }
    }
    #expect(checkedErrors > 20)
  }
}
