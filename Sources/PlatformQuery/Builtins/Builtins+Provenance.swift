extension Builtins {
  /// The figures behind a value: a number's sources, or every figure of a platform or comparison.
  static func figures(of value: Value) -> [Figure] {
    switch value {
    case .quantity(_, let measure): return measure.provenance?.figures ?? []
    case .record(let record):
      var result: [Figure] = []
      for field in record.values {
        for figure in figures(of: field) where !result.contains(figure) { result.append(figure) }
      }
      return result
    case .list(let items):
      var result: [Figure] = []
      for item in items {
        for figure in figures(of: item) where !result.contains(figure) { result.append(figure) }
      }
      return result
    default: return []
    }
  }

  static func caveats(of value: Value) -> [String] {
    if case .record(let record) = value, case .list(let list)? = record["caveats"],
      record.kind == .comparison || record.kind == .platformComparison
    {
      return list.map(\.text)
    }
    return value.provenance?.caveats ?? []
  }

  static let provenance: [NativeFunction] = [
    NativeFunction(
      "source(value)",
      doc:
        "The sources behind a figure or a computed value, as records (figure, value, publisher, period, definition, quote).",
      example: "source(x.mau / truth.mau)"
    ) { arguments throws(PQError) in
      .list(
        figures(of: arguments[0]).map { figure in
          .record(
            Record([
              ("figure", .string(figure.label)), ("value", Dataset.figureValue(figure)),
              ("publisher", .string(figure.publisher)), ("period", .string(figure.period)),
              ("definition", .string(figure.definition)), ("quote", .string(figure.quote)),
            ]))
        })
    },
    NativeFunction(
      "quote(value)", doc: "The article's sentences behind a value, one per line.",
      example: "quote(truth.news_share)"
    ) { arguments throws(PQError) in
      var sentences: [String] = []
      for figure in figures(of: arguments[0]) where !sentences.contains(figure.quote) {
        sentences.append(figure.quote)
      }
      return .string(sentences.map { "“\($0)”" }.joined(separator: "\n"))
    },
    NativeFunction(
      "caveats(value)",
      doc:
        "The caveats of a computed value or comparison: inputs whose periods, sources or definitions differ.",
      example: "caveats(ratio(x.revenue, truth.revenue))"
    ) { arguments throws(PQError) in
      .list(caveats(of: arguments[0]).map { .string($0) })
    },
    NativeFunction(
      "explain(value)",
      doc:
        "How a value was computed: the expression, each input with its figure, publisher and period, and caveats.",
      example: "explain(ratio(x.mau, truth.mau))"
    ) { arguments throws(PQError) in
      .string(explanation(arguments[0]))
    },
  ]

  static func explanation(_ value: Value) -> String {
    let inputs = figures(of: value)
    guard !inputs.isEmpty else {
      return "\(value.inline) has no sources: it is not computed from the article's figures."
    }
    // Built as one string: `joined(separator:)` over an array of lines costs several times more.
    var text = ""
    text.reserveCapacity(256 * inputs.count + 128)
    if let provenance = value.provenance {
      text += provenance.expression
      text += " = "
      text += value.inline
    } else {
      let inline = value.inline
      text += inline.characterCount > 60 ? "\(value.typeName) built from \(inputs.count) figures" : inline
    }
    text += "\ninputs:"
    var labelWidth = 0
    var valueWidth = 0
    for figure in inputs {
      labelWidth = Swift.max(labelWidth, figure.labelWidth)
      valueWidth = Swift.max(valueWidth, figure.shownValueWidth)
    }
    for figure in inputs {
      text += "\n  "
      text += figure.label
      text.appendSpaces(labelWidth - figure.labelWidth + 2)
      text += figure.shownValue
      text.appendSpaces(valueWidth - figure.shownValueWidth + 2)
      text += figure.sourceLine
      if !figure.quote.isEmpty {
        text += "\n  "
        text.appendSpaces(labelWidth + 2)
        text += "“"
        text += figure.quote
        text += "”"
      }
    }
    let notes = caveats(of: value)
    if notes.isEmpty {
      text +=
        inputs.count == 1
        ? "\ncaveats: none (sourced, dated and stated exactly)"
        : "\ncaveats: none (same sources, periods and definitions)"
    } else {
      text += "\ncaveats:"
      for note in notes {
        text += "\n  - "
        text += note
      }
    }
    return text
  }
}
