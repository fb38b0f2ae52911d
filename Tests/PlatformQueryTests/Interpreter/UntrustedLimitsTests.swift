import PQTestSupport
import Synchronization
import Testing

@testable import PlatformQuery

#if canImport(Glibc)
  import Glibc
#endif

/// Limits that hold for formulas typed by strangers. Each test checks that the limit fired and
/// what it reported, never how fast: a loaded machine only makes the runs longer.
@Suite struct UntrustedLimitsTests {
  func interpreter(_ limits: Limits) -> Interpreter {
    var options = Interpreter.Options()
    options.limits = limits
    return Interpreter(options: options)
  }

  func reason(_ pq: Interpreter, _ formula: String) -> PQError.LimitReason? {
    do {
      _ = try pq.evaluate(formula)
      return nil
    } catch {
      #expect(error.kind == .limit || error.limitReason == nil, "\(error)")
      return error.limitReason
    }
  }

  @Test func theDeadlineHoldsInsideLongBuiltins() {
    // Each sum(range(5000000)) is one step of the loop but five million elements of work: the
    // time limit is checked after each, so 200 of them cannot run on past it.
    let pq = interpreter(Limits(seconds: 0.3))
    #expect(reason(pq, "for i in range(200) { sum(range(5000000)) }") == .time)
  }

  @Test func theDeadlineHoldsAfterSlowHostFunctions() throws {
    let pq = interpreter(Limits(seconds: 0.2))
    let calls = Mutex(0)
    try pq.register("slow", arity: 0) { _ in
      calls.withLock { $0 += 1 }
      usleep(300_000)
      return .number(1)
    }
    #expect(reason(pq, "slow() + slow() + slow() + slow()") == .time)
    // Stopped after the call that crossed the deadline, not after all four.
    #expect(calls.withLock { $0 } == 1)
  }

  @Test func cancellationStopsTheRunningEvaluationAndNoOther() throws {
    let pq = interpreter(Limits())
    let started = Atomic<Bool>(false)
    try pq.register("started", arity: 0) { _ in
      started.store(true, ordering: .relaxed)
      return .nil
    }
    let flag = pq.cancellation
    let canceller = Thread.start {
      while !started.load(ordering: .relaxed) { usleep(1_000) }
      usleep(50_000)
      flag.cancel()
    }
    #expect(reason(pq, "started(); while true {}") == .cancelled)
    canceller.join()
    // A cancel() between evaluations is not kept for the next one.
    pq.cancellation.cancel()
    #expect(try pq.evaluate("var n = 0; while n < 100000 { n += 1 }; n").description == "100000")
  }

  @Test func memoryHasABudget() {
    let pq = interpreter(Limits(maximumLength: 100_000, memory: 64 << 20))
    // 500 lists of 99,999 elements each: 800 MB if nothing stopped it.
    #expect(reason(pq, "map(range(500), fn(i) { range(99999) })") == .memory)
    #expect(reason(pq, "var s = \"x\"; while true { s += s }") != nil)
    // A budget is per evaluation: the next one starts from zero.
    #expect((try? pq.evaluate("len(range(99999))").description) == "99999")
  }

  /// Every kind of value made counts against the budget: records, list literals, closures, the
  /// copy a shared list or string makes to grow. Each formula makes far more than 8 MiB and
  /// none is stopped by another limit.
  @Test func everyValueMadeIsCharged() {
    let formulas = [
      "for i in range(200000) { let r = {a: i, b: i, c: i, d: i} }",
      "for i in range(200000) { let l = [i, i, i, i] }",
      "var f = fn() { 1 }; for i in range(200000) { let g = f; f = fn() { g() } }",
      "let s = repeat(\"a\", 100000); for i in range(200) { var t = s; t += \"x\" }",
      "let l = range(100000); for i in range(200) { var t = l; t += [1] }",
      "for i in range(200000) { let r = record([[\"a\", i], [\"b\", i]]) }",
    ]
    for formula in formulas {
      #expect(reason(interpreter(Limits(memory: 8 << 20)), formula) == .memory, "\(formula)")
      // Without a budget each runs to the end.
      #expect(throws: Never.self, "\(formula)") { try interpreter(Limits()).evaluate(formula) }
    }
    // An unshared string or list grows in place, charged only for what it gains.
    let pq = interpreter(Limits(memory: 8 << 20))
    #expect(throws: Never.self) {
      try pq.evaluate("var t = repeat(\"a\", 100000); for i in range(20000) { t += \"xyz\" }")
    }
  }

  /// The ceiling on resident memory measures what is alive: a loop that makes and frees far more
  /// than the ceiling runs; one that keeps it is stopped, with the host's hint.
  @Test func theResidentCeilingMeasuresWhatIsAlive() throws {
    #if os(Linux)
      let resident = try #require(ProcessMemory.resident())
      #expect(resident > 0)
      #expect(try #require(ProcessMemory.available()) > resident)
      var limits = Limits()
      // Room for the strings made and freed, for the other tests running in this process
      // at the same time (the ceiling counts the whole process), and under the address
      // sanitizer for its quarantine of freed memory (256 MB).
      limits.residentMemory = resident + (getenv("ASAN_OPTIONS") != nil ? 1 << 30 : 512 << 20)
      limits.residentMemoryHint = "raise it"
      let pq = interpreter(limits)
      // Strings of 8 MB: made with a few copies and never counted character by character, so
      // the test is quick under the address sanitizer too (1.6 GB made and freed here).
      try pq.evaluate("let eight_kb = repeat(\"abcdefgh\", 1000)")
      #expect(
        try pq.evaluate("var n = 0; for i in range(200) { let s = repeat(eight_kb, 1000); n += 1 }; n")
          .description == "200")
      do {
        _ = try pq.evaluate(
          "var keep = []; for i in range(400) { keep += [repeat(eight_kb, 1000)] }")
        Issue.record("not stopped")
      } catch {
        #expect(error.limitReason == .memory)
        #expect(error.message.contains("the process would hold more than its ceiling"), "\(error.message)")
        #expect(error.notes == ["raise it"])
      }
    #endif
  }

  @Test func everyLimitSaysWhichItIs() {
    #expect(reason(interpreter(Limits(steps: 1000)), "while true {}") == .steps)
    #expect(reason(interpreter(Limits(callDepth: 50)), "fn f(n) { f(n + 1) }; f(0)") == .depth)
    #expect(reason(interpreter(Limits(maximumLength: 10)), "range(11)") == .size)
    #expect(reason(interpreter(.untrusted), "while true {}") != nil)
    #expect(reason(interpreter(.untrusted), "fn f(n) { f(n + 1) }; f(0)") == .depth)
  }

  @Test func aHostFunctionCannotReturnNaN() throws {
    let pq = interpreter(Limits())
    try pq.register("bad", arity: 0) { _ in .number(.nan) }
    do {
      _ = try pq.evaluate("bad() + 1")
      Issue.record("nan got into pq")
    } catch {
      #expect(error.message.hasPrefix("bad returned nan"))
    }
  }
}

/// What a host provides stays as it provided it.
@Suite struct HostGlobalsTests {
  @Test func formulasCannotRedefineBuiltinsOrHostGlobals() throws {
    let pq = Interpreter()
    pq.setGlobal("chirp", .number(7))
    for formula in ["let chirp = 1", "let ratio = 0", "fn x() { 1 }", "var platforms = []"] {
      do {
        _ = try pq.evaluate(formula)
        Issue.record("\(formula) was allowed")
      } catch {
        #expect(
          error.message.hasSuffix("is provided by the host and cannot be redefined"), "\(error.message)")
      }
    }
    #expect(try pq.evaluate("chirp * 6").description == "42")
    #expect(try pq.evaluate("ratio(x.mau, truth.mau)").description == "101")
    pq.setGlobal("chirp", .number(8))
    #expect(try pq.evaluate("chirp").description == "8")
    #expect(pq.removeGlobal("chirp"))
    #expect(throws: PQError.self) { try pq.evaluate("chirp") }
    // A formula's own names are its own to redefine at the prompt.
    _ = try pq.evaluate("let mine = 1")
    #expect(try pq.evaluate("let mine = 2; mine").description == "2")
  }

  @Test func registeringOverABuiltinIsAnErrorUnlessAskedFor() throws {
    let pq = Interpreter()
    #expect(throws: PQError.self) { try pq.register("ratio", arity: 2) { _ in .number(0) } }
    #expect(try pq.evaluate("ratio(4, 2)").description == "2")
    try pq.register("ratio", arity: 2, replacing: true) { _ in .number(0) }
    #expect(try pq.evaluate("ratio(4, 2)").description == "0")
  }

  @Test func hostDataIsNotCalledTheArticle() throws {
    var options = Interpreter.Options()
    options.dataset = .custom([Dataset.platform(name: "Chirp")])
    let pq = Interpreter(options: options)
    do {
      _ = try pq.evaluate("platforms[0].mau * 2")
      Issue.record("nil * 2 worked")
    } catch {
      #expect(error.message.hasPrefix("the dataset gives no figure for Chirp's mau"), "\(error.message)")
    }
  }
}

/// The async front: the caller's task is not blocked, and cancelling it cancels the formula.
@Suite struct AsyncEvaluationTests {
  @Test func evaluatesWithoutBlockingAndFollowsTaskCancellation() async throws {
    let pq = Interpreter()
    let value = try await pq.evaluate("ratio(x.mau, truth.mau)")
    #expect(value.description == "101")
    // The interpreter is not Sendable: a task makes its own (from Sendable options).
    let options = Interpreter.Options()
    let task = Task { () async throws(PQError) -> Value in
      let mine = Interpreter(options: options)
      do throws(PQError) {
        _ = try await mine.evaluate("while true {}")
      } catch {
        // The next evaluation on the same interpreter is not cancelled by it (outside the
        // cancelled task: the flag, not the task, is what must not stick).
        #expect(error.limitReason == .cancelled)
        let flag = mine.cancellation
        #expect(!flag.isCancelled)
        throw error
      }
      return .nil
    }
    try await Task.sleep(for: .milliseconds(50))
    task.cancel()
    do {
      _ = try await task.value
      Issue.record("the endless loop ended without an error")
    } catch let error as PQError {
      #expect(error.limitReason == .cancelled)
    }
  }

  @Test func aTaskCancelledBeforeItsEvaluationStartsStillStopsIt() async {
    let task = Task { () async throws(PQError) -> Value in
      let pq = Interpreter()
      // Cancelled while it waits here, before the evaluation begins.
      try? await Task.sleep(for: .milliseconds(100))
      return try await pq.evaluate("while true {}")
    }
    task.cancel()
    let result = await task.result
    guard case .failure(let error) = result else {
      Issue.record("the loop ended")
      return
    }
    #expect((error as? PQError)?.limitReason == .cancelled)
  }
}

/// A task-local value the tests bind around an async evaluation.
enum RequestContext {
  @TaskLocal static var user = "nobody"
}

/// The async evaluation runs in the caller's task: natives see its task-local values, and the
/// stack is still deep enough for the call-depth limit.
@Suite struct AsyncTaskContextTests {
  @Test func nativesSeeTheCallersTaskLocals() async throws {
    let pq = Interpreter()
    try pq.register("current_user", parameters: []) { _ in Value(RequestContext.user) }
    let seen = try await RequestContext.$user.withValue("ada") {
      try await pq.evaluate("current_user()")
    }
    #expect(seen.stringValue == "ada")
    let outside = try await pq.evaluate("current_user()")
    #expect(outside.stringValue == "nobody")
  }

  @Test func deepRecursionReachesTheDepthLimitNotTheStackEnd() async throws {
    let pq = Interpreter()
    let deep = try await pq.evaluate("fn down(n) { if n == 0 { 0 } else { 1 + down(n - 1) } }\ndown(5000)")
    #expect(deep.description == "5000")
    do {
      _ = try await pq.evaluate("fn forever(n) { 1 + forever(n + 1) }\nforever(0)")
      Issue.record("endless recursion ended")
    } catch {
      #expect(error.limitReason == .depth)
    }
  }

  @Test func concurrentAsyncEvaluationsOnSeparateInterpreters() async throws {
    let results = try await withThrowingTaskGroup(of: String.self) { group in
      for user in ["a", "b", "c", "d"] {
        group.addTask {
          let pq = Interpreter()
          try pq.register("who", parameters: []) { _ in Value(RequestContext.user) }
          return try await RequestContext.$user.withValue(user) {
            try await pq.evaluate("who() + \"-\" + \"\\(ratio(x.mau, truth.mau))\"").stringValue ?? ""
          }
        }
      }
      var all: [String] = []
      for try await result in group { all.append(result) }
      return all.sorted()
    }
    #expect(results == ["a-101", "b-101", "c-101", "d-101"])
  }
}

/// A host's own data keeps everything the host gave.
@Suite struct HostDataTests {
  @Test func extraMetricsAndDetailsAreKept() throws {
    let dau = Figure(
      platform: "Chirp", field: "dau", label: "chirp.dau", value: 1_200_000, unit: .users,
      publisher: "Chirp Inc.",
      period: "2024-10", definition: "daily active users", quote: "", statedAs: "")
    let chirp = Dataset.platform(
      name: "Chirp", details: [("owner", "Us"), ("founded", "2021")], figures: [dau])
    var options = Interpreter.Options()
    options.dataset = .custom([chirp])
    let pq = Interpreter(options: options)
    #expect(try pq.evaluate("platforms[0].founded").description == "2021")
    #expect(try pq.evaluate("platforms[0].owner").description == "Us")
    #expect(try pq.evaluate("platforms[0].dau").description == "1.2M users")
    #expect(try pq.evaluate("source(platforms[0].dau)[0].publisher").description == "Chirp Inc.")
  }
}

/// Native functions that keep provenance and see their call.
@Suite struct NativeProvenanceTests {
  @Test func aNativeKeepsSourcesUnitsAndCaveats() throws {
    let pq = Interpreter()
    try pq.register("per_capita", arity: 2) { args in
      let quotient = try args[0].applying("/", args[1])
      return Value.derived("per_capita", from: args, number: quotient.doubleValue ?? 0, unit: quotient.unit)
    }
    let native = try pq.evaluate("per_capita(x.revenue, x.mau)")
    let builtIn = try pq.evaluate("x.revenue / x.mau")
    #expect(native.description == builtIn.description)  // $28.4 per user
    #expect(native.caveatTexts == builtIn.caveatTexts)
    #expect(!native.caveatTexts.isEmpty)
    #expect(native.figures.map(\.label) == ["x.revenue", "x.mau"])
    #expect(
      try pq.evaluate("explain(per_capita(x.revenue, x.mau))").description.hasPrefix(
        "per_capita(x.revenue, x.mau) = $28.4 per user"))
  }

  @Test func caveatsComeStructured() throws {
    let value = try Interpreter().evaluate("ratio(x.revenue, truth.revenue)")
    let kinds = value.structuredCaveats.map(\.kind)
    #expect(kinds == [.period, .definition, .status])
    #expect(value.structuredCaveats[1].values == ["advertising revenue", "revenue"])
    #expect(value.structuredCaveats.last?.figures.map(\.label) == ["x.revenue"])
    #expect(try Interpreter().evaluate("ratio(x.mau, truth.mau)").structuredCaveats.isEmpty)
  }

  @Test func aLongNativeSeesTheCancellation() throws {
    let pq = Interpreter()
    try pq.registerWithContext("crunch", arity: 0) { call in
      while !call.isCancelled { usleep(1_000) }
      struct Stopped: Error {}
      throw Stopped()
    }
    let flag = pq.cancellation
    let canceller = Thread.start {
      usleep(50_000)
      flag.cancel()
    }
    defer { canceller.join() }
    do {
      _ = try pq.evaluate("crunch()")
      Issue.record("crunch ended by itself")
    } catch {
      #expect(error.limitReason == .cancelled)
    }
  }
}

/// A host's platform JSON may carry metrics and details of its own; keys pq does not know are
/// errors, not silently dropped.
@Suite struct HostJSONTests {
  static func platform(_ body: String) -> String {
    "{\"platforms\": [{\"name\": \"Chirp\", \"label\": \"chirp\", \(body)}]}"
  }

  @Test func ownMetricsAndDetailsAreKept() throws {
    var options = Interpreter.Options()
    options.dataset = try .json(
      Self.platform(
        """
        "details": {"founded": "2021"}, "figures": {"dau": {"value": 1200000, "unit": "users",
        "publisher": "Own count", "period": "2024-10", "definition": "daily active users"}}
        """))
    let pq = Interpreter(options: options)
    #expect(try pq.evaluate("chirp.founded").stringValue == "2021")
    let dau = try pq.evaluate("chirp.dau")
    #expect(dau.description == "1.2M users")
    #expect(dau.figures.first?.definition == "daily active users")
    #expect(dau.figures.first?.publisher == "Own count")
  }

  @Test func unknownKeysAndBadNamesAreErrors() {
    let cases: [(String, String)] = [
      ("\"founded\": \"2021\"", "Chirp: unknown key 'founded'"),
      (
        "\"figures\": {\"dau\": {\"value\": 1, \"unit\": \"users\", \"status\": \"estimated\"}}",
        "Chirp.dau: unknown key 'status'"
      ),
      (
        "\"figures\": {\"daily users\": {\"value\": 1, \"unit\": \"users\"}}",
        "Chirp: 'daily users' cannot be a metric"
      ),
      (
        "\"figures\": {\"dau\": {\"value\": 1, \"unit\": \"daily users\"}}",
        "Chirp.dau needs a numeric \"value\" and a \"unit\""
      ),
      ("\"details\": {\"mau\": \"x\"}", "Chirp: the detail 'mau' is not a field name of its own"),
      ("\"details\": \"2021\"", "Chirp: \"details\" must be an object of texts"),
    ]
    for (body, message) in cases {
      do {
        _ = try Interpreter.Options.DataChoice.json(Self.platform(body))
        Issue.record("accepted \(body)")
      } catch {
        #expect(error.message == message, "\(body)")
      }
    }
  }
}

/// One interpreter, two threads: the second evaluation is refused with an error instead of
/// racing with the first; natives calling back into pq still nest.
@Suite struct OneEvaluationAtATimeTests {
  @Test func aSecondThreadIsRefusedWhileOneEvaluates() async throws {
    // The compiler keeps an Interpreter on one task; a host that gets around it (as here, with
    // an `@unchecked Sendable` box) still gets an error, not a race.
    struct Smuggled: @unchecked Sendable { let pq: Interpreter }
    let smuggled = Smuggled(pq: Interpreter())
    let pq = smuggled.pq
    let started = Atomic<Bool>(false)
    try pq.register("started", parameters: []) { _ in
      started.store(true, ordering: .releasing)
      return .nil
    }
    let long = Task { () async throws(PQError) -> Value in
      try await smuggled.pq.evaluate("started()\nwhile true {}")
    }
    // However busy the machine, the first evaluation is running before the second begins.
    for _ in 0..<12_000 where !started.load(ordering: .acquiring) {
      try await Task.sleep(for: .milliseconds(10))
    }
    let running = started.load(ordering: .acquiring)
    #expect(running)
    do {
      _ = try await pq.evaluate("1 + 1")
      Issue.record("a second evaluation ran beside the first")
    } catch {
      #expect(error.message == "this interpreter is already evaluating on another thread")
    }
    long.cancel()
    _ = await long.result
    #expect(try await pq.evaluate("1 + 1").description == "2")
  }

  @Test func nativesStillCallBack() throws {
    let pq = Interpreter()
    try pq.register("twice", parameters: ["f"]) { call in
      let f = call.argument("f") ?? .nil
      return try call.call(try call.call(f, [Value(1)]), [])
    }
    #expect(try pq.evaluate("twice(fn(n) { fn() { n + 41 } })").description == "42")
  }

  /// Values of any depth are let go without recursion on the host's thread: a result nested
  /// deeper than `Value.deepestResult` is refused (and taken apart on the evaluation's stack),
  /// and an interpreter whose globals hold a 200,000-deep list is freed on this thread (8 MiB).
  @Test func deepValuesNeverReachTheHostsStack() throws {
    do {
      let pq = Interpreter(options: .init())
      do {
        _ = try pq.evaluate("var a = []; for i in range(200000) { a = [a] }; a")
        Issue.record("a 200,000-deep result was handed over")
      } catch {
        #expect(error.limitReason == .depth)
      }
      // The input that failed defined nothing, and the interpreter goes on.
      #expect(try pq.evaluate("len([1])").description == "1")
      // Shown and written without recursion: a placeholder, or a depth error for JSON.
      #expect(
        try pq.evaluate("var d = []; for i in range(20000) { d = [d] }; str(d)").description
          == "<list nested more than 10000 deep>")
      var deep = Value.nil
      for _ in 0..<20_000 { deep = .list([deep]) }
      #expect(throws: PQError.self) { try JSON.encode(deep) }
      Value.dismantle(consume deep)
      _ = try pq.evaluate("var r = {}; for i in range(200000) { r = {next: r} }; 1")
    }
    // Both interpreters above were freed here, with their deep globals.
    let shallow = try Interpreter().evaluate("[[[1]]]")
    #expect(shallow.description == "[[[1]]]")
  }

  /// Equality of values nested 300,000 deep runs on this thread's 8 MiB stack (Swift's `==` and
  /// pq's `==` both use a worklist), and a source longer than the size limit is refused before
  /// it is parsed.
  @Test func deepEqualityAndLongSources() throws {
    var a = Value.nil
    var b = Value.nil
    for _ in 0..<300_000 {
      a = .list([a])
      b = .list([b])
    }
    #expect(a == b)
    #expect(try Arithmetic.equal(a, b))
    #expect(a != .list([.list([.number(1)])]))
    // Freed on a worklist: letting them go by recursion would overflow this thread's stack.
    Value.dismantle(consume a)
    Value.dismantle(consume b)
    var options = Interpreter.Options()
    options.limits = .untrusted
    let pq = Interpreter(options: options)
    let formula = "{" + (0..<100_000).map { "k\($0): \($0)" }.joined(separator: ", ") + "}"
    do {
      _ = try pq.evaluate(formula)
      Issue.record("a 1.4 MB formula was parsed under Limits.untrusted")
    } catch {
      #expect(error.limitReason == .size)
      #expect(error.message.hasPrefix("size limit reached: the source is"))
    }
    #expect(throws: PQError.self) { try pq.compile(formula) }
    #expect(throws: PQError.self) { try pq.check(formula) }
  }

  /// Parsing and resolving run under the deadline: a long source whose deadline passes while it
  /// is read stops with the time limit, not with the syntax error at its end or a value; so do
  /// `compile` and `check`, and a cancellation stops a resolve.
  @Test func parsingAndResolvingAreTimed() throws {
    let limits = UntrustedLimitsTests()
    let (interpreter, reason) = (limits.interpreter, limits.reason)
    let pq = interpreter(Limits(seconds: 1e-6))
    let fields = (0..<20_000).map { "k\($0): \($0)" }.joined(separator: ", ")
    for formula in ["{\(fields)} +", "{\(fields)}.k5"] {
      #expect(reason(pq, formula) == .time, "\(formula.suffix(10))")
      #expect(throws: PQError.self) { try pq.compile(formula) }
      #expect(throws: PQError.self) { try pq.check(formula) }
    }
    // Without a time limit, the same sources parse: a syntax error and a value.
    let unlimited = interpreter(Limits())
    #expect(reason(unlimited, "{\(fields)} +") == nil)
    #expect(try unlimited.evaluate("{\(fields)}.k5").description == "5")
    // The resolver on its own, with a cancelled evaluation.
    let runtime = Runtime(limits: Limits(), cancellation: CancellationFlag())
    runtime.cancellation.begin()
    runtime.cancellation.cancel()
    let tree = try Parser.parse(Source(name: "<t>", text: "[\(fields.replacingColons)]"))
    do {
      _ = try Resolver.resolve(tree, mode: .script, globals: GlobalScope(), interruption: runtime)
      Issue.record("a cancelled resolve finished")
    } catch {
      #expect(error.limitReason == .cancelled)
    }
  }
}

extension String {
  /// `k1: 1, k2: 2` as `k1, 1, k2, 2`: list elements.
  fileprivate var replacingColons: String {
    split(separator: ":").joined(separator: ",")
  }
}
