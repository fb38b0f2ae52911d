import PQTestSupport
import Testing

@testable import PlatformQuery

/// `xs[i] = v`, `r.k = v`, `r["k"] = v`, `rows[i].k = v` and `+=` change a value in place when
/// one variable holds it, and copy it — once — when another still does (value semantics).
@Suite struct InPlaceUpdateTests {
  /// The number of shared lists and records copied while `script` runs.
  func copies(_ script: String, _ pq: Interpreter) throws -> Int {
    let before = pq.runtime.copies
    try pq.run(script: script, name: "updates")
    return pq.runtime.copies - before
  }

  /// Updates of values one variable holds copy nothing, however many there are: each kind of
  /// path, on globals, locals and captured variables.
  @Test func updatesOfAnUnsharedValueCopyNothing() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(
      script: """
        var flags = range(2000)
        var r = {}
        var rows = []
        for i in range(2000) { rows += [{v: i, tags: []}] }
        var m = {l: [0], n: 0}
        var counts = [0]
        """, name: "setup")
    let loops = """
      var i = 0
      while i < 2000 {
        flags[i] = false
        counts[-1] += 1
        r["k\\(i)"] = i
        r.last = i
        rows[i].v = 0
        rows[i]["v"] += 1
        rows[i].tags += [i]
        m.l += [i]
        m.l[0] = i
        m.n += 1
        i += 1
      }
      """
    #expect(try copies(loops, pq) == 0)
    #expect(
      try show("[len(flags), flags[0], flags[1999], counts[0], len(keys(r)), r.k1999, r.last]", pq)
        == "[2000, false, false, 2000, 2001, 1999, 1999]")
    #expect(try show("[rows[7].v, rows[7].tags, len(m.l), m.l[0], m.n]", pq) == "[1, [7], 2001, 1999, 2000]")
    let local = """
      fn build(n) {
        var xs = range(n)
        var rec = {}
        for i in range(n) { xs[i] = xs[i] * 2; rec["f\\(i)"] = i }
        var count = 0
        let add = fn() { xs[0] += 1; rec.f0 += 1; count += 1 }
        for i in range(n) { add() }
        return [xs[0], xs[n - 1], rec.f0, len(keys(rec)), count]
      }
      let built = build(3000)
      """
    #expect(try copies(local, pq) == 0)
    #expect(try show("built", pq) == "[3000, 5998, 3000, 3000, 3000]")
  }

  /// A value another variable holds is copied by the first change and no more: the other
  /// variable keeps what it had.
  @Test func aSharedValueIsCopiedOnceAndTheOtherKeepsIt() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(
      script: "var a = range(100)\nvar r = {x: 1, y: [1, 2]}\nvar rows = [{v: 1}, {v: 2}]", name: "setup")
    #expect(try copies("let b = a\nfor i in range(100) { a[i] = -i }", pq) == 1)
    #expect(try show("[b[5], a[5]]", pq) == "[5, -5]")
    #expect(try copies("let s = r\nr.x = 2\nr.z = 3\nr.y[0] = 9", pq) >= 1)
    #expect(try show("[s == {x: 1, y: [1, 2]}, r == {x: 2, y: [9, 2], z: 3}]", pq) == "[true, true]")
    // Only the list on the path that is shared is copied: the outer list and the one row.
    #expect(try copies("let first = rows[0]\nrows[0].v = 10\nrows[1].v = 20", pq) == 1)
    #expect(try show("[first == {v: 1}, rows == [{v: 10}, {v: 20}]]", pq) == "[true, true]")
    #expect(try copies("let kept = rows\nrows[1].v = 30", pq) == 2)
    #expect(try show("[kept[1].v, rows[1].v]", pq) == "[20, 30]")
  }

  /// A function's parameter is its own: changing it changes nothing the caller holds.
  @Test func aFunctionChangesItsOwnCopy() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(
      script: """
        fn zero(xs) { var ys = xs; ys[0] = 0; return ys }
        fn tag(rec) { var copy = rec; copy.tag = 1; copy.extra = 2; return copy }
        let list = [5, 6]
        let changed = zero(list)
        let data = {tag: 0}
        let tagged = tag(data)
        """, name: "args")
    #expect(
      try show("[list, changed, data == {tag: 0}, tagged == {tag: 1, extra: 2}]", pq)
        == "[[5, 6], [0, 6], true, true]")
  }

  /// Record literals with the same keys share one shape (so a field's cached position serves
  /// all of them); records of other shapes read and set through the same nodes get their own
  /// fields, whichever order their keys are in.
  @Test func fieldsAreFoundInEveryShape() throws {
    let (pq, _) = makeInterpreter()
    guard case .list(let items) = try pq.evaluate("[{a: 1, b: 2}, {a: 3, b: 4}]"),
      case .record(let first) = items[0], case .record(let second) = items[1]
    else {
      Issue.record("not two records")
      return
    }
    #expect(first.shape === second.shape)
    let script = """
      var rows = [{a: 1, b: 2}, {b: 20, a: 10}, {c: 0, a: 100, b: 200}, {a: 1000, b: 2000}]
      var sums = [0, 0]
      for round in range(3) {
        for i in range(len(rows)) {
          sums[0] += rows[i].a
          sums[1] += rows[i].b
          rows[i].a += 1
          rows[i]["b"] -= 1
        }
      }
      """
    try pq.run(script: script, name: "shapes")
    #expect(try show("sums", pq) == "[3345, 6654]")
    #expect(
      try show("[rows[1].a, rows[1].b, rows[2].c, keys(rows[2])]", pq) == "[13, 17, 0, [\"c\", \"a\", \"b\"]]"
    )
  }

  /// A failed update leaves the variable as it was, wherever on the path it fails.
  @Test func aFailedUpdateChangesNothing() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(script: "var a = [1, [2, 3]]\nvar r = {n: 1, l: [1]}", name: "setup")
    for failing in [
      "a[5] = 0", "a[1][2] = 0", "a[0][0] = 1", "a[1] += \"x\"", "r.missing += 1", "r.l[3] = 0",
      "r.n += \"s\"", "r[1] = 2", "a.x = 1", "r.l.x = 1",
    ] {
      #expect(failure(failing, pq) != nil, "\(failing)")
      #expect(try show("[a, r]", pq) == "[[1, [2, 3]], {n: 1, l: [1]}]", "\(failing)")
    }
  }

  /// The copy of a shared value is charged like any list made: a loop that shares and changes a
  /// long list each round meets the memory budget instead of copying without bound.
  @Test func copiesAreChargedToTheBudget() throws {
    let (pq, _) = makeInterpreter(limits: Limits(memory: 16 << 20))
    let error = failure(
      "var a = range(200000)\nvar keep = []\nfor i in range(50) { let b = a; a[0] = i; keep = b }", pq)
    #expect(error?.limitReason == .memory, "\(String(describing: error))")
    let (unshared, _) = makeInterpreter(limits: Limits(memory: 16 << 20))
    #expect(failure("var a = range(200000)\nfor i in range(50) { a[0] = i }", unshared) == nil)
  }

  /// Generated sequences of updates, aliasing and appends on lists, records, lists of records
  /// and records holding lists, run as globals, as a function's locals and as variables a
  /// closure captured, against a model with Swift's value semantics.
  @Test func generatedUpdatesMatchValueSemantics() throws {
    var random = SplitMix(state: 32)
    for round in 0..<60 {
      var model = UpdateModel()
      var lines: [String] = []
      for _ in 0..<random.int(20...80) { lines.append(model.step(&random)) }
      let names = UpdateModel.names
      let result = "{" + names.map { "\($0): \($0)" }.joined(separator: ", ") + "}"
      let setup = UpdateModel.setup
      let mode = round % 3
      let script: String
      switch mode {
      case 0:
        script =
          setup.joined(separator: "\n") + "\n" + lines.joined(separator: "\n") + "\nlet out = \(result)"
      case 1:
        script =
          "fn body() {\n" + setup.joined(separator: "\n") + "\n" + lines.joined(separator: "\n")
          + "\nreturn \(result)\n}\nlet out = body()"
      default:
        script =
          "fn body() {\n" + setup.joined(separator: "\n") + "\nlet go = fn() {\n"
          + lines.joined(separator: "\n")
          + "\n}\ngo()\nreturn \(result)\n}\nlet out = body()"
      }
      let (pq, _) = makeInterpreter(prelude: false)
      do {
        try pq.run(script: script, name: "generated")
      } catch {
        Issue.record("round \(round): \(error.message)\n\(script)")
        continue
      }
      for name in names {
        let got = try show("out.\(name)", pq)
        let expected = try show(model.literal(name), pq)
        #expect(got == expected, "round \(round), mode \(mode), \(name)\n\(script)")
      }
    }
  }
}

/// What the generated programs of `generatedUpdatesMatchValueSemantics` should leave, kept with
/// Swift's own value semantics.
struct UpdateModel {
  typealias Fields = [(String, Int)]
  static let names = ["a", "b", "r", "s", "rows", "rows2", "m", "mm"]
  static let setup = [
    "var a = [1, 2, 3]", "var b = []", "var r = {k0: 0}", "var s = {}", "var rows = [{v: 1}]",
    "var rows2 = []", "var m = {l: [0], n: 0}", "var mm = {l: [], n: 0}",
  ]
  var a = [1, 2, 3]
  var b: [Int] = []
  var r: Fields = [("k0", 0)]
  var s: Fields = []
  var rows: [Fields] = [[("v", 1)]]
  var rows2: [Fields] = []
  var m = (l: [0], n: 0)
  var mm = (l: [Int](), n: 0)

  static func set(_ fields: inout Fields, _ key: String, _ value: Int, adding: Bool = false) {
    if let at = fields.firstIndex(where: { $0.0 == key }) {
      fields[at].1 = adding ? fields[at].1 + value : value
    } else {
      fields.append((key, value))
    }
  }

  static func index(_ count: Int, _ random: inout SplitMix) -> (Int, String) {
    let at = random.int(0...(count - 1))
    return random.int(0...3) == 0 ? (at, "\(at - count)") : (at, "\(at)")
  }

  /// One generated statement, applied to the model.
  mutating func step(_ random: inout SplitMix) -> String {
    let n = random.int(-50...50)
    switch random.int(0...17) {
    case 0 where !a.isEmpty:
      let (at, shown) = UpdateModel.index(a.count, &random)
      a[at] = n
      return "a[\(shown)] = \(n)"
    case 1 where !a.isEmpty:
      let (at, shown) = UpdateModel.index(a.count, &random)
      a[at] += n
      return "a[\(shown)] += \(n)"
    case 2:
      a += [n, n + 1]
      return "a += [\(n), \(n + 1)]"
    case 3:
      if random.int(0...1) == 0 {
        b = a
        return "b = a"
      }
      a = b
      return "a = b"
    case 4:
      a.append(n)
      return "a += [\(n)]"
    case 5:
      let key = "k\(random.int(0...5))"
      UpdateModel.set(&r, key, n)
      return random.int(0...1) == 0 ? "r.\(key) = \(n)" : "r[\"\(key)\"] = \(n)"
    case 6 where !r.isEmpty:
      let key = r[random.int(0...(r.count - 1))].0
      UpdateModel.set(&r, key, n, adding: true)
      return "r[\"\(key)\"] += \(n)"
    case 7:
      if random.int(0...1) == 0 {
        s = r
        return "s = r"
      }
      r = s
      return "r = s"
    case 8 where !rows.isEmpty:
      let (at, shown) = UpdateModel.index(rows.count, &random)
      UpdateModel.set(&rows[at], "v", n)
      return "rows[\(shown)].v = \(n)"
    case 9 where !rows.isEmpty:
      let (at, shown) = UpdateModel.index(rows.count, &random)
      let key = "w\(random.int(0...2))"
      UpdateModel.set(&rows[at], key, n)
      return "rows[\(shown)][\"\(key)\"] = \(n)"
    case 10:
      rows.append([("v", n)])
      return "rows += [{v: \(n)}]"
    case 11:
      if random.int(0...1) == 0 {
        rows2 = rows
        return "rows2 = rows"
      }
      rows = rows2
      return "rows = rows2"
    case 12 where !rows.isEmpty:
      let (at, shown) = UpdateModel.index(rows.count, &random)
      rows[at] = [("v", n)]
      return "rows[\(shown)] = {v: \(n)}"
    case 13 where !m.l.isEmpty:
      let (at, shown) = UpdateModel.index(m.l.count, &random)
      m.l[at] = n
      return random.int(0...1) == 0 ? "m.l[\(shown)] = \(n)" : "m[\"l\"][\(shown)] = \(n)"
    case 14:
      m.l.append(n)
      return "m.l += [\(n)]"
    case 15:
      m.n += n
      return "m.n += \(n)"
    case 16:
      if random.int(0...1) == 0 {
        mm = m
        return "mm = m"
      }
      m = mm
      return "m = mm"
    default:
      if !rows2.isEmpty, let first = rows2.first, first.contains(where: { $0.0 == "v" }) {
        UpdateModel.set(&rows2[0], "v", n, adding: true)
        return "rows2[0].v += \(n)"
      }
      return "b += []"
    }
  }

  static func list(_ items: [Int]) -> String { "[" + items.map(String.init).joined(separator: ", ") + "]" }
  static func record(_ fields: Fields) -> String {
    "{" + fields.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "}"
  }

  /// The pq literal of what variable `name` should hold.
  func literal(_ name: String) -> String {
    switch name {
    case "a": return UpdateModel.list(a)
    case "b": return UpdateModel.list(b)
    case "r": return UpdateModel.record(r)
    case "s": return UpdateModel.record(s)
    case "rows": return "[" + rows.map(UpdateModel.record).joined(separator: ", ") + "]"
    case "rows2": return "[" + rows2.map(UpdateModel.record).joined(separator: ", ") + "]"
    case "m": return "{l: \(UpdateModel.list(m.l)), n: \(m.n)}"
    default: return "{l: \(UpdateModel.list(mm.l)), n: \(mm.n)}"
    }
  }
}

/// A large shape finds its keys through `KeyTable`; it must find what a scan finds (the last of
/// a repeated key), for shapes made whole and grown a key at a time, and nothing for keys it
/// lacks.
@Suite struct KeyTableTests {
  /// The JSON reader's table of figure keys answers as the set it is made from.
  @Test func figureKeysAreFoundByTheirTable() {
    for key in JSON.figureKeys { #expect(JSON.isFigureKey(key), "\(key)") }
    for key in ["value", "unit", "name", "Source", "periods", "", "sourc", "mau", "quote "] {
      #expect(JSON.isFigureKey(key) == JSON.figureKeys.contains(key), "\(key)")
    }
  }

  @Test func largeShapesFindWhatAScanFinds() {
    var random = SplitMix(state: 38)
    for round in 0..<40 {
      let count = random.int(0...300)
      let keys = (0..<count).map { _ in random.int(0...5) == 0 ? "" : "k\(random.int(0...(count + 5)))é" }
      let whole = Shape(keys: keys)
      let grown = Shape(keys: [])
      var record = Record(shape: grown, values: [])
      for key in keys where record.shape.position(of: key) == nil { record.appendField(key, .nil) }
      let probes = keys + (0..<20).map { "absent\($0)" } + ["k", "K1é"]
      for probe in probes {
        #expect(whole.position(of: probe) == keys.lastIndex(of: probe), "round \(round): \(probe)")
        #expect(
          record.shape.position(of: probe) == record.keys.firstIndex(of: probe), "round \(round): \(probe)")
      }
    }
  }
}
