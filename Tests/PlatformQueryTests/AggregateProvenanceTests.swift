import Testing

@testable import PlatformQuery

/// A computation over many figures (a column of a loaded file, summed) keeps one figure of each
/// kind and counts the rest: linear work, and the same caveats.
@Suite struct AggregateProvenanceTests {
  /// `count` figures of users from Similarweb, their periods cycling through `periods`.
  static func setup(_ count: Int, periods: [String], estimateAt: Int? = nil) -> String {
    let list = periods.map { "\"\($0)\"" }.joined(separator: ", ")
    let status = estimateAt.map { "if i == \($0) { \"estimated\" } else { \"reported\" }" } ?? "\"reported\""
    return """
      var rows = []
      for i in range(\(count)) {
        rows += [figure(i + 1, unit: "users", source: "Similarweb", period: [\(list)][i mod \(periods.count)], definition: "monthly active users", status: \(status))]
      }
      """
  }

  @Test func aSumOfManyFiguresKeepsOneOfEachKind() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(script: Self.setup(300, periods: ["2024-09", "2024-10", "2024-Q3"]), name: "setup")
    let total = try pq.evaluate("sum(rows)")
    let provenance = try #require(total.provenance)
    #expect(total.numericValue == 45_150)
    #expect(provenance.figureCount == 300)
    #expect(provenance.figures.count == 3)
    #expect(provenance.omitted == 297)
    // One caveat for each pair of different periods, none twice.
    #expect(provenance.caveats.count == 3)
    #expect(provenance.caveats.allSatisfy { $0.contains("period") })
    let explained = try show("explain(sum(rows))", pq)
    #expect(explained.contains("… and 297 more figures like those above"))
    #expect(
      explained.hasPrefix("sum(figure(1 user), figure(2 users), figure(3 users), … 300 values in all)"))
  }

  @Test func aRunningTotalGivesTheSameAsSum() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(script: Self.setup(500, periods: ["2024-09", "2024-10"]), name: "setup")
    let loop = try pq.evaluate("var t = 0\nfor r in rows { t += r }\nt")
    let summed = try pq.evaluate("sum(rows)")
    #expect(loop.numericValue == summed.numericValue)
    #expect(loop.provenance?.figureCount == 500)
    #expect(
      Set(loop.caveatTexts.map { Figure.afterLabel($0) })
        == Set(summed.caveatTexts.map { Figure.afterLabel($0) }))
  }

  /// One estimate among hundreds of reported figures is still named.
  @Test func oneEstimateAmongManyIsNamed() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(script: Self.setup(200, periods: ["2024-09"], estimateAt: 150), name: "setup")
    let total = try pq.evaluate("sum(rows)")
    #expect(total.provenance?.figures.count == 2)
    #expect(total.caveatTexts.contains { $0.contains("is an estimate") })
  }

  /// The same kind throughout: the one figure's own caveats, and no "none" from lost pairs.
  @Test func oneKindKeepsItsOwnCaveats() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(
      script: """
        var rows = []
        for i in range(100) { rows += [figure(i, unit: "users", source: "Similarweb", status: "estimated")] }
        """, name: "setup")
    let caveats = try pq.evaluate("sum(rows)").caveatTexts
    #expect(caveats.contains { $0.contains("is an estimate") })
    #expect(caveats.contains { $0.contains("no period is given") })
  }

  /// Beyond the kinds pq keeps, a caveat says that not every difference is named.
  @Test func tooManyKindsIsSaid() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(
      script: """
        var rows = []
        for i in range(300) { rows += [figure(1, unit: "users", source: "S\\(i)", period: "2024")] }
        """, name: "setup")
    let total = try pq.evaluate("sum(rows)")
    #expect(total.numericValue == 300)
    #expect(total.provenance?.figures.count == Provenance.keptKinds)
    #expect(total.provenance?.figureCount == 300)
    #expect(total.caveatTexts.contains { $0.hasPrefix("more than \(Provenance.keptKinds) kinds of figure") })
  }

  /// Few figures are all listed, as before.
  @Test func fewFiguresAreAllListed() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(script: Self.setup(40, periods: ["2024-09"]), name: "setup")
    let total = try pq.evaluate("sum(rows)")
    #expect(total.provenance?.figures.count == 40)
    #expect(total.provenance?.omitted == 0)
  }

  @Test func jsonKeepsTheCountOfFiguresNotListed() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(script: Self.setup(100, periods: ["2024-09", "2024-10"]), name: "setup")
    let total = try pq.evaluate("sum(rows)")
    let text = try JSON.encode(total)
    #expect(text.contains("\"inputs_not_listed\": 98"))
    let back = try DataFile.value(json: text)
    #expect(back.provenance?.figureCount == 100)
    #expect(back.numericValue == total.numericValue)
  }
}
