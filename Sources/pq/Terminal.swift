import CEditLine
import PlatformQuery

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
    let lowered = locale.lowercased()
    return lowered.contains("utf-8") || lowered.contains("utf8")
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
final class Output: @unchecked Sendable {
  static let standardOutput = Output(descriptor: 1)
  static let standardError = Output(descriptor: 2)

  let descriptor: Int32
  var buffer: [UInt8] = []
  let lock = Mutex()
  /// On a terminal each line appears when it is printed; to a pipe or file, output is buffered
  /// (and flushed at exit, on errors and before the prompt reads).
  let flushesLines: Bool
  /// Set when a write failed for a reason other than a closed pipe (the terminal went away):
  /// the prompt then ends instead of writing into the void.
  private(set) var failed = false
  /// Set by `--ascii`: everything written goes through `ASCII.transliterate`, diagnostics included.
  private var asciiOnly = false

  init(descriptor: Int32) {
    self.descriptor = descriptor
    flushesLines = isatty(descriptor) == 1
  }

  /// Whether a write has failed (see `failed`).
  var hasFailed: Bool { lock.locked { failed } }

  /// Makes every later write pure ASCII.
  func writeASCIIOnly() {
    lock.locked { asciiOnly = true }
  }

  func write(_ text: String) {
    lock.locked {
      buffer.append(contentsOf: (asciiOnly ? ASCII.transliterate(text) : text).utf8)
      if buffer.count > 1 << 16 || (flushesLines && text.utf8.contains(UInt8(ascii: "\n"))) { flushLocked() }
    }
  }

  func flush() {
    lock.locked { flushLocked() }
  }

  private func flushLocked() {
    var offset = 0
    while offset < buffer.count {
      let count = buffer[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        if errno == EPIPE { _exit(0) }
        failed = true
        break
      }
      offset += count
    }
    buffer.removeAll(keepingCapacity: true)
  }
}

/// A small pthread mutex.
final class Mutex: @unchecked Sendable {
  private var mutex = pthread_mutex_t()
  init() { pthread_mutex_init(&mutex, nil) }
  deinit { pthread_mutex_destroy(&mutex) }

  func locked<T>(_ body: () -> T) -> T {
    pthread_mutex_lock(&mutex)
    defer { pthread_mutex_unlock(&mutex) }
    return body()
  }
}
