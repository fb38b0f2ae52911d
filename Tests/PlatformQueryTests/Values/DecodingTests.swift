import PQTestSupport
import Testing

@testable import PlatformQuery

/// `Value.decode(as:numbers:)`: pq values into Swift types all the way down, with the figures'
/// provenance kept where a property asks for a `Value`, and errors that say where.
@Suite struct DecodingTests {
  struct Row: Decodable {
    let name: String
    let mau: Double?
    let news_share: Double?
    let revenue: Value?
  }

  @Test func platformsIntoStructs() throws {
    let pq = makeInterpreter().0
    let rows = try pq.evaluate("platforms").decode(as: [Row].self)
    let x = try #require(rows.first { $0.name == "X" })
    #expect(x.mau == 70_400_000)
    #expect(x.news_share == 59)
    #expect(x.revenue?.figures.first?.publisher == x.revenue?.provenance?.figures.first?.publisher)
    #expect(x.revenue?.figures.isEmpty == false)
    #expect(x.revenue?.caveatTexts == (try pq.evaluate("x.revenue")).caveatTexts)
    let stored = try pq.evaluate("platforms").decode(as: [Row].self, numbers: .stored)
    #expect(stored.first { $0.name == "X" }?.news_share == 0.59)
    let missing = try #require(rows.first { $0.mau == nil })
    #expect(!missing.name.isEmpty)
  }

  struct Outer: Decodable {
    struct Inner: Decodable { let b: Int }
    let a: Inner
    let tags: [String]
    let counts: [String: Int8]
  }

  @Test func nestedValuesAndTheirErrors() throws {
    let pq = makeInterpreter().0
    let good = try pq.evaluate("[{a: {b: 3}, tags: [\"x\"], counts: {p: 1, q: 2}}]").decode(as: [Outer].self)
    #expect(good[0].a.b == 3 && good[0].tags == ["x"] && good[0].counts == ["p": 1, "q": 2])
    let cases: [(String, String)] = [
      (
        "[{a: {b: 2.5}, tags: [], counts: {}}]",
        "cannot decode [0].a.b (2.5) as Int: not a whole number in its range"
      ),
      ("[{a: {b: \"2\"}, tags: [], counts: {}}]", "cannot decode [0].a.b (a string) as a whole number"),
      ("[{a: {c: 1}, tags: [], counts: {}}]", "cannot decode [0].a.b: the record has no field 'b'"),
      ("[{a: {b: 1}, tags: [1], counts: {}}]", "cannot decode [0].tags[0] (1) as text"),
      (
        "[{a: {b: 1}, tags: [], counts: {p: 300}}]",
        "cannot decode [0].counts.p (300) as Int8: not a whole number in its range"
      ),
      ("{a: 1}", "cannot decode the value (a record) as a list"),
    ]
    for (source, message) in cases {
      do {
        _ = try pq.evaluate(source).decode(as: [Outer].self)
        Issue.record("decoded \(source)")
      } catch {
        #expect(error.message == message, "\(source)")
      }
    }
  }

  @Test func scalars() throws {
    #expect(try Value(3).decode(as: Int.self) == 3)
    #expect(try Value(0.25).decode(as: Float.self) == 0.25)
    #expect(try Value("a").decode(as: String.self) == "a")
    #expect(try Value.nil.decode(as: Int?.self) == nil)
    #expect(try Value([true, false]).decode(as: [Bool].self) == [true, false])
    #expect(throws: PQError.self) { try Value(true).decode(as: Double.self) }
  }
}

/// Swift's `==` on values includes their sources; `hasSameNumber(as:)` is pq's `==`.
@Suite struct ValueEqualityTests {
  @Test func sourcesTakePart() throws {
    let pq = makeInterpreter().0
    let sourced = try pq.evaluate("x.mau")
    let bare = try pq.evaluate("70.4M")
    let unitOnly = try pq.evaluate("as_unit(70.4M, \"users\")")
    #expect(sourced == (try pq.evaluate("x.mau")))
    #expect(sourced != unitOnly)
    #expect(sourced.hasSameNumber(as: unitOnly))
    #expect(!sourced.hasSameNumber(as: bare))
    #expect(try pq.evaluate("[x.mau, 1]") != (try pq.evaluate("[as_unit(70.4M, \"users\"), 1]")))
    #expect(try pq.evaluate("{a: x.mau}") == (try pq.evaluate("{a: x.mau}")))
    #expect(try pq.evaluate("{a: 1, b: 2}") != (try pq.evaluate("{b: 2, a: 1}")))
    #expect(try pq.evaluate("ratio(x.mau, truth.mau)") == (try pq.evaluate("ratio(x.mau, truth.mau)")))
    #expect(
      try pq.evaluate("ratio(x.mau, truth.mau)") != (try pq.evaluate("ratio(x.web_visits, truth.web_visits)"))
    )
  }
}
