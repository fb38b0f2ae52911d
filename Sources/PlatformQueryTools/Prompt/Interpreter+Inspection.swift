import PlatformQuery

extension Interpreter {
  /// What an editor's hover and a notebook's inspection show for a name or a path of fields
  /// (`ratio`, `x`, `x.mau`), as Markdown: a built-in's signature, doc and example; a figure's
  /// value, source, period, definition, caveats and the article's sentence; another global's
  /// display. Nil for a keyword or a name that is not a global.
  public func inspection(of path: String) -> String? {
    guard !path.isEmpty, Keyword(rawValue: path) == nil else { return nil }
    if !path.contains("."), let help = help(path) {
      let lines = help.split(separator: "\n", maxSplits: 1).map(String.init)
      guard lines.count > 1 else { return "```pq\n\(lines[0])\n```" }
      let rest = lines[1].split(separator: "\n").map { String($0).trimmingSpaces }
      return "```pq\n\(lines[0])\n```\n" + rest.joined(separator: "\n\n")
    }
    guard let value = value(atPath: path) else { return nil }
    let figures = value.figures
    guard figures.count == 1, let figure = figures.first, case .quantity = value else {
      return "**\(path)**\n```\n\(value.description)\n```"
    }
    var lines = ["**\(path)** = \(value.description)", "", figure.sourceLine]
    for caveat in figure.soloCaveats { lines += ["", "caveat: \(caveat)"] }
    if !figure.quote.isEmpty { lines += ["", "> “\(figure.quote)”"] }
    return lines.joined(separator: "\n")
  }
}
