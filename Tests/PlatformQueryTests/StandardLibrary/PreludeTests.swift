import PQTestSupport
import Testing

@testable import PlatformQuery

/// The prelude's names exist from the start; its code runs the first time one of them is used
/// (`Interpreter.loadPrelude`). Whichever way it is first reached, it must answer as if it had
/// run at start, and nothing defined before it must be overwritten.
@Suite struct PreludeTests {
  /// An interpreter as the `pq` command makes it: a user may shadow built-in names.
  func openInterpreter() -> Interpreter {
    var options = Interpreter.Options()
    options.protectsGlobals = false
    return Interpreter(options: options)
  }

  @Test func theNamesReadFromTheTextAreTheNamesItDefines() throws {
    let (bare, _) = makeInterpreter(prelude: false)
    for (name, text) in StandardLibrary.prelude {
      _ = try bare.evaluate(text, name: name)
    }
    let defined = bare.userGlobals.map(\.name)
    #expect(defined.count >= 7)
    #expect(defined.sorted() == StandardLibrary.preludeNames.sorted())
  }

  @Test func itRunsWhenFirstUsedAndNotBefore() throws {
    let pq = makeInterpreter().0
    #expect(!pq.pendingPrelude.isEmpty)
    #expect(try pq.evaluate("1 + 1").description == "2")
    #expect(!pq.pendingPrelude.isEmpty, "a source that uses none of its names does not run it")
    #expect(try pq.evaluate("per_user(x)").description == (try pq.evaluate("x.revenue / x.mau")).description)
    #expect(pq.pendingPrelude.isEmpty)
    // Its functions call each other through the slots made at start.
    #expect(try pq.evaluate("headline(x, truth, \"mau\")").description.hasPrefix("X has 101 times"))
  }

  /// `headline` says no more than it can back: figures in different units are not weighed (a
  /// rate was read as a multiple: "X has $2.87K per user times…"), numbers without sources say
  /// so and show a ratio to three digits as sourced ones do, and a figure missing from a loaded
  /// file is missing from that file, not from the article.
  @Test func headlinesClaimOnlyWhatTheyCanBack() throws {
    let dir = temporaryDirectory()
    try FileSystem.writeAtomically(
      "\(dir)/p.csv", Array("name,mau,suspended_accounts\nX,70.4M,5.3M\nTruth Social,698K,\n".utf8))
    let pq = makeInterpreter(files: .folders([dir])).0
    _ = try pq.run(
      script:
        "var p = x\np.mau = x.revenue\nvar q = x\nq.web_visits = 5000000\nlet mine = load(\"\(dir)/p.csv\")",
      name: "setup.pq")
    #expect(
      try pq.evaluate("headline(p, truth, \"mau\")").description
        == "X's mau ($2B) and Truth Social's (698K users) are in different units (USD and users), so they are not weighed."
    )
    #expect(
      try pq.evaluate("headline(q, truth, \"web_visits\")").description.hasSuffix(
        "are in different units (a plain number and visits), so they are not weighed."))
    #expect(
      try pq.evaluate("headline(mine[0], mine[1], \"mau\")").description
        == "X has 101 times Truth Social's mau (70.4M users vs 698K users; no source given). Not like for like: neither 70.4M users nor 698K users has a source, so nothing can be said about their periods or definitions."
    )
    #expect(
      try pq.evaluate("headline(mine[0], mine[1], \"suspended_accounts\")").description.hasPrefix(
        "p.csv gives no figure for Truth Social's"))
    #expect(
      try pq.evaluate("headline(x, truth, \"suspended_accounts\")").description.hasPrefix(
        "The article gives no figure for Truth Social's"))
    #expect(
      try pq.evaluate("headline(x, truth, \"mau\")").description
        == "X has 101 times Truth Social's monthly active users on the mobile apps (70.4M users vs 698K users; Similarweb, September 2024)."
    )
  }

  @Test func everyWayInSeesTheSameFunctions() throws {
    let expected = try makeInterpreter().0.evaluate("visits_per_user(truth)").description
    // The host reads one before anything ran.
    let host = makeInterpreter().0
    guard case .function = try #require(host["visits_per_user"]) else {
      Issue.record("visits_per_user is not a function before the first evaluation")
      return
    }
    #expect(
      try host.call(try #require(host["visits_per_user"]), [try #require(host["truth"])]).description
        == expected)
    // A compiled formula, a module, and `help`.
    #expect(try makeInterpreter().0.compile("visits_per_user(truth)").evaluate().description == expected)
    let folder = temporaryDirectory()
    try FileSystem.writeAtomically("\(folder)/m.pq", Array("fn v() { visits_per_user(truth) }".utf8))
    let importing = makeInterpreter(files: .folders([folder])).0
    #expect(try importing.evaluate("import \"\(folder)/m.pq\"\nm.v()").description == expected)
    #expect(try makeInterpreter().0.evaluate("help(\"headline\")").description.contains("stdlib/prelude.pq"))
  }

  @Test func whatWasDefinedBeforeItRanIsKept() throws {
    // A user's own `definition` at the prompt stays theirs; the prelude's `headline` keeps
    // calling the prelude's.
    let pq = openInterpreter()
    _ = try pq.evaluate("let definition = 5")
    #expect(try pq.evaluate("headline(x, truth, \"mau\")").description.contains("monthly active users"))
    #expect(try pq.evaluate("definition").description == "5")
    // A host's value set before it ran is not overwritten when it runs.
    let host = makeInterpreter().0
    host.setGlobal("per_user", .number(7))
    #expect(try host.evaluate("per_user").description == "7")
    #expect(try host.evaluate("visits_per_user(x)").description.contains("visits"))
    #expect(try host.evaluate("per_user").description == "7")
    // A name the host removed stays removed.
    let removing = makeInterpreter().0
    removing.removeGlobal("per_visit")
    #expect(throws: PQError.self) { try removing.evaluate("per_visit(x)") }
    _ = try removing.evaluate("per_user(x)")
    #expect(throws: PQError.self) { try removing.evaluate("per_visit(x)") }
  }

  @Test func anInputThatFailsAfterRunningItLeavesItThere() throws {
    let pq = openInterpreter()
    #expect(throws: PQError.self) { try pq.evaluate("let a = per_user(x)\nnot_defined") }
    #expect(try pq.evaluate("per_user(truth)").description.contains("per user"))
    // In a script, a runtime error after the prelude ran.
    let script = makeInterpreter().0
    #expect(throws: PQError.self) { try script.run(script: "per_user(x)\n1 / 0", name: "s.pq") }
    #expect(try script.evaluate("per_visit(x)").description.contains("per visit"))
  }

  @Test func runningItDoesNotResetTheLimitsOfTheEvaluationThatNeedsIt() throws {
    // An import during an evaluation runs the prelude nested in it: the steps counted so far
    // still count.
    let folder = temporaryDirectory()
    try FileSystem.writeAtomically("\(folder)/m.pq", Array("fn v() { per_user(x) }".utf8))
    var limits = Limits()
    limits.steps = 5_000
    let pq = makeInterpreter(files: .folders([folder]), limits: limits).0
    let error = try #require(
      failure(
        "var s = 0\nfor i in range(4_000) { s += 1 }\nimport \"\(folder)/m.pq\"\nfor i in range(4_000) { s += 1 }",
        pq))
    #expect(error.message.contains("step limit"))
  }

  @Test func theTightestLimitsDoNotStopItFromRunning() throws {
    // Its own run counts no step: a formula under a one-step limit that calls it fails on its
    // own steps, and the prelude is there for the next.
    var limits = Limits.untrusted
    limits.steps = 1
    let pq = makeInterpreter(limits: limits).0
    _ = try? pq.evaluate("per_user(x) + per_user(truth)")
    #expect(pq.pendingPrelude.isEmpty)
    pq.setLimits(Limits.untrusted)
    #expect(try pq.evaluate("per_user(x)").description == "$28.4 per user")
  }
}
