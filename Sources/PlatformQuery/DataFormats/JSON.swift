/// JSON reading and writing for pq values, written here so pq needs no Foundation.
public enum JSON {
  /// A value as JSON text. Quantities become `{"value": n, "unit": "users"}`; functions fail.
  /// A value nested deeper than `Value.deepestResult` is refused: it would be written by
  /// recursion, and indented as deep as it nests.
  public static func encode(_ value: Value, pretty: Bool = true) throws(PQError) -> String {
    if value.nests(deeperThan: Value.deepestResult) {
      throw PQError.limit(
        "depth limit reached: the value nests lists or records more than \(Value.deepestResult) deep, too deep to write as JSON",
        nil, reason: .depth)
    }
    let size = value.textSize(atMost: 1 << 30)
    if size > 1 << 30 {
      throw PQError.limit(
        "size limit reached: the value is more than 1 GiB as JSON", nil, reason: .size)
    }
    var out = ""
    try write(value, into: &out, indent: pretty ? 0 : nil)
    return out
  }

  static func write(_ value: Value, into out: inout String, indent: Int?) throws(PQError) {
    // Indented to 32 levels; deeper parts are written on one line, so that a deeply nested
    // value is not mostly indentation (its size grew as the square of its depth).
    let next = indent.flatMap { $0 >= 32 ? nil : $0 + 1 }
    switch value {
    case .nil: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let n): out += try number(n)
    case .quantity(let n, let measure):
      // In the unit as shown: 57% is {"value": 57, "unit": "%"}, 2 pp is {"value": 2, "unit": "pp"};
      // a figure with its provenance, a computed value with its expression and inputs.
      // A figure's own value: the figure object, without making its provenance.
      if let figure = measure.asFigure, figure.value == n {
        figureObject(figure, into: &out)
        return
      }
      let shown = try number(n, shownIn: measure.unit)
      guard let provenance = measure.provenance else {
        if let margin = measure.margin {
          out += "{\"value\": \(shown)"
          if !measure.unit.isNone { out += ", \"unit\": \(string(unitName(measure.unit)))" }
          out += marginMembers(margin, unit: measure.unit) + "}"
          return
        }
        out +=
          measure.unit.isNone ? shown : "{\"value\": \(shown), \"unit\": \(string(unitName(measure.unit)))}"
        return
      }
      if provenance.figureList.count == 1, provenance.expression == provenance.figureList[0].label,
        provenance.figureList[0].value == n, provenance.figureList[0].unit == measure.unit,
        provenance.figureList[0].margin == measure.margin
      {
        figureObject(provenance.figureList[0], into: &out)
      } else {
        out += "{\"value\": \(shown)"
        if !measure.unit.isNone { out += ", \"unit\": \(string(unitName(measure.unit)))" }
        if let margin = measure.margin { out += marginMembers(margin, unit: measure.unit) }
        out += ", \"expression\": \(string(provenance.expression)), \"inputs\": ["
        for (index, figure) in provenance.figureList.enumerated() {
          if index > 0 { out += ", " }
          figureObject(figure, into: &out)
        }
        out += "]"
        // How many figures each input stands for, when kept by kind: the caveats of the value
        // read back count every figure, as they did before it was saved.
        if let counts = provenance.counts {
          out += ", \"input_counts\": [" + counts.map { String($0) }.joined(separator: ", ") + "]"
        }
        // What the computation said beyond its figures' fields (a plain number read in a unit).
        if !provenance.givenCaveats.isEmpty {
          out += ", \"caveats_given\": ["
          for (index, caveat) in provenance.givenCaveats.enumerated() {
            if index > 0 { out += ", " }
            try write(caveat.value, into: &out, indent: nil)
          }
          out += "]"
        }
        out += "}"
      }
    case .string(let s): out += string(s)
    case .list(let items):
      if items.isEmpty {
        out += "[]"
        return
      }
      let (newline, closing) = breaks(indent)
      out += "["
      for (index, item) in items.enumerated() {
        out += (index > 0 ? "," : "") + newline
        try write(item, into: &out, indent: next)
      }
      out += closing + "]"
    case .record(let record):
      if record.count == 0 {
        out += "{}"
        return
      }
      let (newline, closing) = breaks(indent)
      out += "{"
      for (index, (key, item)) in record.pairs.enumerated() {
        out += (index > 0 ? "," : "") + newline + string(key) + ": "
        try write(item, into: &out, indent: next)
      }
      out += closing + "}"
    case .function(let function):
      throw PQError(.runtime, "cannot write the function \(function.name) as JSON")
    }
  }

  /// The line break before each member of a list or record written at `indent`, and before its
  /// closing bracket (none when not pretty).
  static func breaks(_ indent: Int?) -> (member: String, closing: String) {
    guard let indent else { return ("", "") }
    return ("\n" + String(repeating: "  ", count: indent + 1), "\n" + String(repeating: "  ", count: indent))
  }

  /// A figure as a JSON object: value and unit as shown, then every provenance field it has, so
  /// that loading it gives back the same figure. Appended to `out` piece by piece (a file of
  /// 200,000 rows has 800,000 of them).
  static func figureObject(_ figure: Figure, into out: inout String) {
    func field(_ key: String, _ text: String) {
      out += ", \""
      out += key
      out += "\": \""
      if Value.needsEscape(text) {
        out += string(text).dropFirst()
      } else {
        out += text
        out += "\""
      }
    }
    out += "{\"value\": "
    out += (try? number(figure.value, shownIn: figure.unit)) ?? "0"
    if !figure.unit.isNone { field("unit", unitName(figure.unit)) }
    field("label", figure.label)
    if !figure.platform.isEmpty { field("platform", figure.platform) }
    if !figure.field.isEmpty { field("field", figure.field) }
    if !figure.publisher.isEmpty { field("source", figure.publisher) }
    if let producer = figure.producer { field("producer", producer) }
    if figure.periodGiven {
      field("period", figure.period)
    } else {
      out += ", \"period\": null"
      field("period_note", figure.period)
    }
    if !figure.definition.isEmpty { field("definition", figure.definition) }
    if figure.status != .reported { field("status", figure.status.rawValue) }
    if let url = figure.url { field("url", url) }
    if let published = figure.published { field("published", published) }
    if let accessed = figure.accessed { field("accessed", accessed) }
    if let approximation = figure.approximation { field("approximate", approximation) }
    if !figure.quote.isEmpty { field("quote", figure.quote) }
    if !figure.statedAs.isEmpty { field("stated_as", figure.statedAs) }
    if let note = figure.note { field("note", note) }
    if let license = figure.license { field("license", license) }
    if let dataset = figure.dataset { field("dataset", dataset) }
    if let margin = figure.margin { out += marginMembers(margin, unit: figure.unit) }
    out += "}"
  }

  /// `, "margin": 3, "confidence": 0.95`: the margin in the value's scale as shown (3 for a
  /// percentage's 3 points), the confidence as a fraction.
  static func marginMembers(_ margin: Margin, unit: Unit) -> String {
    var members = ", \"margin\": " + ((try? number(margin.halfWidth, shownIn: unit)) ?? "0")
    if let confidence = margin.confidence {
      members += ", \"confidence\": " + NumberFormat.written(confidence)
    }
    return members
  }

  /// The keys a figure object may have besides `value` and `unit`.
  static let figureKeys: Set<String> = [
    "label", "platform", "field", "source", "producer", "period", "period_note", "definition", "status",
    "url",
    "published", "accessed", "approximate", "quote", "stated_as", "note", "license", "dataset", "margin",
    "confidence",
  ]

  /// `figureKeys` in order, and their table: asked of every key of a file, where a `Set`'s
  /// SipHash cost about 325 instructions a key.
  static let figureKeyList = Array(figureKeys).sorted()
  static let figureKeyTable = KeyTable(figureKeyList)

  /// Whether `key` is one of `figureKeys`.
  static func isFigureKey(_ key: String) -> Bool {
    figureKeyTable.position(of: key, in: figureKeyList) != nil
  }

  /// A figure, a computed value or a plain quantity from a JSON object's pairs, or nil when the
  /// object is something else (a record).
  ///
  /// `cache` keeps what a long file repeats: each period and unit is read once, and figures that
  /// say the same provenance share one origin (a saved file of 200,000 rows has a few sources
  /// and periods; read per figure they took 85% of the load).
  static func figure(
    from pairs: [(String, Value)], valueText: String? = nil, place: (row: Int, key: String)? = nil,
    cache: inout FigureCache
  )
    throws(ParseError) -> Value?
  {
    guard let valueIndex = pairs.firstIndex(where: { $0.0 == "value" }),
      let shown = pairs[valueIndex].1.numericValue, pairs[valueIndex].1.unit.isNone
    else { return nil }
    // The object's other members, found by scanning (at most a score of short keys: cheaper than
    // hashing each into a dictionary).
    let fields = Fields(pairs: pairs, skipping: valueIndex)
    let isComputed = fields["expression"] != nil || fields["inputs"] != nil
    let allowed = isComputed ? computedKeys : figureKeysAndUnit
    guard pairs.indices.allSatisfy({ $0 == valueIndex || allowed.contains(pairs[$0].0) }) else { return nil }
    var unit = Unit.none
    if let given = fields["unit"] {
      guard case .string(let name) = given else { return nil }
      // An object shaped like a figure whose unit pq cannot read is refused, not loaded as a
      // record that `ratio` and `sum` would then reject far from the cause.
      guard let parsed = cache.unit(name) else {
        throw ParseError(message: "unknown unit '\(name)' (\(Unit.namingNote))", offset: 0)
      }
      unit = parsed
    }
    // As shown (57 for 57%): the written decimal scaled before it is rounded, so that what pq
    // wrote reads back as exactly the number it held.
    let stored =
      unit.shownFactor == 1 ? shown : valueText.flatMap { NumberFormat.decimal($0, shift: -2) } ?? shown / 100
    // A figure says it is one: a unit, a source or a label (pq writes one on every figure).
    // `{"value": 3, "note": "x"}` stays a record.
    if fields["unit"] == nil, fields["source"] == nil, fields["label"] == nil, fields["margin"] == nil,
      !isComputed
    {
      return nil
    }
    let margin = try readMargin(fields, unit: unit)
    let onlyMeasure =
      fields.count == [fields["unit"], fields["margin"], fields["confidence"]].compactMap { $0 }.count
    if onlyMeasure { return Value.make(stored, unit, nil, margin: margin) }
    func text(_ key: String) -> String? {
      if case .string(let text)? = fields[key], !text.isEmpty { return text }
      return nil
    }
    if isComputed {
      guard case .list(let inputs)? = fields["inputs"] else { return nil }
      var figures: [Figure] = []
      for input in inputs {
        guard let figure = input.provenance?.figures.first else { return nil }
        figures.append(figure)
      }
      var counts: [Int]?
      if let given = fields["input_counts"] {
        guard case .list(let items) = given, items.count == figures.count else { return nil }
        var read: [Int] = []
        for item in items {
          guard case .number(let n) = item, n >= 1, n == n.rounded(), n < 1e15 else { return nil }
          read.append(Int(n))
        }
        counts = read
      }
      var given: [Caveat] = []
      if let listed = fields["caveats_given"] {
        guard case .list(let items) = listed else { return nil }
        for item in items {
          guard case .record(var record) = item else { return nil }
          record.kind = .caveat
          guard let caveat = Caveat(.record(record)) else { return nil }
          given.append(caveat)
        }
      }
      // A file of an older pq counted figures it did not list without saying of what kind: the
      // caveats cannot count them, and say so.
      if counts == nil, case .number(let n)? = fields["inputs_not_listed"], n >= 1 {
        given.append(
          Caveat(
            .missing, subjects: [],
            text:
              "\(NumberFormat.plain(n)) more figures were used but not listed in the file, so their caveats are not known"
          ))
      }
      let provenance = Provenance(
        text: .written(Provenance.bounded(text("expression") ?? "")), precedence: 10, figures: figures,
        givenCaveats: given, counts: counts)
      return Value.make(stored, unit, provenance, margin: margin)
    }
    var status = Figure.Status.reported
    if let word = text("status") {
      guard let known = Figure.Status.read(word) else {
        throw ParseError(
          message:
            "'\(word)' is not a status (\(Figure.Status.acceptedWords))",
          offset: 0)
      }
      status = known
    }
    var span: Period?
    if let period = text("period") {
      guard let read = cache.period(period) else {
        throw ParseError(message: "'\(period)' is not a period (\(Period.acceptedForms))", offset: 0)
      }
      span = read
    }
    var provenance = DataFile.RowOrigin()
    provenance.readTexts(text)
    provenance.periodGiven = span != nil
    provenance.span = span
    provenance.status = status
    provenance.definition = text("definition") ?? ""
    provenance.statedAs = text("stated_as") ?? ""
    let origin = cache.origin(provenance)
    // No label of its own, under a key of a record in a list: labelled by its place, as a CSV
    // file's figure is (`f.json[0].mau`), not by its value.
    if text("label") == nil, let place, cache.hasFile {
      return Dataset.figureValue(
        Figure(
          field: text("field") ?? place.key, value: stored, unit: unit, margin: margin,
          place: Figure.Place(platform: text("platform") ?? "", row: place.row, origin: origin)))
    }
    let figure = Figure(
      platform: text("platform") ?? "", field: text("field") ?? "",
      label: text("label") ?? "figure(\(NumberFormat.quantity(stored, unit)))", value: stored, unit: unit,
      margin: margin, origin: origin)
    return Dataset.figureValue(figure)
  }

  /// A figure object's `margin` (in the value's scale as shown) and `confidence` (a fraction, or
  /// a percentage written as pq writes one), or nil without a margin; what cannot be a margin or
  /// a confidence is an error, not dropped.
  static func readMargin(_ fields: Fields, unit: Unit) throws(ParseError) -> Margin? {
    guard let given = fields["margin"] else {
      if fields["confidence"] != nil {
        throw ParseError(message: "a confidence goes with a margin, and this figure has none", offset: 0)
      }
      return nil
    }
    guard case .number(let shown) = given, shown.isFinite, shown >= 0 else {
      throw ParseError(message: "a margin is a number that is not negative, not \(given.inline)", offset: 0)
    }
    var confidence: Double?
    if let level = fields["confidence"] {
      guard let fraction = level.numericValue, level.unit.isNone || level.isPercent, fraction > 0,
        fraction < 1
      else {
        throw ParseError(message: "a confidence is a fraction such as 0.95, not \(level.inline)", offset: 0)
      }
      confidence = fraction
    }
    return Margin(halfWidth: shown / unit.shownFactor, confidence: confidence)
  }

  /// What reading figure objects keeps for the rest of the file: periods and units read once,
  /// origins shared by the figures that say the same (up to 4,096 distinct ones).
  struct FigureCache {
    private var periods: [String: Period] = [:]
    private var units: [String: Unit] = [:]
    /// Shared as a CSV file's rows share theirs; the file name labels figures by their place.
    private var origins: DataFile.OriginCache

    /// The cache for a file (`""` when the text has no file: figures are then labelled by value).
    init(file: String = "") { origins = DataFile.OriginCache(file: file) }

    /// Whether figures can be labelled by their place in a file.
    var hasFile: Bool { !origins.file.isEmpty }

    /// The period a text names, or nil when it names none.
    mutating func period(_ text: String) -> Period? {
      if let known = periods[text] { return known }
      guard let read = Period.parse(text) else { return nil }
      if periods.count < 4096 { periods[text] = read }
      return read
    }

    /// The unit a name names, or nil.
    mutating func unit(_ name: String) -> Unit? {
      if let known = units[name] { return known }
      guard let read = Unit.parse(name) else { return nil }
      if units.count < 4096 { units[name] = read }
      return read
    }

    /// The one origin for these provenance fields.
    mutating func origin(_ provenance: DataFile.RowOrigin) -> Figure.Origin { origins.origin(provenance) }
  }

  /// The keys of a figure object besides `value`, and of a computed value's object.
  static let figureKeysAndUnit = figureKeys.union(["unit"])
  static let computedKeys: Set<String> = [
    "unit", "expression", "inputs", "inputs_not_listed", "input_counts", "caveats_given", "margin",
    "confidence",
  ]

  /// The members of an object other than `value`, looked up by key.
  struct Fields {
    let pairs: [(String, Value)]
    let skipping: Int

    /// The member's value; of a key given twice, the last (as a record keeps it).
    subscript(key: String) -> Value? {
      for index in pairs.indices.reversed() where index != skipping && pairs[index].0 == key {
        return pairs[index].1
      }
      return nil
    }

    /// How many members there are besides `value`.
    var count: Int { pairs.count - 1 }
  }

  /// A unit's name in JSON: `%`, `pp`, `users`, `USD`, `USD per user`.
  static func unitName(_ unit: Unit) -> String {
    if unit.factors.isEmpty {
      switch unit.scale {
      case .percent: return "%"
      case .points: return "pp"
      case .none: return ""
      }
    }
    return unit.description
  }

  /// A number in JSON with the fewest digits (15 to 17) that read back as the same double;
  /// whole numbers up to 2^53 exactly.
  static func number(_ n: Double) throws(PQError) -> String {
    guard n.isFinite else { throw PQError(.runtime, "cannot write \(n) as JSON") }
    return NumberFormat.written(n)
  }

  /// A number of `unit` in JSON as shown (57% as 57), exactly: it reads back as `n`
  /// (`NumberFormat.written(_:shift:)`).
  static func number(_ n: Double, shownIn unit: Unit) throws(PQError) -> String {
    guard n.isFinite else { throw PQError(.runtime, "cannot write \(n) as JSON") }
    return NumberFormat.written(n, shift: unit.shownFactor == 1 ? 0 : 2)
  }

  /// A JSON string: RFC 8259 escapes, control characters as `\u00XX`.
  static func string(_ text: String) -> String {
    Value.escaped(text) { scalar in
      if scalar.value == 0x7F { return String(Character(scalar)) }
      let hex = String(scalar.value, radix: 16)
      return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
  }

  /// A JSON parse failure at a byte offset.
  package struct ParseError: Error {
    package var message: String
    package var offset: Int
  }

  /// Parses JSON text. Strings in pq number notation (`"70.4M"`, `"$2B"`, `"57%"`) become
  /// numbers when `readNotation` is set; `{"value": n, "unit": u}` objects become quantities.
  /// With `readsFigures` off, every object stays a record (the platform data's own format,
  /// which `Dataset.parse` reads key by key).
  static func parse(_ text: String, readNotation: Bool, readsFigures: Bool = true) throws(ParseError) -> Value
  {
    try parse(bytes: Array(text.utf8), readNotation: readNotation, readsFigures: readsFigures)
  }

  /// Parses JSON held as UTF-8 bytes (a loaded file's, shared rather than copied).
  /// `file` (a path's last component) labels the figure objects of a list of records that give
  /// no label of their own by their place, as a CSV file's figures are: `f.json[0].mau`.
  static func parse(bytes: [UInt8], readNotation: Bool, readsFigures: Bool = true, file: String = "")
    throws(ParseError) -> Value
  {
    var parser = JSONParser(bytes: bytes, readNotation: readNotation)
    parser.readsFigures = readsFigures
    parser.figureCache = FigureCache(file: file)
    parser.skipSpace()
    let value = try parser.parseValue(depth: 0)
    parser.skipSpace()
    guard parser.position == parser.bytes.count else {
      throw ParseError(message: "unexpected text after the JSON value", offset: parser.position)
    }
    return value
  }
}
