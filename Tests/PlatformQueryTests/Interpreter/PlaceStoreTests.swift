import PQTestSupport
import Testing

@testable import PlatformQuery

/// `xs[i] = v`, `r.k op= v` and `rows[i].k op= v` on a local's or a global's value store a
/// number or a constant where the place lies (`PlaceStoreNode`) and hand everything else to the
/// ordinary path assignment. These tests hold the two to the same answers — the container after
/// the store and a copy another variable kept, or the error — over every
/// kind of old value, new value, index and operator, by doing the same store through a path the
/// store node never takes (`w.xs[i]`, `w.r.k`: a path through a record field first).
@Suite struct PlaceStoreTests {
  static let olds = ["2.5", "-7", "1e308", "20%", "\"a\"", "nil", "[1]", "{k: 1}"]
  static let news = ["3", "0", "0.2", "-1e308", "$4", "\"b\"", "nil", "x.mau"]
  static let operators = ["=", "+=", "-=", "*=", "/="]
  /// The stored expression: the new value, arithmetic over it, or a constant of its own.
  static let values = ["v", "v * 2", "true", "nil", "3"]

  /// The value's display, or the error's message and notes.
  static func outcome(_ source: String, _ interpreter: Interpreter) -> String {
    do {
      return "value " + (try interpreter.evaluate(source).description)
    } catch {
      return "error " + error.message + " " + error.notes.joined(separator: "; ")
    }
  }

  /// Each place, spelled in place and through a record field (`w.`), with its container made
  /// from `old`, and the name of what to show afterwards.
  static let places: [(place: String, container: String, shown: String)] = [
    ("xs[i]", "var xs = [0, old]", "xs"),
    ("r.k", "var r = {j: 0, k: old}", "r"),
    ("r.m", "var r = {k: old}", "r"),
    ("rows[i].k", "var rows = [{k: 0}, {j: 1, k: old}]", "rows"),
    ("m[i][1]", "var m = [[0, 1], [2, old], 3]", "m"),
  ]

  /// Every (place, stored expression) pair, numbered: the functions of the test below.
  static let cases = places.flatMap { place in values.map { (place, $0) } }

  @Test(arguments: operators)
  func storesAnswerAsTheOrdinaryPath(op: String) throws {
    let (pq, _) = makeInterpreter()
    var functions: [String] = []
    for (number, ((place, container, shown), value)) in Self.cases.enumerated() {
      let wrapped = "var w = {\(shown): " + container.dropFirst("var \(shown) = ".count) + "}"
      functions.append(
        """
        fn local_\(number)(old, v, i) { \(container)\nlet keep = \(shown)\n\(place) \(op) \(value)
          [\(shown), keep] }
        fn ordinary_\(number)(old, v, i) { \(wrapped)\nlet keep = w.\(shown)\nw.\(place) \(op) \(value)
          [w.\(shown), keep] }
        """)
    }
    _ = try pq.evaluate(functions.joined(separator: "\n"))
    var checked = 0
    for (number, ((place, container, shown), value)) in Self.cases.enumerated() {
      for old in Self.olds {
        for new in Self.news {
          for index in ["1", "0", "2", "1.5", "-1"] where place.contains("[i]") || index == "1" {
            let arguments = "(\(old), \(new), \(index))"
            let expected = Self.outcome("ordinary_\(number)\(arguments)", pq)
            let what = "\(place) \(op) \(value) with old \(old), v = \(new), i = \(index)"
            #expect(Self.outcome("local_\(number)\(arguments)", pq) == expected, "\(what)")
            // The same store on globals.
            _ = try pq.evaluate(
              "var old = \(old)\nvar v = \(new)\nvar i = \(index)\nvar g_" + container.dropFirst(4))
            let global = Self.outcome(
              "let keep = g_\(shown)\ng_\(place) \(op) \(value)\n[g_\(shown), keep]", pq)
            #expect(global == expected, "global \(what)")
            checked += 1
          }
        }
      }
    }
    #expect(checked == 3 * 5 * 8 * 8 * 5 + 2 * 5 * 8 * 8)
  }

  /// The store node is taken for these shapes (else the test above compares the ordinary path
  /// with itself), and not for a store whose value has no numeric form.
  @Test func storesOfNumbersAndConstantsArePlaceStores() throws {
    let stores = try NumericPathTests.statements(
      of: PlaceStoreNode.self,
      in: """
        fn f(xs, r, v, i) { var ys = xs\nvar q = r\nys[i] = v * 2\nq.k -= v\nys[i].k += 1\nys[0] = false\nys[1] = nil
        ys[i][1] *= v\nys[i] = "text"\nys[i] = [v] }
        """)
    // Found from the last statement back.
    #expect(stores.count == 6)
    #expect(stores.map(\.form) == [.indexIndex, .index, .index, .indexField, .field, .index])
    #expect(stores.map(\.truth) == [-1, 2, 0, -1, -1, -1])
  }

  /// A store into a list another variable holds copies it once, counted as the general walk
  /// counts it, and leaves the other variable's list alone; a list only one variable holds is
  /// never copied.
  @Test func sharedListsAreCopiedOnceAndCounted() throws {
    let (pq, _) = makeInterpreter()
    _ = try pq.evaluate("var xs = [1, 2, 3]\nvar rows = [{k: 1}]")
    let before = pq.runtime.copies
    _ = try pq.evaluate("for i in range(1000) { xs[1] = i\nrows[0].k += 1 }")
    #expect(pq.runtime.copies == before)
    _ = try pq.evaluate("let keep = xs\nlet kept = rows")
    _ = try pq.evaluate("for i in range(1000) { xs[0] = i\nrows[0].k += 1 }")
    #expect(pq.runtime.copies == before + 3)
    #expect(
      try pq.evaluate("[keep, kept[0].k, xs[0], rows[0].k]").description == "[[1, 999, 3], 1001, 999, 2001]")
  }
}
