import PQTestSupport
import Testing

@testable import PlatformQuery

/// Host functions described by their parameters: arity from the names, the names in `help` and
/// in arity errors, arguments read by name, errors pointed at one argument, malformed lists and
/// names refused.
@Suite struct NativeParameterTests {
  func perCapita() throws -> Interpreter {
    let (pq, _) = makeInterpreter()
    try pq.register(
      "per_capita", parameters: ["value", "population", "digits?"], doc: "A value per person.",
      example: "per_capita(x.revenue, 1000)"
    ) { call in
      guard let population = call.argument("population")?.doubleValue else {
        throw call.error(argument: 1, "population must be a number")
      }
      guard population > 0 else {
        throw call.error(argument: 1, "population must be above 0", notes: ["a count of people"])
      }
      let value = call.argument("value")?.doubleValue ?? 0
      #expect(call.argument("digits") == (call.arguments.count > 2 ? call.arguments[2] : nil))
      #expect(call.name == "per_capita")
      return Value(value / population)
    }
    return pq
  }

  @Test func arityAndHelpComeFromTheNames() throws {
    let pq = try perCapita()
    #expect(try pq.evaluate("per_capita(10, 4)").doubleValue == 2.5)
    #expect(try pq.evaluate("per_capita(10, 4, 2)").doubleValue == 2.5)
    let tooFew = failure("per_capita(10)", pq)
    #expect(tooFew?.notes.contains("usage: per_capita(value, population, digits?)") == true)
    let tooMany = failure("per_capita(1, 2, 3, 4)", pq)
    #expect(tooMany?.message.contains("per_capita") == true)
    let help = pq.help("per_capita") ?? ""
    #expect(help.contains("per_capita(value, population, digits?)"))
    #expect(help.contains("A value per person."))
    #expect(help.contains("per_capita(x.revenue, 1000)"))
  }

  @Test func errorsPointAtTheArgument() throws {
    let pq = try perCapita()
    let error = failure("per_capita(x.mau, \"many\")", pq)
    #expect(error?.message == "per_capita: population must be a number")
    #expect(error?.location?.line == 1)
    #expect(error?.location?.column == 19)
    let zero = failure("per_capita(1,\n  0)", pq)
    #expect(zero?.location?.line == 2 && zero?.location?.column == 3)
    #expect(zero?.notes == ["a count of people"])
  }

  @Test func variadicParameters() throws {
    let (pq, _) = makeInterpreter()
    try pq.register("total", parameters: ["first", "...rest"]) { call in
      Value(call.arguments.compactMap(\.doubleValue).reduce(0, +))
    }
    #expect(try pq.evaluate("total(1, 2, 3)").doubleValue == 6)
    #expect(try pq.evaluate("total(1)").doubleValue == 1)
    #expect(failure("total()", pq)?.notes.contains("usage: total(first, ...rest)") == true)
  }

  /// A native reads the caller's globals and calls pq back through the call it is lent, the
  /// only way it reaches the interpreter.
  @Test func theCallReadsGlobalsAndCallsBack() throws {
    let (pq, _) = makeInterpreter()
    try pq.evaluate("let base = 10")
    try pq.register("scaled", parameters: ["f"]) { call in
      let base = call.global("base") ?? .nil
      #expect(call.global("no_such_global") == nil)
      return try call.call(call.argument("f") ?? .nil, [base])
    }
    #expect(try show("scaled(fn(n) { n * 3 })", pq) == "30")
    #expect(try show("scaled(fn(n) { x.mau })", pq) == "70.4M users")
    // An error in the function called back is reported as pq reports any.
    #expect(failure("scaled(fn(n) { x.mau + x.revenue })", pq)?.message == "cannot add users and USD")
  }

  @Test func malformedRegistrationsAreRefused() {
    let (pq, _) = makeInterpreter()
    let cases: [(String, [String], String)] = [
      ("f", ["a?", "b"], "comes after an optional one"),
      ("f", ["...a", "b"], "must be last"),
      ("f", ["a", "a"], "named twice"),
      ("f", ["1x"], "is not a parameter name"),
      ("f", ["if"], "is not a parameter name"),
      ("f", ["...a?"], "both variadic and optional"),
      ("per capita", ["a"], "not a name pq code can call"),
      ("fn", ["a"], "not a name pq code can call"),
      ("ratio", ["a"], "already a built-in"),
    ]
    for (name, parameters, expected) in cases {
      do {
        try pq.register(name, parameters: parameters) { _ in .nil }
        Issue.record("registered \(name)\(parameters)")
      } catch {
        #expect(error.message.contains(expected), "\(name) \(parameters): \(error.message)")
      }
    }
  }

  @Test func nonFiniteResultsAreRefused() throws {
    let (pq, _) = makeInterpreter()
    try pq.register("bad", parameters: []) { _ in Value(Double.nan) }
    #expect(failure("bad()", pq)?.message == "bad returned nan, which is not a number pq can hold")
  }
}
