import PQTestSupport
import Testing

@testable import PlatformQuery

/// The unit rules, operator by operator, over every kind of operand: plain numbers, counts,
/// money, rates, percentages and points. Each expected outcome is written from the rules in
/// docs/language.md ("Units"), by hand: the unit name `unit()` gives, "bool" for a comparison
/// that works, or "error".
@Suite struct UnitRulesTests {
  /// The operands, by kind.
  static let operands: [String: String] = [
    "plain": "3", "count": "as_unit(10, \"users\")", "money": "$4", "rate": "($4 / as_unit(2, \"users\"))",
    "percent": "20%", "points": "5pp",
  ]

  /// Additive operators and comparisons share one table: the unit of `a + b` / `a - b`, or error.
  /// Rows are the left operand, columns the right, in the order plain, count, money, rate,
  /// percent, points.
  static let kinds = ["plain", "count", "money", "rate", "percent", "points"]
  static let addition: [[String]] = [
    // plain    count     money  rate             percent    points
    ["", "users", "USD", "USD per user", "error", "error"],  // plain
    ["users", "users", "error", "error", "error", "error"],  // count
    ["USD", "error", "USD", "error", "error", "error"],  // money
    ["USD per user", "error", "error", "USD per user", "error", "error"],  // rate
    ["error", "error", "error", "error", "percent", "percent"],  // percent
    ["error", "error", "error", "error", "percent", "pp"],  // points
  ]
  /// Subtraction differs from addition only where percentages meet: percent − percent is points,
  /// points − percent is an error.
  static let subtraction: [[String]] = [
    ["", "users", "USD", "USD per user", "error", "error"],
    ["users", "users", "error", "error", "error", "error"],
    ["USD", "error", "USD", "error", "error", "error"],
    ["USD per user", "error", "error", "USD per user", "error", "error"],
    ["error", "error", "error", "error", "pp", "percent"],
    ["error", "error", "error", "error", "error", "pp"],
  ]
  /// Comparisons need what `+` needs, except that a percentage and points never compare.
  static let comparison: [[String]] = [
    ["bool", "bool", "bool", "bool", "error", "error"],
    ["bool", "bool", "error", "error", "error", "error"],
    ["bool", "error", "bool", "error", "error", "error"],
    ["bool", "error", "error", "bool", "error", "error"],
    ["error", "error", "error", "error", "bool", "error"],
    ["error", "error", "error", "error", "error", "bool"],
  ]
  /// `*`: a plain number keeps the other unit; a percentage times a count is a count; units
  /// multiply otherwise.
  static let multiplication: [[String]] = [
    ["", "users", "USD", "USD per user", "percent", "pp"],
    ["users", "users^2", "USD·user", "USD", "users", "users"],
    ["USD", "USD·user", "USD^2", "USD^2 per user", "USD", "USD"],
    ["USD per user", "USD", "USD^2 per user", "USD^2 per user^2", "USD per user", "USD per user"],
    ["percent", "users", "USD", "USD per user", "percent", "percent"],
    ["pp", "users", "USD", "USD per user", "pp", "pp"],
  ]
  /// `/`: equal units give a plain number; different ones a rate; a share or points divided by
  /// a share or points a plain ratio of two fractions (`2pp / 57%` is not "3.51 pp").
  static let division: [[String]] = [
    ["", "1 per user", "1 per USD", "users per USD", "", ""],
    ["users", "", "users per USD", "users^2 per USD", "users", "users"],
    ["USD", "USD per user", "", "users", "USD", "USD"],
    ["USD per user", "USD per user^2", "1 per user", "", "USD per user", "USD per user"],
    ["percent", "1 per user", "1 per USD", "users per USD", "", ""],
    ["pp", "1 per user", "1 per USD", "users per USD", "", ""],
  ]

  func outcome(_ expression: String, comparison: Bool) -> String {
    do {
      let value = try makeInterpreter().0.evaluate(expression)
      if comparison {
        if case .bool = value { return "bool" }
        return "not a bool: \(value)"
      }
      return value.unit.isNone ? "" : value.unit.description
    } catch {
      return "error"
    }
  }

  @Test(
    arguments: [
      ("+", addition, false), ("-", subtraction, false), ("mod", subtraction, false), ("<", comparison, true),
      (">=", comparison, true), ("==", comparison, true), ("*", multiplication, false),
      ("/", division, false),
    ] as [(String, [[String]], Bool)])
  func table(_ operation: (String, [[String]], Bool)) {
    let (op, expected, isComparison) = operation
    for (row, left) in UnitRulesTests.kinds.enumerated() {
      for (column, right) in UnitRulesTests.kinds.enumerated() {
        var want = expected[row][column]
        // `mod` follows subtraction's units, except percent mod percent, which is percent, and
        // percent mod points, which is an error (a remainder of a share by points means nothing).
        if op == "mod", left == "percent", right == "percent" { want = "percent" }
        if op == "mod", left == "percent", right == "points" { want = "error" }
        let expression = "\(UnitRulesTests.operands[left]!) \(op) \(UnitRulesTests.operands[right]!)"
        #expect(
          outcome(expression, comparison: isComparison) == want, "\(left) \(op) \(right): \(expression)")
      }
    }
  }
}
