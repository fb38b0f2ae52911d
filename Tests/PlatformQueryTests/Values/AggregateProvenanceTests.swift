import PQTestSupport
import Testing

@testable import PlatformQuery

/// A computation over many figures (a column of a loaded file, summed) keeps one figure of each
/// kind with how many it stands for: linear work, and caveats that count every figure.
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
    #expect(provenance.counts == [100, 100, 100])
    #expect(provenance.omitted == 297)
    #expect(
      total.caveatTexts == [
        "periods differ: 3 periods from 2024-07-01 to 2024-10-31: 2024-Q3, 2024-09, 2024-10 (of different lengths)"
      ])
    let explained = try show("explain(sum(rows))", pq)
    #expect(explained.contains("… and 297 more figures like those above, not listed here"))
    #expect(
      explained.hasPrefix("sum(figure(1 user), figure(2 users), figure(3 users), … 300 values in all)"))
  }

  @Test func aRunningTotalGivesTheSameAsSum() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(script: Self.setup(500, periods: ["2024-09", "2024-10"], estimateAt: 7), name: "setup")
    let loop = try pq.evaluate("var t = 0\nfor r in rows { t += r }\nt")
    let summed = try pq.evaluate("sum(rows)")
    #expect(loop.numericValue == summed.numericValue)
    #expect(loop.provenance?.figureCount == 500)
    #expect(loop.caveatTexts == summed.caveatTexts)
    #expect(summed.caveatTexts.contains("1 estimate among the 500 figures"))
  }

  /// Periods that begin on the same day are listed in one order in every run (by start, then
  /// as written), not in a set's order, which changes from one process to the next.
  @Test(arguments: [90, 91, 150, 300])
  func periodsThatBeginTogetherAreListedInOneOrder(count: Int) throws {
    let (pq, _) = makeInterpreter()
    let periods = ["2024", "2024-10", "H1 2024", "2024-Q3", "2024-09"]
    try pq.run(script: Self.setup(count, periods: periods), name: "setup")
    let caveat = try #require(pq.evaluate("sum(rows)").structuredCaveats.first { $0.kind == .period })
    #expect(caveat.values == ["2024", "H1 2024", "2024-Q3", "2024-09", "2024-10"], "\(caveat)")
    #expect(caveat.text.hasPrefix("periods differ: 5 periods from 2024-01-01 to 2024-12-31"))
  }

  /// One estimate among hundreds of reported figures is still counted.
  @Test func oneEstimateAmongManyIsCounted() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(script: Self.setup(200, periods: ["2024-09"], estimateAt: 150), name: "setup")
    let total = try pq.evaluate("sum(rows)")
    #expect(total.provenance?.figures.count == 2)
    #expect(total.caveatTexts == ["1 estimate among the 200 figures"])
  }

  /// The same kind throughout: the kind's own caveats, counted, and no "none".
  @Test func oneKindKeepsItsOwnCaveats() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(
      script: """
        var rows = []
        for i in range(100) { rows += [figure(i, unit: "users", source: "Similarweb", status: "estimated")] }
        """, name: "setup")
    let caveats = try pq.evaluate("sum(rows)").caveatTexts
    #expect(caveats.contains("100 estimates"))
    #expect(caveats.contains { $0.hasPrefix("no period is given for any of the 100 figures") })
    #expect(caveats.contains { $0.hasPrefix("no definition is given for any of the 100 figures") })
  }

  /// Every kind is kept, however many: the summary counts all of them.
  @Test func manyKindsAreAllCounted() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(
      script: """
        var rows = []
        for i in range(300) { rows += [figure(1, unit: "users", source: "S\\(i mod 150)", period: "2024", definition: "d")] }
        """, name: "setup")
    let total = try pq.evaluate("sum(rows)")
    #expect(total.numericValue == 300)
    #expect(total.provenance?.figures.count == 150)
    #expect(total.provenance?.figureCount == 300)
    let sources = try #require(total.structuredCaveats.first { $0.kind == .source })
    #expect(sources.values.count == 150)
    #expect(sources.text.hasPrefix("sources differ: 150 sources: S0 (2 figures), S1 (2 figures)"))
    #expect(sources.text.hasSuffix(" and 138 more"))
  }

  /// Few figures are all listed, as before.
  @Test func fewFiguresAreAllListed() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(script: Self.setup(40, periods: ["2024-09"]), name: "setup")
    let total = try pq.evaluate("sum(rows)")
    #expect(total.provenance?.figures.count == 40)
    #expect(total.provenance?.omitted == 0)
  }

  /// A saved sum reads back with the same caveats: how many figures each kind stands for is
  /// saved with it.
  @Test func jsonKeepsTheCountsOfEachKind() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(script: Self.setup(100, periods: ["2024-09", "2024-10"], estimateAt: 3), name: "setup")
    let total = try pq.evaluate("sum(rows)")
    let text = try JSON.encode(total)
    #expect(text.contains("\"input_counts\": [50, 49, 1]"), "\(text)")
    let back = try DataFile.value(json: text)
    #expect(back.provenance?.figureCount == 100)
    #expect(back.numericValue == total.numericValue)
    #expect(back.caveatTexts == total.caveatTexts)
    #expect(!back.caveatTexts.isEmpty)
  }
}

/// Beyond four figures, caveats are summed up one line per kind, exactly: checked against a
/// brute-force count of the figures' fields, over generated sets of every shape.
@Suite struct CaveatSummaryTests {
  struct Spec {
    var source: String
    var producer: String?
    var period: String
    var definition: String
    var status: Figure.Status
    var approximation: String?
    var unit: Unit
  }

  static func figure(_ spec: Spec, _ index: Int) -> Figure {
    Figure(
      platform: "P\(index % 3)", field: ["mau", "registered", "dau", "value"][index % 4], label: "f\(index)",
      value: Double(index + 1), unit: spec.unit, publisher: spec.source, period: spec.period,
      definition: spec.definition, quote: "", statedAs: "", approximation: spec.approximation,
      periodGiven: !spec.period.isEmpty, producer: spec.producer, status: spec.status)
  }

  static func generate(_ random: inout SplitMix, count: Int) -> [Spec] {
    let sources = ["", "Similarweb", "Pew Research", "Meta"]
    let periods = ["", "2024", "2024-09", "2024-Q3", "2024-10-05", "2024-10-06", "2023-H2"]
    let definitions = ["", "monthly active users", "registered accounts", "daily active users"]
    let statuses = Figure.Status.allCases
    return (0..<count).map { _ in
      Spec(
        source: sources[random.int(0...3)], producer: random.int(0...5) == 0 ? "Sensor Tower" : nil,
        period: periods[random.int(0...6)], definition: definitions[random.int(0...3)],
        status: random.int(0...2) == 0 ? statuses[random.int(0...4)] : .reported,
        approximation: random.int(0...6) == 0 ? "roughly" : nil, unit: .users)
    }
  }

  /// The distinct values of a field with counts, as the summary lists them.
  static func tally(_ specs: [Spec], _ field: (Spec) -> String) -> [String: Int] {
    var counts: [String: Int] = [:]
    for spec in specs { counts[field(spec), default: 0] += 1 }
    return counts
  }

  static func parsed(_ values: [String]) -> [String: Int] {
    var result: [String: Int] = [:]
    for value in values {
      guard let open = value.lastIndex(of: "(") else { continue }
      let name = String(value[..<open].dropLast())
      let number = value[value.index(after: open)...].prefix { $0.isNumber }
      result[name] = Int(number)
    }
    return result
  }

  @Test func theSummaryCountsEveryFigureExactly() throws {
    var random = SplitMix(state: 30)
    for round in 0..<150 {
      let count = random.int(5...60)
      let specs = Self.generate(&random, count: count)
      let figures = specs.enumerated().map { Self.figure($1, $0) }
      // Combined as a computation would combine them: by kind, counted.
      let inputs = figures.map { Provenance.Input(Provenance(figure: $0)) }
      let provenance = try #require(Provenance.combine(text: .written("sum"), precedence: 10, inputs: inputs))
      let caveats = provenance.caveats
      let context = "round \(round): \(caveats.map(\.text))"
      #expect(provenance.figureCount == count, "\(context)")
      // Missing fields: counted exactly.
      for (kind, missing, word) in [
        (Caveat.Kind.source, specs.filter { $0.source.isEmpty }.count, "source"),
        (.period, specs.filter { $0.period.isEmpty }.count, "period"),
        (.definition, specs.filter { $0.definition.isEmpty }.count, "definition"),
      ] {
        let line = caveats.first { $0.kind == kind && $0.text.hasPrefix("no \(word) is given") }
        if missing == 0 {
          #expect(line == nil, "\(context)")
        } else {
          let expected =
            missing == count ? "any of the \(count) figures" : "\(missing) of the \(count) figures"
          #expect(line?.text.hasPrefix("no \(word) is given for \(expected)") == true, "\(word): \(context)")
        }
      }
      // Periods: every distinct one, from the earliest start to the latest end.
      let dated = specs.filter { !$0.period.isEmpty }
      let distinctPeriods = Set(dated.map(\.period))
      let periodLine = caveats.first { $0.kind == .period && $0.text.hasPrefix("periods differ") }
      if distinctPeriods.count > 1 {
        let line = try #require(periodLine, "\(context)")
        #expect(Set(line.values) == distinctPeriods, "\(context)")
        let spans = distinctPeriods.compactMap(Period.parse)
        let first = Period.day(spans.map(\.firstDay).min() ?? 0)
        let last = Period.day(spans.map(\.lastDay).max() ?? 0)
        #expect(
          line.text.contains("\(distinctPeriods.count) ") && line.text.contains("from \(first) to \(last)"),
          "\(context)")
      } else {
        #expect(periodLine == nil, "\(context)")
      }
      // Sources and definitions: each distinct value with its count.
      let sourced = specs.filter { !$0.source.isEmpty }
      let primaries = Self.tally(sourced) { $0.producer ?? $0.source }
      let sourceLine = caveats.first { $0.kind == .source && $0.text.hasPrefix("sources differ") }
      if primaries.count > 1 {
        #expect(Self.parsed(sourceLine?.values ?? []) == primaries, "\(context)")
      } else {
        #expect(sourceLine == nil, "\(context)")
      }
      let definitions = Self.tally(specs.filter { !$0.definition.isEmpty }) { $0.definition }
      let definitionLine = caveats.first { $0.kind == .definition && $0.text.hasPrefix("definitions differ") }
      if definitions.count > 1 {
        #expect(Self.parsed(definitionLine?.values ?? []) == definitions, "\(context)")
      } else {
        #expect(definitionLine == nil, "\(context)")
      }
      // Statuses: each counted.
      let statuses = Self.tally(specs.filter { $0.status != .reported }) { $0.status.rawValue }
      let statusLine = caveats.first { $0.kind == .status }
      if statuses.isEmpty {
        #expect(statusLine == nil, "\(context)")
      } else {
        #expect(Self.parsed(statusLine?.values ?? []) == statuses, "\(context)")
      }
      #expect(
        caveats.contains { $0.kind == .approximate } == specs.contains { $0.approximation != nil },
        "\(context)")
      // At most a line per kind and a few more: never one per figure.
      #expect(caveats.count <= 10, "\(context)")
    }
  }

  /// The same figures in any order give the same summary.
  @Test func theOrderOfTheFiguresDoesNotMatter() throws {
    var random = SplitMix(state: 31)
    for _ in 0..<30 {
      let specs = Self.generate(&random, count: random.int(5...40))
      let figures = specs.enumerated().map { Self.figure($1, $0) }
      func summary(_ list: [Figure]) -> [String] {
        let inputs = list.map { Provenance.Input(Provenance(figure: $0)) }
        return Provenance.combine(text: .written("s"), precedence: 10, inputs: inputs)?.caveats.map(
          \.kind.rawValue
        ).sorted() ?? []
      }
      #expect(summary(figures) == summary(figures.reversed()))
    }
  }

  /// Many figures of a daily series: the span, how many days, and which are missing — in one line.
  @Test func aDailySeriesIsOneLine() throws {
    let (pq, _) = makeInterpreter()
    let caveats = try pq.evaluate(
      """
      var rows = []
      for d in range(1, 31) {
        if d != 15 { rows += [figure(d, unit: "users", source: "Bluesky", period: "2024-09-" + (if d < 10 { "0" } else { "" }) + str(d), definition: "signups")] }
      }
      sum(rows)
      """
    ).caveatTexts
    #expect(
      caveats == [
        "periods differ: 29 daily periods from 2024-09-01 to 2024-09-30; 1 of the 30 days in that span has no figure"
      ])
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
