/// Where caveats come from: the figures' own fields — source, producer, period, definition,
/// status, approximation, note — whatever metric, column or file each figure came from. A
/// metric's name is a label, not a definition.
///
/// Up to ``listedFigures`` figures in all, caveats name the figures (`x.revenue is an
/// estimate`); beyond it (a sum of a column, a ranking, a chart of a series) they are summed up,
/// one line per kind, exactly: the span of the periods, the sources and definitions with their
/// counts, the statuses with theirs. Both are linear in the number of distinct kinds of figure
/// after a sort, never pairwise over many figures.
enum CaveatRules {
  /// Up to this many figures in all, caveats name the figures; beyond, they are summed up.
  static let listedFigures = 4

  /// The caveats of weighing `figures` together; `counts[i]` is how many figures `figures[i]`
  /// stands for (nil: one each). `figures` holds no two equal figures.
  static func caveats(of figures: [Figure], counts: [Int]? = nil) -> [Caveat] {
    if figures.isEmpty { return [] }
    let total = counts?.reduce(0, +) ?? figures.count
    if total <= listedFigures { return listed(figures) }
    return summary(figures, counts: counts ?? Array(repeating: 1, count: figures.count), total: total)
  }

  /// Names joined for a sentence: `a`, `a or b`, `a, b or c`.
  static func names(_ figures: [Figure], _ conjunction: String = "or") -> String {
    let all = figures.map(\.name)
    if all.count <= 1 { return all.first ?? "" }
    return all.dropLast().joined(separator: ", ") + " \(conjunction) " + all[all.count - 1]
  }

  /// The caveats of a few figures, naming them.
  static func listed(_ figures: [Figure]) -> [Caveat] {
    var result: [Caveat] = []
    // What a figure lacks is said once, for every figure that lacks it: "none" would claim it.
    let unsourced = figures.filter { $0.publisher.isEmpty }
    if !unsourced.isEmpty {
      result.append(Caveat(.source, figures: unsourced, text: "no source is given for \(names(unsourced))"))
    }
    let undated = figures.filter { !$0.periodGiven }
    if !undated.isEmpty {
      let written = undated.count == 1 && !undated[0].period.isEmpty ? " (\(undated[0].period))" : ""
      let consequence = figures.count > 1 ? ", so the periods cannot be compared" : ""
      result.append(
        Caveat(
          .period, figures: undated, text: "no period is given for \(names(undated))\(written)\(consequence)")
      )
    }
    let undefined = figures.filter { $0.definition.isEmpty }
    if !undefined.isEmpty {
      result.append(
        Caveat(.definition, figures: undefined, text: "no definition is given for \(names(undefined))"))
    }
    if figures.count == 2 {
      result += differences(figures[0], figures[1])
    } else if figures.count > 2 {
      // Three or four figures: each kind of difference once, pairwise when two values differ
      // (`periods are 1 month apart (…)`), listed when more do (`periods differ: 3 periods …`).
      for kind in [Caveat.Kind.period, .definition, .source, .producer, .status] {
        result += differing(kind, figures)
      }
    }
    // A claim already said to be weighed against other figures is not said again on its own.
    let weighedClaims = result.filter { $0.kind == .status }.compactMap(\.figures.first)
    // What figures say of themselves, once for all that say the same (`a and b are provisional`).
    var groups: [(kind: Caveat.Kind, values: [String], figures: [Figure])] = []
    for figure in figures {
      for caveat in own(figure) where !(caveat.kind == .status && weighedClaims.contains { $0 === figure }) {
        if let index = groups.firstIndex(where: { $0.kind == caveat.kind && $0.values == caveat.values }) {
          groups[index].figures.append(figure)
        } else {
          groups.append((caveat.kind, caveat.values, [figure]))
        }
      }
    }
    for group in groups { result.append(ownCaveat(group.kind, group.values, group.figures)) }
    return result
  }

  /// What differs between two figures' given fields: periods, definitions (of figures in the
  /// same unit: a rate's inputs count different things by nature), sources and statuses.
  static func differences(_ a: Figure, _ b: Figure) -> [Caveat] {
    var result: [Caveat] = []
    if a.periodGiven, b.periodGiven {
      if let spanA = a.span, let spanB = b.span {
        if let difference = spanA.difference(from: spanB) {
          result.append(Caveat(.period, figures: [a, b], values: [a.period, b.period], text: difference))
        }
      } else if a.period != b.period {
        result.append(
          Caveat(
            .period, figures: [a, b], values: [a.period, b.period],
            text: "periods differ (\(a.period) vs \(b.period))"))
      }
    }
    // Figures in different units (revenue and users: a rate) count different things by nature;
    // a plain number beside a count may count the same thing as it (`registered` beside `mau`).
    let sameUnit = a.unit == b.unit || a.unit.isNone || b.unit.isNone
    if sameUnit, !a.definition.isEmpty, !b.definition.isEmpty, a.definition != b.definition {
      result.append(
        Caveat(
          .definition, figures: [a, b], values: [a.definition, b.definition],
          text: "definitions differ (\(a.definition) vs \(b.definition))"))
    }
    if !a.publisher.isEmpty, !b.publisher.isEmpty {
      let primaryA = a.producer ?? a.publisher
      let primaryB = b.producer ?? b.publisher
      if a.publisher != b.publisher, primaryA == primaryB {
        result.append(
          Caveat(
            .producer, figures: [a, b], values: [a.publisher, b.publisher],
            text:
              "the same figures (\(primaryA)) through different publishers (\(a.publisher) vs \(b.publisher))"
          ))
      } else if primaryA != primaryB {
        let (kind, words) =
          a.publisher == b.publisher
          ? (Caveat.Kind.producer, "primary sources differ") : (.source, "sources differ")
        let text =
          sameUnit
          ? "\(words) (\(primaryA) vs \(primaryB))"
          : "combines figures from different sources (\(primaryA) and \(primaryB))"
        result.append(Caveat(kind, figures: [a, b], values: [primaryA, primaryB], text: text))
      }
    }
    if (a.status == .claimed) != (b.status == .claimed) {
      let (claim, other) = a.status == .claimed ? (a, b) : (b, a)
      result.append(
        Caveat(
          .status, figures: [claim, other], values: [claim.status.rawValue, other.status.rawValue],
          text:
            "a company's claim about itself (\(claim.name)) is weighed against a figure that is not one (\(other.name))"
        ))
    }
    return result
  }

  /// The caveats of `kind` between several figures: the pair's caveat when the figures hold two
  /// different values of the field, one line listing them when they hold more.
  static func differing(_ kind: Caveat.Kind, _ figures: [Figure]) -> [Caveat] {
    // One figure for each distinct value of the field (among the figures that give it).
    func distinct(_ key: (Figure) -> String?) -> [Figure] {
      var seen = Set<String>()
      return figures.filter { figure in key(figure).map { seen.insert($0).inserted } ?? false }
    }
    let kept: [Figure]
    switch kind {
    case .period: kept = distinct { $0.periodGiven ? $0.period : nil }
    case .definition: kept = distinct { $0.definition.isEmpty ? nil : $0.definition }
    case .source: kept = distinct { $0.publisher.isEmpty ? nil : $0.producer ?? $0.publisher }
    case .producer: kept = distinct { $0.publisher.isEmpty ? nil : $0.publisher }
    case .status: kept = distinct { $0.status == .claimed ? "claimed" : "not claimed" }
    default: return []
    }
    guard kept.count > 1 else { return [] }
    if kept.count == 2 || kind == .status || kind == .producer {
      var result: [Caveat] = []
      for (index, a) in kept.enumerated() {
        for b in kept[(index + 1)...] {
          for caveat in differences(a, b) where caveat.kind == kind { Caveat.add(caveat, to: &result) }
        }
      }
      return result
    }
    switch kind {
    case .period:
      let ordered = kept.sorted { ($0.span?.firstDay ?? 0, $0.period) < ($1.span?.firstDay ?? 0, $1.period) }
      let values = ordered.map(\.period)
      var text = "periods differ: \(values.count) periods (\(values.joined(separator: ", ")))"
      let spans = ordered.compactMap(\.span)
      if spans.count == ordered.count, let first = spans.map(\.firstDay).min(),
        let last = spans.map(\.lastDay).max()
      {
        text =
          "periods differ: \(values.count) periods from \(Period.day(first)) to \(Period.day(last)): "
          + values.joined(separator: ", ")
      }
      return [Caveat(.period, figures: kept, values: values, text: text)]
    case .definition:
      // Figures in different units count different things by nature (see `differences`).
      let units = Set(kept.filter { !$0.unit.isNone }.map { $0.unit.description })
      guard units.count <= 1 else { return [] }
      let values = kept.map(\.definition)
      return [
        Caveat(
          .definition, figures: kept, values: values,
          text: "definitions differ: " + values.joined(separator: ", "))
      ]
    default:
      let values = kept.map { $0.producer ?? $0.publisher }
      let units = Set(kept.filter { !$0.unit.isNone }.map { $0.unit.description })
      let words = units.count > 1 ? "combines figures from \(values.count) sources: " : "sources differ: "
      return [Caveat(.source, figures: kept, values: values, text: words + values.joined(separator: ", "))]
    }
  }

  /// What a figure's reader must know whatever it is weighed against: its status, an
  /// approximation, a note.
  static func own(_ figure: Figure) -> [Caveat] {
    var result: [Caveat] = []
    if figure.status != .reported { result.append(ownCaveat(.status, [figure.status.rawValue], [figure])) }
    if let approximation = figure.approximation {
      result.append(ownCaveat(.approximate, [approximation], [figure]))
    }
    if let note = figure.note { result.append(ownCaveat(.note, [note], [figure])) }
    return result
  }

  /// The caveat of figures that say the same of themselves: a status, an approximation, a note.
  static func ownCaveat(_ kind: Caveat.Kind, _ values: [String], _ figures: [Figure]) -> Caveat {
    let value = values.first ?? ""
    let named = Caveat.joined(figures.map(\.name))
    let text: String
    switch kind {
    case .status:
      let status = Figure.Status(rawValue: value) ?? .reported
      if figures.count == 1 {
        text = "\(named) is \(status.words ?? value)"
      } else {
        text = "\(named) are \(status == .provisional ? "provisional" : status.noun + "s")"
      }
    case .approximate:
      text = "\(named) \(figures.count == 1 ? "is" : "are") approximate (the source says “\(value)”)"
    default:
      text = "note on \(named): \(value)"
    }
    return Caveat(kind, figures: figures, values: values, text: text)
  }
}

extension Figure.Status {
  /// How a caveat says it of one figure, or nil for a reported figure.
  var words: String? {
    switch self {
    case .reported: return nil
    case .estimated: return "an estimate"
    case .provisional: return "provisional"
    case .forecast: return "a forecast"
    case .claimed: return "a company's claim about itself"
    }
  }

  /// The noun for a count of such figures: `3 estimates`.
  var noun: String {
    switch self {
    case .reported: return "reported figure"
    case .estimated: return "estimate"
    case .provisional: return "provisional figure"
    case .forecast: return "forecast"
    case .claimed: return "company claim"
    }
  }

  /// Reads a status as files and `figure()` write it, aliases included: `company claim` and
  /// `self-reported` are `claimed`, `estimate` is `estimated`.
  static func read(_ word: String) -> Figure.Status? {
    let lowered = word.trimmingSpaces.lowercased()
    if let status = Figure.Status(rawValue: lowered) { return status }
    switch lowered {
    case "company claim", "self-reported", "self reported", "claim": return .claimed
    case "estimate": return .estimated
    default: return nil
    }
  }

  /// The statuses and their aliases, for error notes.
  static let acceptedWords =
    "reported, estimated, provisional, forecast, claimed (also \"company claim\", \"self-reported\")"
}

extension CaveatRules {
  /// The caveats of values weighed side by side (a ranking, a chart, a list given to
  /// `caveats`): a plain number read in the others' unit, the values that have no source, then
  /// what every figure behind them says (``across(_:)``).
  static func weighing(_ values: [Value]) -> [Caveat] {
    var result: [Caveat] = []
    if let note = Comparison.unitlessNote(values) { result.append(note) }
    let unsourced = values.filter { $0.numericValue != nil && $0.inputFigures.isEmpty }
    if !unsourced.isEmpty {
      let n = unsourced.count
      // "none of the 3 values has no source" said the opposite of what it meant.
      let which =
        n == values.count
        ? (n == 1 ? "the value has no source" : "none of the \(n) values has a source")
        : "\(n) of the \(values.count) values \(n == 1 ? "has" : "have") no source"
      result.append(
        Caveat(
          .source, subjects: unsourced.map(\.inline),
          text: "\(which), so nothing can be said about \(n == 1 ? "its" : "their") period or definition"
        ))
    }
    for caveat in across(values) { Caveat.add(caveat, to: &result) }
    return result
  }

  /// A figure without a unit (a file's column whose header gives none) added to, taken from or
  /// weighed as a share or change of a count or an amount: it is read in the other's unit, as
  /// `-` reads a plain number, and the result says so as weighing says it (`unit read`: "20M
  /// has no unit, so it is taken to be in users"). Nil otherwise, and for a typed number (its
  /// own caveat says that it has no source).
  static func unitRead(_ a: Value, _ b: Value) -> Caveat? {
    let (plain, other) = a.isPlainNumber ? (a, b) : (b, a)
    guard plain.isPlainNumber, !other.isPlainNumber, plain.sourcedMeasure != nil else { return nil }
    return Comparison.unitlessNote([plain, other])
  }

  /// The caveats of weighing `values` together: every figure behind them, counted, and what
  /// their computations said.
  static func across(_ values: [Value]) -> [Caveat] {
    let inputs = values.compactMap { Provenance.Input($0.sourcedMeasure) }
    return Provenance.combine(text: .written(""), precedence: 10, inputs: inputs)?.caveats(ofResult: false)
      ?? []
  }
}

extension CaveatRules {
  /// Shares of different wholes (59% of X's users, 57% of Truth Social's) do not add up: their
  /// sum is no share of anything, and their plain mean is not the share of all the users
  /// together. The caveat for adding (`mean: false`) or averaging such shares, or nil when the
  /// figures are not percentages of more than one platform.
  /// A number with no source added to or subtracted from a sourced one (`x.mau + 5M`): the
  /// result is only as good as the typed number, and its caveats must not read "none".
  static func typedNumber(_ shown: String, added: Bool) -> Caveat {
    Caveat(
      .source, subjects: [shown],
      text: "\(shown) has no source: it was \(added ? "added to" : "subtracted from") the sourced figures")
  }

  /// A margin combined from several figures' margins: the formulas assume the figures come
  /// from independent samples.
  static func combinedMargin(_ margin: Margin, unit: Unit) -> Caveat {
    Caveat(
      .margin, subjects: [],
      text: "the margin of error combines its inputs' margins assuming independent samples (to first order)")
  }

  /// Figures with a margin of error behind a result that carries none (a built-in that does not
  /// propagate margins): said, so that the result is not read as exact.
  static func uncarriedMargins(_ figures: FigureList) -> Caveat? {
    // Asked of every result's caveats: most have no figure with a margin, and make no list.
    guard figures.contains(where: { $0.margin != nil }) else { return nil }
    let uncertain = figures.filter { $0.margin != nil }
    let listed = uncertain.prefix(3).map { "\($0.name) ±\($0.margin?.shown(in: $0.unit) ?? "")" }
    let more = uncertain.count > 3 ? " and \(uncertain.count - 3) more" : ""
    return Caveat(
      .margin, figures: Array(uncertain),
      text:
        "the margin of error of \(listed.joined(separator: ", "))\(more) is not carried into this result: it is less certain than it looks"
    )
  }

  /// Two figures weighed against each other when either has a margin of error: the gap within
  /// their combined margin is no difference worth reporting (AP style: a lead within the
  /// margin of error is not a lead); margins at different confidences cannot be combined, so
  /// the gap cannot be judged. Nil when neither has a margin or the gap is larger.
  static func marginJudgement(_ a: Value, _ b: Value) -> Caveat? {
    let ma = Margin.of(a)
    let mb = Margin.of(b)
    guard ma != nil || mb != nil else { return nil }
    let subjects = [a.inline, b.inline]
    var comparable = true
    do { _ = try Margin.combinedConfidence(ma, mb) } catch { comparable = false }
    if !comparable, let ma, let mb {
      return Caveat(
        .margin, figures: Array(a.inputFigures) + Array(b.inputFigures), subjects: subjects,
        text:
          "their margins of error are at different confidence levels (\(ma.confidenceText), \(mb.confidenceText)): whether the gap means anything cannot be said"
      )
    }
    guard let (margin, within) = Margin.gap(a, b), within else { return nil }
    let level =
      margin.confidence.map { " at " + NumberFormat.percentage($0 * 100, digits: 3) + "% confidence" } ?? ""
    return Caveat(
      .margin, figures: Array(a.inputFigures) + Array(b.inputFigures), subjects: subjects,
      text: "within the margin of error (±\(margin.shown(in: a.unit))\(level)): not a meaningful difference")
  }

  static func wholes(_ figures: FigureList, mean: Bool) -> Caveat? {
    var platforms: [String] = []
    var shares: [Figure] = []
    for figure in figures where figure.unit.scale == .percent && figure.unit.isDimensionless {
      shares.append(figure)
      if !figure.platform.isEmpty, !platforms.contains(figure.platform) { platforms.append(figure.platform) }
    }
    guard platforms.count > 1 else { return nil }
    let wholes = Caveat.joined(platforms.map { $0 + "'s users" })
    let text =
      mean
      ? "the shares are of different wholes (\(wholes)): this mean is unweighted, not the share of all their users together"
      : "the shares are of different wholes (\(wholes)), so their sum is not a share of anything"
    return Caveat(.wholes, figures: shares, values: platforms, text: text)
  }
}
