import PQTestSupport
import Testing

@testable import PlatformQuery

#if canImport(Glibc)
  import Glibc
#endif

/// Unit names are strict: one word between `per`s. A phrase where a unit goes is refused, with
/// the forms that work, wherever a unit is named: `as_unit`, `figure`, a CSV unit column or
/// header, a JSON figure, and `Value(_:unit:)` in Swift.
@Suite struct UnitNameTests {
  @Test func phrasesAreNotUnits() {
    for name in ["light years", "monthly active users", "users per", "2 users", "users (m)", "USD/user", ""] {
      #expect(Unit.parse(name) == nil, "\(name)")
    }
    for (name, unit) in [
      ("users", Unit.users), ("Visits", .visits), ("USD per user", Unit.usd / .users), ("%", .percent),
      ("percentage points", .points), ("$", .usd), ("subscribers", Unit.base("subscriber")),
      ("usuarios", Unit.base("usuario")), ("page-views", Unit.base("page-view")), ("€", Unit.base("€")),
      ("EUR per user", Unit.base("eur") / .users),
    ] {
      #expect(Unit.parse(name) == unit, "\(name)")
    }
    #expect(Value(1, unit: "light years") == nil)
    #expect(Value(1, unit: "users")?.unitName == "users")
  }

  @Test func refusalsSayWhatAUnitIs() throws {
    for source in ["as_unit(1, \"light years\")", "figure(1, unit: \"monthly active users\")"] {
      let error = failure(source)
      #expect(error?.message.contains("is not a unit") == true, "\(source)")
      #expect(error?.notes.contains(Unit.namingNote) == true, "\(source)")
    }
    let dir = temporaryDirectory()
    try FileSystem.writeAtomically(
      dir + "/u.csv", Array("name,metric,value,unit\nX,mau,5,monthly users\n".utf8))
    try FileSystem.writeAtomically(dir + "/h.csv", Array("name,mau (light years)\nX,5\n".utf8))
    try FileSystem.writeAtomically(dir + "/f.json", Array("[{\"value\": 5, \"unit\": \"light years\"}]".utf8))
    let pq = makeInterpreter(files: .folders([dir])).0
    for file in ["u.csv", "h.csv", "f.json"] {
      do {
        _ = try pq.evaluate("load(\"\(dir)/\(file)\")")
        Issue.record("\(file) loaded")
      } catch {
        #expect(error.message.contains("unknown unit"), "\(file): \(error.message)")
        #expect((error.notes + [error.message]).contains { $0.contains(Unit.namingNote) }, "\(file)")
      }
    }
  }
}
