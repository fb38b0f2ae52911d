/// Many figures' caveats summed up, one line per kind, exactly (a sum of a column, a ranking, a
/// chart of a series): the span of the periods, the sources and definitions with their counts.
extension CaveatRules {
  /// The caveats of many figures, one line per kind, exact: every count is of all the figures.
  static func summary(_ figures: [Figure], counts: [Int], total: Int) -> [Caveat] {
    var result: [Caveat] = []
    let all = Array(zip(figures, counts))
    func count(_ items: [(Figure, Int)]) -> Int { items.reduce(0) { $0 + $1.1 } }
    func ofAll(_ n: Int) -> String {
      n == total ? "any of the \(total) figures" : "\(n) of the \(total) figures"
    }
    func examples(_ items: [(Figure, Int)]) -> String {
      let named = items.prefix(2).map(\.0.name)
      let rest = count(items) - named.count
      return " (" + named.joined(separator: ", ") + (rest > 0 ? " and \(rest) more" : "") + ")"
    }
    // Periods: the span from the earliest start to the latest end, how many, of what length.
    let undated = all.filter { !$0.0.periodGiven }
    let dated = all.filter { $0.0.periodGiven }
    var periods: [String: (text: String, span: Period?, count: Int)] = [:]
    for (figure, n) in dated {
      periods[figure.period, default: (figure.period, figure.span, 0)].count += n
    }
    if periods.count > 1 {
      let spans = periods.values.compactMap(\.span)
      var text: String
      let values = periods.values.sorted {
        ($0.span?.firstDay ?? 0, $0.text) < ($1.span?.firstDay ?? 0, $1.text)
      }
      .map(\.text)
      if spans.count == periods.count, let first = spans.map(\.firstDay).min(),
        let last = spans.map(\.lastDay).max()
      {
        let length = Period.commonLength(spans)
        // Each period named, up to twelve (as sources and definitions are); a long series is
        // its count, length and span.
        let listedPeriods = values.count <= 12 ? ": " + values.joined(separator: ", ") : ""
        text =
          "periods differ: \(values.count) \(length.map { $0 + " " } ?? "")periods from \(Period.day(first)) to \(Period.day(last))\(listedPeriods)"
        if length == nil { text += " (of different lengths)" }
        if let gap = Period.uncovered(spans, first: first, last: last) { text += "; " + gap }
      } else {
        text =
          "periods differ: \(values.count) periods (\(values.prefix(6).joined(separator: ", "))\(values.count > 6 ? " and \(values.count - 6) more" : ""))"
      }
      result.append(Caveat(.period, figures: dated.map(\.0), subjects: [], values: values, text: text))
    }
    // Figures that lack a field, counted, with the first two named.
    func lacking(_ kind: Caveat.Kind, _ field: String, _ items: [(Figure, Int)]) {
      guard !items.isEmpty else { return }
      result.append(
        Caveat(
          kind, figures: items.map(\.0), subjects: [],
          text: "no \(field) is given for \(ofAll(count(items)))\(examples(items))"))
    }
    lacking(.period, "period", undated)
    // Definitions, within each unit: a rate's inputs count different things by nature.
    lacking(.definition, "definition", all.filter { $0.0.definition.isEmpty })
    // Grouped by unit only when figures of different units are weighed (a rate's inputs); plain
    // numbers go with any unit, as `differences` takes them.
    var units: [String] = []
    for (figure, _) in all where !figure.unit.isNone && !units.contains(figure.unit.description) {
      units.append(figure.unit.description)
    }
    if units.count <= 1 { units = [""] }
    for unit in units {
      let defined = all.filter {
        !$0.0.definition.isEmpty && (unit.isEmpty || $0.0.unit.description == unit || $0.0.unit.isNone)
      }
      let tally = tallied(defined) { $0.definition }
      if tally.count > 1 {
        let among = units.count > 1 ? " among the figures in \(unit.isEmpty ? "no unit" : unit)" : ""
        result.append(
          Caveat(
            .definition, figures: defined.map(\.0), subjects: [], values: tally,
            text: "definitions differ\(among): \(tally.count) definitions: " + listing(tally)))
      }
    }
    // Sources: who published, and whose figures they are.
    lacking(.source, "source", all.filter { $0.0.publisher.isEmpty })
    let sourced = all.filter { !$0.0.publisher.isEmpty }
    let primaries = tallied(sourced) { $0.producer ?? $0.publisher }
    if primaries.count > 1 {
      let words =
        units.count > 1
        ? "combines figures from \(primaries.count) sources: "
        : "sources differ: \(primaries.count) sources: "
      result.append(
        Caveat(
          .source, figures: sourced.map(\.0), subjects: [], values: primaries,
          text: words + listing(primaries)))
    }
    let publishers = tallied(sourced) { $0.publisher }
    if publishers.count > 1, primaries.count < publishers.count {
      result.append(
        Caveat(
          .producer, figures: sourced.map(\.0), subjects: [], values: publishers,
          text:
            "figures of the same primary source through \(publishers.count) publishers: "
            + listing(publishers)))
    }
    // Statuses, approximations and notes, with counts.
    let unsure = all.filter { $0.0.status != .reported }
    if !unsure.isEmpty {
      var byStatus: [(Figure.Status, Int)] = []
      for status in Figure.Status.allCases where status != .reported {
        let n = count(unsure.filter { $0.0.status == status })
        if n > 0 { byStatus.append((status, n)) }
      }
      let parts = byStatus.map { plural($0.1, $0.0.noun) }
      let of = count(unsure) == total ? "" : " among the \(total) figures"
      var text = Caveat.joined(parts) + of
      if byStatus.contains(where: { $0.0 == .claimed }),
        count(unsure.filter { $0.0.status == .claimed }) < total
      {
        text += "; companies' claims about themselves are weighed against figures that are not claims"
      }
      result.append(
        Caveat(
          .status, figures: unsure.map(\.0), subjects: [],
          values: byStatus.map { "\($0.0.rawValue) (\($0.1))" },
          text: text))
    }
    let approximate = all.filter { $0.0.approximation != nil }
    if !approximate.isEmpty {
      let words = tallied(approximate) { "“\($0.approximation ?? "")”" }
      result.append(
        Caveat(
          .approximate, figures: approximate.map(\.0), subjects: [], values: words,
          text:
            "\(plural(count(approximate), "figure")) \(count(approximate) == 1 ? "is" : "are") approximate (the sources say \(listing(words)))"
        ))
    }
    let noted = all.filter { $0.0.note != nil }
    if !noted.isEmpty {
      let notes = tallied(noted) { $0.note ?? "" }
      result.append(
        Caveat(
          .note, figures: noted.map(\.0), subjects: [], values: notes,
          text: "notes on the figures: " + listing(notes)))
    }
    return result
  }

  /// The distinct values of a field with their counts, most figures first: `Similarweb (60 figures)`.
  static func tallied(_ items: [(Figure, Int)], _ field: (Figure) -> String) -> [String] {
    var counts: [String: Int] = [:]
    var order: [String] = []
    for (figure, n) in items {
      let value = field(figure)
      if counts[value] == nil { order.append(value) }
      counts[value, default: 0] += n
    }
    let sorted = order.enumerated().sorted { a, b in
      (counts[a.element] ?? 0, b.offset) > (counts[b.element] ?? 0, a.offset)
    }
    return sorted.map { "\($0.element) (\(plural(counts[$0.element] ?? 0, "figure")))" }
  }

  /// Tallied values as a list: every one of them, up to twelve; past that the rest are counted.
  static func listing(_ tally: [String]) -> String {
    if tally.count <= 12 { return tally.joined(separator: ", ") }
    return tally.prefix(12).joined(separator: ", ") + " and \(tally.count - 12) more"
  }
}

extension Period {
  /// A day as `2024-09-30`.
  static func day(_ days: Int) -> String {
    let (year, month, day) = civil(days)
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(year)-\(two(month))-\(two(day))"
  }

  /// The length every span shares, in words (`daily`, `monthly`, `quarterly`, `yearly`), or nil
  /// when they differ.
  static func commonLength(_ spans: [Period]) -> String? {
    func length(_ span: Period) -> String? {
      let (y1, m1, d1) = civil(span.firstDay)
      let (ny, nm, nd) = civil(span.lastDay + 1)
      if span.firstDay == span.lastDay { return "daily" }
      guard d1 == 1, nd == 1 else { return nil }
      let months = (ny - y1) * 12 + (nm - m1)
      switch months {
      case 1: return "monthly"
      case 3 where (m1 - 1) % 3 == 0: return "quarterly"
      case 12 where m1 == 1: return "yearly"
      default: return nil
      }
    }
    guard let first = spans.first.flatMap(length) else { return nil }
    return spans.allSatisfy { length($0) == first } ? first : nil
  }

  /// What a set of same-length spans leaves out between `first` and `last`, for daily spans:
  /// `30 of the 91 days have no figure`; nil when they cover every day.
  static func uncovered(_ spans: [Period], first: Int, last: Int) -> String? {
    guard spans.allSatisfy({ $0.firstDay == $0.lastDay }) else { return nil }
    let days = Set(spans.map(\.firstDay)).count
    let length = last - first + 1
    let missing = length - days
    return missing > 0
      ? "\(missing) of the \(length) days in that span \(missing == 1 ? "has" : "have") no figure" : nil
  }
}
