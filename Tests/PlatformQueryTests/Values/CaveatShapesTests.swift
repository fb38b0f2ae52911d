import PQTestSupport
import Testing

@testable import PlatformQuery

/// Caveats come from the figures' own fields, whatever metric name, column or file shape they
/// came in: generated pairs of figures under different metric names, written as a long CSV, a
/// wide CSV, a CSV with a `datapackage.json`, a flat JSON list and a JSON list nested in a
/// document. Every missing or differing field must be named, and "none" said only when every
/// field is given and equal.
@Suite struct CaveatShapesTests {
  struct Side {
    var name: String
    var metric: String
    var value: String
    var source: String
    var period: String
    var definition: String
    var status: String

    var readStatus: Figure.Status { status.isEmpty ? .reported : Figure.Status.read(status) ?? .reported }
  }

  enum Shape: CaseIterable {
    case long, wide, sidecar, json, nestedJSON
  }

  static func sides(_ random: inout SplitMix) -> (Side, Side) {
    let metrics = ["mau", "registered", "dau", "signups"]
    let sources = ["", "Meta", "Bluesky"]
    let periods = ["", "2024-11", "2024-10", "2024"]
    let definitions = ["", "monthly active users", "registered accounts"]
    let statuses = ["", "reported", "estimated", "company claim"]
    let first = random.int(0...3)
    let second = (first + random.int(1...3)) % 4
    func side(_ name: String, _ metric: String, _ value: String) -> Side {
      Side(
        name: name, metric: metric, value: value, source: sources[random.int(0...2)],
        period: periods[random.int(0...3)], definition: definitions[random.int(0...2)],
        status: statuses[random.int(0...3)])
    }
    return (side("Threads", metrics[first], "275M"), side("Bluesky", metrics[second], "20M"))
  }

  /// Writes the two figures in `shape` and returns the file to load and the paths of the two
  /// figures in the loaded value.
  static func write(_ a: Side, _ b: Side, _ shape: Shape, in dir: String) throws -> (String, String, String) {
    func file(_ name: String, _ text: String) throws {
      try FileSystem.writeAtomically(dir + "/" + name, Array(text.utf8))
    }
    switch shape {
    case .long:
      var text = "name,metric,value,source,period,definition,status\n"
      for s in [a, b] {
        text +=
          [s.name, s.metric, s.value, s.source, s.period, s.definition, s.status].joined(separator: ",")
          + "\n"
      }
      try file("long.csv", text)
      return ("long.csv", "d[0].value", "d[1].value")
    case .wide:
      var text = "name,\(a.metric),\(b.metric),source,period,definition,status\n"
      text += [a.name, a.value, "", a.source, a.period, a.definition, a.status].joined(separator: ",") + "\n"
      text += [b.name, "", b.value, b.source, b.period, b.definition, b.status].joined(separator: ",") + "\n"
      try file("wide.csv", text)
      return ("wide.csv", "d[0].\(a.metric)", "d[1].\(b.metric)")
    case .sidecar:
      // Definitions from the descriptor's field descriptions; sources, periods and statuses
      // from the file's columns.
      var text = "name,\(a.metric),\(b.metric),source,period,status\n"
      text += [a.name, a.value, "", a.source, a.period, a.status].joined(separator: ",") + "\n"
      text += [b.name, "", b.value, b.source, b.period, b.status].joined(separator: ",") + "\n"
      try file("side.csv", text)
      func field(_ s: Side) -> String {
        s.definition.isEmpty
          ? "{\"name\": \"\(s.metric)\"}"
          : "{\"name\": \"\(s.metric)\", \"description\": \"\(s.definition)\"}"
      }
      try file(
        "datapackage.json",
        "{\"resources\": [{\"path\": \"side.csv\", \"schema\": {\"fields\": [{\"name\": \"name\"}, \(field(a)), \(field(b))]}}]}"
      )
      return ("side.csv", "d[0].\(a.metric)", "d[1].\(b.metric)")
    case .json, .nestedJSON:
      func record(_ s: Side) -> String {
        var pairs = ["\"name\": \"\(s.name)\"", "\"\(s.metric)\": \"\(s.value)\""]
        for (key, text) in [
          ("source", s.source), ("period", s.period), ("definition", s.definition), ("status", s.status),
        ] where !text.isEmpty {
          pairs.append("\"\(key)\": \"\(text)\"")
        }
        return "{" + pairs.joined(separator: ", ") + "}"
      }
      let list = "[\(record(a)), \(record(b))]"
      if shape == .json {
        try file("flat.json", list)
        return ("flat.json", "d[0].\(a.metric)", "d[1].\(b.metric)")
      }
      try file("nested.json", "{\"meta\": {\"title\": \"follow-up\", \"rows\": 2}, \"data\": \(list)}")
      return ("nested.json", "d.data[0].\(a.metric)", "d.data[1].\(b.metric)")
    }
  }

  @Test(arguments: Shape.allCases)
  func everyMissingOrDifferingFieldIsNamed(shape: Shape) throws {
    var random = SplitMix(state: 300 + UInt64(Shape.allCases.firstIndex(of: shape) ?? 0))
    for round in 0..<40 {
      let (a, b) = Self.sides(&random)
      let dir = temporaryDirectory()
      let (file, first, second) = try Self.write(a, b, shape, in: dir)
      let pq = makeInterpreter(files: .folders([dir])).0
      _ = try pq.evaluate("let d = load(\"\(dir)/\(file)\")")
      let context = "\(shape) round \(round): \(a) / \(b)"
      let ratio = try pq.evaluate("ratio(\(first), \(second))")
      // A JSON record with no provenance field at all holds a plain number, not a figure: the
      // caveats say it has no source, which covers its period and definition.
      func bare(_ s: Side) -> Bool {
        (shape == .json || shape == .nestedJSON) && s.source.isEmpty && s.period.isEmpty
          && s.definition.isEmpty
          && s.status.isEmpty
      }
      let bareSides = [a, b].filter(bare).count
      #expect(ratio.figures.count == 2 - bareSides, "\(context)")
      let kinds = Set(ratio.structuredCaveats.map(\.kind))
      let texts = ratio.caveatTexts
      if bareSides > 0 {
        #expect(
          texts.contains { $0.contains("has no source, so nothing can be said") }, "\(texts) — \(context)")
      }
      // Each field: missing on either side, or given on both and different, is named.
      for (field, kind, left, right) in [
        ("source", Caveat.Kind.source, a.source, b.source), ("period", .period, a.period, b.period),
        ("definition", .definition, a.definition, b.definition),
      ] {
        if left.isEmpty || right.isEmpty {
          guard bareSides == 0 else { continue }
          #expect(
            texts.contains { $0.hasPrefix("no \(field) is given") }, "\(field) missing: \(texts) — \(context)"
          )
        } else if left != right {
          #expect(kinds.contains(kind), "\(field) differs: \(texts) — \(context)")
        }
      }
      let unsure = a.readStatus != .reported || b.readStatus != .reported
      #expect(kinds.contains(.status) == unsure, "status: \(texts) — \(context)")
      // "none" only when every field is given and equal and both are reported.
      let clean =
        !a.source.isEmpty && a.source == b.source && !a.period.isEmpty && a.period == b.period
        && !a.definition.isEmpty && a.definition == b.definition && !unsure
      #expect(texts.isEmpty == clean, "\(texts) — \(context)")
      let explained = try pq.evaluate("explain(ratio(\(first), \(second)))").description
      #expect(explained.contains("caveats: none") == clean, "\(explained) — \(context)")
      let compared = try pq.evaluate("compare(\(first), \(second))").description
      #expect(compared.contains("caveats: none") == clean, "\(compared) — \(context)")
      // A ranking and a sum weigh the same two figures and say the same.
      let ranked = try pq.evaluate(
        "caveats(rank([{name: \"a\", v: \(first)}, {name: \"b\", v: \(second)}], \"v\"))")
      guard case .list(let rankedCaveats) = ranked else {
        Issue.record("caveats of a ranking is not a list")
        continue
      }
      // (A ranking also says when it reads a plain number in the other's unit: `mau` loads as
      // users, `registered` as a plain number.)
      let rankedKinds = Set(rankedCaveats.compactMap(Caveat.init).map(\.kind))
      #expect(rankedKinds.subtracting([.unitRead]) == kinds, "\(context)")
      if bareSides == 0 {
        // A sum reads a plain figure in the other's unit too, and says so as the ranking does.
        let summed = Set(try pq.evaluate("\(first) + \(second)").structuredCaveats.map(\.kind))
        #expect(summed.subtracting([.unitRead]) == kinds, "\(context)")
        #expect(summed.contains(.unitRead) == rankedKinds.contains(.unitRead), "\(context)")
      }
    }
  }

  /// One comparison, rendered as text, HTML and JSON from the same value, says the same caveats.
  @Test func textHTMLAndJSONAgree() throws {
    let (pq, _) = makeInterpreter()
    let value = try pq.evaluate("compare(x, truth)")
    let text = value.description
    let html = try #require(value.html)
    let json = try JSON.encode(value)
    guard case .record(let record) = value, case .list(let items)? = record["caveats"] else {
      Issue.record("compare gave no caveats")
      return
    }
    let caveats = items.compactMap(Caveat.init)
    #expect(caveats.count == 5)
    for caveat in caveats {
      #expect(text.contains("  - " + caveat.description))
      #expect(html.contains("<li>" + Markup.escape(caveat.description) + "</li>"))
      #expect(json.contains(JSON.string(caveat.text)))
      #expect(json.contains("\"kind\": " + JSON.string(caveat.kind.rawValue)))
    }
    // Each row carries its own caveats and its mark.
    let marked = try pq.evaluate(
      "filter(compare(x, truth).rows, fn(r) { r.marked }) |> map(fn(r) { r.metric })")
    #expect(marked.description == "[\"revenue\", \"news_share\"]")
    #expect(try pq.evaluate("compare(x, truth).rows[2].caveats[1].kind").description == "definition")
    #expect(
      try pq.evaluate("compare(x, truth).rows[2].caveats[1].values").description
        == "[\"advertising revenue\", \"revenue\"]")
  }
}

/// A typed number added to or subtracted from sourced figures has no source, and the result's
/// caveats say so, whichever side it is on and however the sum is written; a multiple or a zero
/// is not such a number.
@Suite struct TypedNumberCaveatTests {
  @Test func aTypedTermIsNamed() throws {
    let (pq, _) = makeInterpreter()
    for formula in [
      "x.mau + 5M", "5M + x.mau", "x.mau - 5M", "var r = {u: x.mau}\nr.u += 5M\nr.u",
      "var l = [x.mau]\nl[0] -= 1000\nl[0]", "var s = x.mau\ns += 5M\ns", "ratio(x.mau + 5M, truth.mau)",
    ] {
      let value = try pq.evaluate(formula)
      let caveats = value.provenance?.caveats ?? []
      #expect(caveats.contains { $0.kind == .source && $0.text.contains("has no source") }, "\(formula)")
    }
    for formula in ["x.mau * 2", "x.mau + 0", "x.mau - truth.mau", "x.mau / 1000"] {
      let caveats = try pq.evaluate(formula).provenance?.caveats ?? []
      #expect(!caveats.contains { $0.text.contains("has no source") }, "\(formula)")
    }
  }
}
