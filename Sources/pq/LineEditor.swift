import CEditLine
import PlatformQuery
import PlatformQueryTools
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What reading one line gave.
enum LineResult {
  case line(String)
  case interrupted
  case endOfInput
  /// The terminal failed (it went away under the prompt): end with status 1.
  case inputError(String)
  /// SIGHUP or SIGTERM arrived: end as for end of input, with status 128 + the signal.
  case terminated(Int32)
  /// A pasted block (bracketed paste), with what was typed before it: one input, blank lines
  /// and all.
  case pasted(String)
}

/// The signal that asked the prompt to end (SIGHUP, SIGTERM), or 0.
let terminationSignal = Atomic<Int32>(0)

/// Whether pq handles SIGHUP (false when it was started with SIGHUP ignored, as under nohup).
let handlesHangUp = Atomic<Bool>(false)

/// The signal that ended the prompt, waiting a moment for SIGHUP when the terminal hung up.
///
/// When a terminal closes, Linux wakes its readers first and sends SIGHUP a moment later, so a
/// read can come back (at end of input, or with EIO) before the handler has run. A terminal that
/// hung up answers `tcgetattr` with EIO; then, if pq handles SIGHUP, it waits up to a quarter
/// of a second for it (the wait ends as soon as the handler runs). An ordinary Ctrl-D, and a
/// hang-up under nohup, are not delayed by more than the one `tcgetattr` call.
func signalAfterFailedRead() -> Int32 {
  let signal = terminationSignal.load(ordering: .relaxed)
  if signal != 0 { return signal }
  var settings = termios()
  guard handlesHangUp.load(ordering: .relaxed), tcgetattr(0, &settings) != 0, errno == EIO else { return 0 }
  for _ in 0..<250 {
    var pause = timespec(tv_sec: 0, tv_nsec: 1_000_000)
    nanosleep(&pause, nil)
    let signal = terminationSignal.load(ordering: .relaxed)
    if signal != 0 { return signal }
  }
  return 0
}

/// An open /dev/null the termination handler puts in place of standard input, so that a read
/// that has not started yet when the signal comes ends at once (at end of input) instead of
/// waiting for a key that may never come.
let nullInput = Atomic<Int32>(-1)

/// SIGHUP and SIGTERM end the prompt the way Ctrl-D does (history saved): the handler records
/// the signal and stops a running evaluation; a blocked read returns EINTR.
func installTerminationHandlers(_ flag: CancellationFlag) {
  if nullInput.load(ordering: .relaxed) < 0 {
    nullInput.store(open("/dev/null", O_RDONLY), ordering: .relaxed)
  }
  for signalNumber in [SIGHUP, SIGTERM] {
    // Started under nohup (SIGHUP ignored): keep it ignored, as shells do.
    var current = sigaction()
    sigaction(signalNumber, nil, &current)
    // SIG_IGN is the C macro `(void (*)(int))1`, which Swift does not import: the handler is
    // compared by its bits.
    if let handler = current.__sigaction_handler.sa_handler,
      unsafeBitCast(handler, to: Int.self) == 1  // SIG_IGN
    {
      continue
    }
    if signalNumber == SIGHUP { handlesHangUp.store(true, ordering: .relaxed) }
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { number in
      terminationSignal.store(number, ordering: .relaxed)
      let null = nullInput.load(ordering: .relaxed)
      if null >= 0 { dup2(null, 0) }
      let raw = interruptTarget.load(ordering: .relaxed)
      if raw != 0, let pointer = UnsafeRawPointer(bitPattern: raw) {
        Unmanaged<CancellationFlag>.fromOpaque(pointer).takeUnretainedValue().cancel()
      }
    }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    sigaction(signalNumber, &action, nil)
  }
  var unblocked = sigset_t()
  sigemptyset(&unblocked)
  sigaddset(&unblocked, SIGHUP)
  sigaddset(&unblocked, SIGTERM)
  pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
}

/// A source of input lines for the prompt.
protocol LineReader: AnyObject {
  func readLine(prompt: String) -> LineResult
  func addHistory(_ entry: String)
  func saveHistory()
  /// Restores the terminal as it was (bracketed paste off).
  func finish()
}

/// Reads lines without editing or prompts: for a terminal on stdin but not on stdout.
final class PlainLineReader: LineReader {
  func readLine(prompt: String) -> LineResult {
    guard let line = Swift.readLine(strippingNewline: true) else {
      let signal = signalAfterFailedRead()
      return signal != 0 ? .terminated(signal) : .endOfInput
    }
    return .line(line)
  }

  func addHistory(_ entry: String) {}
  func saveHistory() {}
  func finish() {}
}

/// The pointer of the cancellation flag the SIGINT handler sets (0 when none). A C signal
/// handler cannot capture context, so the flag is reached through this global, unretained: the
/// prompt keeps its interpreter (and the flag) alive as long as the handler is installed.
let interruptTarget = Atomic<UInt>(0)

/// Installs a SIGINT handler that cancels the running evaluation and interrupts line reading.
func installInterruptHandler(_ flag: CancellationFlag) {
  interruptTarget.store(UInt(bitPattern: Unmanaged.passUnretained(flag).toOpaque()), ordering: .relaxed)
  var action = sigaction()
  action.__sigaction_handler.sa_handler = { _ in
    let raw = interruptTarget.load(ordering: .relaxed)
    if raw != 0, let pointer = UnsafeRawPointer(bitPattern: raw) {
      Unmanaged<CancellationFlag>.fromOpaque(pointer).takeUnretainedValue().cancel()
    }
  }
  sigemptyset(&action.sa_mask)
  action.sa_flags = 0  // no SA_RESTART: a blocked read returns EINTR
  sigaction(SIGINT, &action, nil)
  // A parent may have started pq with SIGINT blocked; the prompt needs it.
  var unblocked = sigset_t()
  sigemptyset(&unblocked)
  sigaddset(&unblocked, SIGINT)
  pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
}

/// Line editing on libedit: Emacs keys, history across sessions, Tab completion.
final class EditLineReader: LineReader {
  let editor: OpaquePointer
  let history: OpaquePointer
  let historyPath: String?
  let complete: (String, Int) -> (start: Int, candidates: [String])
  var prompt = "pq> "
  var promptBytes: [CChar] = Array("pq> ".utf8CString)
  var lastTabLine: String?
  var warnedAboutHistory = false
  /// The block the terminal pasted during the last `el_gets`, if any.
  var pasted: String?

  init(historyPath: String?, complete: @escaping (String, Int) -> (start: Int, candidates: [String])) {
    pq_ensure_utf8_locale()
    editor = pq_el_init("pq")
    history = pq_history_init()
    self.historyPath = historyPath
    self.complete = complete
    pq_el_set_editor(editor, "emacs")
    pq_el_set_history(editor, history)
    // libedit's callbacks are C functions: they find this reader through the editor's client
    // data, unretained, for the editor lives no longer than the reader (`deinit` ends it).
    pq_el_set_client_data(editor, Unmanaged.passUnretained(self).toOpaque())
    pq_el_set_prompt(editor) { editor in
      guard let editor, let data = pq_el_get_client_data(editor) else { return nil }
      let reader = Unmanaged<EditLineReader>.fromOpaque(data).takeUnretainedValue()
      return reader.promptBytes.withUnsafeMutableBufferPointer { $0.baseAddress }
    }
    pq_el_add_function(editor, "pq-complete", "Complete the name before the cursor") { editor, _ in
      guard let editor, let data = pq_el_get_client_data(editor) else { return UInt8(CC_ERROR) }
      return Unmanaged<EditLineReader>.fromOpaque(data).takeUnretainedValue().completeLine()
    }
    pq_el_bind(editor, "^I", "pq-complete")
    pq_el_bind(editor, "^R", "em-inc-search-prev")
    pq_el_bind(editor, "^L", "ed-clear-screen")
    // Bracketed paste: the terminal wraps pasted text in ESC[200~ … ESC[201~ (once asked to with
    // ESC[?2004h), so a pasted block with blank lines in it arrives as one input.
    pq_el_add_function(editor, "pq-paste", "Take a pasted block as one input") { editor, _ in
      guard let editor, let data = pq_el_get_client_data(editor) else { return UInt8(CC_ERROR) }
      return Unmanaged<EditLineReader>.fromOpaque(data).takeUnretainedValue().readPaste()
    }
    pq_el_bind(editor, "\u{1B}[200~", "pq-paste")
    Output.standardOutput.write("\u{1B}[?2004h")
    Output.standardOutput.flush()
    if let historyPath { _ = pq_history_load(history, historyPath) }
  }

  deinit {
    el_end(editor)
    history_end(history)
  }

  /// Turns bracketed paste off again, for the shell after pq.
  func finish() {
    Output.standardOutput.write("\u{1B}[?2004l")
    Output.standardOutput.flush()
  }

  /// Reads the pasted bytes up to ESC[201~ straight from the terminal and ends the line.
  func readPaste() -> UInt8 {
    let end: [UInt8] = [0x1B, 0x5B, 0x32, 0x30, 0x31, 0x7E]
    var bytes: [UInt8] = []
    var byte: UInt8 = 0
    while Glibc.read(0, &byte, 1) == 1 {
      bytes.append(byte)
      if bytes.count >= end.count, Array(bytes.suffix(end.count)) == end {
        bytes.removeLast(end.count)
        break
      }
      if bytes.count > 1 << 24 { break }
    }
    // A terminal in raw mode sends line breaks as CR.
    let text = String(decoding: bytes.map { $0 == 0x0D ? 0x0A : $0 }, as: UTF8.self)
    guard let info = el_line(editor)?.pointee else { return UInt8(CC_ERROR) }
    let typed = String(
      decoding: UnsafeBufferPointer(
        start: UnsafeRawPointer(info.buffer).assumingMemoryBound(to: UInt8.self),
        count: info.lastchar - info.buffer),
      as: UTF8.self)
    pasted = typed + text
    Output.standardOutput.write(
      "\n" + text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n") + "\n")
    Output.standardOutput.flush()
    return UInt8(CC_NEWLINE)
  }

  func readLine(prompt: String) -> LineResult {
    self.prompt = prompt
    promptBytes = Array(prompt.utf8CString)
    var count: Int32 = 0
    errno = 0
    // A SIGTERM that came while the last value was being printed: do not start a read that no
    // signal would interrupt.
    let early = terminationSignal.load(ordering: .relaxed)
    if early != 0 { return .terminated(early) }
    let read = el_gets(editor, &count)
    if let block = pasted {
      pasted = nil
      return .pasted(block)
    }
    guard let line = read else {
      let code = errno
      let signal = code == EINTR ? terminationSignal.load(ordering: .relaxed) : signalAfterFailedRead()
      if signal != 0 { return .terminated(signal) }
      if code == EINTR {
        Output.standardOutput.write("\n")
        Output.standardOutput.flush()
        return .interrupted
      }
      // count < 0 with another errno: the terminal failed (EIO when it was closed under us).
      // Reading again would fail again at once, forever: end instead.
      if count < 0 { return .inputError(String(cString: strerror(code))) }
      return .endOfInput
    }
    var text = String(cString: line)
    if text.hasSuffix("\n") { text.removeLast() }
    return .line(text)
  }

  func addHistory(_ entry: String) {
    _ = pq_history_enter(history, entry)
  }

  /// Saves history whole or not at all: to a temporary file, then renamed over the old one.
  func saveHistory() {
    guard let historyPath else { return }
    let folder = String(historyPath[..<(historyPath.lastIndex(of: "/") ?? historyPath.endIndex)])
    makeDirectories(folder)
    let temporary = "\(historyPath).tmp-\(getpid())"
    if pq_history_save(history, temporary) < 0 || rename(temporary, historyPath) != 0 {
      unlink(temporary)
      if !warnedAboutHistory {
        warnedAboutHistory = true
        Terminal.writeError("pq: warning: cannot save history to \(historyPath); continuing without it\n")
      }
    }
  }

  func makeDirectories(_ path: String) {
    var current = ""
    for part in path.split(separator: "/") {
      current += "/" + part
      mkdir(current, 0o755)
    }
  }

  /// Tab: inserts the completion, or the longest common prefix; a second Tab lists candidates.
  func completeLine() -> UInt8 {
    guard let info = el_line(editor)?.pointee else { return UInt8(CC_ERROR) }
    let length = info.lastchar - info.buffer
    let cursorBytes = info.cursor - info.buffer
    let buffer = UnsafeBufferPointer(
      start: UnsafeRawPointer(info.buffer).assumingMemoryBound(to: UInt8.self), count: length)
    let line = String(decoding: buffer, as: UTF8.self)
    let cursor = String(decoding: buffer.prefix(cursorBytes), as: UTF8.self).count
    let (start, candidates) = complete(line, cursor)
    let typed = String(Array(line.prefix(cursor))[start...])
    guard !candidates.isEmpty else { return UInt8(CC_ERROR) }
    let common = candidates.dropFirst().reduce(candidates[0]) { prefix, candidate in
      String(zip(prefix, candidate).prefix { $0 == $1 }.map(\.0))
    }
    if common.count > typed.count {
      let suffix = String(common.dropFirst(typed.count)) + (candidates.count == 1 ? "" : "")
      _ = el_insertstr(editor, suffix)
      lastTabLine = nil
      return UInt8(CC_REFRESH)
    }
    if candidates.count == 1 { return UInt8(CC_REFRESH) }
    if lastTabLine == line {
      Output.standardOutput.write("\n" + columns(candidates) + "\n")
      Output.standardOutput.flush()
      lastTabLine = nil
      return UInt8(CC_REDISPLAY)
    }
    lastTabLine = line
    return UInt8(CC_REFRESH_BEEP)
  }

  func columns(_ items: [String]) -> String {
    let width = (items.map(\.count).max() ?? 0) + 2
    let perRow = max(1, Terminal.width / width)
    var lines: [String] = []
    var row = ""
    for (index, item) in items.enumerated() {
      row += item + String(repeating: " ", count: width - item.count)
      if (index + 1) % perRow == 0 {
        lines.append(row)
        row = ""
      }
    }
    if !row.isEmpty { lines.append(row) }
    return lines.map { String($0.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n")
  }
}
