import PQTestSupport
import Synchronization
import Testing

@testable import PlatformQuery

#if canImport(Glibc)
  import Glibc
#endif

/// The embedding API: limits at their edges, the sandbox, natives, callbacks, threads.
@Suite struct EmbeddingTests {
  func limited(_ limits: Limits) -> Interpreter {
    makeInterpreter(prelude: false, limits: limits).0
  }

  @Test func stepLimitAtItsEdge() throws {
    let pq = limited(Limits(steps: 100))
    #expect(throws: Never.self) { try pq.evaluate("for i in range(100) {}") }
    let error = try #require(failure("for i in range(101) {}", pq))
    #expect(error.kind == .limit)
    #expect(error.message == "step limit of 100 reached")
    #expect(try pq.evaluate("1 + 1").description == "2")
  }

  /// A loop whose body is one numeric store runs in a loop of its own; it counts a step a round
  /// as the ordinary statement (`[s + i][0]`, never numeric) does, for a local or a global, and
  /// a loop that would run for hours stops.
  @Test func aLoopOfOneNumericStoreCountsItsSteps() throws {
    for store in ["s = (s + i * 7) mod 1000003", "s = [s + i][0]"] {
      for shape in [
        "var s = 0\nfor i in range(ROUNDS) { BODY }",
        "fn f() { var s = 0\nfor i in range(ROUNDS) { BODY }\ns }\nf()",
      ] {
        let program = shape.replacing("BODY", with: store)
        // The fewest steps that run `rounds` rounds.
        func steps(_ rounds: Int) -> Int? {
          let source = program.replacing("ROUNDS", with: "\(rounds)")
          return (1...10_000).first { failure(source, limited(Limits(steps: $0))) == nil }
        }
        let hundred = try #require(steps(100))
        let more = try #require(steps(101))
        #expect(more - hundred == 1, "\(program): \(hundred), \(more)")
        let endless = failure(program.replacing("ROUNDS", with: "1e12"), limited(Limits(steps: 100_000)))
        #expect(endless?.message == "step limit of 100000 reached", "\(program)")
      }
    }
  }

  @Test func stepLimitStopsAnInfiniteLoop() throws {
    let error = try #require(failure("while true {}", limited(Limits(steps: 10_000))))
    #expect(error.kind == .limit)
  }

  @Test func depthLimitAtItsEdge() throws {
    let pq = limited(Limits(callDepth: 100))
    try pq.evaluate("fn down(n) { if n == 0 { 0 } else { down(n - 1) } }")
    #expect(try pq.evaluate("down(99)").description == "0")
    let error = try #require(failure("down(100)", pq))
    #expect(error.kind == .limit)
    #expect(error.message == "call depth limit of 100 reached in down")
  }

  @Test func defaultDepthLimitNeverOverflowsTheStack() throws {
    let pq = makeInterpreter(prelude: false).0
    try pq.evaluate("fn down(n) { if n == 0 { 0 } else { 1 + down(n - 1) } }")
    #expect(try pq.evaluate("down(9_999)").description == "9999")
    let error = try #require(failure("fn f(n) { f(n + 1) }; f(0)", pq))
    #expect(error.kind == .limit)
    #expect(error.message.hasPrefix("call depth limit of 10000 reached"))
    #expect(error.trace.count == 12)
  }

  @Test func evaluationStackRunsManyEvaluationsAtFullDepth() throws {
    // Inside withEvaluationStack every evaluation runs inline on the one deep thread: the
    // default depth limit still ends in a depth error, never a native stack overflow.
    let outcome: (String, String?, PQError.Kind?) = Interpreter.withEvaluationStack {
      let pq = makeInterpreter(prelude: true).0
      let deep = (try? pq.evaluate("fn down(n) { if n == 0 { 0 } else { 1 + down(n - 1) } }; down(9_999)"))
      let failed = failure("fn f(n) { f(n + 1) }; f(0)", pq)
      return (deep?.description ?? "failed", failed?.message, failed?.kind)
    }
    #expect(outcome.0 == "9999")
    #expect(outcome.1?.hasPrefix("call depth limit of 10000 reached") == true)
    #expect(outcome.2 == .limit)
  }

  @Test func timeLimit() throws {
    let error = try #require(failure("while true {}", limited(Limits(seconds: 0.05))))
    #expect(error.kind == .limit)
    #expect(error.message == "time limit of 0.05 s reached")
  }

  @Test func sizeLimits() throws {
    let pq = limited(Limits(maximumLength: 1000))
    #expect(try pq.evaluate("len(range(1000))").description == "1000")
    #expect(failure("range(1001)", pq)?.kind == .limit)
    #expect(failure("repeat(\"ab\", 501)", pq)?.kind == .limit)
    #expect(
      failure("repeat(\"ab\", 501)", pq)?.message
        == "size limit reached: 1002 bytes is more than the 1000 allowed")
    #expect(
      failure("range(1001)", pq)?.message == "size limit reached: 1001 elements is more than the 1000 allowed"
    )
    #expect(
      failure("repeat(\"ab\", 1e300)", pq)?.message
        == "repeat: argument 2 is too large: 1e300 is beyond ±10^15")
    #expect(
      failure("repeat(\"ab\", 2.5)", pq)?.message == "repeat: argument 2 must be a whole number, not 2.5")
    #expect(
      failure("var s = \"x\"; while true { s = s + s }", pq)?.message.hasPrefix("size limit reached") == true)
    #expect(failure("var xs = [1]; while true { xs += xs }", pq)?.kind == .limit)
    #expect(
      failure("var ys = []; while true { ys += [0] }", pq)?.message
        == "size limit reached: 1001 elements is more than the 1000 allowed")
    // join counts the bytes before it builds anything: 500 pieces of one byte and 499 separators
    // of one byte fit; one more separator byte does not.
    #expect(try pq.evaluate("len(join(map(range(500), fn(i) { \"a\" }), \",\"))").description == "999")
    #expect(
      failure("join(map(range(500), fn(i) { \"a\" }), \",,\")", pq)?.message
        == "size limit reached: 1498 bytes is more than the 1000 allowed")
  }

  @Test func cancellationFromAnotherThread() throws {
    let pq = limited(Limits())
    let flag = pq.cancellation
    let canceller = Thread.start {
      usleep(50_000)
      flag.cancel()
    }
    defer { canceller.join() }
    let error = try #require(failure("while true {}", pq))
    #expect(error.kind == .limit)
    #expect(error.message == "interrupted")
    #expect(try pq.evaluate("2 * 21").description == "42")
  }

  @Test func filesAreDeniedByDefault() throws {
    let pq = makeInterpreter().0
    for script in [
      "load(\"/etc/passwd\")", "save(1, \"/tmp/pq-denied.json\")", "import \"/tmp/pq_denied.pq\"",
      "env(\"HOME\")",
    ] {
      let error = try #require(failure(script, pq), "\(script) was allowed")
      #expect(error.message.contains("not permitted"), "\(script): \(error.message)")
    }
  }

  @Test func filesAllowedInGrantedFolders() throws {
    let folder = "/tmp/pq-sandbox-\(getpid())"
    mkdir(folder, 0o755)
    let pq = makeInterpreter(files: .folders([folder])).0
    try pq.evaluate("save({a: 1, b: [1, 2]}, \"\(folder)/data.json\")")
    #expect(try pq.evaluate("load(\"\(folder)/data.json\")").description == "{a: 1, b: [1, 2]}")
    #expect(failure("load(\"/etc/passwd\")", pq)?.message.contains("outside the allowed folders") == true)
    #expect(
      failure("load(\"\(folder)/../../etc/passwd\")", pq)?.message.contains("outside the allowed folders")
        == true)
    // Files are not the environment: a host that grants folders (or every file) has not
    // granted `env`.
    for access in [Interpreter.Options.FileAccess.folders([folder]), .all] {
      let error = try #require(failure("env(\"PATH\")", makeInterpreter(files: access).0))
      #expect(error.message == "env: not permitted: this interpreter may read no environment variables")
    }
  }

  @Test func theEnvironmentIsAGrantOfItsOwn() throws {
    func interpreter(_ access: Interpreter.Options.EnvironmentAccess) -> Interpreter {
      var options = Interpreter.Options()
      options.environment = access
      return Interpreter(options: options)
    }
    let all = interpreter(.all)
    #expect(try all.evaluate("env(\"NO_SUCH_VARIABLE_PQ\")").isNil)
    #expect(try all.evaluate("env(\"PATH\")").stringValue == String(cString: getenv("PATH")))
    let some = interpreter(.names(["PATH"]))
    #expect(try some.evaluate("env(\"PATH\")").stringValue == String(cString: getenv("PATH")))
    #expect(failure("env(\"HOME\")", some)?.message.contains("'HOME' is not one of") == true)
    let given = interpreter(.values(["REGION": "eu"]))
    #expect(try given.evaluate("env(\"REGION\")").stringValue == "eu")
    #expect(try given.evaluate("env(\"PATH\")").isNil)
  }

  @Test func nativeFunctionThrowing() throws {
    struct Broken: Error, CustomStringConvertible {
      var description: String { "the host broke" }
    }
    let pq = makeInterpreter().0
    try pq.register("boom", arity: 0, doc: "Always fails.") { _ in throw Broken() }
    let error = try #require(failure("1 + boom()", pq))
    #expect(error.message == "boom: the host broke")
    #expect(error.location?.column == 5)
    #expect(pq.help("boom") == "boom()\n  Always fails.")
    #expect(failure("boom(1)", pq)?.message == "boom takes 0 arguments, but 1 was given")
  }

  @Test func scriptCallsSwiftCallsPQ() throws {
    let pq = makeInterpreter().0
    try pq.registerWithContext("twice", arity: 2, doc: "Calls f(f(v)).") { call in
      let once = try call.call(call.arguments[0], [call.arguments[1]])
      return try call.call(call.arguments[0], [once])
    }
    #expect(try pq.evaluate("twice(fn(v) { v * 3 }, 2)").description == "18")
    #expect(try pq.evaluate("twice(fn(v) { twice(fn(w) { w + 1 }, v) }, 0)").description == "4")
  }

  @Test func globalsAndConversions() throws {
    let pq = makeInterpreter().0
    pq.setGlobal("factor", 3)
    #expect(try pq.evaluate("factor * 2") == Value(6))
    pq.setGlobal("factor", 4)
    #expect(try pq.evaluate("factor * 2") == 8)
    #expect(pq["x"]?.dictionaryValue?["name"] == "X")
    let value: Value = ["a", 1, true, nil]
    #expect(value.description == "[\"a\", 1, true, nil]")
    #expect(Value(["k": 1]).description == "{k: 1}")
    #expect(Value(5, unit: "USD per user")?.description == "$5 per user")
    #expect(Value(5, unit: "parsecs") != nil)
  }

  @Test func outputGoesWhereTheHostSays() throws {
    let (pq, output) = makeInterpreter()
    try pq.evaluate("print(\"a\", 1); print(x.mau)")
    #expect(output.contents == "a 1\n70.4M users\n")
  }

  @Test func datasetChoices() throws {
    let none = makeInterpreter(dataset: .none).0
    #expect(try none.evaluate("len(platforms)") == 0)
    #expect(failure("x", none)?.message == "'x' is not defined")
    let json = """
      {"platforms": [{"name": "Example", "label": "ex", "figures": {"mau": {"value": 5000000, "unit": "users",
        "publisher": "Own count", "period": "2024"}}}]}
      """
    let custom = makeInterpreter(dataset: .custom(try Dataset.platforms(fromJSON: json))).0
    #expect(try custom.evaluate("platforms[0].mau").description == "5M users")
    #expect(try custom.evaluate("source(platforms[0].mau)[0].publisher") == "Own count")
    #expect(throws: PQError.self) {
      try Dataset.platforms(fromJSON: "{\"platforms\": [{\"name\": \"A\", \"figures\": {\"maus\": {}}}]}")
    }
  }

  @Test func labelsOfHostDataAreProtectedGlobals() throws {
    let json = """
      {"platforms": [
        {"name": "Chirp", "label": "chirp", "figures": {"mau": {"value": 5000000, "unit": "users", "publisher": "Own count", "period": "2024"}}},
        {"name": "Unlabelled", "figures": {}}]}
      """
    let pq = makeInterpreter(dataset: try .json(json)).0
    #expect(try pq.evaluate("chirp.name") == "Chirp")
    #expect(try pq.evaluate("len(platforms)") == 2)
    #expect(failure("let chirp = 1", pq) != nil)
    #expect(failure("x", pq)?.message == "'x' is not defined")
    for (label, problem) in [
      ("ratio", "is the name of a built-in"), ("if", "is not a name"), ("2x", "is not a name"),
    ] {
      let bad = "{\"platforms\": [{\"name\": \"A\", \"label\": \"\(label)\", \"figures\": {}}]}"
      do {
        _ = try Interpreter.Options.DataChoice.json(bad)
        Issue.record("accepted the label \(label)")
      } catch {
        #expect(error.message.contains(problem), "\(error.message)")
      }
    }
    let twice = "{\"platforms\": [{\"name\": \"A\", \"label\": \"a\"}, {\"name\": \"B\", \"label\": \"a\"}]}"
    #expect(throws: PQError.self) { try Interpreter.Options.DataChoice.json(twice) }
  }

  @Test func parallelInterpretersShareNothing() async throws {
    let results = try await withThrowingTaskGroup(of: String.self) { group in
      for index in 0..<16 {
        group.addTask {
          let pq = Interpreter()
          try pq.evaluate("var total = 0")
          try pq.evaluate("for i in range(\(index * 1000)) { total += 1 }")
          try pq.evaluate("fn fib(n) { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }")
          let value = try pq.evaluate("[total, fib(15), ratio(x.mau, truth.mau)]")
          // Shared figures and shapes: their caveat and field-position caches fill from many
          // threads at once.
          let shared = try pq.evaluate("[compare(x, truth).caveats, explain(x.revenue / truth.revenue)]")
          return value.description + " " + shared.description
        }
      }
      var all: [String] = []
      for try await result in group { all.append(result) }
      return all.sorted()
    }
    let shared = try await Interpreter().evaluate(
      "[compare(x, truth).caveats, explain(x.revenue / truth.revenue)]")
    #expect(shared.description.contains("definitions differ"))
    let expected = (0..<16).map { "[\($0 * 1000), 610, 101] \(shared.description)" }.sorted()
    #expect(results == expected)
  }

  @Test func checkReportsWithoutRunning() throws {
    let (pq, output) = makeInterpreter()
    try pq.check("print(1)")
    #expect(output.contents == "")
    #expect(throws: PQError.self) { try pq.check("print(undefined_name)") }
  }
}

/// `compile` once, `evaluate` many times.
@Suite struct CompiledProgramTests {
  @Test func evaluatesWithTheCurrentGlobals() throws {
    let pq = Interpreter()
    pq.setGlobal("k", .number(2))
    let program = try pq.compile("{ let doubled = x.mau * k; doubled }")
    #expect(try program.evaluate().description == "141M users")
    pq.setGlobal("k", .number(3))
    #expect(try program.evaluate().description == "211M users")
    #expect(program.names == ["x", "k"])
  }

  @Test func errorsAtCompileTime() {
    let pq = Interpreter()
    #expect(throws: PQError.self) { try pq.compile("ratio(x.mau,") }
    do {
      _ = try pq.compile("rati(x.mau, truth.mau)")
      Issue.record("compiled a formula with an unknown name")
    } catch {
      #expect(error.message == "'rati' is not defined")
    }
    do {
      _ = try pq.compile("let a = 1\na")
      Issue.record("compiled a formula that defines a global")
    } catch {
      #expect(error.message == "a compiled formula cannot define global names")
      #expect(error.location?.line == 1)
    }
    // Nothing was defined by the failures.
    #expect(pq["a"] == nil)
  }

  @Test func limitsAndRemovalsHold() throws {
    var options = Interpreter.Options()
    options.limits = Limits(steps: 10_000)
    let pq = Interpreter(options: options)
    let endless = try pq.compile("{ var i = 0; while true { i += 1 } }")
    do {
      _ = try endless.evaluate()
      Issue.record("an endless loop ended")
    } catch {
      #expect(error.limitReason == .steps)
    }
    pq.setGlobal("rate", .number(2))
    let program = try pq.compile("rate * 3")
    #expect(try program.evaluate().description == "6")
    #expect(pq.removeGlobal("rate"))
    #expect(throws: PQError.self) { try program.evaluate() }
  }
}
