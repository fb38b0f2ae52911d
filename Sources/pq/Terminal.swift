import CEditLine
import PlatformQuery
import PlatformQueryTools
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The process's terminal facts and standard streams.
enum Terminal {
  static var stdinIsTerminal: Bool { isatty(0) == 1 }
  static var stdoutIsTerminal: Bool { isatty(1) == 1 }
  static var stderrIsTerminal: Bool { isatty(2) == 1 }

  static func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
  }

  /// Whether diagnostics on stderr get colour.
  static func useColor(_ choice: CommandLineOptions.ColorChoice) -> Bool {
    switch choice {
    case .always: return true
    case .never: return false
    case .auto:
      if let noColor = environment("NO_COLOR"), !noColor.isEmpty { return false }
      return stderrIsTerminal && environment("TERM") != "dumb"
    }
  }

  /// Whether output can show Unicode block characters.
  static var supportsUnicode: Bool {
    let locale = environment("LC_ALL") ?? environment("LC_CTYPE") ?? environment("LANG") ?? ""
    if locale.isEmpty { return true }
    // By byte: `String.contains` instantiates the string-searching generics, an eighth of
    // `pq -e 1`'s start-up (bench/README.md).
    let bytes = locale.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }  // ASCII lowercase
    let utf8 = Array("utf8".utf8)
    let utf_8 = Array("utf-8".utf8)
    for start in bytes.indices {
      if bytes[start...].starts(with: utf8) || bytes[start...].starts(with: utf_8) { return true }
    }
    return false
  }

  /// The terminal's width in columns (`COLUMNS` overriding what the terminal says), or 80.
  static var width: Int {
    if let columns = environment("COLUMNS").flatMap(Int.init), columns > 20 { return columns }
    var size = winsize()
    if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 { return Int(size.ws_col) }
    return 80
  }

  static func writeError(_ text: String) {
    Output.standardError.write(text)
    Output.standardError.flush()
  }
}

/// A buffered writer to a file descriptor. A closed pipe ends the program quietly.
final class Output: Sendable {
  static let standardOutput = Output(descriptor: 1)
  static let standardError = Output(descriptor: 2)

  let descriptor: Int32
  /// On a terminal each line appears when it is printed; to a pipe or file, output is buffered
  /// (and flushed at exit, on errors and before the prompt reads).
  let flushesLines: Bool

  private struct State {
    var buffer: [UInt8] = []
    /// Set when a write failed for a reason other than a closed pipe (the terminal went away):
    /// the prompt then ends instead of writing into the void.
    var failed = false
    /// Set by `--ascii`: everything written goes through `ASCII.transliterate`.
    var asciiOnly = false
  }

  private let state = Mutex(State())

  init(descriptor: Int32) {
    self.descriptor = descriptor
    flushesLines = isatty(descriptor) == 1
  }

  /// Whether a write has failed (see `State.failed`).
  var hasFailed: Bool { state.withLock { $0.failed } }

  /// Makes every later write pure ASCII, diagnostics included.
  func writeASCIIOnly() {
    state.withLock { $0.asciiOnly = true }
  }

  func write(_ text: String) {
    state.withLock { state in
      state.buffer.append(contentsOf: (state.asciiOnly ? ASCII.transliterate(text) : text).utf8)
      if state.buffer.count > 1 << 16 || (flushesLines && text.utf8.contains(UInt8(ascii: "\n"))) {
        flushLocked(&state)
      }
    }
  }

  func flush() {
    state.withLock { flushLocked(&$0) }
  }

  private func flushLocked(_ state: inout State) {
    var offset = 0
    while offset < state.buffer.count {
      let count = state.buffer[offset...].withUnsafeBytes {
        Glibc.write(descriptor, $0.baseAddress, $0.count)
      }
      if count < 0 {
        if errno == EINTR { continue }
        if errno == EPIPE { _exit(0) }
        state.failed = true
        break
      }
      offset += count
    }
    state.buffer.removeAll(keepingCapacity: true)
  }
}

/// Text laid out for a terminal, for front ends (the prompt's banner and help).
enum TerminalText {
  /// The text wrapped at spaces to `width` columns (display columns: wide characters count
  /// two), later lines of a wrapped line indented by `indent`; unchanged when `width` is nil.
  static func wrap(_ text: String, width: Int?, indent: Int = 0) -> String {
    Table.wrapLines(text, width: width, indent: indent)
  }
}
