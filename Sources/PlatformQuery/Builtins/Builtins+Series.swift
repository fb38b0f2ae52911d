/// Time series: one platform's figures for a metric across periods, from loaded rows in the wide
/// form (`name, mau, period, …`) or the long form (`name, metric, value, period, …`).
extension Builtins {
  /// The figures of `platform` for `metric` in `rows`, oldest period first.
  static func seriesFigures(_ arguments: Arguments) throws(PQError) -> [Value] {
    let rows = try arguments.list(0)
    let platform = try arguments.string(1)
    let metric = try arguments.string(2)
    var found: [(start: Int, end: Int, value: Value)] = []
    for (index, row) in rows.enumerated() {
      guard case .record(let record) = row else {
        throw arguments.error(0, "row \(index) is \(Arithmetic.describe(row)), not a record")
      }
      guard case .string(let name)? = record["name"], name.lowercased() == platform.lowercased() else {
        continue
      }
      let value: Value
      if case .string(let rowMetric)? = record["metric"], let cell = record["value"] {
        guard rowMetric == metric else { continue }
        value = cell
      } else if let cell = record[metric] {
        value = cell
      } else {
        continue
      }
      if case .nil = value { continue }
      guard value.numericValue != nil else {
        throw arguments.error(0, "row \(index): \(metric) is \(Arithmetic.describe(value)), not a number")
      }
      guard let figure = value.provenance?.figures.first, value.provenance?.figures.count == 1,
        let span = figure.span
      else {
        throw arguments.error(
          0, "row \(index): \(platform)'s \(metric) has no period, so it cannot take a place in a series",
          notes: ["give the rows a 'period' column (2024-09, 2024-Q3, September 2024, …)"])
      }
      found.append((span.firstDay, span.lastDay, value))
    }
    guard !found.isEmpty else {
      // What the rows do have: the platform's names and metrics, with the closest to the one
      // asked for.
      var names: [String] = []
      var metrics: [String] = []
      for row in rows {
        guard case .record(let record) = row else { continue }
        if case .string(let name)? = record["name"], !names.contains(name) { names.append(name) }
        if case .string(let rowMetric)? = record["metric"] {
          if !metrics.contains(rowMetric) { metrics.append(rowMetric) }
        } else {
          for (key, value) in record.pairs where value.numericValue != nil && !metrics.contains(key) {
            metrics.append(key)
          }
        }
      }
      var notes: [String] = []
      if !names.contains(where: { $0.lowercased() == platform.lowercased() }) {
        notes += Suggestion.note(for: platform, in: names)
        notes.append("names: " + names.prefix(12).joined(separator: ", ") + (names.count > 12 ? ", …" : ""))
      } else {
        notes += Suggestion.note(for: metric, in: metrics)
        notes.append(
          "metrics: " + metrics.prefix(12).joined(separator: ", ") + (metrics.count > 12 ? ", …" : ""))
      }
      notes.append(
        "series reads rows with a 'name' column and either a '\(metric)' column or 'metric' and 'value' columns"
      )
      throw arguments.failure("no row has a figure for \(platform)'s \(metric)", notes: notes)
    }
    return found.sorted { ($0.start, $0.end) < ($1.start, $1.end) }.map(\.value)
  }

  static let series: [NativeFunction] = [
    NativeFunction(
      "series(rows, platform, metric)",
      doc: "One platform's figures for a metric across periods, oldest first (rows in wide or long form).",
      example: "series(load(\"examples/data/monthly.csv\"), \"X\", \"mau\")"
    ) { arguments throws(PQError) in .list(try seriesFigures(arguments)) },
    NativeFunction(
      "latest(rows, platform, metric)",
      doc: "The figure of the newest period in series(rows, platform, metric).",
      example: "latest(load(\"examples/data/monthly.csv\"), \"X\", \"mau\")"
    ) { arguments throws(PQError) in try seriesFigures(arguments).last ?? .nil },
    NativeFunction(
      "group(values, aggregate)", named: ["per"],
      doc:
        "A series grouped into weeks (ISO, 2024-W44), months, quarters or years (per:), each bucket's figures combined by sum, mean, min, max or latest: one record {period, value} a bucket, with a caveat when the data covers only part of it.",
      example: "group(series(load(\"examples/data/monthly.csv\"), \"X\", \"mau\"), mean, per: \"quarter\")"
    ) { arguments throws(PQError) in try group(arguments) },
  ]

  /// The buckets `group` knows, longest last.
  static let groupBuckets = ["week", "month", "quarter", "year"]

  /// The bucket a day falls in: its label and its first and last day.
  static func bucket(_ day: Int, per: String) -> (label: String, first: Int, last: Int) {
    let (year, month, _) = Period.civil(day)
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    switch per {
    case "week":
      let (isoYear, week) = Period.isoWeek(of: day)
      let first = Period.isoWeekOne(isoYear) + 7 * (week - 1)
      return ("\(isoYear)-W\(two(week))", first, first + 6)
    case "month":
      return (
        "\(year)-\(two(month))", Period.day(year, month, 1),
        Period.day(year, month, Period.daysIn(year, month))
      )
    case "quarter":
      let quarter = (month - 1) / 3
      return (
        "\(year)-Q\(quarter + 1)", Period.day(year, quarter * 3 + 1, 1),
        Period.day(year, quarter * 3 + 3, Period.daysIn(year, quarter * 3 + 3))
      )
    default:
      return ("\(year)", Period.day(year, 1, 1), Period.day(year, 12, 31))
    }
  }

  /// `group(values, aggregate, per:)`: the figures of a series (each with a period) put in the
  /// buckets their periods lie in, each bucket's combined by the aggregate, oldest first. A
  /// figure whose period spans two buckets (a month grouped by week) is refused, as is one
  /// without a period: nothing is guessed.
  static func group(_ arguments: Arguments) throws(PQError) -> Value {
    let items = try arguments.list(0)
    let aggregate: String
    switch arguments[1] {
    case .function(let function): aggregate = function.name
    case .string(let name): aggregate = name
    default: throw arguments.typeError(1, "sum, mean, min, max or latest")
    }
    guard ["sum", "mean", "min", "max", "latest"].contains(aggregate) else {
      throw arguments.error(
        1, "group combines a bucket's figures by sum, mean, min, max or latest, not \(aggregate)")
    }
    guard case .string(let per)? = arguments.named["per"], groupBuckets.contains(per) else {
      throw arguments.failure(
        "group needs per: \"week\", \"month\", \"quarter\" or \"year\"",
        notes: ["as in group(s, sum, per: \"month\")"])
    }
    var buckets: [String: (first: Int, last: Int, items: [(value: Value, first: Int, last: Int)])] = [:]
    for (index, item) in items.enumerated() {
      guard item.numericValue != nil else {
        throw arguments.error(0, "item \(index) is \(Arithmetic.describe(item)), not a figure")
      }
      let figures = item.inputFigures
      guard figures.count == 1, let figure = figures.first, let span = figure.span else {
        throw arguments.error(
          0, "item \(index) (\(item.inline)) has no period of its own, so it has no bucket",
          notes: ["group the figures of series(rows, platform, metric), each with its period"])
      }
      let start = bucket(span.firstDay, per: per)
      guard span.lastDay <= start.last else {
        throw arguments.error(
          0, "\(figure.name) covers \(figure.period), more than one \(per)",
          notes: [
            "group by a longer period (" + groupBuckets.drop { $0 != per }.dropFirst().joined(separator: ", ")
              + ")"
          ])
      }
      buckets[start.label, default: (start.first, start.last, [])].items.append(
        (item, span.firstDay, span.lastDay))
    }
    var rows: [(label: String, value: Value, covers: String?)] = []
    for (label, bucket) in buckets.sorted(by: { $0.value.first < $1.value.first }) {
      let values = bucket.items.map(\.value)
      var result: Value
      switch aggregate {
      case "sum": result = try total(values, arguments, mean: false)
      case "mean":
        result = try Arithmetic.apply(
          .divide, try total(values, arguments, mean: true), .number(Double(values.count)))
      case "latest": result = bucket.items.max { ($0.last, $0.first) < ($1.last, $1.first) }?.value ?? .nil
      default:
        var best = values[0]
        for value in values.dropFirst() {
          let smaller = try Arithmetic.apply(.less, value, best, tracking: false)
          if smaller.isTruthy == (aggregate == "min") { best = value }
        }
        result = best
      }
      // Days of the bucket with data: a week of three daily figures is not a whole week.
      var covered = Set<Int>()
      for item in bucket.items { for day in item.first...item.last { covered.insert(day) } }
      let length = bucket.last - bucket.first + 1
      var covers: String?
      if covered.count < length {
        covers = "\(covered.count) of \(length) days"
        let caveat = Caveat(
          .period, figures: Array(values.flatMap(\.inputFigures)), values: [label],
          text: "the data covers \(covered.count) of the \(length) days of \(label)")
        let provenance =
          result.provenance ?? Provenance(expression: result.inline, figures: Array(result.inputFigures))
        result = Value.make(
          result.numericValue ?? 0, result.unit, provenance.adding([caveat]), margin: Margin.of(result))
      }
      rows.append((label, result, covers))
    }
    // A bucket the data only partly covers says so in a column of its own, not only in the
    // caveats of its value: a table of weekly sums shows which weeks are short.
    let partial = rows.contains { $0.covers != nil }
    let shape = Shape(keys: partial ? ["period", "value", "covers"] : ["period", "value"])
    return .list(
      rows.map { row in
        var values: [Value] = [.string(row.label), row.value]
        if partial { values.append(row.covers.map { .string($0) } ?? .string("all")) }
        return .record(Record(shape: shape, values: values))
      })
  }
}

extension Builtins {
  /// `join(a, b, on: "name", keep: "inner"|"left")`: each record of `a` with the fields of the
  /// records of `b` whose `on` field matches (case and surrounding spaces aside), one row per
  /// match; `keep: "left"` also keeps the rows of `a` without one, their `b` fields empty. A
  /// field both sides have besides the key is kept from each, `b`'s with `_2` added. Each figure
  /// keeps its own provenance. Names that did not match are reported in one line.
  static func joinRecords(_ arguments: Arguments) throws(PQError) -> Value {
    let left = try arguments.list(0)
    let right = try arguments.list(1)
    var key = "name"
    if let given = arguments.named["on"] {
      guard case .string(let text) = given, !text.isEmpty else {
        throw arguments.failure("on: is the name of a field, as in on: \"name\"")
      }
      key = text
    }
    var keepsLeft = false
    if let given = arguments.named["keep"] {
      guard case .string(let word) = given, word == "left" || word == "inner" else {
        throw arguments.failure(
          "keep: is \"inner\" (rows that match, the default) or \"left\" (every row of the first list)")
      }
      keepsLeft = word == "left"
    }
    // The key's position in the shape last asked about: a loaded file's rows share one shape,
    // so the key is found once a list, not by comparing field names on every row.
    var lastShape: Shape?
    var lastPosition: Int?
    func keyValue(_ record: Record) -> Value? {
      if record.shape !== lastShape {
        lastShape = record.shape
        lastPosition = record.shape.position(of: key)
      }
      return lastPosition.map { record.values[$0] }
    }
    // A list's records and each one's key as text (`Value.text`).
    func records(_ items: [Value], _ position: Int, _ side: String) throws(PQError) -> ([Record], [String]) {
      var result: [Record] = []
      var texts: [String] = []
      result.reserveCapacity(items.count)
      texts.reserveCapacity(items.count)
      for (index, item) in items.enumerated() {
        guard case .record(let record) = item else {
          throw arguments.error(
            position, "row \(index) of the \(side) list is \(Arithmetic.describe(item)), not a record")
        }
        guard let value = keyValue(record), !value.isNil else {
          throw arguments.error(
            position, "row \(index) of the \(side) list has no '\(key)'",
            notes: ["fields: " + record.keys.joined(separator: ", ")])
        }
        result.append(record)
        texts.append(value.text)
      }
      return (result, texts)
    }
    let (first, firstTexts) = try records(left, 0, "first")
    let (second, secondTexts) = try records(right, 1, "second")
    // Whether every key is ASCII: then keys are compared and hashed
    // over their bytes, ignoring case; else as `String`s, lowercased and compared as Swift
    // compares text (`é` written as one character or as `e` and an accent are the same name).
    let ascii = firstTexts.allSatisfy(JoinKey.isASCII) && secondTexts.allSatisfy(JoinKey.isASCII)
    // The second list's rows by name, as groups of rows in order: a table from name to group,
    // and each row's next in its group (no list made a name).
    var groupOf = NumberedKeys<JoinKey>(count: second.count)
    var groupFirst: [Int] = []
    var groupLast: [Int] = []
    var groupSize: [Int] = []
    var nextInGroup = [Int](repeating: -1, count: second.count)
    for index in second.indices {
      let (group, isNew) = groupOf.insert(JoinKey(secondTexts[index], ascii: ascii))
      if !isNew {
        nextInGroup[groupLast[group]] = index
        groupLast[group] = index
        groupSize[group] += 1
      } else {
        groupFirst.append(index)
        groupLast.append(index)
        groupSize.append(1)
      }
    }
    // Each list's fields, in order of first appearance: a shape's keys are read once, not once
    // a row (a loaded file's rows share one shape).
    func fields(_ records: [Record], except skipped: String?) -> [String] {
      var fields: [String] = []
      var seen = Set<String>()
      var lastShape: Shape?
      for record in records where lastShape !== record.shape {
        lastShape = record.shape
        for field in record.keys where field != skipped && seen.insert(field).inserted {
          fields.append(field)
        }
      }
      return fields
    }
    // The second list's fields, renamed where the first list has them too.
    let secondKeys = fields(second, except: key)
    let firstKeys = fields(first, except: nil)
    let firstKeySet = Set(firstKeys)
    let renamed = secondKeys.map { firstKeySet.contains($0) ? $0 + "_2" : $0 }
    // One shape for every row; a record's values copied by position when it has the shape its
    // list's first record has (a loaded file's rows all do), else found by key.
    let kind = first.first?.kind ?? .plain
    let shape = Shape(keys: firstKeys + renamed, kind: kind == .platform ? .platform : .plain)
    let firstShape = first.first?.shape
    let secondShape = second.first?.shape
    let secondPositions = secondShape.map { shape in secondKeys.map { shape.keys.firstIndex(of: $0) } }
    let firstInOrder = firstShape?.keys == firstKeys
    let width = shape.keys.count
    // A joined row: the first record's values, then the second's (nil for a row kept alone).
    func joined(_ record: Record, _ index: Int?) -> Value {
      var values: [Value] = []
      values.reserveCapacity(width)
      if let firstShape, firstInOrder, record.shape === firstShape {
        values.append(contentsOf: record.values)
      } else {
        for field in firstKeys { values.append(record[field] ?? .nil) }
      }
      if let index {
        let other = second[index]
        if let secondShape, let secondPositions, other.shape === secondShape {
          for position in secondPositions { values.append(position.map { other.values[$0] } ?? .nil) }
        } else {
          for field in secondKeys { values.append(other[field] ?? .nil) }
        }
      } else {
        for _ in secondKeys { values.append(.nil) }
      }
      return .record(Record(shape: shape, values: values))
    }
    // Each first-list row's group (-1: none), and how many rows the join makes: counted and
    // charged to the runtime's limits before any is made, since names repeated on both sides
    // multiply (3,000 rows named alike on each side are 9,000,000 joined rows: under untrusted
    // limits that was 770 MB made before the size limit refused it).
    let groupOfFirst = first.indices.map { groupOf.number(of: JoinKey(firstTexts[$0], ascii: ascii)) ?? -1 }
    var total = 0
    for group in groupOfFirst {
      total &+= group < 0 ? (keepsLeft ? 1 : 0) : groupSize[group]
    }
    try arguments.runtime.reserve(total, arguments.span)
    try arguments.runtime.charge(total &* Runtime.containerBytes(width), arguments.span)
    var rows: [Value] = []
    rows.reserveCapacity(total)
    var unmatchedFirst: [String] = []
    var matched = [Bool](repeating: false, count: groupFirst.count)
    // Names the second list has more than once: each row of the first list with that name is
    // paired with each of them, so the first list's rows are repeated (reported below).
    var repeated: [(name: String, rows: Int)] = []
    for (index, record) in first.enumerated() {
      let group = groupOfFirst[index]
      guard group >= 0 else {
        unmatchedFirst.append(keyValue(record)?.text ?? "")
        if keepsLeft { rows.append(joined(record, nil)) }
        continue
      }
      if !matched[group] {
        matched[group] = true
        if groupSize[group] > 1 {
          repeated.append((keyValue(second[groupFirst[group]])?.text ?? "", groupSize[group]))
        }
      }
      var index = groupFirst[group]
      while index >= 0 {
        rows.append(joined(record, index))
        index = nextInGroup[index]
      }
    }
    let unmatchedSecond = groupFirst.indices.filter { !matched[$0] }.map {
      keyValue(second[groupFirst[$0]])?.text ?? ""
    }
    if !repeated.isEmpty {
      let listed = repeated.prefix(8).map { "\($0.name) (\($0.rows) rows)" }.joined(separator: ", ")
      arguments.runtime.output(
        "join: \(plural(repeated.count, key)) \(repeated.count == 1 ? "appears" : "appear") more than once in the second list, so the first list's rows with "
          + (repeated.count == 1 ? "it" : "them") + " are repeated, once for each: " + listed
          + (repeated.count > 8 ? " and \(repeated.count - 8) more" : "")
          + " — group the second list first, or join on a field that names one row\n")
    }
    if !unmatchedFirst.isEmpty || !unmatchedSecond.isEmpty {
      var parts: [String] = []
      if !unmatchedFirst.isEmpty {
        parts.append(
          "only in the first list: " + unmatchedFirst.prefix(8).joined(separator: ", ")
            + (unmatchedFirst.count > 8 ? " and \(unmatchedFirst.count - 8) more" : "")
            + (keepsLeft ? " (kept, without the second list's fields)" : ""))
      }
      if !unmatchedSecond.isEmpty {
        parts.append(
          "only in the second: " + unmatchedSecond.prefix(8).joined(separator: ", ")
            + (unmatchedSecond.count > 8 ? " and \(unmatchedSecond.count - 8) more" : ""))
      }
      arguments.runtime.output("join: \(key)s that did not match — " + parts.joined(separator: "; ") + "\n")
    }
    return .list(rows)
  }
}

/// A `join` key: a field's text with its surrounding spaces trimmed and its letters lowercased
/// (`" Bluesky"` matches `"bluesky"`). When every key of a join is ASCII (most are: `P000001`,
/// `Bluesky`) a key keeps its text, hashes its lowercased bytes once (FNV-1a, as record shapes
/// hash their keys) and compares bytes ignoring case: no lowercased text is made, and no
/// `String` hashing with its Unicode normalisation (about a thousand instructions a row of a
/// 200,000-row join). Otherwise keys are lowercased `String`s, hashed and compared as Swift
/// compares text, where canonically equivalent spellings are equal.
struct JoinKey: PrehashedKey {
  /// ASCII: the text, trimmed (case kept); else the text trimmed and lowercased.
  let text: String
  /// ASCII: FNV-1a over the lowercased bytes; else the text's `hashValue`.
  let hash: Int
  private let ascii: Bool

  init(_ raw: String, ascii: Bool) {
    self.ascii = ascii
    guard ascii else {
      text = raw.trimmingSpaces.lowercased()
      hash = text.hashValue
      return
    }
    text = raw.trimmingSpaces
    var bytes = text
    hash = bytes.withUTF8 { Int(truncatingIfNeeded: KeyTable.hash($0.lazy.map(JoinKey.lowered))) }
  }

  static func isASCII(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in !bytes.contains { $0 >= 0x80 } }
  }

  private static func lowered(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
  }

  static func == (left: JoinKey, right: JoinKey) -> Bool {
    guard left.hash == right.hash else { return false }
    guard left.ascii, right.ascii else { return left.text == right.text }
    var (a, b) = (left.text, right.text)
    return a.withUTF8 { a in
      b.withUTF8 { b in
        a.count == b.count && !zip(a, b).contains { lowered($0) != lowered($1) }
      }
    }
  }
}
