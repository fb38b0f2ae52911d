import PQTestSupport
import Testing

@testable import PlatformQuery

#if canImport(Glibc)
  import Glibc
#endif

/// Margins of error: written, carried through arithmetic to first order, judged when figures are
/// weighed, and kept through files. Every expected margin below is computed by hand from the
/// formulas in docs/data.md ("Margins").
@Suite struct MarginTests {
  /// The margin of an evaluated value in its stored scale, and its confidence.
  func margin(_ formula: String) throws -> Margin? {
    let (pq, _) = makeInterpreter()
    return Margin.of(try pq.evaluate(formula))
  }

  /// (formula, value as shown, half-width in the stored scale by hand)
  static let propagation: [(String, String, Double)] = [
    ("59% ± 3pp", "59% ± 3 pp", 0.03),
    ("59% +- 3pp", "59% ± 3 pp", 0.03),
    ("(59% ± 3pp) - (57% ± 3pp)", "2 pp ± 4.2 pp", (0.03 * 0.03 + 0.03 * 0.03).squareRoot()),
    ("(100 ± 3) + (50 ± 4)", "150 ± 5", 5),
    ("(100 ± 3) + 7", "107 ± 3", 3),
    ("(100 ± 3) * 2", "200 ± 6", 6),
    ("2 * (100 ± 3)", "200 ± 6", 6),
    ("(100 ± 3) / 4", "25 ± 0.75", 0.75),
    // a·b: √((b·ma)² + (a·mb)²) = √((20·3)² + (100·2)²) = √(3600 + 40000)
    ("(100 ± 3) * (20 ± 2)", "2K ± 209", (3600.0 + 40000).squareRoot()),
    // a/b: √((ma/b)² + (a·mb/b²)²) = √((3/20)² + (100·2/400)²) = √(0.0225 + 0.25)
    ("(100 ± 3) / (20 ± 2)", "5 ± 0.52", (0.0225 + 0.25).squareRoot()),
    // aⁿ: |n·aⁿ⁻¹|·ma = 2·10·0.5
    ("(10 ± 0.5) ^ 2", "100 ± 10", 10),
    ("-(100 ± 3)", "-100 ± 3", 3),
    ("70M ± 2M", "70M ± 2M", 2e6),
    // diff, ratio, share: as - and / make them.
    ("diff(59% ± 3pp, 57% ± 3pp)", "2 pp ± 4.2 pp", (0.0018).squareRoot()),
    ("ratio(100 ± 3, 20 ± 2)", "5 ± 0.52", (0.0225 + 0.25).squareRoot()),
    // pct_change(a, b) = b/a − 1: √((b·ma/a²)² + (mb/a)²) = √((120·10/10000)² + (12/100)²)
    ("pct_change(100 ± 10, 120 ± 12)", "20% ± 17 pp", (0.0144 + 0.0144).squareRoot()),
    ("sum([100 ± 3, 50 ± 4])", "150 ± 5", 5),
    ("mean([100 ± 3, 50 ± 4])", "75 ± 2.5", 2.5),
  ]

  @Test(arguments: propagation.indices)
  func marginsAreCarriedToFirstOrder(_ index: Int) throws {
    let (formula, shown, width) = Self.propagation[index]
    #expect(try show(formula) == shown, "\(formula)")
    let found = try #require(try margin(formula), "\(formula)")
    #expect(abs(found.halfWidth - width) <= 1e-12 * max(1, abs(width)), "\(formula): \(found.halfWidth)")
  }

  @Test func confidenceIsKeptCombinedOrRefused() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(
      source: Source(
        name: "<t>",
        text: """
          let a = figure(59%, source: "Pew", period: "2024", definition: "d", margin: 3pp, confidence: 95%)
          let b = figure(57%, source: "Pew", period: "2024", definition: "d", margin: 3pp, confidence: 95%)
          let c = figure(50%, source: "Pew", period: "2024", margin: 2pp, confidence: 90%)
          let d = figure(50%, source: "Pew", period: "2024", margin: 2pp)
          """))
    #expect(Margin.of(try pq.evaluate("a - b"))?.confidence == 0.95)
    #expect(Margin.of(try pq.evaluate("a * 2"))?.confidence == 0.95)
    // Not stated on one side: not stated for the result.
    #expect(Margin.of(try pq.evaluate("a - d"))?.confidence == nil)
    // Built-ins that move a number keep its margin; log10 carries it to first order; format
    // writes it; value() is the bare number by definition.
    #expect(try show("round(59.4% ± 3pp)") == "59% ± 3 pp")
    #expect(try show("abs(-5 ± 1)") == "5 ± 1")
    #expect(try show("as_unit(59 ± 3, \"%\")") == "59% ± 3 pp")
    #expect(try show("format(1234567 ± 1000, \",\")") == "1,234,567 ± 1,000")
    #expect(try show("log10(100 ± 3)") == "2 ± 0.013")
    #expect(try show("value(59% ± 3pp)") == "59")
    // A margin too large for a number is refused, not dropped.
    #expect(throws: PQError.self) { try pq.evaluate("(1 ± 1e308) * 10") }
    for formula in ["a - c", "ratio(a, c)", "pct_change(a, c)", "within_margin(a, c)"] {
      #expect(throws: PQError.self, "\(formula)") { try pq.evaluate(formula) }
    }
    #expect(
      try show("explain(a - b)", pq).contains(
        "margin of error: ±4.2 pp at 95% confidence: -2.24 pp to 6.24 pp"))
    #expect(
      try show("explain(a)", pq).contains(
        "caveats: none (sourced and dated; stated with the margin of error above)"))
    #expect(try show("explain(d)", pq).contains("±2 pp (confidence not stated): 48% to 52%"))
  }

  @Test func badMarginsAreRefusedWithASuggestion() throws {
    let (pq, _) = makeInterpreter()
    let cases: [(String, String)] = [
      ("59% ± 3%", "the margin of a percentage is written in points"),
      ("59% ± 3", "the margin of a percentage is written in points"),
      ("5 ± -1", "a margin of error cannot be negative"),
      ("(5 ± 1) ± 1", "already has a margin of error (±1)"),
      ("5 ± 1 ± 1", "a figure has one margin of error"),
      ("\"a\" ± 1", "a margin of error goes with a number"),
      ("x.mau ± 3%", "the margin 3% is not in the unit of 70.4M users"),
      ("(5 ± 1) mod 2", "cannot take the remainder of a figure with a margin of error"),
      ("2 ^ (2 ± 1)", "cannot raise to a power that has a margin of error"),
      ("figure(5, confidence: 95%)", "confidence: goes with margin:"),
      ("figure(5, margin: 1, confidence: 95)", "confidence: must be a percentage between 0% and 100%"),
    ]
    for (formula, message) in cases {
      do {
        _ = try pq.evaluate(formula)
        Issue.record("\(formula) was accepted")
      } catch {
        #expect(error.message.contains(message), "\(formula): \(error.message)")
      }
    }
  }

  /// A margin typed for a sourced figure is no margin its source gave: said. The article's
  /// figures have none. A figure with a margin behind a result that carries none is said too.
  @Test func nothingIsInventedOrSilentlyDropped() throws {
    let (pq, _) = makeInterpreter()
    let typed = try pq.evaluate("caveats(x.news_share ± 3pp)")
    #expect(typed.inline.contains("the margin of error ±3 pp was typed, not given by the source of 59%"))
    for platform in ["x", "truth"] {
      for metric in Metric.all {
        let value = try pq.evaluate("get(\(platform), \"\(metric.field)\")")
        #expect(Margin.of(value) == nil, "\(platform).\(metric.field)")
      }
    }
    // A comparison of two figures' margins as figures side by side says nothing of margins not
    // carried; a result made without its inputs' margins says so.
    try pq.run(source: Source(name: "<t>", text: "let a = figure(10M, source: \"A\", margin: 1M)"))
    let compared = try pq.evaluate("compare(a, x.mau).caveats").inline
    #expect(!compared.contains("is not carried"), "\(compared)")
    let provenance = try #require(try pq.evaluate("a * 2").provenance)
    let dropped = Provenance(
      text: .written("f(a)"), precedence: 10, figureList: provenance.figureList, givenCaveats: [])
    #expect(
      dropped.caveats.contains { $0.kind == .margin && $0.text.contains("is not carried into this result") })
  }

  /// Generated pairs of figures with margins: a gap larger than the combined margin is never
  /// called "within", and one smaller always is, in `within_margin`, `compare` and `rank`.
  @Test func theJudgementFollowsTheGapAndTheCombinedMargin() throws {
    var random = SplitMix(state: 36)
    let (pq, _) = makeInterpreter()
    for _ in 0..<300 {
      let a = Double(random.int(0...1000)) / 10
      let b = Double(random.int(0...1000)) / 10
      let ma = Double(random.int(0...80)) / 10
      let mb = Double(random.int(0...80)) / 10
      let combined = (ma * ma + mb * mb).squareRoot()
      let gap = abs(a - b)
      // Too close to call in floating point: skipped, not guessed.
      if abs(gap - combined) < 1e-6 || a == b { continue }
      let within = gap < combined
      pq.setGlobal("a", try pq.evaluate("\(a)% ± \(ma)pp"))
      pq.setGlobal("b", try pq.evaluate("\(b)% ± \(mb)pp"))
      #expect(try pq.evaluate("within_margin(a, b)") == .bool(within), "\(a) ± \(ma) vs \(b) ± \(mb)")
      let caveats = try pq.evaluate("compare(a, b).caveats").inline
      #expect(caveats.contains("not a meaningful difference") == within, "\(a) ± \(ma) vs \(b) ± \(mb)")
      let ranked = try pq.evaluate("rank([{name: \"A\", v: a}, {name: \"B\", v: b}], \"v\")")
      guard case .list(let rows) = ranked, rows.count == 2, case .record(let first) = rows[0],
        case .record(let second) = rows[1]
      else {
        Issue.record("rank gave \(ranked)")
        continue
      }
      #expect((first["rank"] == second["rank"]) == within, "\(a) ± \(ma) vs \(b) ± \(mb): \(ranked)")
    }
  }

  @Test func headlinesWriteNoLeadWithinTheMargin() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(
      source: Source(
        name: "<t>",
        text: """
          let ps = [
            {name: "A", share: figure(59%, source: "Pew", period: "2024", margin: 3pp, confidence: 95%)},
            {name: "B", share: figure(57%, source: "Pew", period: "2024", margin: 3pp, confidence: 95%)},
            {name: "C", share: figure(40%, source: "Pew", period: "2024", margin: 3pp, confidence: 95%)},
          ]
          """))
    let close = try show("headline(ps[0], ps[1], \"share\")", pq)
    #expect(close.contains("A and B have about the same share"), "\(close)")
    #expect(close.contains("the gap of 2 pp ± 4.2 pp lies within its margin of error"), "\(close)")
    #expect(!close.contains("above"), "\(close)")
    let far = try show("headline(ps[0], ps[2], \"share\")", pq)
    #expect(far.contains("59% ± 3 pp, 19 pp ± 4.2 pp above C's 40% ± 3 pp"), "\(far)")
    let table = try show("rank(ps, \"share\")", pq)
    #expect(table.contains("tied with A: the gap lies within the margin of error (±4.2 pp)"), "\(table)")
    // Ties do not chain: each figure is weighed against the first of its place, so a long list
    // of overlapping neighbours is not one tie from top to bottom.
    let ladder = (0..<20).map { "{name: \"P\($0)\", v: \(90 - 3 * $0)% ± 2.5pp}" }.joined(separator: ", ")
    let ranked = try pq.evaluate("rank([\(ladder)], \"v\")")
    guard case .list(let ladderRows) = ranked, case .record(let last) = ladderRows.last else {
      Issue.record("\(ranked)")
      return
    }
    #expect(last["rank"] != .number(1), "\(ranked)")
    // 3 points apart, margins 2.5 pp each (combined 3.5 pp): each ties with the next, but P2 is
    // 6 points below P0, the first of the place.
    #expect(try pq.evaluate("rank([\(ladder)], \"v\")[1].rank") == .number(1))
    #expect(try pq.evaluate("rank([\(ladder)], \"v\")[2].rank") == .number(3))
    // Figures without margins rank and read exactly as before: no note column.
    #expect(!(try show("rank(platforms, \"mau\")", pq)).contains("note"))
  }

  /// Charts draw a margin as an error bar, in text (shaded from the low end to the high end)
  /// and in SVG (a line with end caps); a chart without margins is drawn as before.
  @Test func chartsDrawErrorBars() throws {
    let (pq, _) = makeInterpreter()
    let text = try show("chart([{name: \"A\", v: 59% ± 3pp}, {name: \"C\", v: 40%}], \"v\")", pq)
    let lines = text.split(separator: "\n").map(String.init)
    let bar = try #require(lines.first { $0.hasPrefix("A ") })
    // 56% to 62% of a scale whose end is 62%: the shading starts 56/62 of the way along.
    let solid = bar.filter { $0 == "█" }.count
    let shaded = bar.filter { $0 == "▒" }.count
    #expect(shaded > 0 && solid > 0, "\(bar)")
    #expect(abs(Double(solid) / Double(solid + shaded) - 56.0 / 62.0) < 0.03, "\(bar)")
    #expect(text.contains("(▒: the margin of error, from its low end to its high end)"))
    let svg = try show("svg(chart([{name: \"A\", v: 59% ± 3pp}, {name: \"C\", v: 40%}], \"v\"))", pq)
    #expect(svg.split(separator: "\n").filter { $0.contains("class=\"error-bar\"") }.count == 1, "\(svg)")
    let plain = try show("chart([{name: \"A\", v: 59%}, {name: \"C\", v: 40%}], \"v\")", pq)
    #expect(!plain.contains("▒") && !plain.contains("margin"))
  }

  /// Margins and confidences survive save and load, in CSV (one figure a row) and JSON (any
  /// figure, computed values and plain numbers too).
  @Test func marginsSurviveSaveAndLoad() throws {
    let folder = "/tmp/pq-margins-\(getpid())"
    mkdir(folder, 0o755)
    defer {
      for name in ["in.csv", "out.csv", "out.json", "typed.json", "typed.csv"] { unlink(folder + "/" + name) }
      rmdir(folder)
    }
    let csv = """
      name,metric,value,source,period,margin,confidence
      X,news_share,59%,Pew Research,2024,3pp,95%
      Truth Social,news_share,57%,Pew Research,2024,2.5pp,90%
      Bluesky,mau,20M,Own count,2024,1.5M,
      """
    let file = fopen(folder + "/in.csv", "w")
    fputs(csv, file)
    fclose(file)
    let (pq, _) = makeInterpreter(files: .folders([folder]))
    try pq.run(
      source: Source(
        name: "\(folder)/t.pq",
        text: """
          let d = load("\(folder)/in.csv")
          save(d, "\(folder)/out.csv")
          save(d, "\(folder)/out.json")
          save([{name: "t", v: 59% ± 3pp, w: 100 ± 3, c: d[0].value - (50% ± 1pp)}], "\(folder)/typed.json")
          save([{name: "t", v: 59% ± 3pp}], "\(folder)/typed.csv")
          """))
    for name in ["in.csv", "out.csv", "out.json"] {
      let loaded = try pq.evaluate("load(\"\(folder)/\(name)\")")
      guard case .list(let rows) = loaded, rows.count == 3 else {
        Issue.record("\(name): \(loaded)")
        continue
      }
      let expected: [(Double, Double?)] = [(0.03, 0.95), (0.025, 0.90), (1.5e6, nil)]
      for (row, (width, confidence)) in zip(rows, expected) {
        guard case .record(let record) = row, let value = record["value"], let margin = Margin.of(value)
        else {
          Issue.record("\(name): no margin in \(row)")
          continue
        }
        #expect(abs(margin.halfWidth - width) < 1e-12 * max(1, width), "\(name)")
        #expect(margin.confidence == confidence, "\(name)")
      }
    }
    // A Data Package beside the file: its margin and confidence columns read as without one.
    let descriptor = fopen(folder + "/datapackage.json", "w")
    fputs(
      "{\"name\": \"m\", \"resources\": [{\"name\": \"in\", \"path\": \"in.csv\", \"schema\": {\"fields\": [{\"name\": \"name\"}, {\"name\": \"metric\"}, {\"name\": \"value\"}, {\"name\": \"source\"}, {\"name\": \"period\"}, {\"name\": \"margin\", \"description\": \"margin of error\"}, {\"name\": \"confidence\"}]}}]}",
      descriptor)
    fclose(descriptor)
    defer { unlink(folder + "/datapackage.json") }
    #expect(try pq.evaluate("load(\"\(folder)/in.csv\")[0].value").inline == "59% ± 3 pp")
    #expect(Margin.of(try pq.evaluate("load(\"\(folder)/in.csv\")[0].value"))?.confidence == 0.95)
    for (field, shown) in [("v", "59% ± 3 pp"), ("w", "100 ± 3"), ("c", "9 pp ± 3.2 pp")] {
      #expect(try pq.evaluate("load(\"\(folder)/typed.json\")[0].\(field)").inline == shown, "\(field)")
    }
    #expect(try pq.evaluate("load(\"\(folder)/typed.csv\")[0].v").inline == "59% ± 3 pp")
    // Margins without a stated confidence are written as the ranges they describe, any number
    // of them in a row, and read back as they were.
    _ = try pq.evaluate("save([{name: \"a\", m: 5 ± 1, n: 600K..700K}], \"\(folder)/typed.csv\")")
    #expect(try pq.evaluate("load(\"\(folder)/typed.csv\")[0].m").inline == "5 ± 1")
    #expect(try pq.evaluate("load(\"\(folder)/typed.csv\")[0].n").inline == "650K ± 50K")
    // A wide row cannot hold several margins with confidences: refused, not dropped.
    do {
      _ = try pq.evaluate(
        "save([{name: \"a\", m: figure(5, margin: 1, confidence: 95%), n: figure(6, margin: 1, confidence: 95%)}], \"\(folder)/typed.csv\")"
      )
      Issue.record("a row of two margins was saved as CSV")
    } catch {
      #expect(error.message.contains("a CSV row holds one margin of error"), "\(error.message)")
    }
  }
}
