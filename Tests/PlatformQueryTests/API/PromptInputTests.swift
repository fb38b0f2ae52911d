import PQTestSupport
import Testing

@testable import PlatformQuery

/// `evaluate` as a prompt runs an input: a failed input defines nothing, and `let` may shadow.
@Suite struct PromptInputTests {
  let pq = makeInterpreter().0

  @Test func failedInputDefinesNothing() throws {
    #expect(failure("let doomed = 1 / 0", pq) != nil)
    #expect(failure("doomed", pq)?.message == "'doomed' is not defined")
    try pq.evaluate("var n = 1")
    #expect(failure("n = 5; error(\"stop\")", pq) != nil)
    #expect(try show("n", pq) == "5")
  }

  @Test func letMayShadowAtThePrompt() throws {
    try pq.evaluate("let a = 1")
    try pq.evaluate("let f = fn() { a }")
    try pq.evaluate("let a = 2")
    #expect(try show("[a, f()]", pq) == "[2, 1]")
  }
}
