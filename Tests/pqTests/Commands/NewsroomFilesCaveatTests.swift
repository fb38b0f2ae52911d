import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Caveats of figures in the shapes newsrooms get them (a reporter's December follow-up on
/// Bluesky, Threads and X: different metric names, wrapped JSON lists, daily sums, claims),
/// through the real binary.
@Suite struct NewsroomFilesCaveatTests {
  /// A folder holding `files`, for a run with it as the working folder.
  func folder(_ files: [String: String]) -> String { makeFolder(files.mapValues { Array($0.utf8) }) }

  func pq(_ expression: String, in dir: String) -> ProcessResult {
    runPQ(["-e", expression], directory: dir)
  }

  static let long = """
    name,metric,value,unit,source,period,definition,status
    Threads,mau,275M,users,Meta,2024-11,monthly active users,company claim
    Bluesky,registered,20M,users,Bluesky,2024-11,registered accounts,self-reported
    X,dau,250M,users,X,2024-11,daily active users,claimed
    """

  /// Different metric names no longer skip the definition and source checks.
  @Test func differentMetricNamesAreWeighedByTheirFields() {
    let dir = folder(["d.csv": Self.long])
    let explained = pq("let d = load(\"d.csv\"); explain(ratio(d[0].value, d[1].value))", in: dir)
    #expect(explained.status == 0, "\(explained.stderr)")
    #expect(!explained.stdout.contains("caveats: none"))
    #expect(explained.stdout.contains("definitions differ (monthly active users vs registered accounts)"))
    #expect(explained.stdout.contains("sources differ (Meta vs Bluesky)"))
    for call in ["compare(d[0].value, d[2].value)", "rank(d, \"value\")", "share(d[1].value, d[0].value)"] {
      let shown =
        pq("let d = load(\"d.csv\"); \(call)", in: dir).stdout
        + pq(
          "let d = load(\"d.csv\"); caveats(\(call))", in: dir
        ).stdout
      #expect(!shown.contains("caveats: none"), "\(call)")
      #expect(shown.contains("definitions differ"), "\(call): \(shown)")
    }
  }

  /// A list wrapped in a JSON document keeps every record's provenance.
  @Test func aWrappedJSONListKeepsItsProvenance() {
    let dir = folder([
      "f.json": """
      {"meta": {"title": "follow-up"}, "data": [
        {"name": "Threads", "users": "275M", "source": "Meta", "period": "2024-11", "definition": "monthly active users", "status": "reported"},
        {"name": "Bluesky", "users": "20M", "source": "Bluesky", "period": "2024-11", "definition": "registered accounts", "status": "reported"}]}
      """
    ])
    let explained = pq("let f = load(\"f.json\"); explain(ratio(f.data[0].users, f.data[1].users))", in: dir)
    #expect(!explained.stdout.contains("has no source"), "\(explained.stdout)")
    #expect(explained.stdout.contains("f.json.data[0].users"))
    #expect(explained.stdout.contains("Meta, 2024-11: monthly active users"))
    let ranked = pq("rank(load(\"f.json\").data, \"users\")", in: dir).stdout
    #expect(ranked.contains("caveats:\n"), "\(ranked)")
    #expect(ranked.contains("sources differ (Meta vs Bluesky)"))
  }

  /// 91 daily figures: one exact line for their periods, before and after save and load.
  @Test func aSumOfDailyFiguresSaysItsSpanExactly() {
    var csv = "name,period,signups,source,definition\n"
    var day = 0
    for month in [9, 10, 11] {
      for d in 1...(month == 9 || month == 11 ? 30 : 31) {
        csv +=
          "Bluesky,2024-\(month < 10 ? "0" : "")\(month)-\(d < 10 ? "0" : "")\(d),\(1000 + day)K,Bluesky,new accounts\n"
        day += 1
      }
    }
    let dir = folder(["daily.csv": csv])
    let line = "periods differ: 91 daily periods from 2024-09-01 to 2024-11-30"
    let summed = pq("caveats(sum(load(\"daily.csv\") |> map(fn(r) { r.signups })))", in: dir)
    #expect(summed.stdout == "[\"\(line)\"]\n", "\(summed.stdout) \(summed.stderr)")
    let saved = runPQ(
      ["--allow-write", dir, "-e", "save(sum(load(\"daily.csv\") |> map(fn(r) { r.signups })), \"s.json\")"],
      directory: dir)
    #expect(saved.status == 0, "\(saved.stderr)")
    #expect(pq("caveats(load(\"s.json\"))", in: dir).stdout == "[\"\(line)\"]\n")
    #expect(
      pq("explain(load(\"s.json\"))", in: dir).stdout.contains(
        "… and 71 more figures, not listed here: the caveats below count every figure"))
  }

  /// A chart of a daily series: its caveats summed up, its source line not repeated a day.
  @Test func aChartOfADailySeriesSaysItsCaveatsOnce() {
    var csv = "name,period,signups,source,definition,status\n"
    for d in 1...30 {
      csv +=
        "Bluesky,2024-09-\(d < 10 ? "0" : "")\(d),\(100 + d)K,Bluesky,new accounts,\(d == 3 ? "estimated" : "reported")\n"
    }
    let dir = folder(["s.csv": csv])
    let chart = pq("chart(load(\"s.csv\"), \"signups\")", in: dir).stdout
    let lines = chart.split(separator: "\n")
    let caveatLines = lines.filter { $0.hasPrefix("  - ") }
    #expect(caveatLines.count <= 10, "\(chart)")
    #expect(chart.contains("source: Bluesky, 30 periods from 2024-09-01 to 2024-09-30\n"), "\(chart)")
    #expect(caveatLines.contains { $0.contains("1 estimate among the 30 figures") })
    let svg = pq("svg(chart(load(\"s.csv\"), \"signups\"))", in: dir).stdout
    #expect(svg.utf8.count < 40_000, "\(svg.utf8.count) bytes")
  }

  /// Claims are accepted under their aliases, and weighed against measurements with a caveat;
  /// explain shows every field that is set.
  @Test func claimsAndEveryFieldAreShown() {
    let dir = folder([:])
    let explained = pq(
      "explain(figure(20M, unit: \"users\", source: \"Bluesky\", period: \"2024-11\", status: \"company claim\", note: \"accounts, not active users\", url: \"https://example.com/b\"))",
      in: dir
    ).stdout
    #expect(explained.contains("note: accounts, not active users"))
    #expect(explained.contains("url: https://example.com/b"))
    #expect(explained.contains("status: claimed"))
    #expect(!explained.contains("caveats: none"))
    let weighed = pq(
      "caveats(ratio(figure(20M, unit: \"users\", source: \"Bluesky\", period: \"2024-11\", definition: \"d\", status: \"self-reported\"), figure(10M, unit: \"users\", source: \"Bluesky\", period: \"2024-11\", definition: \"d\")))",
      in: dir
    ).stdout
    #expect(
      weighed.contains(
        "a company's claim about itself (figure(20M users)) is weighed against a figure that is not one"))
  }

  /// A headline names each side's own definition, and never says "1 times".
  @Test func headlinesUseEachSidesWords() {
    let dir = folder(["d.csv": Self.long])
    let sentence = pq(
      "let d = load(\"d.csv\"); headline({name: \"X\", v: figure(600M, unit: \"users\", source: \"X\", period: \"2024-11\", definition: \"monthly active users\")}, {name: \"Bluesky\", v: d[1].value}, \"v\")",
      in: dir
    ).stdout
    #expect(
      sentence.hasPrefix(
        "X's monthly active users (600M users) are 30 times Bluesky's registered accounts (20M users)"),
      "\(sentence)")
    let close = pq(
      "headline({name: \"Bluesky\", v: figure(3.504M, unit: \"users\", source: \"A\", period: \"2024-11\", definition: \"d\")}, {name: \"Threads\", v: figure(3.496M, unit: \"users\", source: \"A\", period: \"2024-11\", definition: \"d\")}, \"v\")",
      in: dir
    ).stdout
    #expect(close.hasPrefix("Bluesky has 1.002 times Threads's d (3.504M users vs 3.496M users"), "\(close)")
  }

  /// Close values are told apart wherever they stand side by side; only equal values tie.
  @Test func closeValuesAreToldApart() {
    let dir = folder([
      "c.csv":
        "name,dau,source,period,definition\nBluesky,3.504M,A,2024-11,d\nThreads,3.496M,A,2024-11,d\nMastodon,3.496M,A,2024-11,d\n"
    ])
    let ranked = pq("rank(load(\"c.csv\"), \"dau\")", in: dir).stdout
    #expect(ranked.contains("   1  Bluesky   3.504M"), "\(ranked)")
    #expect(ranked.contains("   2  Threads   3.496M"), "\(ranked)")
    #expect(ranked.contains("   2  Mastodon  3.496M"), "\(ranked)")
    let compared = pq("let c = load(\"c.csv\"); compare(c[0].dau, c[1].dau)", in: dir).stdout
    #expect(compared.contains("ratio       1.002×"), "\(compared)")
    #expect(compared.contains("value       3.504M        3.496M"))
    #expect(
      pq("let c = load(\"c.csv\"); compare(c[1].dau, c[2].dau)", in: dir).stdout.contains("ratio       1×"))
    let chart = pq("chart(load(\"c.csv\"), \"dau\")", in: dir).stdout
    #expect(chart.contains("3.504M") && chart.contains("3.496M"), "\(chart)")
  }

  /// Rankings of long rows say which row is which, and caveats name figures by platform and
  /// period rather than by their row number.
  @Test func rankingsOfLongRowsShowThePeriod() {
    let dir = folder([
      "signups.csv":
        "name,period,signups,source,definition,status\nBluesky,2024-11-16,1.1M,Bluesky,new accounts,\nBluesky,2024-11-17,1M,Bluesky,new accounts,estimated\nBluesky,2024-11-18,1.2M,Bluesky,new accounts,\nThreads,2024-11-18,900K,Meta,new accounts,\n"
    ])
    let top = pq("top(load(\"signups.csv\"), \"signups\", 3)", in: dir).stdout
    #expect(top.hasPrefix("rank  name     period      signups\n"), "\(top)")
    #expect(top.contains("   1  Bluesky  2024-11-18     1.2M"))
    let caveats = pq("let s = load(\"signups.csv\"); caveats(ratio(s[1].signups, s[3].signups))", in: dir)
      .stdout
    #expect(caveats.contains("\"Bluesky 2024-11-17 signups is an estimate\""), "\(caveats)")
    #expect(!caveats.contains("signups.csv["))
    let explained = pq("let s = load(\"signups.csv\"); explain(s[0].signups + s[3].signups)", in: dir).stdout
    #expect(!explained.contains("caveats: none"))
  }

  /// A number with caveats says so in one line: on stderr under `-e`, dim at the prompt.
  @Test func aNumberWithCaveatsSaysSo() {
    let dir = folder(["d.csv": Self.long])
    let result = pq("let d = load(\"d.csv\"); d[0].value + d[1].value", in: dir)
    #expect(result.stdout == "295M users\n")
    #expect(
      result.stderr.hasPrefix("3 caveats: definitions differ; sources differ; status: claimed"),
      "\(result.stderr)")
    #expect(result.stderr.hasSuffix(" — caveats(…) lists them\n"))
    // Like for like: nothing on stderr.
    #expect(pq("ratio(x.mau, truth.mau)", in: dir).stderr == "")
    // `print` in a script is unchanged.
    let printed = runPQ(
      ["-"], stdin: "let d = load(\"d.csv\")\nprint(d[0].value + d[1].value)\n", directory: dir)
    #expect(printed.stdout == "295M users\n" && printed.stderr == "")
  }

  @Test func aNumberWithCaveatsSaysSoAtThePrompt() {
    let session = TerminalSession(stateHome: temporaryFolder())
    #expect(session.waitFor("pq> "))
    session.send("x.news_share + truth.news_share\r")
    #expect(session.waitFor("= 116%"))
    #expect(session.waitFor("2 caveats: shares of different wholes; no period given — caveats(_)"))
    session.send("caveats(_)\r")
    #expect(session.waitFor("so their sum is not a share of anything"))
  }

  /// Shares of different wholes do not add up, and a mean of them is unweighted; a result of
  /// figures from different sources says that it combines them.
  @Test func sharesOfDifferentWholesAndCombinedSources() {
    let dir = folder([:])
    #expect(
      pq("caveats(x.news_share + truth.news_share)", in: dir).stdout.contains(
        "the shares are of different wholes (X's users and Truth Social's users), so their sum is not a share of anything"
      ))
    #expect(
      pq("caveats(mean([x.news_share, truth.news_share]))", in: dir).stdout.contains(
        "this mean is unweighted"))
    #expect(
      pq("caveats(x.mau * x.news_share)", in: dir).stdout.contains(
        "combines figures from different sources (Similarweb and Pew Research)"))
    // A difference of shares is how shares are compared: no such caveat.
    #expect(!pq("caveats(x.news_share - truth.news_share)", in: dir).stdout.contains("wholes"))
  }
}
