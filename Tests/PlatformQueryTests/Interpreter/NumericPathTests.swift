import PQTestSupport
import Testing

@testable import PlatformQuery

/// Arithmetic over variables is computed on plain `Double`s when it can be (`NumericNode`) and
/// by the ordinary nodes otherwise. These tests hold the two to the same answers: every shape of
/// expression, over every kind of operand, read from locals, globals and captured variables,
/// must give what the ordinary nodes give for the same operands read through an index (which
/// the numeric path never takes) — the same value, or the same error.
@Suite struct NumericPathTests {
  static let operands = [
    "3", "0", "-7", "2.5", "0.1", "1e308", "-1e308", "9007199254740993", "20%", "5pp", "$4", "x.mau",
    "\"a\"", "nil", "true", "[1]",
  ]
  static let shapes = [
    "a + b", "a - b", "a * b", "a / b", "a mod b", "(a + b * 7) mod 1000003", "a - b - 1", "a / 2 + b",
    "a < b", "a <= b", "a > b", "a >= b", "a == b", "a != b", "a * 3 < b + 1", "-a + b",
    // Constant divisors: whole ones are divided as integers (`NumericRemainder.integerDivisor`).
    "(a - b) mod 3", "(a + b) mod -7", "(a * b) mod 0.5", "(a + b) mod 9007199254740993",
  ]

  /// The value's display, or the error's message and notes.
  static func outcome(_ source: String, _ interpreter: Interpreter) -> String {
    do {
      return "value " + (try interpreter.evaluate(source).description)
    } catch {
      return "error " + error.message + " " + error.notes.joined(separator: "; ")
    }
  }

  @Test(arguments: shapes)
  func sameAnswersAsTheOrdinaryNodes(shape: String) throws {
    let (pq, _) = makeInterpreter()
    // The shapes use no other letters a or b.
    let general = shape.map { $0 == "a" || $0 == "b" ? "[\($0)][0]" : String($0) }.joined()
    _ = try pq.evaluate(
      """
      fn local(a, b) { \(shape) }
      fn captured(a, b) { fn() { \(shape) } }
      fn reference(a, b) { \(general) }
      var a = 0
      var b = 0
      """)
    for left in Self.operands {
      for right in Self.operands {
        let expected = Self.outcome("reference(\(left), \(right))", pq)
        #expect(Self.outcome("local(\(left), \(right))", pq) == expected, "\(shape) with \(left), \(right)")
        #expect(
          Self.outcome("captured(\(left), \(right))()", pq) == expected, "\(shape) with \(left), \(right)")
        _ = try pq.evaluate("a = \(left)\nb = \(right)")
        #expect(Self.outcome(shape, pq) == expected, "\(shape) with globals \(left), \(right)")
      }
    }
  }

  /// The numeric path is taken for these shapes (else the test above compares the ordinary nodes
  /// with themselves).
  @Test func arithmeticOverVariablesIsNumeric() throws {
    let node = try Self.resolvedExpression("fn f(a, b) { (a + b * 7) mod 1000003 }")
    #expect(node is NumericRemainder)
    let comparison = try Self.resolvedExpression("fn f(a, b) { a * 3 < b + 1 }")
    #expect(comparison is NumericComparison)
    let mixed = try Self.resolvedExpression("fn f(a, b) { a + get(b, \"k\", 0) }")
    #expect(!(mixed is NumericNode))
    // `len` of a variable is numeric (`NumericLength`).
    let counted = try Self.resolvedExpression("fn f(a, b) { a + len(b) }")
    #expect((counted as? NumericAdd)?.right is NumericLength)
  }

  /// The last expression of the first function's body in `source`, as resolved.
  static func resolvedExpression(_ source: String) throws -> Node {
    let (pq, _) = makeInterpreter()
    _ = try pq.evaluate(source)
    let value = try pq.evaluate("f")
    guard case .function(let function) = value else { throw PQError(.runtime, "not a function") }
    var body = function.code
    while let block = body as? BlockNode, let last = block.statements.last { body = last }
    return body
  }

  /// Errors from the fallback point where the ordinary nodes point: at the operator.
  @Test func errorsPointAtTheOperator() {
    let error = failure("fn f(a, b) { (a + b) / (a - b) }\nf(2, 2)")
    #expect(error?.message.contains("division by zero") == true)
    #expect(error?.location?.line == 1)
    #expect(error?.location?.column == 22)
    let overflow = failure("fn f(a) { a * a * a }\nf(1e200)")
    #expect(overflow?.location?.line == 1)
    #expect(overflow?.location?.column == 13)
  }

  /// The loop over a range with a local variable runs its statements itself; `break`,
  /// `continue` (as statements and inside expressions) and errors behave as in any loop.
  @Test func rangeLoopsKeepTheirControlFlow() throws {
    #expect(
      try show(
        """
        fn f() {
          var s = 0
          for i in range(20) {
            if i == 3 { continue }
            let stop = if i == 9 { break } else { false }
            s = s + i
          }
          s
        }
        f()
        """) == "33")
    #expect(try show("fn f() { var s = 0\nfor i in range(10, 0, -3) { s = s * 10 + i }\ns }\nf()") == "10741")
    #expect(try show("fn f() { var s = 1%\nfor i in range(3) { s = s + 1pp }\ns }\nf()") == "4%")
    let error = failure(
      "fn f() { var s = 0\nfor i in range(5) { s = s + if i == 3 { \"x\" } else { i } }\ns }\nf()")
    #expect(error?.location?.line == 2)
  }

  /// `for x in xs` runs in its frame when no variable is captured; it answers as the loop that
  /// makes an environment for its body (a closure capturing `x`): `continue`, `break`, `break`
  /// inside an expression, `return` from a function, the list changed while it is walked (the
  /// walk is over the list as it was), elements of every kind, a global and a local, and an
  /// error on the same line.
  @Test func listLoopsAnswerAsTheLoopThatCaptures() throws {
    let bodies = [
      "if x == 3 { continue }\ns = s + [x]",
      "let stop = if x == \"b\" { break } else { false }\ns = s + [x]",
      "xs += [x]\ns = s + [len(xs)]",
      "if x == nil { return [\"returned\", s] }\ns = s + [x]",
      "s = s + [x * 2]",
    ]
    let lists = [
      "[1, 2, 3, 4]", "[\"a\", \"b\", \"c\"]", "[]", "[1, nil, 3]", "[x.mau, 2, {a: 1}]", "range(6)",
    ]
    for body in bodies {
      for list in lists {
        func program(_ capture: String, global: Bool) -> String {
          let loop = "var xs = \(list)\nvar s = []\nfor x in xs {\n\(capture)\(body)\n}\n"
          return global
            ? loop + "[s, xs]"
            : "fn f() {\n\(loop)[s, xs]\n}\nf()"
        }
        for global in [false, true] {
          let (fast, _) = makeInterpreter()
          let (captured, _) = makeInterpreter()
          let inFrame = Self.outcome(program("", global: global), fast)
          let withEnvironment = Self.outcome(program("let keep = fn() { x }\n", global: global), captured)
          #expect(inFrame == withEnvironment, "for x in \(list) { \(body) }, global: \(global)")
        }
      }
    }
    let error = failure("fn f() {\nfor x in [1, \"a\"] {\nlet y = x * 2\n}\n}\nf()")
    #expect(error?.location?.line == 3)
  }

  /// A range loop stores numeric expressions directly (`LoopStatement`); it must answer as the
  /// ordinary statements do — the same values, the same errors on the same line — for locals
  /// and globals, whatever the variables held before and whatever they come to hold.
  @Test(arguments: ["3", "2.5", "\"a\"", "nil", "$4", "20%", "x.mau", "0", "1e308"])
  func numericStoresInLoopsAnswerAsOrdinaryStatements(start: String) throws {
    // `[i][0]` is never numeric: the reference runs every statement as an ordinary one.
    // With 4, `t` divides by zero in the fifth round; with 40 the loop finishes, `t` and `u`
    // holding text after the eighth round and numbers again after the ninth.
    func body(_ i: String, _ divisor: String) -> String {
      "s = (s + \(i) * 7) mod 1000003\nt = s / (\(i) - \(divisor))\nif \(i) == 7 { t = \"late\" }\nu = t"
    }
    // A body of one numeric store runs in a loop of its own (`ForRangeNode.runOneStore`).
    // Compound stores (`s += i * 7`) are numeric too (`NumericCompoundNode`).
    func bodies(_ i: String, _ divisor: String) -> [String] {
      // A constant, spelled `[c][0]` (never numeric) in the reference.
      func c(_ n: Int) -> String { i == "i" ? "\(n)" : "[\(n)][0]" }
      return [
        body(i, divisor), "s = (s + \(i) * 7) mod 1000003", "s = s / (\(i) - \(divisor))",
        "s += \(i) * 7\nt -= s / (\(i) - \(divisor))\nu *= \(i) + 2", "s /= \(i) - \(divisor)",
        "s += \(i)\nif \(i) == 5 { s = \"five\" }\nt += s",
        // Stores of element and field reads (`let t = xs[i]`), numbers or not.
        "let e = xs[\(i)]\nlet g = rs[\(i)].k\nt = [t, e, g]\nu = rs[\(i)].k", "s = xs[\(i)] * 2",
        // Stores of one operator over locals and constants, and comparisons, numbers or not.
        "s = s + \(i)", "s = s - \(i)\nt = s mod 3\nif s < 5 { u = u * 2 } else { u = t / s }",
        // Stores of a variable and a constant (`k = k / 2`), and `if` branches of numeric stores
        // (run as a loop body is), numbers or not.
        "s = s + \(c(3))\nif s > \(c(2)) { t = t + \(c(2))\nu = s / \(c(4)) } else { t = s mod \(c(3)) }\n"
          + "if \(i) == 6 { u = \"six\" } else { t = \(c(1)) - t }",
      ]
    }
    // The lists those read: a plain number, a figure, text, nil, a record and a missing field.
    let lists =
      "let xs = [\(start), 1, \"a\", nil, 2.5, 20%, {k: 1}, 7, [8], 9]\n"
      + "let rs = [{k: \(start)}, {k: 1}, {k: \"a\"}, {j: 1, k: nil}, {k: 2.5}, {k: nil}, {k: 20%}, {j: 0, k: 7}, {k: 8}, {k: 9}]\n"
    // Each body in a range loop and in a while loop (whose statements run as `LoopBody` does),
    // in a function (locals) and at the top (globals).
    func programs(_ i: String) -> [String] {
      ["4", "40"].flatMap { divisor in
        bodies(i, divisor).flatMap { body in
          [
            lists
              + "fn f() {\nvar s = \(start)\nvar t = 0\nvar u = 0\nfor i in range(10) {\n\(body)\n}\n[s, t, u] }\nf()",
            lists + "var s = \(start)\nvar t = 0\nvar u = 0\nfor i in range(10) {\n\(body)\n}\n[s, t, u]",
            lists
              + "fn f() {\nvar s = \(start)\nvar t = 0\nvar u = 0\nvar i = 0\nwhile i < 10 {\n\(body)\ni += 1\n}\n[s, t, u] }\nf()",
            lists
              + "var s = \(start)\nvar t = 0\nvar u = 0\nvar i = 0\nwhile i < 10 {\n\(body)\ni += 1\n}\n[s, t, u]",
          ]
        }
      }
    }
    // Numbers compared bit for bit, not as shown.
    func exact(_ value: Value) -> String {
      switch value {
      case .number(let n): return "\(n.bitPattern)"
      case .quantity(let n, _): return "\(n.bitPattern) \(value.description)"
      case .list(let items): return items.map(exact).joined(separator: ", ")
      default: return value.description
      }
    }
    func outcome(_ source: String) -> String {
      do {
        return "value " + exact(try makeInterpreter().0.evaluate(source))
      } catch {
        return "error \(error.message) on line \(error.location?.line ?? 0)"
      }
    }
    for (fast, ordinary) in zip(programs("i"), programs("[i][0]")) {
      #expect(outcome(fast) == outcome(ordinary), "starting from \(start)")
    }
  }

  /// Calls of built-ins with a numeric form (`NumericCall`) give, bit for bit, what the ordinary
  /// call gives — or the same error — over generated numbers: near the whole numbers and halves
  /// where `floor`, `ceil` and `round` decide (within and beyond the 15 significant digits they
  /// round at first), large, tiny, negative, zero and negative zero, and values that are no plain
  /// number.
  @Test(arguments: ["sqrt", "abs", "floor", "ceil", "round"])
  func builtinCallsAnswerAsTheOrdinaryCall(name: String) throws {
    var random = SplitMix(state: 0x5EED_0000 &+ UInt64(name.utf8.count))
    var numbers: [Double] = [
      0, -0.0, 1, -1, 0.5, -0.5, 2.5, -2.5, 1e15, -1e15, 1e15 - 0.5, 4_503_599_627_370_497, 1e-300,
    ]
    let scales = [1.0, 1e3, 1e6, 1e9, 1e12, 1e14]
    let offsets: [Double] = [0, 0.5, -0.5, 1e-15, -1e-15, 1e-13, -1e-13, 1e-9, 0.25, 0.999999999999999]
    for _ in 0..<400 {
      let base = Double(random.int(-2_000_000...2_000_000)) * scales[random.int(0...5)] / 1e6
      let offset = offsets[random.int(0...9)] * (0.5 + Double(random.int(0...1000)) / 1000 * 1.5)
      numbers.append(base.rounded(.towardZero) + offset)
      numbers.append(base.nextUp)
      numbers.append(random.magnitude())
    }
    let (pq, _) = makeInterpreter()
    // Defined apart, with names of one length: an error's place is the same offset in each.
    _ = try pq.evaluate("fn fast(a, b) { \(name)(a) * b }")
    _ = try pq.evaluate("fn slow(a, b) { \(name)([a][0]) * b }")
    func exact(_ source: String) -> String {
      do {
        let value = try pq.evaluate(source)
        if case .number(let n) = value { return "\(n.bitPattern)" }
        return value.description
      } catch {
        return "error \(error.message) \(error.span.map { "\($0.start)" } ?? "")"
      }
    }
    var differed = 0
    for n in numbers {
      // Written as the shortest decimal that reads back as `n`.
      let literal = n == 0 && n.sign == .minus ? "-0" : "\(n)".replacingOccurrences("+", "")
      let expected = exact("slow(\(literal), 1)")
      let fast = exact("fast(\(literal), 1)")
      if fast != expected { differed += 1 }
      #expect(fast == expected, "\(name)(\(literal))")
    }
    #expect(differed == 0)
    for other in ["\"a\"", "nil", "20%", "$4", "x.mau", "[1]"] {
      #expect(exact("fast(\(other), 1)") == exact("slow(\(other), 1)"), "\(name)(\(other))")
    }
    // The fast form is taken (else this compares the ordinary call with itself)…
    guard case .function(let fastFunction) = try pq.evaluate("fast") else {
      Issue.record("fast is not a function")
      return
    }
    var node = fastFunction.code
    while let block = node as? BlockNode, let last = block.statements.last { node = last }
    let multiply = try #require(node as? NumericMultiply)
    let call = try #require(multiply.left as? NumericCall)
    // …and answers itself: the global holds the very built-in it was made for.
    #expect(pq.runtime.globals.holds(call.native, at: call.globalIndex))
    // …and a function of the same name defined since (the command line lets a script redefine
    // a built-in) is called where the ordinary call calls it: by the calls resolved after it.
    var options = Interpreter.Options()
    options.protectsGlobals = false
    let open = Interpreter(options: options)
    _ = try open.evaluate("fn fast(a, b) { \(name)(a) * b }")
    _ = try open.evaluate("fn slow(a, b) { \(name)([a][0]) * b }")
    _ = try open.evaluate("fn \(name)(x) { 42 }")
    _ = try open.evaluate("fn mine(a, b) { \(name)(a) * b }")
    let after = try open.evaluate("[fast(4, 1) == slow(4, 1), mine(4, 1)]").description
    #expect(after == "[true, 42]")
  }

  /// `len` of a variable counted where it lies (`NumericLength`) gives what the ordinary call
  /// gives, or its error, for every kind of value — lists (shared and not), texts ASCII and not
  /// (with `\r\n`, combining marks, flags), records, figures, nil, numbers, functions — held in
  /// a local and in a global, inside arithmetic and comparisons; and a script's own `len`, where
  /// built-ins may be redefined, is called instead.
  @Test func lengthsAnswerAsTheOrdinaryCall() throws {
    let values = [
      "[]", "[1, 2, 3]", "range(1000)", "shared", "\"\"", "\"abc\"", "\"a\\r\\nb\"", "\"e\\u{301}x\"",
      "\"🇫🇷🇩🇪\"", "repeat(\"ab\", 40)", "{a: 1, b: 2}", "x", "x.mau", "nil", "3", "20%", "fn(v) { v }", "true",
    ]
    let (pq, _) = makeInterpreter()
    _ = try pq.evaluate("var shared = [7, 8]")
    _ = try pq.evaluate("fn fast(v) { let w = v\n[len(w), len(w) * 2 - 1, len(w) > 2, 10 - len(w)] }")
    _ = try pq.evaluate(
      "fn slow(v) { let w = v\n[len([w][0]), len([w][0]) * 2 - 1, len([w][0]) > 2, 10 - len([w][0])] }")
    func outcome(_ source: String) -> String {
      do {
        return try pq.evaluate(source).description
      } catch {
        return "error \(error.message)"
      }
    }
    for value in values {
      #expect(outcome("fast(\(value))") == outcome("slow(\(value))"), "len(\(value))")
      _ = try pq.evaluate("var g = \(value)")
      #expect(
        outcome("[len(g), len(g) + 0.5 > 2]") == outcome("[len([g][0]), len([g][0]) + 0.5 > 2]"),
        "global \(value)")
    }
    // The counted form is taken (else this compares the ordinary call with itself).
    let found = try NumericPathTests.statements(
      of: NumericCompoundNode.self, in: "fn f(xs) { var n = 0\nn += len(xs) }")
    #expect(found.count == 1)
    #expect(outcome("fast([1, 2, 3])") == "[3, 5, true, 7]")
    // A script's own `len` is called where the ordinary call would call it: by the calls
    // resolved after it.
    var options = Interpreter.Options()
    options.protectsGlobals = false
    let open = Interpreter(options: options)
    _ = try open.evaluate("fn before(v) { len(v) + 1 }")
    _ = try open.evaluate("fn beforeSlow(v) { len([v][0]) + 1 }")
    _ = try open.evaluate("fn len(v) { 42 }")
    _ = try open.evaluate("fn after(v) { len(v) + 1 }")
    #expect(try open.evaluate("[before([1]) == beforeSlow([1]), after([1])]").description == "[true, 43]")
  }

  /// The statements of type `T` in the blocks of function `f` that `source` defines.
  static func statements<T: Node>(of type: T.Type, in source: String) throws -> [T] {
    let (pq, _) = makeInterpreter()
    _ = try pq.evaluate(source)
    guard case .function(let function) = try pq.evaluate("f") else {
      throw PQError(.runtime, "not a function")
    }
    var found: [T] = []
    var pending: [Node] = [function.code]
    while let node = pending.popLast() {
      if let match = node as? T { found.append(match) }
      if let block = node as? BlockNode { pending += block.statements }
    }
    return found
  }

  /// The loop's plan finds the numeric stores (else the test above compares the ordinary
  /// statements with themselves).
  @Test func rangeLoopsPlanTheirNumericStores() throws {
    let loops = try Self.statements(
      of: ForRangeNode.self, in: "fn f() { var s = 0\nfor i in range(3) { s = s + i * 2\nprint(s) }\ns }")
    let loop = try #require(loops.first)
    #expect(loop.loopBody.storesNumbers)
    guard case .storeLocal = loop.bodyPlan[0], case .general = loop.bodyPlan[1] else {
      Issue.record("plan: \(loop.bodyPlan)")
      return
    }
  }

  /// `xs[i]` and `xs[i] = v` on a variable's list read and change the element where it lies
  /// (`IndexNode.baseSlot`, `PathAssignNode.form`); they answer as the ordinary path does
  /// (reached through `[xs][0]` and a record field, which are never in place) for every kind of
  /// index and container.
  @Test func indexingInPlaceAnswersAsTheOrdinaryPath() throws {
    let containers = ["[1, 2, [3]]", "[false, nil, true]", "\"abc\"", "{a: 1}", "nil", "[]", "x"]
    let indices = ["0", "2", "-1", "1.5", "3", "\"a\"", "nil", "1e308", "20%", "9007199254740993"]
    for container in containers {
      for index in indices {
        let read = Self.outcome("fn f(xs, i) { xs[i] }\nf(\(container), \(index))", makeInterpreter().0)
        let readOrdinary = Self.outcome(
          "fn f(xs, i) { [xs][0][[i][0]] }\nf(\(container), \(index))", makeInterpreter().0)
        #expect(read == readOrdinary, "\(container)[\(index)]")
        let globalRead = Self.outcome("var xs = \(container)\nvar i = \(index)\nxs[i]", makeInterpreter().0)
        #expect(globalRead == readOrdinary, "global \(container)[\(index)]")
        /// The function `f(xs, i)` with `body` and with `ordinary`, called on these arguments in
        /// fresh interpreters, gives the same outcome.
        func expectSame(_ body: String, _ ordinary: String, _ what: String) {
          let call = "\nf(\(container), \(index))"
          let inPlace = Self.outcome("fn f(xs, i) { \(body) }" + call, makeInterpreter().0)
          #expect(
            inPlace == Self.outcome("fn f(xs, i) { \(ordinary) }" + call, makeInterpreter().0), "\(what)")
        }
        // A test of the element's truth (`if xs[i]`), read in place.
        expectSame(
          "if xs[i] { 1 } else { 2 }", "if [xs][0][[i][0]] { 1 } else { 2 }", "if \(container)[\(index)]")
        for op in ["=", "+="] {
          expectSame(
            "var ys = xs\nys[i] \(op) 5\nys", "var w = {ys: xs}\nw.ys[i] \(op) 5\nw.ys",
            "\(container)[\(index)] \(op) 5")
        }
      }
    }
  }

  /// Elements and fields read where they lie (`xs[i]`, `r.k`, `rows[i].k` on a local's or a
  /// global's value) are numeric operands too (`Nodes+NumericAccess.swift`): every shape over
  /// every kind of operand so read gives what the ordinary nodes give reading the same operands
  /// through a list literal — and so does a read that fails (an index out of range or not
  /// whole, a missing field, a container of another kind).
  @Test(arguments: ["a + b", "a * 3 < b + 1", "(a - b) mod 3", "a / b", "a == b", "-a + b"])
  func elementAndFieldReadsAnswerAsTheOrdinaryNodes(shape: String) throws {
    func spelled(_ a: String, _ b: String) -> String {
      shape.map { $0 == "a" ? a : $0 == "b" ? b : String($0) }.joined()
    }
    let (pq, _) = makeInterpreter()
    _ = try pq.evaluate(
      """
      fn reference(a, b) { \(spelled("[a][0]", "[b][0]")) }
      fn elements(a, b) { let xs = [a, b]\nlet i = 1\n\(spelled("xs[0]", "xs[i]")) }
      fn fields(a, b) { let r = {k: a}\nlet rows = [{k: 0}, {k: b}]\nlet i = 1\n\(spelled("r.k", "rows[i].k")) }
      fn nested(a, b) { let m = [[0, a], [b]]\nlet i = 1\n\(spelled("m[0][1]", "m[i][i - 1]")) }
      var gm = []
      var gxs = []
      var gr = {}
      var grows = []
      var gi = 1
      """)
    for left in Self.operands {
      for right in Self.operands {
        let expected = Self.outcome("reference(\(left), \(right))", pq)
        #expect(
          Self.outcome("elements(\(left), \(right))", pq) == expected, "\(shape) with \(left), \(right)")
        #expect(Self.outcome("fields(\(left), \(right))", pq) == expected, "\(shape) with \(left), \(right)")
        #expect(Self.outcome("nested(\(left), \(right))", pq) == expected, "\(shape) with \(left), \(right)")
        _ = try pq.evaluate("gxs = [\(left), \(right)]\ngr = {k: \(left)}\ngrows = [{k: 0}, {k: \(right)}]")
        #expect(Self.outcome(spelled("gxs[0]", "gxs[gi]"), pq) == expected, "\(shape) with globals")
        #expect(Self.outcome(spelled("gr.k", "grows[gi].k"), pq) == expected, "\(shape) with global fields")
        _ = try pq.evaluate("gm = [[0, \(left)], [\(right)]]")
        #expect(Self.outcome(spelled("gm[0][1]", "gm[gi][0]"), pq) == expected, "\(shape) with a global grid")
      }
    }
    // Reads that fail, in place and through the ordinary nodes.
    let failing = [
      ("xs[i]", "[xs][0][[i][0]]"), ("rows[i].k", "[rows][0][[i][0]].k"), ("r.k", "[r][0].k"),
      ("m[i][i]", "[[m][0][[i][0]]][0][[i][0]]"), ("m[0][i]", "[[m][0][0]][0][[i][0]]"),
    ]
    let contexts = [
      "let xs = [1, 2]\nlet rows = [{k: 1}]\nlet r = {j: 1}\nlet m = [[1], [2, 3]]",
      "let xs = \"ab\"\nlet rows = [1]\nlet r = [1]\nlet m = [\"ab\", [1, \"c\"]]",
      "let xs = nil\nlet rows = nil\nlet r = nil\nlet m = nil",
      "let xs = {k: 1}\nlet rows = [{j: 2}]\nlet r = {k: nil}\nlet m = [{k: 1}, [nil, 5%]]",
    ]
    for context in contexts {
      for index in ["5", "1.5", "-1", "0", "\"k\"", "nil"] {
        for (inPlace, ordinary) in failing {
          let read = Self.outcome("fn f(i) { \(context)\n\(inPlace) + 1 }\nf(\(index))", pq)
          let readOrdinary = Self.outcome("fn g(i) { \(context)\n\(ordinary) + 1 }\ng(\(index))", pq)
          #expect(read == readOrdinary, "\(inPlace) + 1 with \(context), i = \(index)")
        }
      }
    }
  }

  /// One read meeting records of several shapes in turn — the field at another position, missing,
  /// not a number — answers each as the ordinary nodes do (its remembered position is the last
  /// shape's, and a record of another shape is read afresh).
  @Test func fieldReadsFollowChangingShapes() throws {
    let (pq, _) = makeInterpreter()
    _ = try pq.evaluate(
      """
      let rows = [{k: 1}, {j: 0, k: 2}, {k: 3}, {k: "a"}, {j: 5, k: 4}, {m: 1}, {k: 5}, 7, {k: 20%}, {k: 6}]
      fn inPlace(i) { let r = rows[i]\nrows[i].k * 2 + r.k }
      fn ordinary(i) { [rows][0][i].k * 2 + [rows[i]][0].k }
      fn field(i) { let r = rows[i]\nr.k }
      fn fieldOrdinary(i) { [rows[i]][0].k }
      var g = nil
      """)
    var outcomes: [String] = []
    for i in 0..<10 {
      let expected = Self.outcome("ordinary(\(i))", pq)
      #expect(Self.outcome("inPlace(\(i))", pq) == expected, "row \(i)")
      // A field read as a value (not a number), from a local and from a global.
      let field = Self.outcome("fieldOrdinary(\(i))", pq)
      #expect(Self.outcome("field(\(i))", pq) == field, "field of row \(i)")
      #expect(Self.outcome("g = rows[\(i)]\ng.k", pq) == field, "field of global row \(i)")
      outcomes.append(expected)
    }
    #expect(outcomes.filter { $0.hasPrefix("value") }.count == 7, "\(outcomes)")
  }

  /// The element and field reads of an arithmetic expression are taken in place, numerically.
  @Test func elementAndFieldReadsAreNumeric() throws {
    let node = try Self.resolvedExpression("fn f(xs, r) { xs[1].x - xs[0].x + r.k * xs[2] + xs[1][2] }")
    #expect(node is NumericNode, "\(type(of: node))")
    let accesses = Self.numericLeaves(node)
    #expect(accesses.contains { $0 is NumericNestedElement })
    #expect(accesses.contains { $0 is NumericElementField })
    #expect(accesses.contains { $0 is NumericField })
    #expect(accesses.contains { $0 is NumericElement })
  }

  static func numericLeaves(_ node: Node) -> [Node] {
    guard let binary = node as? NumericBinary else { return [node] }
    return numericLeaves(binary.left) + numericLeaves(binary.right)
  }

  /// `while` and `if` read a condition that compares numeric operands where they run
  /// (`WhileNode.comparison`, `IfNode.comparison`), and an `if` runs a `then` block's statements
  /// itself (`IfNode.thenPlan`). Over operands that are plain numbers and that are not (text,
  /// nil, figures with units, a platform's figure, lists, truth values), in a function and at
  /// the top, they answer as the condition's own test does (`not not (…)`, which no path reads
  /// in place): the same value, or the same error with the same line and notes.
  @Test func comparisonConditionsAnswerAsTheirOwnTest() throws {
    let values = ["3", "2.5", "0", "-4", "\"a\"", "nil", "$4", "20%", "x.mau", "[1]", "true", "1e308"]
    let conditions = ["a < b", "a == b", "a * 2 >= b", "a mod 2 == 0", "b != a + 1", "a / b > 0.5"]
    func programs(_ a: String, _ b: String, _ condition: String, top: Bool) -> [String] {
      let start = "var a = \(a)\nvar b = \(b)\nvar n = 0\nvar r = \"none\"\n"
      let branches = "{ r = \"then\"\nn += 1 } else { r = \"else\" }\n"
      let bodies = [
        start + "if \(condition) " + branches + "[r, n]",
        start + "while \(condition) {\nn += 1\nif n == 3 { break }\n}\n[r, n]",
        start + "while n < 3 {\nn += 1\nif \(condition) { r = r + \"!\" }\n}\n[r, n]",
      ]
      return bodies.map { top ? $0 : "fn f() {\n\($0)\n}\nf()" }
    }
    func outcome(_ source: String) -> String {
      do {
        return "value " + (try makeInterpreter().0.evaluate(source).description)
      } catch {
        return "error \(error.message) \(error.notes) on line \(error.location?.line ?? 0)"
      }
    }
    var errors = 0
    for (index, a) in values.enumerated() {
      for b in (0..<3).map({ values[(index + $0 * 5) % values.count] }) {
        for condition in conditions {
          for top in [false, true] {
            let read = programs(a, b, condition, top: top)
            let tested = programs(a, b, "not not (\(condition))", top: top)
            for (fast, ordinary) in zip(read, tested) {
              let answer = outcome(fast)
              #expect(answer == outcome(ordinary), "\(fast)")
              if answer.hasPrefix("error") { errors += 1 }
            }
          }
        }
      }
    }
    #expect(errors > 100)
  }

  /// A while loop plans its body too, and `x += e` is a numeric store in it.
  @Test func whileLoopsPlanTheirNumericStores() throws {
    let loops = try Self.statements(
      of: WhileNode.self,
      in: "fn f() { var s = 0\nvar i = 0\nwhile i < 3 { s += i * 2\nprint(s)\ni += 1 }\ns }")
    let plan = try #require(loops.first).loopBody.plan
    guard plan.count == 3, case .storeLocal = plan[0], case .general = plan[1], case .storeLocal = plan[2]
    else {
      Issue.record("plan: \(plan)")
      return
    }
  }
}

/// The tables of powers of ten are written as literals (static data, no first-use check); they
/// must hold what `Arithmetic.power` computes.
@Suite struct ArithmeticTablesTests {
  @Test func literalTablesMatchTheComputedPowers() {
    #expect(Arithmetic.powersOfTen == (0...22).map { Arithmetic.power(10, Double($0)) })
    #expect(NumberFormat.powersOfTen == (0...15).map { Arithmetic.power(10, Double($0)) })
    let bounds = (-23...16).map { k in
      k >= 0 ? Arithmetic.power(10, Double(k)) : 1 / Arithmetic.power(10, Double(-k))
    }
    #expect(Arithmetic.decadeBounds.map(\.bitPattern) == bounds.map(\.bitPattern))
    #expect(Arithmetic.lowestScaleBits == (1e-8 as Double).bitPattern)
    #expect(Arithmetic.scaleBitsSpan == (1e15 as Double).bitPattern - (1e-8 as Double).bitPattern)
  }

  /// `Indexing.wholeIndex` (two additions and the low bits) against the plain definition.
  @Test func wholeIndexAnswersAsThePlainDefinition() {
    var random = SplitMix(state: 0x1D_E0B1)
    var values: [Double] = [
      0, -0.0, 1, 2, 2.5, -1, 0.5, .nan, .infinity, -.infinity, 0x1p52, 0x1p52 - 1, 0x1p53, 1e300, 9, 10, 11,
      (1 as Double).nextUp, (1 as Double).nextDown, 1e-300,
    ]
    for _ in 0..<3000 {
      values += [
        Double(random.int(-5...5000)), Double(random.int(0...5000)) + 0.5, random.magnitude(),
        Double(bitPattern: random.next()),
      ]
    }
    for n in values {
      for count in [0, 1, 10, 4096, Int(1) << 53, Int.max] {
        let plain: Int? = n >= 0 && n < Double(count) && n.rounded(.towardZero) == n ? Int(n) : nil
        #expect(Indexing.wholeIndex(n, count: count) == plain, "\(n) of \(count)")
      }
    }
  }

  /// `isWhole` (two additions) against the plain definition, and `snapped`'s one-comparison
  /// guards against the four comparisons they stand for, on generated and edge values.
  @Test func bitTestsAnswerAsThePlainComparisons() {
    var random = SplitMix(state: 0x0000_5CA1_E0B1)
    var values: [Double] = [
      0, -0.0, 1, -1, 0.5, 1e-8, (1e-8 as Double).nextDown, 1e15, (1e15 as Double).nextDown, 4.5e15,
      (4.5e15 as Double).nextDown, 0x1p52, 0x1p52 + 1, 0x1p53, -0x1p52, .infinity, -.infinity, .nan,
      .leastNonzeroMagnitude, .greatestFiniteMagnitude, 2.5, -2.5, 4_503_599_627_370_495.5,
    ]
    for _ in 0..<2000 {
      let magnitude = random.magnitude()
      values += [
        magnitude, magnitude.rounded(), magnitude.nextUp, Double(random.int(-1_000_000...1_000_000)),
      ]
      values.append(Double(bitPattern: random.next()))
    }
    for x in values {
      #expect(Arithmetic.isWhole(x) == (x.isFinite && x.rounded(.towardZero) == x), "\(x)")
      for scale in [x, abs(x), 1.0, 1e-8, 1e15] {
        let passes = x.isFinite && x != 0 && scale >= 1e-8 && scale < 1e15
        let result = Arithmetic.snapped(x, scale: scale)
        if !passes { #expect(result.bitPattern == x.bitPattern, "snapped(\(x), \(scale))") }
        if passes, scale == abs(x) {
          // At its own scale a number keeps its 15 significant digits.
          #expect(abs(result - x) <= abs(x) * 1e-14, "snapped(\(x), \(scale))")
        }
      }
    }
  }
}

/// `v == nil` and `v != nil` are answered by `NilTestNode`; they must answer as the general
/// equality does (reached with nil read through an index, which the resolver does not see).
@Suite struct NilTestTests {
  @Test func nilTestsAnswerAsGeneralEquality() throws {
    let values = [
      "1", "0", "\"\"", "\"a\"", "[]", "[nil]", "{}", "{a: nil}", "nil", "x.mau", "truth.mau", "5%",
      "true", "false", "fn() { 1 }", "x", "2pp",
    ]
    let (pq, _) = makeInterpreter()
    for value in values {
      for (fast, general) in [
        ("(\(value)) == nil", "(\(value)) == [nil][0]"), ("(\(value)) != nil", "(\(value)) != [nil][0]"),
        ("nil == (\(value))", "[nil][0] == (\(value))"), ("nil != (\(value))", "[nil][0] != (\(value))"),
      ] {
        #expect(try show(fast, pq) == show(general, pq), "\(fast)")
      }
    }
    let node = try NumericPathTests.resolvedExpression("fn f(t) { t.left == nil }")
    #expect(node is NilTestNode)
  }
}

/// `Source.firstInvalidByte` passes eight ASCII bytes at a time; it must find what a byte-by-byte
/// scan finds — the first NUL or invalid UTF-8 byte — wherever it falls in a word.
@Suite struct UTF8ScanTests {
  static func reference(_ bytes: [UInt8]) -> Int? {
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte == 0 || !Source.validSequence(bytes, at: index) { return index }
      index += byte < 0x80 ? 1 : Source.sequenceLength(byte)
    }
    return nil
  }

  @Test func findsWhatAByteScanFinds() {
    var random = SplitMix(state: 40)
    let pieces: [[UInt8]] = [
      Array("a".utf8), Array("é".utf8), Array("€".utf8), Array("😀".utf8), [0], [0x80], [0xC3], [0xE2, 0x82],
      [0xFF], Array("plain ascii text\n".utf8), [0x7F], [0xF4, 0x90, 0x80, 0x80], [0xED, 0xA0, 0x80],
    ]
    for _ in 0..<3000 {
      var bytes: [UInt8] = []
      for _ in 0..<random.int(0...12) {
        let piece = pieces[random.int(0...(random.int(0...3) == 0 ? pieces.count - 1 : 0))]
        for _ in 0..<random.int(1...9) { bytes += piece }
      }
      #expect(Source.firstInvalidByte(bytes) == Self.reference(bytes), "\(bytes)")
    }
  }
}

/// `Literal.parseFull` gives up at once on text that starts with no digit, `.` or `$`: the
/// lexer must read no number from any such text.
@Suite struct LiteralGuardTests {
  @Test func theLexerReadsNoNumberFromOtherStarts() {
    var random = SplitMix(state: 41)
    let starts = [
      "a", "P", "H1 ", "Q", "e", "E", "x", "_", "#", "%", "€", "£", "é", "(", "[", "\"", "'", "pp", "K", "M",
      "B", "T", "—", "nan", "inf", "Infinity", "NaN", "0x",
    ]
    let rest = ["", "1", "2024", ".5", "M", "%", "pp", "e3", "0", "1,000", " ", "$", "K", "-", "1_000"]
    for _ in 0..<4000 {
      var text = starts[random.int(0...(starts.count - 1))]
      for _ in 0..<random.int(0...3) { text += rest[random.int(0...(rest.count - 1))] }
      if let first = text.utf8.first,
        isDigit(first) || first == UInt8(ascii: ".") || first == UInt8(ascii: "$")
      {
        continue
      }
      #expect(Literal.lexed(text, negative: false) == nil, "\(text)")
    }
  }
}

/// A long string of one-byte characters is indexed by byte (`Runtime.isPlainASCII`); any string
/// must give the characters Swift gives, whatever it holds (multi-byte characters, combining
/// marks, "\r\n", which is one character), and the same errors.
@Suite struct StringIndexTests {
  @Test func indexingGivesTheCharacters() throws {
    var random = SplitMix(state: 42)
    let pieces = ["a", "b", " ", "7", "é", "e\u{301}", "\r\n", "\r", "\n", "😀", "\t", "Z"]
    let (pq, _) = makeInterpreter(prelude: false)
    for round in 0..<60 {
      var text = ""
      let plain = round % 2 == 0
      for _ in 0..<random.int(30...90) {
        text +=
          plain
          ? ["a", "b", " ", "7", "Z", "\r", "\n"][random.int(0...6)]
          : pieces[random.int(0...(pieces.count - 1))]
      }
      pq.setGlobal("s", .string(text))
      let characters = Array(text)
      guard
        case .list(let got) = try pq.evaluate("var out = []\nfor i in range(len(s)) { out += [s[i]] }\nout")
      else {
        Issue.record("not a list")
        continue
      }
      #expect(
        got.map(\.description) == characters.map { Value.string(String($0)).description },
        "\(text.debugDescription)")
      #expect(try show("s[-1]", pq) == Value.string(String(characters[characters.count - 1])).description)
      #expect(failure("s[\(characters.count)]", pq)?.message.contains("out of range") == true)
    }
  }
}
