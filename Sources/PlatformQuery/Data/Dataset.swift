/// The article's platforms and figures, read from the JSON embedded in the binary
/// (`stdlib/platforms.json`), each figure with its unit, publisher, period, definition and the
/// sentence it comes from.
public enum Dataset {
  /// One platform as the dataset describes it.
  public struct Platform: Sendable {
    /// The global name pq binds it to (`x`, `truth`), if any.
    public var label: String?
    /// The platform's name.
    public var name: String
    /// Descriptive fields in order (formerly, owner, parent, reach, role); nil where not stated.
    public var details: [(String, String?)]
    /// The sentence the descriptive fields come from.
    public var descriptionQuote: String
    /// Metric figures by field.
    public var figures: [String: Figure]
  }

  /// The article the data comes from: title, publisher, author, date.
  public static let article: [(String, String)] = parsed.article

  /// The global names of the built-in platforms (`label` in `stdlib/platforms.json`), known
  /// without reading the JSON; `DatasetTests` holds them to the file.
  static let builtInLabels = ["x", "truth"]

  /// Every platform the article names, in the article's order.
  public static let platforms: [Platform] = parsed.platforms

  /// Every figure in the dataset.
  public static var figures: [Figure] {
    platforms.flatMap { platform in Metric.allFields.compactMap { platform.figures[$0] } }
  }

  private static let parsed: (article: [(String, String)], platforms: [Platform]) = {
    do {
      return try parse(String(decoding: PackageResources.platforms_json, as: UTF8.self))
    } catch {
      preconditionFailure("stdlib/platforms.json is not valid: \(error)")
    }
  }()

  /// Reads platforms in the format of `stdlib/platforms.json`: an object with `platforms`, each
  /// with `name`, optional `label`, descriptive fields, and `figures` whose entries give
  /// `value`, `unit`, `publisher`, `period`, `definition`, `quote`, `stated_as`, `estimate`.
  static func parse(_ text: String) throws(PQError) -> (article: [(String, String)], platforms: [Platform]) {
    let root: Value
    do throws(JSON.ParseError) {
      root = try JSON.parse(text, readNotation: false, readsFigures: false)
    } catch {
      throw PQError(.runtime, "invalid platform JSON at byte \(error.offset): \(error.message)")
    }
    guard case .record(let top) = root, case .list(let entries)? = top["platforms"] else {
      throw PQError(.runtime, "platform JSON needs an object with a \"platforms\" list")
    }
    var articleFields: [(String, String)] = []
    if case .record(let article)? = top["article"] { articleFields = article.pairs.map { ($0.0, $0.1.text) } }
    var platforms: [Platform] = []
    for entry in entries {
      guard case .record(let record) = entry, case .string(let name)? = record["name"] else {
        throw PQError(.runtime, "every platform needs a \"name\" string")
      }
      let label: String? = if case .string(let text)? = record["label"] { text } else { nil }
      for key in record.keys where !Dataset.platformKeys.contains(key) {
        throw PQError(
          .runtime, "\(name): unknown key '\(key)'",
          notes: Suggestion.note(for: key, in: Dataset.platformKeys)
            + ["a platform has: " + Dataset.platformKeys.joined(separator: ", ")])
      }
      var details: [(String, String?)] = []
      for key in Dataset.detailKeys {
        if case .string(let text)? = record[key] {
          details.append((key, text))
        } else {
          details.append((key, nil))
        }
      }
      // A host's own details (`"details": {"founded": "2021"}`) follow the article's.
      if let extra = record["details"] {
        guard case .record(let extraDetails) = extra else {
          throw PQError(.runtime, "\(name): \"details\" must be an object of texts")
        }
        for (key, value) in extraDetails.pairs {
          guard isName(key), key != "name", !Dataset.detailKeys.contains(key),
            !Metric.allFields.contains(key)
          else {
            throw PQError(
              .runtime, "\(name): the detail '\(key)' is not a field name of its own",
              notes: ["a detail is a name (letters, digits, '_') other than name and the metrics"])
          }
          details.append((key, value.text))
        }
      }
      var figures: [String: Figure] = [:]
      if case .record(let figureRecords)? = record["figures"] {
        for (field, value) in figureRecords.pairs {
          // The article's metrics, or a host's own (`dau`): any name that is not a detail.
          guard isName(field), field != "name", !details.contains(where: { $0.0 == field })
          else {
            throw PQError(
              .runtime, "\(name): '\(field)' cannot be a metric",
              notes: ["a metric is a name (letters, digits, '_') other than name and the details"])
          }
          guard case .record(let f) = value, let number = f["value"]?.numericValue,
            case .string(let unitName)? = f["unit"], let unit = Unit.parse(unitName)
          else {
            throw PQError(
              .runtime, "\(name).\(field) needs a numeric \"value\" and a \"unit\"", notes: [Unit.namingNote])
          }
          for key in f.keys where !Dataset.figureKeys.contains(key) {
            throw PQError(
              .runtime, "\(name).\(field): unknown key '\(key)'",
              notes: Suggestion.note(for: key, in: Dataset.figureKeys)
                + ["a figure has: " + Dataset.figureKeys.joined(separator: ", ")])
          }
          figures[field] = Figure(
            platform: name, field: field, label: "\(label ?? "platform(\"\(name)\")").\(field)",
            value: number,
            unit: unit, publisher: f["publisher"]?.text ?? "", period: f["period"]?.text ?? "",
            definition: f["definition"]?.text ?? Metric.named(field)?.definition ?? "",
            quote: f["quote"]?.text ?? "",
            statedAs: f["stated_as"]?.text ?? "", isEstimate: f["estimate"]?.isTruthy ?? false,
            approximation: f["approximate"].flatMap { if case .string(let word) = $0 { word } else { nil } },
            periodGiven: f["period_given"]?.isTruthy ?? true)
        }
      }
      let quote = record["description_quote"]?.text ?? ""
      platforms.append(
        Platform(label: label, name: name, details: details, descriptionQuote: quote, figures: figures))
    }
    return (articleFields, platforms)
  }

  /// The keys a platform object of the JSON may have.
  static let platformKeys = ["name", "label", "figures", "details", "description_quote"] + detailKeys

  /// The keys a figure object of the JSON may have.
  static let figureKeys = [
    "value", "unit", "publisher", "period", "definition", "quote", "stated_as", "estimate", "approximate",
    "period_given",
  ]

  /// The descriptive fields of the article's platforms, besides `name`, in display order.
  static let detailKeys = ["formerly", "owner", "parent", "reach", "role"]

  /// The fields a table of platforms leaves to the platform card.
  static let hiddenInTables: Set<String> = Set(detailKeys + ["owner_stake"])

  /// Platforms for `Interpreter.Options.DataChoice.custom`, read from JSON in the format of the
  /// built-in data (see `docs/embedding.md`); each figure keeps its source.
  public static func platforms(fromJSON text: String) throws(PQError) -> [Value] {
    try parse(text).platforms.map(value(of:))
  }

  /// A platform value built in Swift: its name, descriptive fields and sourced figures.
  public static func platform(name: String, details: [(String, String)] = [], figures: [Figure] = []) -> Value
  {
    var byField: [String: Figure] = [:]
    for figure in figures { byField[figure.field] = figure }
    var detailFields: [(String, String?)] = Dataset.detailKeys.map { key in
      (key, details.first { $0.0 == key }?.1)
    }
    // Details of the host's own (`founded`, …) are kept after the article's, in their order.
    for (key, text) in details where !Dataset.detailKeys.contains(key) && key != "name" {
      detailFields.append((key, text))
    }
    return value(
      of: Platform(label: nil, name: name, details: detailFields, descriptionQuote: "", figures: byField))
  }

  /// A platform as a pq value: a record of kind `.platform` with every descriptive and metric
  /// field (nil where the article gives nothing), metric values carrying their figure's provenance.
  public static func value(of platform: Platform) -> Value {
    var pairs: [(String, Value)] = [("name", .string(platform.name))]
    for (key, text) in platform.details { pairs.append((key, text.map { .string($0) } ?? .nil)) }
    for field in Metric.allFields {
      if let figure = platform.figures[field] {
        pairs.append((field, figureValue(figure)))
      } else {
        pairs.append((field, .nil))
      }
    }
    // A host's own metrics (`dau`, …) come after the article's, in name order: none is dropped.
    for field in platform.figures.keys.sorted() where !Metric.allFields.contains(field) {
      if let figure = platform.figures[field] { pairs.append((field, figureValue(figure))) }
    }
    return .record(Record(pairs, kind: .platform))
  }

  /// A figure as a pq quantity carrying its provenance (the figure is its own measure).
  public static func figureValue(_ figure: Figure) -> Value {
    .quantity(figure.value, figure)
  }
}

extension Metric {
  /// Every metric field a platform record has: the five metrics, then the owner's stake.
  static let allFields = all.map(\.field) + ["owner_stake"]
}

extension Interpreter {
  /// Defines `platforms`, `x`, `truth` and `article` for the chosen dataset.
  ///
  /// The built-in data's names are defined at once, but their values are made the first time a
  /// source that reads one of them is resolved, or the host reads one (`fillBuiltInData`):
  /// reading the embedded JSON is a third of start-up, and a script that only works on its
  /// own figures never needs it (`pq -e 1`: 4.65M → 3.2M instructions, bench/README.md).
  func installDataset() {
    switch options.dataset {
    case .none:
      defineGlobal("platforms", .list([]), builtin: true)
    case .builtIn:
      for name in Dataset.builtInLabels + ["platforms", "article"] {
        defineGlobal(name, .nil, builtin: true)
        pendingData[name] = scope.names[name]?.index
      }
    case .custom(let values):
      defineGlobal("platforms", .list(values), builtin: true)
    case .labelled(let items):
      for item in items {
        if let label = item.label { defineGlobal(label, item.platform, builtin: true) }
      }
      defineGlobal("platforms", .list(items.map(\.platform)), builtin: true)
    }
  }

  /// Gives the built-in data's globals their values if any of `names` is one of them and they
  /// have none yet (see `installDataset`).
  func fillBuiltInData<Names: Sequence<String>>(ifReading names: Names) {
    guard !pendingData.isEmpty, names.contains(where: { pendingData[$0] != nil }) else { return }
    let slots = pendingData
    pendingData = [:]
    var values: [Value] = []
    for platform in Dataset.platforms {
      let value = Dataset.value(of: platform)
      values.append(value)
      if let label = platform.label, let index = slots[label] { runtime.globals[index] = value }
    }
    if let index = slots["platforms"] { runtime.globals[index] = .list(values) }
    if let index = slots["article"] {
      runtime.globals[index] = .record(Record(Dataset.article.map { ($0.0, .string($0.1)) }))
    }
  }
}
