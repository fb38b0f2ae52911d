/// How a figure is shown with its source: the source line and an `explain` input line.
extension Figure {
  /// The source line `explain` and hover show (`Similarweb, September 2024: monthly active
  /// users`), made when asked with the rest of the figure's display parts (a loaded file has
  /// hundreds of thousands of figures, most never explained).
  package var sourceLine: String { display.sourceLine }

  /// The display parts, made on first use and kept.
  var display: Display {
    if let display = caveatCache.withLock({ $0.display }) { return display }
    let shown = NumberFormat.quantity(value, unit, margin: margin)
    let display = Display(
      shown: shown, shownWidth: shown.displayWidth, labelWidth: label.displayWidth,
      sourceLine: (publisher.isEmpty ? "source not given" : publisher) + ", " + period + ": "
        + (definition.isEmpty ? "definition not given" : definition))
    caveatCache.withLock { $0.display = display }
    return display
  }

  struct Display: Sendable {
    let shown: String
    let shownWidth: Int
    let labelWidth: Int
    let sourceLine: String
  }

  /// The figure's lines under `explain`'s "inputs:" — label, value and source line padded to the
  /// given widths, then the quote — made once per pair of widths and kept: `explain` in a loop
  /// repeats the same lines, and building them byte by byte cost a third of its time.
  func inputLine(labelWidth: Int, valueWidth: Int) -> String {
    if let line = caveatCache.withLock({ $0.inputLine }), line.labelWidth == labelWidth,
      line.valueWidth == valueWidth
    {
      return line.text
    }
    let display = display
    var text = TextBuilder(capacity: 128 + quote.utf8.count)
    text.add("\n  ")
    text.add(label)
    text.spaces(labelWidth - display.labelWidth + 2)
    text.add(display.shown)
    text.spaces(valueWidth - display.shownWidth + 2)
    text.add(display.sourceLine)
    if !quote.isEmpty {
      text.add("\n  ")
      text.spaces(labelWidth + 2)
      text.add("“")
      text.add(quote)
      text.add("”")
    }
    // Every other field that is set, each on its line: nothing the source says is hidden.
    for (name, field) in extraFields {
      text.add("\n  ")
      text.spaces(labelWidth + 2)
      text.add(name)
      text.add(": ")
      text.add(field)
    }
    let line = text.text
    caveatCache.withLock { $0.inputLine = (labelWidth, valueWidth, line) }
    return line
  }

  /// The fields `explain` shows under the source line when they are set: the primary source, a
  /// status other than reported, the URL, the dates and the note.
  var extraFields: [(String, String)] {
    var result: [(String, String)] = []
    if let producer { result.append(("primary source", producer)) }
    if status != .reported { result.append(("status", status.rawValue)) }
    if let url { result.append(("url", url)) }
    if let published { result.append(("published", published)) }
    if let accessed { result.append(("accessed", accessed)) }
    if let note { result.append(("note", note)) }
    if let dataset { result.append(("dataset", dataset)) }
    if let license { result.append(("license", license)) }
    return result
  }
}
