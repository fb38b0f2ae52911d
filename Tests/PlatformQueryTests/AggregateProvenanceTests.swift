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

  /// Periods that begin on the same day are listed shorter first, in every run: the figures'
  /// positions come from a set, whose order changes from one process to the next, and `2024`
  /// and `H1 2024` used to swap places between runs of the same script.
  @Test(arguments: [90, 91, 150, 300])
  func periodsThatBeginTogetherAreListedInOneOrder(count: Int) throws {
    let (pq, _) = makeInterpreter()
    let periods = ["2024", "2024-10", "H1 2024", "2024-Q3", "2024-09"]
    try pq.run(script: Self.setup(count, periods: periods), name: "setup")
    let caveats = try pq.evaluate("sum(rows)").caveatTexts
    let line = try #require(caveats.first { $0.hasPrefix("periods differ") })
    #expect(line.hasPrefix("periods differ: 5 periods (H1 2024, 2024, 2024-Q3, 2024-09, 2024-10)"), "\(line)")
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

/// Beyond four figures weighed against each other, caveats are summed up by what differs — one
/// line for the periods, one for the sources, one for each kind of missing field, then each
/// figure's own caveats — instead of one line per pair of figures.
@Suite struct CaveatSummaryTests {
  /// `count` figures cycling through `sources` and, independently, `periods` ("" for none).
  static func rows(_ count: Int, sources: [String], periods: [String], definition: Bool = false) -> String {
    let sourceList = sources.map { "\"\($0)\"" }.joined(separator: ", ")
    let periodList = periods.map { "\"\($0)\"" }.joined(separator: ", ")
    let defined = definition ? ", definition: \"monthly active users\"" : ""
    return """
      var rows = []
      for i in range(\(count)) {
        let p = [\(periodList)][floor(i / \(sources.count)) mod \(periods.count)]
        let s = [\(sourceList)][i mod \(sources.count)]
        rows += [if p == "" { figure(i + 1, unit: "users", source: s\(defined)) } else { figure(i + 1, unit: "users", source: s, period: p\(defined)) }]
      }
      """
  }

  @Test func aColumnOfManySourcesAndPeriodsIsSummedUp() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(
      script: Self.rows(
        2000, sources: ["Src3", "Src0", "Src1", "Src4", "Src2"],
        periods: ["2022", "2020", "2024", "2021", "2023"]),
      name: "setup")
    let caveats = try pq.evaluate("sum(rows)").caveatTexts
    #expect(
      caveats == [
        "periods differ: 5 periods (2020, 2021, 2022, 2023, 2024); from the earliest to the latest: periods are 48 months apart (2020 vs 2024)",
        "no definition is given for any of the figures",
        "sources differ: 5 sources (Src0, Src1, Src2, Src3, Src4)",
      ])
    let compared = try show("compare(rows[0], sum(rows))", pq)
    #expect(compared.contains("sources differ: 5 sources (Src0, Src1, Src2, Src3, Src4)"))
    #expect(!compared.contains(" and figure("))
    #expect(compared.contains("2000 figures: 5 sources, 5 periods"))
  }

  /// The distance is from the first period to begin to the last to begin: a later-starting
  /// month beats an earlier year that ends later (2023 vs 2024-10 is 21 months, not 2023 vs
  /// 2024's 12).
  @Test func theDistanceRunsFromTheEarliestToTheLatestStart() throws {
    let (pq, _) = makeInterpreter()
    let caveats = try pq.evaluate(
      """
      sum([figure(1, unit: "users", source: "A", period: "2024"), figure(2, unit: "users", source: "A", period: "2023"),
        figure(3, unit: "users", source: "A", period: "2024-10"), figure(4, unit: "users", source: "A", period: "2024-09"),
        figure(5, unit: "users", source: "A", period: "2024-Q3")])
      """
    ).caveatTexts
    #expect(
      caveats.first
        == "periods differ: 5 periods (2023, 2024, 2024-Q3, 2024-09, 2024-10); from the earliest to the latest: periods are 21 months apart, start to start, and of different lengths (2023 vs 2024-10)"
    )
  }

  @Test func missingPeriodsAndEstimatesAreStillNamed() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(
      script: Self.rows(12, sources: ["A", "B", "C"], periods: ["2024-09", "", "2024-Q3"], definition: true)
        + "\nrows += [figure(5, unit: \"users\", source: \"A\", period: \"2024-09\", definition: \"monthly active users\", status: \"estimated\")]",
      name: "setup")
    let caveats = try pq.evaluate("sum(rows)").caveatTexts
    #expect(caveats.contains { $0.hasPrefix("periods differ: 2 periods (2024-Q3, 2024-09)") })
    #expect(
      caveats.contains { $0.hasPrefix("periods cannot all be compared: no period is given for figure(") })
    #expect(caveats.contains("sources differ: 3 sources (A, B, C)"))
    #expect(caveats.contains { $0.contains("is an estimate") })
    #expect(!caveats.contains { $0.hasPrefix("no definition") })
  }

  /// Whatever differs pair by pair is in the summary: for generated sets of five to nine
  /// figures, each kind of difference `structuredCaveats` finds has its line.
  @Test func theSummaryLeavesNoKindOut() throws {
    var random = SplitMix(state: 16)
    let sources = ["\"A\"", "\"B\"", "nil"]
    let periods = ["\"2024\"", "\"2024-09\"", "\"2023-Q1\"", "nil"]
    let definitions = ["\"monthly active users\"", "\"daily users\"", "nil"]
    let statuses = ["\"reported\"", "\"estimated\""]
    for _ in 0..<40 {
      let (pq, _) = makeInterpreter()
      let count = random.int(5...9)
      var items: [String] = []
      for i in 0..<count {
        var arguments = ["\(i + 1)", "unit: \"users\""]
        let source = sources[random.int(0...2)]
        if source != "nil" { arguments.append("source: \(source)") }
        let period = periods[random.int(0...3)]
        if period != "nil" { arguments.append("period: \(period)") }
        let definition = definitions[random.int(0...2)]
        if definition != "nil" { arguments.append("definition: \(definition)") }
        if source != "nil" { arguments.append("status: \(statuses[random.int(0...1)])") }
        items.append("figure(\(arguments.joined(separator: ", ")))")
      }
      let total = try pq.evaluate("sum([\(items.joined(separator: ", "))])")
      let caveats = total.caveatTexts
      let prefixes: [Caveat.Kind: String] = [
        .periods: "periods differ", .periodNotGiven: "periods cannot all be compared",
        .definitionNotGiven: "no definition is given", .definitions: "definitions differ",
        .noSource: "no source is given", .sources: "sources differ", .status: "is an estimate",
      ]
      for kind in Set(total.structuredCaveats.map(\.kind)) {
        let prefix = try #require(prefixes[kind], "\(kind)")
        #expect(caveats.contains { $0.contains(prefix) }, "\(kind) missing from \(caveats) for \(items)")
      }
    }
  }
}

/// A computed value's provenance is its measure when made for the value's unit: one object,
/// answering exactly as a measure that holds the provenance would.
@Suite struct ProvenanceAsMeasureTests {
  static let expressions = [
    "ratio(x.mau, truth.mau)", "x.mau + truth.mau", "x.mau / truth.mau",
    "diff(x.news_share, truth.news_share)",
    "x.revenue / x.mau", "-x.mau", "round(x.mau)", "share(truth.mau, x.mau + truth.mau)",
    "pct_change(truth.mau, x.mau)", "x.mau * 2", "x.news_share * 100", "ratio(x.mau, 2)",
    "(x.mau + truth.mau) / 2",
    "x.mau - 5", "x.revenue - truth.revenue", "x.web_visits / x.mau * truth.mau",
  ]

  @Test(arguments: expressions)
  func aComputedValueAnswersAsAMeasureHoldingItsProvenance(expression: String) throws {
    let (pq, _) = makeInterpreter()
    let value = try pq.evaluate(expression)
    guard case .quantity(let number, let measure) = value else {
      Issue.record("\(expression) is not a quantity: \(value)")
      return
    }
    let provenance = try #require(measure.provenance)
    if measure.kind == .provenance { #expect(provenance === measure) }
    let held = Value.quantity(number, Measure(unit: measure.unit, provenance: provenance))
    #expect(held.description == value.description)
    #expect(Builtins.explanation(held) == Builtins.explanation(value))
    #expect(held.caveatTexts == value.caveatTexts)
    #expect(held.unit == value.unit)
  }

  /// The results that are most often made — a ratio of figures, a sum of figures — are one object.
  @Test func ratiosAndSumsAreOneObject() throws {
    let (pq, _) = makeInterpreter()
    for expression in ["ratio(x.mau, truth.mau)", "x.mau / truth.mau", "x.mau + truth.mau"] {
      guard case .quantity(_, let measure) = try pq.evaluate(expression) else {
        Issue.record("\(expression) is not a quantity")
        continue
      }
      #expect(measure.kind == .provenance, "\(expression)")
      #expect(measure.provenance === measure, "\(expression)")
    }
  }

  /// `ratio`, `diff`, `share` and `pct_change` of two figures take a shorter path than those of
  /// computed values; it must answer as the general one. A figure wrapped in a plain measure that
  /// holds its provenance takes the general path: both results must show, explain and caveat the
  /// same, with the same figures.
  @Test(arguments: [
    ("ratio", "x.mau", "truth.mau"), ("ratio", "x.revenue", "truth.revenue"), ("ratio", "x.mau", "x.mau"),
    ("ratio", "x.revenue", "x.mau"), ("diff", "x.news_share", "truth.news_share"),
    ("share", "truth.mau", "x.mau"), ("pct_change", "truth.web_visits", "x.web_visits"),
    ("ratio", "x.web_visits", "truth.web_visits"),
  ])
  func twoFiguresAnswerAsTheGeneralPath(function: String, first: String, second: String) throws {
    let (pq, _) = makeInterpreter()
    func wrapped(_ value: Value) -> Value {
      guard case .quantity(let number, let measure) = value else { return value }
      return .quantity(number, Measure(unit: measure.unit, provenance: measure.provenance))
    }
    let a = try pq.evaluate(first)
    let b = try pq.evaluate(second)
    let fast = try pq.evaluate("\(function)(\(first), \(second))")
    pq.setGlobal("wrapped_a", wrapped(a))
    pq.setGlobal("wrapped_b", wrapped(b))
    let general = try pq.evaluate("\(function)(wrapped_a, wrapped_b)")
    guard case .quantity(_, let measure) = general else {
      Issue.record("\(function) gave \(general)")
      return
    }
    #expect(measure.asFigure == nil && measure.provenance?.figureList.count ?? 0 > 0)
    #expect(fast.description == general.description)
    #expect(Builtins.explanation(fast) == Builtins.explanation(general))
    #expect(fast.caveatTexts == general.caveatTexts)
    #expect(fast.unit == general.unit)
    #expect(fast.figures.map(ObjectIdentifier.init) == general.figures.map(ObjectIdentifier.init))
    #expect(fast.provenance?.expression == "\(function)(\(first), \(second))")
    #expect(general.provenance?.expression == fast.provenance?.expression)
  }

  /// A provenance made for another unit is held by a measure of the value's own unit.
  @Test func aProvenanceOfAnotherUnitIsHeldNotUsed() {
    let provenance = Provenance(expression: "a / b", figures: [])
    #expect(provenance.unit == .none)
    let percent = Value.make(0.5, .percent, provenance)
    guard case .quantity(_, let measure) = percent else {
      Issue.record("not a quantity")
      return
    }
    #expect(measure !== provenance)
    #expect(measure.unit == .percent)
    #expect(measure.provenance === provenance)
    #expect(percent.description == "50%")
    guard case .quantity(_, let same) = Value.make(2, .none, provenance) else {
      Issue.record("not a quantity")
      return
    }
    #expect(same === provenance)
  }
}
