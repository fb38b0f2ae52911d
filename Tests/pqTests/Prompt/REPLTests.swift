import PlatformQuery
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A pq prompt running on a pseudo-terminal, driven like a person at the keyboard.
final class TerminalSession {
  let master: Int32
  let pid: pid_t
  var output: [UInt8] = []

  init(
    stateHome: String, arguments: [String] = [], noColor: Bool = true, columns: UInt16 = 120,
    ignoreHangUp: Bool = false
  ) {
    let argv = ([pqBinary] + arguments).map { strdup($0) } + [nil]
    let variables: [String] =
      ["TERM=xterm", "LANG=C.UTF-8", "HOME=/tmp", "XDG_STATE_HOME=\(stateHome)"]
      + (noColor ? ["NO_COLOR=1"] : [])
      + sanitizerOptions
    let env = variables.map { strdup($0) } + [nil]
    var descriptor: Int32 = 0
    var size = winsize(ws_row: 40, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
    let child = forkPseudoTerminal(&descriptor, size: &size) {
      if ignoreHangUp { signal(SIGHUP, SIG_IGN) }  // as under nohup
      chdir("/tmp")
      if let program = argv[0] { execve(program, argv, env) }
      _exit(127)
    }
    argv.forEach { free($0) }
    env.forEach { free($0) }
    master = descriptor
    pid = child
  }

  /// Closes the terminal under the running program, as when its window is closed.
  func closeTerminal() {
    if !closed { close(master) }
    closed = true
  }

  var closed = false

  /// Whether the child has been waited for already (its pid may since belong to another process).
  var reaped = false

  deinit {
    if !reaped {
      kill(pid, SIGKILL)
      var status: Int32 = 0
      waitpid(pid, &status, 0)
    }
    if !closed { close(master) }
  }

  func send(_ text: String) {
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
  }

  /// The output so far, escape sequences and all.
  var rawOutput: String { String(decoding: output, as: UTF8.self) }

  /// The output so far with escape sequences removed.
  var screen: String {
    var result: [UInt8] = []
    var index = 0
    while index < output.count {
      if output[index] == 0x1B {
        index += 1
        if index < output.count, output[index] == UInt8(ascii: "[") {
          index += 1
          while index < output.count, !(0x40...0x7E).contains(output[index]) { index += 1 }
        }
        index += 1
        continue
      }
      if output[index] != 0x07, output[index] != UInt8(ascii: "\r") { result.append(output[index]) }
      index += 1
    }
    return String(decoding: result, as: UTF8.self)
  }

  /// Reads until the cleaned output contains `text` `count` times, or the timeout passes.
  @discardableResult
  func waitFor(_ text: String, count: Int = 1, seconds: Double = 10) -> Bool {
    let deadline = now() + seconds
    while now() < deadline {
      if occurrences(of: text) >= count { return true }
      var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
      if poll(&descriptor, 1, 50) > 0 {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let n = chunk.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
        if n <= 0 { break }
        output.append(contentsOf: chunk[0..<n])
      }
    }
    return occurrences(of: text) >= count
  }

  func occurrences(of text: String) -> Int {
    screen.split(separator: text, omittingEmptySubsequences: false).count - 1
  }

  /// Waits for the process to end and returns its exit status; nil (and a recorded failure
  /// naming the signal) when a signal killed it, nil when it is still running at the deadline.
  func exitStatus(seconds: Double = 10, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Int32? {
    guard let termination = termination(seconds: seconds) else { return nil }
    switch termination {
    case .exited(let code): return code
    case .signalled:
      Issue.record("the prompt was \(termination)", sourceLocation: sourceLocation)
      return nil
    }
  }

  /// Waits for the process to end and tells how it ended, or nil at the deadline.
  func termination(seconds: Double = 10) -> Termination? {
    let deadline = now() + seconds
    while now() < deadline {
      var status: Int32 = 0
      if waitpid(pid, &status, WNOHANG) == pid {
        reaped = true
        // What the process wrote before it ended is still in the terminal: read it all.
        if !closed { waitFor("\u{0}", seconds: 0.3) }
        return Termination(waitStatus: status)
      }
      if closed { usleep(20_000) } else { waitFor("\u{0}", seconds: 0.05) }
    }
    return nil
  }

  func now() -> Double { monotonicNow() }
}

func temporaryFolder() -> String {
  var template = Array("/tmp/pq-test-XXXXXX".utf8CString)
  return template.withUnsafeMutableBufferPointer { buffer in
    guard let base = buffer.baseAddress, let pointer = mkdtemp(base) else { return "/tmp" }
    return String(cString: pointer)
  }
}

/// The interactive prompt through a pseudo-terminal.
@Suite(.serialized) struct REPLTests {
  @Test func echoesAValue() {
    let session = TerminalSession(stateHome: temporaryFolder())
    #expect(session.waitFor("pq> "))
    session.send("ratio(x.mau, truth.mau)\r")
    #expect(session.waitFor("= 101"))
  }

  @Test func tabCompletesAField() {
    let session = TerminalSession(stateHome: temporaryFolder())
    #expect(session.waitFor("pq> "))
    session.send("x.m\t")
    session.send("\r")
    #expect(session.waitFor("= 70.4M users"))
  }

  @Test func upArrowRecallsThePreviousLine() {
    let session = TerminalSession(stateHome: temporaryFolder())
    #expect(session.waitFor("pq> "))
    session.send("40 + 2\r")
    #expect(session.waitFor("= 42"))
    session.send("\u{1B}[A\r")
    #expect(session.waitFor("= 42", count: 2))
  }

  @Test func multiLineFunction() {
    let session = TerminalSession(stateHome: temporaryFolder())
    #expect(session.waitFor("pq> "))
    session.send("fn twice(v) {\r")
    #expect(session.waitFor("...> "))
    session.send("v * 2\r}\r")
    session.send("twice(21)\r")
    #expect(session.waitFor("= 42"))
  }

  @Test func anErrorThenAWorkingLine() {
    let session = TerminalSession(stateHome: temporaryFolder())
    #expect(session.waitFor("pq> "))
    session.send("let a = 5\rx.revenue + x.mau\r")
    #expect(session.waitFor("error: cannot add USD and users"))
    session.send("a * 2\r")
    #expect(session.waitFor("= 10"))
  }

  @Test func failedInputLeavesNoBinding() {
    let session = TerminalSession(stateHome: temporaryFolder())
    #expect(session.waitFor("pq> "))
    session.send("let half = 1 / 0\r")
    #expect(session.waitFor("division by zero"))
    session.send("half\r")
    #expect(session.waitFor("'half' is not defined"))
  }

  @Test func controlCInterruptsALoop() {
    let session = TerminalSession(stateHome: temporaryFolder())
    #expect(session.waitFor("pq> "))
    session.send("var n = 0\rwhile true { n += 1 }\r")
    session.waitFor("XX", seconds: 0.5)
    session.send("\u{03}")
    #expect(session.waitFor("interrupted", seconds: 5))
    session.send("n > 0\r")
    #expect(session.waitFor("= true"))
  }

  @Test func controlDLeavesWithStatusZero() {
    let session = TerminalSession(stateHome: temporaryFolder())
    #expect(session.waitFor("pq> "))
    session.waitFor("never printed", seconds: 0.3)
    session.send("\u{04}")
    #expect(session.exitStatus() == 0, "screen: \(session.screen)")
  }

  @Test func historySurvivesASecondSession() {
    let state = temporaryFolder()
    do {
      let first = TerminalSession(stateHome: state)
      #expect(first.waitFor("pq> "))
      first.send("6 * 7\r")
      #expect(first.waitFor("= 42"))
      first.waitFor("never printed", seconds: 0.3)
      first.send("\u{04}")
      #expect(first.exitStatus() == 0)
    }
    let second = TerminalSession(stateHome: state)
    #expect(second.waitFor("pq> "))
    second.send("\u{1B}[A\r")
    #expect(second.waitFor("= 42"))
  }

  @Test func unwritableHistoryWarnsOnceAndGoesOn() {
    let session = TerminalSession(stateHome: "/dev/null/pq-cannot-write-here")
    #expect(session.waitFor("pq> "))
    session.send("1 + 1\r")
    #expect(session.waitFor("= 2"))
    session.send("2 + 2\r")
    #expect(session.waitFor("= 4"))
    #expect(session.occurrences(of: "warning: cannot save history") == 1)
  }

  @Test func secondTabListsCandidatesAndUnderscoreHoldsTheLastValue() {
    let session = TerminalSession(stateHome: temporaryFolder())
    #expect(session.waitFor("pq> "))
    session.send("truth.\t")
    session.waitFor("never printed", seconds: 0.3)
    session.send("\t")
    #expect(session.waitFor("suspended_accounts"))
    #expect(session.screen.contains("news_share"))
    session.send("\u{15}21 * 2\r")
    #expect(session.waitFor("= 42"))
    session.send("_ + 1\r")
    #expect(session.waitFor("= 43"))
  }

  @Test func commandsWork() {
    let session = TerminalSession(stateHome: temporaryFolder())
    #expect(session.waitFor("pq> "))
    session.send(":hepl\r")
    #expect(session.waitFor("did you mean ':help'?"))
    // `:env` lists the binding on a line of its own; the typed `let mine = 3` does not count.
    session.send("let mine = 3\r:env\r")
    #expect(session.waitFor("\nmine = 3"))
    session.send(":help ratio\r")
    #expect(session.waitFor("example: ratio(x.mau, truth.mau)"))
  }

  @Test func timeResetLoadSaveAndQuit() throws {
    let folder = temporaryFolder()
    try FileSystem.writeAtomically(folder + "/lib.pq", Array("let loaded = 40\nfn plus2(n) { n + 2 }\n".utf8))
    let session = TerminalSession(stateHome: temporaryFolder())
    #expect(session.waitFor("pq> "))
    session.send(":time 6 * 7\r")
    #expect(session.waitFor("= 42"))
    #expect(session.waitFor(" µs)") || session.screen.contains(" ms)"))
    session.send(":load \(folder)/lib.pq\r")
    session.send("plus2(loaded)\r")
    #expect(session.waitFor("= 42", count: 2))
    session.send("let kept = 5\r1 / 0\r")
    #expect(session.waitFor("division by zero"))
    session.send(":save \(folder)/session.pq\r")
    session.send("\"sa\" + \"ved\"\r")
    #expect(session.waitFor("saved\""))
    session.send(":reset\r")
    session.send("kept\r")
    #expect(session.waitFor("'kept' is not defined"))
    session.send(":quit\r")
    #expect(session.exitStatus() == 0)
    // The saved session holds the successful inputs only, and runs.
    let saved = String(decoding: try FileSystem.read(folder + "/session.pq"), as: UTF8.self)
    #expect(saved.contains("let kept = 5"))
    #expect(!saved.contains("1 / 0"))
    #expect(!saved.contains(":time"))
    let rerun = runPQ([folder + "/session.pq"], directory: folder)
    #expect(rerun.status == 0, "\(rerun.stderr)")
  }

  @Test func aTerminalClosedUnderThePromptEndsIt() {
    // SIGHUP arrives: the prompt ends as for Ctrl-D, history saved, status 128 + 1.
    let session = TerminalSession(stateHome: temporaryFolder())
    #expect(session.waitFor("pq> "))
    session.closeTerminal()
    #expect(session.termination(seconds: 10) == .exited(129))
    // Under nohup SIGHUP never comes: reading the closed terminal fails, and the prompt ends
    // with status 1 instead of spinning on EIO.
    let ignoring = TerminalSession(stateHome: temporaryFolder(), ignoreHangUp: true)
    #expect(ignoring.waitFor("pq> "))
    ignoring.closeTerminal()
    #expect(ignoring.termination(seconds: 10) == .exited(1))
  }

  @Test func sigtermEndsThePromptAndKeepsTheHistory() throws {
    let state = temporaryFolder()
    let session = TerminalSession(stateHome: state)
    #expect(session.waitFor("pq> "))
    session.send("6 * 7\r")
    #expect(session.waitFor("= 42"))
    #expect(session.waitFor("pq> ", count: 2))
    kill(session.pid, SIGTERM)
    #expect(session.termination(seconds: 10) == .exited(128 + SIGTERM))
    let history = String(decoding: try FileSystem.read(state + "/pq/history"), as: UTF8.self)
    #expect(history.contains("6\\0407\\040*") || history.contains("6\\040*\\0407"), "\(history)")
  }

  @Test func quitAloneSaysHowToLeaveAndControlLClears() {
    let session = TerminalSession(stateHome: temporaryFolder())
    #expect(session.waitFor("pq> "))
    session.send("quit\r")
    #expect(session.waitFor("Use :quit or Ctrl-D (end of input) to leave."))
    #expect(!session.screen.contains("did you mean"))
    session.send("\u{0C}")
    session.waitFor("never printed", seconds: 0.3)
    #expect(session.rawOutput.contains("\u{1B}[2J") || session.rawOutput.contains("\u{1B}[H\u{1B}[J"))
    session.send("exit\r")
    #expect(session.waitFor("Use :quit or Ctrl-D", count: 2))
  }

  @Test func savedSessionRunsAndPrintsTheSameResults() throws {
    let folder = temporaryFolder()
    let session = TerminalSession(stateHome: temporaryFolder())
    #expect(session.waitFor("pq> "))
    session.send("ratio(x.mau, truth.mau)\r")
    #expect(session.waitFor("= 101"))
    session.send("_ > 100\r")
    #expect(session.waitFor("= true"))
    session.send("let a = 2\rx.revenue + x.mau\ra * 3\r")
    #expect(session.waitFor("= 6"))
    session.send(":save \(folder)/s.pq\r")
    #expect(session.waitFor("(saved 4 inputs to"))
    let rerun = runPQ([folder + "/s.pq"], directory: folder)
    #expect(rerun.status == 0, "\(rerun.stderr)")
    #expect(rerun.stdout == "101\ntrue\n6\n")
  }

  @Test func loadOfADataFileSaysHowToLoadData() {
    let session = TerminalSession(stateHome: temporaryFolder())
    #expect(session.waitFor("pq> "))
    session.send(":load monthly.csv\r")
    #expect(session.waitFor("monthly.csv is data, not a pq script"))
    #expect(session.waitFor("note: load the data with: let monthly = load(\"monthly.csv\")"))
    #expect(!session.screen.contains("error: unexpected"))
  }

  /// Each printed line shows while the evaluation still runs (it never ends here: the loop is
  /// endless), at the prompt and for a script on a terminal.
  @Test func printedLinesAppearWhenPrinted() throws {
    let session = TerminalSession(stateHome: temporaryFolder())
    #expect(session.waitFor("pq> "))
    session.send("print(\"ste\" + \"p1\"); while true {}\r")
    #expect(session.waitFor("step1"))
    session.send("\u{03}")
    #expect(session.waitFor("interrupted"))
    let folder = temporaryFolder()
    try FileSystem.writeAtomically(
      folder + "/slow.pq", Array("print(\"ste\" + \"p2\")\nwhile true {}\n".utf8))
    let script = TerminalSession(stateHome: temporaryFolder(), arguments: [folder + "/slow.pq"])
    #expect(script.waitFor("step2"))
  }

  @Test func tabCompletesCommandsFileNamesAndMetricNames() throws {
    let folder = temporaryFolder()
    try FileSystem.writeAtomically(folder + "/monthly_figures.csv", Array("name,mau\nA,1M\n".utf8))
    try FileSystem.writeAtomically(folder + "/setup_script.pq", Array("let ready = 42\n".utf8))
    let session = TerminalSession(stateHome: temporaryFolder())
    #expect(session.waitFor("pq> "))
    // A command, then the file after it.
    session.send(":lo\t")
    session.send(" \(folder)/setup_s\t\r")
    session.send("ready\r")
    #expect(session.waitFor("= 42"))
    // A file name inside load("…").
    session.send("len(load(\"\(folder)/monthly_f\t\"))\r")
    #expect(session.waitFor("= 1"), "\(session.screen.suffix(600))")
    // A metric name inside rank(…, "…").
    session.send("rank(platforms, \"web_v\t\")[0].name\r")
    #expect(session.waitFor("= \"X\""))
  }

  @Test func aPastedBlockIsOneInputBlankLinesIncluded() {
    let session = TerminalSession(stateHome: temporaryFolder())
    #expect(session.waitFor("pq> "))
    #expect(session.rawOutput.contains("\u{1B}[?2004h"))
    // As a terminal sends a paste: wrapped in ESC[200~ … ESC[201~, line breaks as CR.
    session.send("\u{1B}[200~fn triple(v) {\r\r  v * 3\r}\rprint(triple(14))\u{1B}[201~")
    #expect(session.waitFor("42"), "\(session.rawOutput.debugDescription.suffix(800))")
    #expect(!session.screen.contains("unfinished input abandoned"))
    session.send("triple(2)\r")
    #expect(session.waitFor("= 6"))
    // Typing keeps its rules: a blank line abandons an unfinished input.
    session.send("fn g() {\r\r")
    #expect(session.waitFor("(unfinished input abandoned)"))
    // Ctrl-D once the prompt reads again (as the other Ctrl-D tests do).
    session.waitFor("never printed", seconds: 0.3)
    session.send("\u{04}")
    #expect(session.exitStatus() == 0)
    #expect(session.rawOutput.contains("\u{1B}[?2004l"))
  }

  @Test func readmeTranscriptRunsAsShown() throws {
    // The README's prompt transcript, typed line by line; each shown value must appear.
    let session = TerminalSession(stateHome: temporaryFolder())
    #expect(session.waitFor("pq> "))
    session.send("x.m\t\r")
    #expect(session.waitFor("= 70.4M users"))
    session.send("fn gap(metric) {\r  ratio(get(x, metric), get(truth, metric))\r}\r")
    session.send("gap(\"web_visits\")\r")
    #expect(session.waitFor("= 88.5"))
    session.send("gap(\"suspended_accounts\")\r")
    #expect(session.waitFor("<repl>:2:25: error: ratio: argument 2 must be a number, not nil"))
    #expect(session.waitFor("note: in gap, called from <repl>:1:1"))
    session.send("gap(\"mau\")\r")
    #expect(session.waitFor("= 101"))
    session.send("_ > 100\r")
    #expect(session.waitFor("= true"))
  }
}

/// Output on an 80-column terminal: nothing wider than the window, wide characters counted as
/// two columns, and the same output to a pipe left unwrapped.
@Suite struct TerminalWidthTests {
  func visibleLines(_ session: TerminalSession) -> [String] {
    session.screen.replacingCarriageReturns().split(separator: "\n", omittingEmptySubsequences: false).map(
      String.init)
  }

  @Test(arguments: [
    "source(x.mau)", "table(platforms, [\"name\", \"owner\", \"parent\", \"reach\", \"role\"])", "x",
    "compare(x, truth)", "compare(x.revenue, truth.revenue)", "chart(platforms, \"mau\", log: true)",
    "ratio(x.revenue, truth.revenue) + figure(1, source: \"A very long source name, to make the line long\")",
    "[{name: \"微博 Weibo\", note: \"中国的社交平台，用户很多，这是一个很长的说明文字，需要换行才能显示完整\"}, {name: \"X 🙂\", note: \"ok\"}]",
  ])
  func fitsEightyColumns(_ expression: String) {
    let session = TerminalSession(stateHome: temporaryFolder(), arguments: ["-e", expression], columns: 80)
    #expect(session.termination() == .exited(0))
    let lines = visibleLines(session)
    #expect(lines.count > 1)
    for line in lines {
      #expect(line.displayWidth <= 80, "\(expression): \(line.displayWidth) columns: \(line)")
    }
  }

  @Test func wideCharactersAlignTheirColumns() {
    let session = TerminalSession(
      stateHome: temporaryFolder(),
      arguments: [
        "-e", "[{name: \"微博微博微博\", mau: 5M}, {name: \"X 🙂\", mau: 70M}, {name: \"Zoe\\u{301}\", mau: 1M}]",
      ],
      columns: 80)
    #expect(session.termination() == .exited(0))
    let rows = visibleLines(session).filter { $0.hasSuffix("000") }
    #expect(rows.count == 3)
    // Every row's number ends in the same column, and the name was not cut to fit.
    #expect(Set(rows.map(\.displayWidth)).count == 1, "\(rows)")
    #expect(rows.first?.hasPrefix("微博微博微博  ") == true, "\(rows)")
  }

  @Test func aPipeIsNotWrapped() {
    let result = runPQ(["-e", "source(x.mau)"], environment: ["COLUMNS": "80"])
    #expect(result.stdout.split(separator: "\n").contains { String($0).displayWidth > 80 })
  }
}

extension String {
  func replacingCarriageReturns() -> String { String(filter { $0 != "\r" }) }
}
