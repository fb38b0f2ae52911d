/// Did-you-mean suggestions from edit distance (also for front ends: the `pq` command's
/// options and prompt commands).
package enum Suggestion {
  /// The candidate closest to `name`, if it is close enough to be a plausible typo.
  package static func closest(to name: String, in candidates: some Sequence<String>) -> String? {
    let lowered = name.lowercased()
    var best: (String, Int)?
    for candidate in candidates where candidate != name {
      let distance = editDistance(lowered, candidate.lowercased())
      let limit = max(1, min(3, name.count / 3 + 1))
      if distance <= limit, distance < name.count, distance < (best?.1 ?? Int.max) {
        best = (candidate, distance)
      }
    }
    return best?.0
  }

  /// A `did you mean 'x'?` note, or nil.
  static func note(for name: String, in candidates: some Sequence<String>) -> [String] {
    guard let match = closest(to: name, in: candidates) else { return [] }
    return ["did you mean '\(match)'?"]
  }

  /// Levenshtein distance between two strings, by characters.
  package static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
