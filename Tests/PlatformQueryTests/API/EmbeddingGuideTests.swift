import PQTestSupport
import PlatformQuery
import Synchronization
import Testing

/// The snippets of docs/embedding.md, compiled and run. `guideSnippetsAreHere` checks that every
/// ```swift block of the guide appears in this file, so the guide cannot drift from code that
/// compiles.
@Suite struct EmbeddingGuideTests {
  @Test func quickStart() throws {
    // snippet: quick start
    let pq = Interpreter()
    let v = try pq.evaluate("ratio(x.mau, truth.mau)")
    print(v)  // 101
    // end
    #expect(v.description == "101")
  }

  @Test func manyEvaluationsOnOneStack() {
    // snippet: evaluation stack
    let results = Interpreter.withEvaluationStack {
      let pq = Interpreter()
      return ["x.mau", "truth.mau", "ratio(x.mau, truth.mau)"].map { formula in
        (try? pq.evaluate(formula).description) ?? "error"
      }
    }
    // ["70.4M users", "698K users", "101"]
    // end
    #expect(results == ["70.4M users", "698K users", "101"])
  }

  @Test func compilingAFormulaOnce() throws {
    // snippet: compile
    let pq = Interpreter()
    pq.setGlobal("users", Value(1_000_000, unit: "users") ?? .nil)
    let formula = try pq.compile("ratio(users, truth.mau)")
    let reads = formula.names  // ["ratio", "users", "truth"]
    var results: [String] = []
    for millions in [1.0, 7.0] {
      pq.setGlobal("users", Value(millions * 1_000_000, unit: "users") ?? .nil)
      results.append(try formula.evaluate().description)  // "1.43", then "10"
    }
    // end
    #expect(reads == ["ratio", "users", "truth"])
    #expect(results == ["1.43", "10"])
  }

  @Test func labelledHostData() throws {
    // snippet: labelled data
    let json = """
      {"platforms": [{"name": "Chirp", "label": "chirp", "figures": {"mau": {"value": 5000000,
        "unit": "users", "publisher": "Our analytics", "period": "2024-10"}}}]}
      """
    var hosted = Interpreter.Options()
    hosted.dataset = try .json(json)
    let chirp = try Interpreter(options: hosted).evaluate("chirp.mau")  // 5M users, with its source
    // end
    #expect(chirp.description == "5M users")
    #expect(chirp.figures.first?.publisher == "Our analytics")
  }

  @Test func convertingValues() throws {
    let pq = Interpreter()
    // snippet: values
    let users = try pq.evaluate("x.mau")
    let number = users.doubleValue  // 70400000
    let unit = users.unitName  // "users"
    let shown = users.description  // "70.4M users"
    let names = try pq.evaluate("map(platforms, fn(p) { p.name })").arrayValue?.compactMap(\.stringValue)
    pq.setGlobal("threshold", Value(1_000_000, unit: "users") ?? .nil)
    let big = try pq.evaluate("filter(platforms, fn(p) { p.mau != nil and p.mau > threshold })")
    // end
    #expect(number == 70_400_000 && unit == "users" && shown == "70.4M users")
    #expect(names?.count == 10)
    #expect(big.arrayValue?.count == 1)
  }

  @Test func registeringAFunction() throws {
    // snippet: register
    let pq = Interpreter()
    try pq.register("per_thousand", arity: 2, doc: "a / b * 1000") { args in
      guard let a = args[0].doubleValue, let b = args[1].doubleValue, b != 0 else {
        throw PQError(.runtime, "per_thousand needs two numbers, the second not 0")
      }
      return .number(a / b * 1000)
    }
    let rate = try pq.evaluate("per_thousand(truth.mau, x.mau)")  // 9.91477
    // end
    #expect(rate.description == "9.91477")
  }

  @Test func handlingErrors() {
    let pq = Interpreter()
    var text = ""
    // snippet: errors
    do {
      try pq.evaluate("x.revenue + x.mau", name: "formula")
    } catch {
      print(error.kind)  // runtime
      print(error.message)  // cannot add USD and users
      print(error.location?.column ?? 0)  // 11
      text = error.rendered(color: false)  // the same diagnostic the pq command prints
    }
    // end
    #expect(text.hasPrefix("formula:1:11: error: cannot add USD and users"))
  }

  @Test func optionsAndLimits() throws {
    // snippet: options
    let lines = Mutex<[String]>([])
    var options = Interpreter.Options()
    options.output = { text in lines.withLock { $0.append(text) } }  // where print goes
    options.fileAccess = .folders(["/srv/reports"])  // load/save/import only there
    options.limits = Limits(steps: 100_000, callDepth: 500, seconds: 1, maximumLength: 1_000_000)
    options.loadsPrelude = true
    let pq = Interpreter(options: options)
    do {
      try pq.evaluate("while true {}")
    } catch {
      print(error.kind, error.message)  // limit step limit of 100000 reached
    }
    // end
    // The snippet prints the error; here it is checked: the step limit, and nothing else.
    do {
      try pq.evaluate("while true {}")
      Issue.record("an endless loop ended under a step limit")
    } catch {
      #expect(error.kind == .limit && error.limitReason == .steps)
      #expect(error.message == "step limit of 100000 reached")
    }
    let result = try pq.evaluate("print(1 + 1)")
    #expect(result.isNil)
    #expect(lines.withLock { $0 } == ["2\n"])
  }

  @Test func ownDataset() throws {
    // snippet: dataset
    let figure = Figure(
      platform: "Example", field: "mau", label: "example.mau", value: 2_500_000, unit: .users,
      publisher: "Our analytics", period: "October 2024", definition: "monthly active users",
      quote: "", statedAs: "2.5 million")
    let example = Dataset.platform(name: "Example", details: [("owner", "Us")], figures: [figure])
    var options = Interpreter.Options()
    options.dataset = .custom([example])
    let pq = Interpreter(options: options)
    pq.setGlobal("example", example)
    let explained = try pq.evaluate("explain(example.mau * 2)")
    // end
    #expect(explained.description.contains("example.mau  2.5M users  Our analytics, October 2024"))
  }

  @Test func callingBack() throws {
    let pq = Interpreter()
    // snippet: call
    try pq.evaluate("fn growth(a, b) { pct_change(a, b) }")
    let growth = pq["growth"] ?? .nil
    let result = try pq.call(growth, [Value(100), Value(150)])  // 50%
    // end
    #expect(result.description == "50%")
  }

  @Test func nativeFunctionWithNamedParameters() throws {
    // snippet: named parameters
    let pq = Interpreter()
    try pq.register("per_capita", parameters: ["value", "population"], doc: "A value per person") { call in
      guard let people = call.argument("population")?.doubleValue, people > 0 else {
        throw call.error(argument: 1, "population must be a number above 0")
      }
      return Value((call.argument("value")?.doubleValue ?? 0) / people)
    }
    let each = try pq.evaluate("per_capita(1000, 8)")  // 125
    // end
    #expect(each.description == "125")
    do {
      _ = try pq.evaluate("per_capita(1000, \"eight\")")
      Issue.record("accepted a string")
    } catch {
      #expect(error.message == "per_capita: population must be a number above 0")
      #expect(error.location?.column == 18)
    }
    do {
      _ = try pq.evaluate("per_capita(1000)")
      Issue.record("accepted one argument")
    } catch {
      #expect(error.notes.contains("usage: per_capita(value, population)"))
    }
  }

  @Test func taskLocalsInNatives() async throws {
    // snippet: task locals
    enum Request { @TaskLocal static var user = "nobody" }
    let pq = Interpreter()
    try pq.register("current_user", parameters: []) { _ in Value(Request.user) }
    let who = try await Request.$user.withValue("ada") { try await pq.evaluate("current_user()") }
    // who.stringValue == "ada"
    // end
    #expect(who.stringValue == "ada")
  }

  @Test func decodingIntoOwnTypes() throws {
    let pq = Interpreter()
    // snippet: decode
    struct Row: Decodable {
      let name: String
      let mau: Double?  // plain: 70400000 for X
      let revenue: Value?  // the figure, with its source and caveats
    }
    let rows = try pq.evaluate("platforms").decode(as: [Row].self)
    let sources = rows.compactMap { $0.revenue?.figures.first?.publisher }
    // end
    #expect(rows.first { $0.name == "X" }?.mau == 70_400_000)
    #expect(sources.count == rows.filter { $0.revenue != nil }.count)
    #expect(!sources.isEmpty)
  }

  @Test func caveatsAHostCanActOn() throws {
    let pq = Interpreter()
    // snippet: caveats
    let r = try pq.evaluate("ratio(x.revenue, truth.revenue)")
    for caveat in r.structuredCaveats where caveat.kind == .definition {
      print(caveat.values)  // ["advertising revenue", "revenue"]
    }
    // end
    let definitions = r.structuredCaveats.filter { $0.kind == .definition }.map(\.values)
    #expect(definitions == [["advertising revenue", "revenue"]])
    #expect(
      r.caveatLine(hint: "caveats(_)")?.hasPrefix("3 caveats: no period given; definitions differ") == true)
  }

  @Test func aStoryRenderedByAHost() throws {
    let pq = Interpreter()
    let markdown = "X: {{ x.mau }}. Revenue: {{ x.revenue }}.\n"
    var published: [String] = []
    func publish(_ page: String) { published.append(page) }
    // snippet: story
    let story = Source(name: "story.md", text: markdown)
    let page = try Story.render(story, as: .html, in: pq)
    publish(page.text)  // one HTML page, footnotes linked
    for item in page.caveated {  // what `--strict` would list
      print("\(item.location): \(item.expression) = \(item.shown): \(item.caveats)")
    }
    // end
    #expect(published.first?.contains("<li id=\"note-1\">Source: Similarweb") == true)
    #expect(page.caveated.map(\.expression) == ["x.revenue"])
  }

  @Test func guideSnippetsAreHere() throws {
    let guide = try #require(readText("docs/embedding.md"))
    let source = try #require(readText("Tests/PlatformQueryTests/API/EmbeddingGuideTests.swift"))
    func normalized(_ text: String) -> String {
      text.split(separator: "\n").map { $0.trimmingSpaces }.filter { !$0.isEmpty }.joined(separator: "\n")
    }
    let code = normalized(source)
    var blocks = 0
    var remaining = Substring(guide)
    while let start = remaining.firstRange(of: "```swift\n") {
      let rest = remaining[start.upperBound...]
      guard let end = rest.firstRange(of: "\n```") else { break }
      let block = String(rest[..<end.lowerBound])
      if !block.contains("// not compiled") {
        blocks += 1
        #expect(code.contains(normalized(block)), "guide block not in the tests:\n\(block)")
      }
      remaining = rest[end.upperBound...]
    }
    #expect(blocks >= 6)
  }
}

extension StringProtocol {
  fileprivate var trimmingSpaces: String {
    var slice = Substring(self)
    while slice.first == " " { slice = slice.dropFirst() }
    while slice.last == " " { slice = slice.dropLast() }
    return String(slice)
  }
}
