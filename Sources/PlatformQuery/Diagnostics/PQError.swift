/// A problem found in pq source or while running it: the one error type every stage throws.
public struct PQError: Error, Sendable, CustomStringConvertible {
  /// What kind of problem this is.
  public enum Kind: String, Sendable {
    /// The text is not valid pq; nothing ran.
    case syntax
    /// The program was valid but failed while running (including a failed `assert`).
    case runtime
    /// A resource limit (steps, depth, time, size) or a cancellation stopped the program.
    case limit
  }

  /// What kind of problem this is.
  public var kind: Kind
  /// The one-line message, without location.
  public var message: String
  /// The source the problem is in, when known.
  public var source: Source?
  /// Where in `source` the problem is, when known.
  public var span: Span?
  /// Extra lines printed after the caret, each as `note: …`.
  public var notes: [String]
  /// For runtime errors inside functions: the calls that led here, innermost first.
  public var trace: [TraceEntry]
  /// True when a syntax error is only that the input ended early (the REPL then continues the line).
  public var isUnexpectedEnd: Bool
  /// Further syntax errors found in the same source after this one.
  public var followUps: [PQError]
  /// Set on the internal signal that carries `return`/`break`/`continue` out of an expression.
  var isControlSignal = false
  /// For errors thrown by a built-in about one argument: which (0-based), so the call can point at it.
  var argumentIndex: Int?
  /// For `.limit` errors: which limit stopped the evaluation.
  public var limitReason: LimitReason?

  /// The limits that can stop an evaluation.
  public enum LimitReason: String, Sendable, Equatable {
    /// More steps (loop iterations, calls, elements built-ins worked through) than allowed.
    case steps
    /// Calls nested deeper than allowed.
    case depth
    /// The wall-clock time limit passed.
    case time
    /// A list, string or range longer than allowed.
    case size
    /// More bytes of lists and strings made in one evaluation than allowed.
    case memory
    /// The host (or Ctrl-C) cancelled the evaluation.
    case cancelled
  }

  /// A message that quotes at most `quoteLimit` characters of any text it quotes (`'…'`): a
  /// 10 MB cell in a file must not become 20 MB of diagnostics. Cut in the middle, with `…`.
  static func bounded(_ message: String) -> String {
    guard message.utf8.count > quoteLimit else { return message }
    var out = ""
    var quoted: [Character]?
    let characters = Array(message)
    for (index, character) in characters.enumerated() {
      // A quote opens after a space, a bracket or the start, and closes before a space,
      // punctuation or the end: an apostrophe (`Social's`) does neither.
      let before = index > 0 ? characters[index - 1] : " "
      let after = index + 1 < characters.count ? characters[index + 1] : " "
      if character == "'", quoted == nil, before == " " || before == "(" || before == "[" || index == 0 {
        out.append(character)
        quoted = []
      } else if character == "'", let inside = quoted, after == " " || after.isPunctuation || after == ")" {
        out += shortened(inside) + "'"
        quoted = nil
      } else if quoted != nil {
        quoted?.append(character)
      } else {
        out.append(character)
      }
    }
    if let inside = quoted { out += shortened(inside) }
    return out.count > 4 * quoteLimit ? String(out.prefix(4 * quoteLimit)) + "…" : out
  }

  /// How much of a quoted text a message keeps.
  static let quoteLimit = 200

  private static func shortened(_ text: [Character]) -> String {
    text.count <= quoteLimit
      ? String(text) : String(text[..<(quoteLimit - 40)]) + "…" + String(text[(text.count - 39)...])
  }

  /// Creates an error.
  public init(
    _ kind: Kind, _ message: String, source: Source? = nil, span: Span? = nil, notes: [String] = [],
    isUnexpectedEnd: Bool = false
  ) {
    self.kind = kind
    self.message = PQError.bounded(message)
    self.source = source
    self.span = span
    self.notes = notes
    self.trace = []
    self.isUnexpectedEnd = isUnexpectedEnd
    self.followUps = []
  }

  /// The line and column of the error, when it has a location.
  public var location: SourceLocation? {
    guard let source, let span else { return nil }
    return source.location(of: span.start)
  }

  /// The diagnostic as the `pq` command prints it, without colour.
  public var description: String { rendered(color: false) }
}

/// One call in the chain of calls that led to a runtime error.
public struct TraceEntry: Sendable {
  /// The called function's name (`<anonymous>` for a function literal).
  public var function: String
  /// The source of the call site.
  public var source: Source
  /// The call expression.
  public var span: Span
}

extension PQError {
  static func runtime(_ message: String, _ span: Span?, notes: [String] = []) -> PQError {
    PQError(.runtime, message, span: span, notes: notes)
  }

  static func limit(_ message: String, _ span: Span?, reason: LimitReason) -> PQError {
    var error = PQError(.limit, message, span: span)
    error.limitReason = reason
    return error
  }
}
