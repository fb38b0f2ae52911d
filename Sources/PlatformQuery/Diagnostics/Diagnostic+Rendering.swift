extension PQError {
  /// Renders the diagnostic: `FILE:LINE:COL: error: MESSAGE`, the source line, a caret under the
  /// span, `note:` lines, and the call chain; with ANSI colour when `color` is true.
  public func rendered(color: Bool) -> String {
    var out = renderOne(color: color)
    for other in followUps {
      out += "\n" + other.renderOne(color: color)
    }
    return out
  }

  private func renderOne(color: Bool) -> String {
    let bold = color ? "\u{1B}[1m" : ""
    let red = color ? "\u{1B}[1;31m" : ""
    let green = color ? "\u{1B}[1;32m" : ""
    let blue = color ? "\u{1B}[1;34m" : ""
    let reset = color ? "\u{1B}[0m" : ""
    let label = kind == .limit ? "error (limit)" : "error"
    var out = ""
    if let source, let span {
      let start = source.location(of: span.start)
      out +=
        "\(bold)\(source.name):\(start.line):\(start.column):\(reset) \(red)\(label):\(reset) \(bold)\(message)\(reset)\n"
      var text = source.lineText(start.line)
      let gutter = String(start.line)
      let pad = String(repeating: " ", count: gutter.count)
      let end = source.location(of: max(span.start, span.end))
      var column = start.column
      var width: Int
      if end.line == start.line {
        width = max(1, end.column - start.column)
      } else {
        width = max(1, text.count - start.column + 1)
      }
      // A very long line shows a window around the place, so the caret stays on screen.
      if text.count > 120 {
        let characters = Array(text)
        width = min(width, 60)
        let from = max(0, column - 1 - 50)
        let to = min(characters.count, column - 1 + width + 50)
        text = (from > 0 ? "…" : "") + String(characters[from..<to]) + (to < characters.count ? "…" : "")
        column = column - from + (from > 0 ? 1 : 0)
        width = min(width, 60)
      }
      out += "\(blue)\(gutter) |\(reset) \(text)\n"
      let indent = String(text.prefix(column - 1).map { $0 == "\t" ? "\t" : " " })
      let marks = "^" + String(repeating: "~", count: max(0, width - 1))
      out += "\(blue)\(pad) |\(reset) \(indent)\(green)\(marks)\(reset)"
    } else if let source {
      out += "\(bold)\(source.name):\(reset) \(red)\(label):\(reset) \(bold)\(message)\(reset)"
    } else {
      out += "\(red)\(label):\(reset) \(bold)\(message)\(reset)"
    }
    for note in notes {
      out += "\n\(bold)note:\(reset) \(note)"
    }
    var index = 0
    while index < trace.count {
      let entry = trace[index]
      var repeats = 1
      while index + repeats < trace.count, trace[index + repeats].function == entry.function,
        trace[index + repeats].span == entry.span, trace[index + repeats].source === entry.source
      {
        repeats += 1
      }
      let at = entry.source.location(of: entry.span.start)
      let again = repeats > 1 ? " (\(repeats) times)" : ""
      out +=
        "\n\(bold)note:\(reset) in \(entry.function), called from \(entry.source.name):\(at.line):\(at.column)\(again)"
      index += repeats
    }
    return out
  }
}
