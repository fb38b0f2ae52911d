/// One figure as the article gives it: the number, its unit, who measured it, when, what it
/// counts, and the sentence it comes from.
public struct Figure: Sendable, Hashable {
  /// The platform's name, e.g. `Truth Social`.
  public var platform: String
  /// The metric field, e.g. `mau`.
  public var field: String
  /// How pq code reaches it, e.g. `truth.mau`.
  public var label: String
  /// The number.
  public var value: Double
  /// Its unit.
  public var unit: Unit
  /// Who produced the figure: `Similarweb`, `Pew Research`, `X (company report)`, …
  public var publisher: String
  /// The period it covers: `September 2024`, `first half of 2024`, …
  public var period: String
  /// What exactly it counts.
  public var definition: String
  /// The article's sentence it comes from.
  public var quote: String
  /// The words of the sentence that state the number, e.g. `698,000`.
  public var statedAs: String
  /// True for an estimate rather than a measured or reported figure.
  public var isEstimate: Bool

  /// Creates a figure.
  public init(
    platform: String, field: String, label: String, value: Double, unit: Unit, publisher: String,
    period: String, definition: String, quote: String, statedAs: String, isEstimate: Bool = false
  ) {
    self.platform = platform
    self.field = field
    self.label = label
    self.value = value
    self.unit = unit
    self.publisher = publisher
    self.period = period
    self.definition = definition
    self.quote = quote
    self.statedAs = statedAs
    self.isEstimate = isEstimate
  }
}

/// Where a computed number came from: the expression that produced it, the figures it used, and
/// the caveats that combining them raised. Plain numbers have none and pay nothing.
public final class Provenance: Sendable {
  /// The computation, e.g. `x.mau / truth.mau`.
  public let expression: String
  /// How tightly `expression` binds, for parenthesising it inside a larger one.
  let precedence: Int
  /// The distinct figures used, in order of first use.
  public let figures: [Figure]
  /// Caveats: inputs whose periods or definitions differ.
  public let caveats: [String]

  /// Creates provenance.
  public init(expression: String, figures: [Figure], caveats: [String] = []) {
    self.expression = expression
    self.precedence = 10
    self.figures = figures
    self.caveats = caveats
  }

  init(expression: String, precedence: Int, figures: [Figure], caveats: [String]) {
    self.expression = expression.count > 240 ? String(expression.prefix(237)) + "…" : expression
    self.precedence = precedence
    self.figures = figures
    self.caveats = caveats
  }

  /// Provenance of a single figure.
  convenience init(figure: Figure) {
    self.init(expression: figure.label, precedence: 10, figures: [figure], caveats: [])
  }

  /// Combines the inputs of a computation into the provenance of its result, adding a caveat for
  /// every pair of figures whose periods or definitions differ.
  static func combine(_ expression: String, precedence: Int, _ inputs: [Provenance?]) -> Provenance? {
    let present = inputs.compactMap { $0 }
    if present.isEmpty { return nil }
    var figures: [Figure] = []
    var caveats: [String] = []
    for provenance in present {
      for figure in provenance.figures where !figures.contains(figure) { figures.append(figure) }
      for caveat in provenance.caveats where !caveats.contains(caveat) { caveats.append(caveat) }
    }
    for (index, a) in present.enumerated() {
      for b in present[(index + 1)...] {
        for caveat in Provenance.caveats(between: a.figures, and: b.figures) where !caveats.contains(caveat) {
          caveats.append(caveat)
        }
      }
    }
    return Provenance(expression: expression, precedence: precedence, figures: figures, caveats: caveats)
  }

  /// Caveats raised by weighing figures against each other: for the same metric, differing
  /// periods, publishers or definitions; for any two, an estimate weighed against a measurement.
  static func caveats(between left: [Figure], and right: [Figure]) -> [String] {
    var result: [String] = []
    for a in left {
      for b in right where a != b {
        var differences: [String] = []
        if a.period != b.period { differences.append("periods differ (\(a.period) vs \(b.period))") }
        if a.field == b.field {
          if a.definition != b.definition {
            differences.append("definitions differ (\(a.definition) vs \(b.definition))")
          }
          if a.publisher != b.publisher {
            differences.append("sources differ (\(a.publisher) vs \(b.publisher))")
          }
        }
        if a.isEstimate != b.isEstimate {
          let estimate = a.isEstimate ? a : b
          differences.append("\(estimate.label) is an estimate")
        }
        if !differences.isEmpty {
          result.append("\(a.label) and \(b.label): " + differences.joined(separator: "; "))
        }
      }
    }
    return result
  }
}
