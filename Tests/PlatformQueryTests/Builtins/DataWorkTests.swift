import PQTestSupport
import Testing

@testable import PlatformQuery

#if canImport(Glibc)
  import Glibc
#endif

/// The data work of a story (issue 35, first part): files as reporters download them (`platform`
/// and `date` headers, `NA` cells, a stray `20 million`), joining two files by name, and errors
/// that say what to do.
@Suite struct DataWorkTests {
  /// A folder of files for one test, removed afterwards.
  final class Folder {
    let path = "/tmp/pq-datawork-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    var names: [String] = []
    init() { mkdir(path, 0o755) }
    func write(_ name: String, _ text: String) {
      let file = fopen(path + "/" + name, "w")
      fputs(text, file)
      fclose(file)
      names.append(name)
    }
    deinit {
      for name in names { unlink(path + "/" + name) }
      rmdir(path)
    }
  }

  @Test func downloadedHeadersReadAsPqs() throws {
    let folder = Folder()
    folder.write(
      "a.csv",
      "platform,date,users\nbluesky,2024-01-05,10M\nbluesky,2024-02-05,12M\nthreads,2024-01-05,100M\n")
    let (pq, _) = makeInterpreter(files: .folders([folder.path]))
    let rows = try pq.evaluate("load(\"\(folder.path)/a.csv\")")
    guard case .list(let items) = rows, case .record(let first)? = items.first else {
      Issue.record("\(rows)")
      return
    }
    #expect(first.keys == ["name", "period", "users"])
    #expect(
      try pq.evaluate("series(load(\"\(folder.path)/a.csv\"), \"bluesky\", \"users\")").inline == "[10M, 12M]"
    )
    // Ranked by name, not "—" for every name.
    #expect(try show("rank(load(\"\(folder.path)/a.csv\"), \"users\")", pq).contains("threads"))
  }

  @Test func aStrayWordInAColumnOfNumbersIsAnErrorAtItsCell() throws {
    let folder = Folder()
    folder.write("mix.csv", "name,users\nA,10M\nB,20 million\nC,5M\n")
    folder.write("na.csv", "name,users,note\nA,10M,-\nB,NA,fine\nC,n/a,-\n")
    let (pq, _) = makeInterpreter(files: .folders([folder.path]))
    do {
      _ = try pq.evaluate("load(\"\(folder.path)/mix.csv\")")
      Issue.record("a column of numbers with '20 million' loaded")
    } catch {
      #expect(
        error.message == "'20 million' in column 'users' is not a number, and the column's other cells are")
      #expect(
        error.location?.line == 3 && error.location?.column == 3, "\(String(describing: error.location))")
      #expect(error.source?.name.hasSuffix("mix.csv") == true)
      #expect(error.notes.first?.contains("20M") == true)
    }
    // NA, n/a and - are no figure in a column of numbers, and stay text in a column of text.
    let rows = try pq.evaluate("load(\"\(folder.path)/na.csv\")")
    #expect(try pq.evaluate("load(\"\(folder.path)/na.csv\")[1].users") == .nil)
    #expect(try pq.evaluate("load(\"\(folder.path)/na.csv\")[2].users") == .nil)
    #expect(try pq.evaluate("load(\"\(folder.path)/na.csv\")[0].note") == .string("-"))
    _ = rows
    // So in a column with a unit, a metric's or one its header gives (these were errors).
    folder.write("units.csv", "name,mau,share (%),reach (users)\nA,NA,-,n/a\nB,70M,57,5M\nC,—,N/A,-\n")
    let units = try pq.evaluate(
      "map(load(\"\(folder.path)/units.csv\"), fn(r) { [r.mau, r.share, r.reach] })")
    #expect(units.description == "[[nil, nil, nil], [70M users, 57%, 5M users], [nil, nil, nil]]", "\(units)")
    // A word that is no marker is still an error there.
    folder.write("word.csv", "name,mau\nA,many\n")
    #expect(throws: PQError.self) { try pq.evaluate("load(\"\(folder.path)/word.csv\")") }
  }

  /// A file's figure without a unit (its header gives none) taken from, added to, or weighed as
  /// a share or change of a count is read in the count's unit, and every such result says so,
  /// as a ranking does; a ratio divides the units instead, and a typed number says it has no
  /// source.
  @Test func aFigureWithoutAUnitReadInAnotherSaysSo() throws {
    let folder = Folder()
    folder.write("u.csv", "name,users,source,period\nBluesky,20M,Bluesky,2024-11\n")
    let (pq, _) = makeInterpreter(files: .folders([folder.path]))
    _ = try pq.evaluate("let d = load(\"\(folder.path)/u.csv\")")
    let note = "20M has no unit, so it is taken to be in users"
    for formula in [
      "diff(x.mau, d[0].users)", "share(d[0].users, x.mau)", "pct_change(d[0].users, x.mau)",
      "x.mau - d[0].users", "d[0].users + x.mau", "diff(x.mau, d[0].users * 1)",
    ] {
      let texts = try pq.evaluate(formula).caveatTexts
      #expect(texts.first == note, "\(formula): \(texts)")
      #expect(
        texts.contains("sources differ (Similarweb vs Bluesky)")
          || texts.contains("sources differ (Bluesky vs Similarweb)"), "\(formula): \(texts)")
    }
    for formula in [
      "ratio(d[0].users, x.mau)", "x.mau + 5M", "diff(x.mau, truth.mau)", "d[0].users - d[0].users",
    ] {
      let texts = try pq.evaluate(formula).caveatTexts
      #expect(!texts.contains(note), "\(formula): \(texts)")
    }
    #expect(try pq.evaluate("ratio(d[0].users, x.mau)").description == "0.284 per user")
  }

  @Test func errorsSayWhatToDo() throws {
    let (pq, _) = makeInterpreter()
    let quoted = try #require(failure("rank(platforms, mau)", pq))
    #expect(quoted.message == "'mau' is not defined")
    #expect(quoted.notes == ["did you mean \"mau\" (a field name, in quotes)?"])
    // A name that is defined is not second-guessed; a function the user defined is not a built-in.
    #expect(failure("let mau = \"mau\"\nrank(platforms, mau)", pq) == nil)
    let local = try #require(failure("fn rank(a, b) { b }\nrank(platforms, mau)", pq))
    #expect(local.notes != ["did you mean \"mau\" (a field name, in quotes)?"])
    let equals = try #require(failure("chart(platforms, \"mau\", log=true)", pq))
    #expect(equals.message == "named arguments use ':', not '='")
    #expect(equals.notes.first?.hasPrefix("write log: and the value") == true)
    let folder = Folder()
    folder.write("s.csv", "name,period,users,visits\nbluesky,2024-01,10M,5M\nbluesky,2024-02,12M,6M\n")
    let (files, _) = makeInterpreter(files: .folders([folder.path]))
    let metric = try #require(failure("series(load(\"\(folder.path)/s.csv\"), \"bluesky\", \"user\")", files))
    #expect(metric.notes.contains("did you mean 'users'?"), "\(metric.notes)")
    #expect(metric.notes.contains("metrics: users, visits"), "\(metric.notes)")
    let name = try #require(failure("series(load(\"\(folder.path)/s.csv\"), \"blusky\", \"users\")", files))
    #expect(name.notes.contains("names: bluesky"), "\(name.notes)")
  }

  @Test func twoFilesJoinByName() throws {
    let folder = Folder()
    folder.write(
      "users.csv",
      "name,users,source,period\nX,600M,Company,2024\nBluesky,20M,Company,2024\nMastodon,8M,Own,2024\n")
    folder.write(
      "news.csv",
      "platform,news_share,source,period\nx,59%,Pew,2024\nbluesky,40%,Pew,2024\nThreads,10%,Pew,2024\n")
    let (pq, output) = makeInterpreter(files: .folders([folder.path]))
    try pq.run(
      source: Source(
        name: "\(folder.path)/t.pq",
        text: """
          let users = load("\(folder.path)/users.csv")
          let news = load("\(folder.path)/news.csv")
          let inner = join(users, news)
          let left = join(users, news, on: "name", keep: "left")
          """))
    #expect(try pq.evaluate("len(inner)") == .number(2))
    #expect(try pq.evaluate("len(left)") == .number(3))
    #expect(try pq.evaluate("inner[0].name") == .string("X"))
    #expect(try pq.evaluate("inner[0].news_share").inline == "59%")
    #expect(try pq.evaluate("left[2].news_share") == .nil)
    // Each figure keeps its own source; a field both files have is kept from each.
    #expect(try pq.evaluate("source(inner[0].news_share)[0].publisher") == .string("Pew"))
    #expect(try pq.evaluate("source(inner[0].users)[0].publisher") == .string("Company"))
    #expect(try pq.evaluate("inner[0].source_2") == .string("Pew"))
    #expect(try show("ratio(inner[0].users, inner[1].users)", pq) == "30")
    #expect(
      output.contents.contains(
        "join: names that did not match — only in the first list: Mastodon; only in the second: Threads"),
      "\(output.contents)")
    for (formula, message) in [
      ("join(users, news, keep: \"outer\")", "keep: is \"inner\""),
      ("join(users, news, on: \"nope\")", "has no 'nope'"),
      ("join(users, [1])", "not a record"),
      ("join([\"a\"], \", \", on: \"x\")", "on: and keep: go with two lists of records"),
    ] {
      let error = try #require(failure(formula, pq), "\(formula)")
      #expect(error.message.contains(message), "\(formula): \(error.message)")
    }
  }

  /// A table with one column per period loads one figure a cell, its period the header; `load`
  /// says what the file does not (metric, unit, source, definition, status), and the file's own
  /// columns win.
  @Test func periodsAsColumnsLoadOneFigureACell() throws {
    let folder = Folder()
    folder.write("wide.csv", "platform,2022,2023,2024\nX,400M,500M,600M\nBluesky,,10M,20M\n")
    folder.write("own.csv", "name,source,2023-Q1,2023-Q2\nX,Own count,1M,2M\n")
    folder.write("noname.csv", "2022,2023\n1,2\n")
    folder.write("bad.csv", "name,2022,2023\nX,1,two\n")
    folder.write("extra.csv", "name,2022,2023,web_visits,note\nX,1,2,,early\nY,3,4,5B,\n")
    folder.write("clash.csv", "name,2022,value\nX,1,2\n")
    let (pq, _) = makeInterpreter(files: .folders([folder.path]))
    let path = folder.path
    try pq.run(
      source: Source(
        name: "\(path)/t.pq",
        text: """
          let d = load("\(path)/wide.csv", metric: "users", unit: "users", source: "Company reports", definition: "registered accounts", status: "estimated")
          let plain = load("\(path)/wide.csv")
          let own = load("\(path)/own.csv", source: "Told")
          """))
    // Five cells with figures (the empty one is no figure), oldest first in a series.
    #expect(try pq.evaluate("len(d)") == .number(5))
    #expect(try pq.evaluate("series(d, \"X\", \"users\")").inline == "[400M users, 500M users, 600M users]")
    let figure = try #require(try pq.evaluate("d[1].users").asFigure)
    #expect(figure.period == "2023" && figure.periodGiven)
    #expect(figure.publisher == "Company reports")
    #expect(figure.definition == "registered accounts")
    #expect(figure.status == .estimated)
    #expect(try pq.evaluate("d[1].period") == .string("2023"))
    // Without metric: the figures are "value", plain numbers.
    #expect(try pq.evaluate("plain[0].value").inline == "400M")
    // The file's own source column wins over what load was told.
    #expect(try pq.evaluate("own[1].value").asFigure?.publisher == "Own count")
    #expect(try pq.evaluate("own[1].value").asFigure?.period == "2023-Q2")
    for (file, message) in [
      ("noname.csv", "a file with periods as columns (2022, …) needs a 'name' column"),
      ("bad.csv", "'two' under 2023 is not a number"),
      // A figure outside the period columns would take a period's when saved and loaded again.
      (
        "extra.csv",
        "'5B' under web_visits is a figure without a period: this file's periods are its columns (2022, …)"
      ),
      (
        "clash.csv",
        "this file has periods as columns, whose figures are named 'value', and a 'value' column too"
      ),
    ] {
      let error = try #require(failure("load(\"\(path)/\(file)\")", pq))
      #expect(error.message == message, "\(file): \(error.message)")
    }
    for (options, message) in [
      ("status: \"guess\"", "status: 'guess' is not a status"),
      ("unit: \"???\"", "unit: '???' is not a unit"),
      ("metric: 5", "metric: must be text"),
    ] {
      let error = try #require(failure("load(\"\(path)/wide.csv\", \(options))", pq), "\(options)")
      #expect(error.message.contains(message), "\(options): \(error.message)")
    }
  }

  @Test func isoWeeksAreReadAndFound() throws {
    #expect(Period.isoWeek(of: Period.day(2024, 12, 30)) == (2025, 1))
    #expect(Period.isoWeek(of: Period.day(2021, 1, 3)) == (2020, 53))
    #expect(Period.isoWeek(of: Period.day(2024, 10, 28)) == (2024, 44))
    let week = try #require(Period.parse("2024-W44"))
    #expect(week.firstDay == Period.day(2024, 10, 28) && week.lastDay == Period.day(2024, 11, 3))
    #expect(Period.parse("2020-W53") != nil)
    #expect(Period.parse("2021-W53") == nil)
    #expect(Period.parse("2024-W00") == nil)
    // Every day of six years lies in the week whose label reads back as a period holding it.
    for day in Period.day(2019, 1, 1)...Period.day(2025, 12, 31) {
      let bucket = Builtins.bucket(day, per: "week")
      let period = try #require(Period.parse(bucket.label))
      #expect(period.firstDay <= day && day <= period.lastDay && period.firstDay == bucket.first)
    }
  }

  /// Daily figures grouped into weeks, months and years: one record a bucket, its sum or mean
  /// carrying every figure's provenance, and a short bucket saying how short it is.
  @Test func groupingABySeriesPeriod() throws {
    let folder = Folder()
    var lines = ["name,period,users,source"]
    // 28 October to 6 December 2024, the Wednesdays after the 17th missing.
    var day = Period.day(2024, 10, 28)
    var kept = 0
    while day <= Period.day(2024, 12, 6) {
      let (y, m, d) = Period.civil(day)
      if !(Period.weekday(day) == 2 && day > Period.day(2024, 11, 17)) {
        lines.append("X,\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d),1000,Counter")
        kept += 1
      }
      day += 1
    }
    folder.write("daily.csv", lines.joined(separator: "\n") + "\n")
    let (pq, _) = makeInterpreter(files: .folders([folder.path]))
    try pq.run(
      source: Source(
        name: "\(folder.path)/t.pq",
        text: "let s = series(load(\"\(folder.path)/daily.csv\"), \"X\", \"users\")"))
    let weeks = try pq.evaluate("group(s, sum, per: \"week\")")
    guard case .list(let rows) = weeks else {
      Issue.record("\(weeks)")
      return
    }
    #expect(rows.count == 6)
    #expect(try pq.evaluate("group(s, sum, per: \"week\")[0].period") == .string("2024-W44"))
    #expect(try pq.evaluate("group(s, sum, per: \"week\")[0].value").inline == "7K")
    #expect(try pq.evaluate("group(s, sum, per: \"week\")[0].covers") == .string("all"))
    #expect(try pq.evaluate("group(s, sum, per: \"week\")[3].covers") == .string("6 of 7 days"))
    #expect(try pq.evaluate("group(s, sum, per: \"week\")[5].covers") == .string("4 of 7 days"))
    let short = try pq.evaluate("caveats(group(s, sum, per: \"week\")[5].value)").inline
    #expect(short.contains("the data covers 4 of the 7 days of 2024-W49"), "\(short)")
    // The sum of all buckets is the sum of the series: nothing dropped or counted twice.
    #expect(
      try pq.evaluate("sum(map(group(s, sum, per: \"month\"), fn(r) { r.value })) == sum(s)") == .bool(true))
    #expect(try pq.evaluate("group(s, mean, per: \"month\")[1].value").inline == "1K")
    #expect(try pq.evaluate("len(source(group(s, sum, per: \"year\")[0].value))") == .number(Double(kept)))
    #expect(try pq.evaluate("group(s, max, per: \"year\")[0].value").inline == "1K")
    for (formula, message) in [
      ("group(s, sum)", "group needs per:"),
      ("group(s, sum, per: \"day\")", "group needs per:"),
      ("group(s, len, per: \"week\")", "not len"),
      ("group([1, 2], sum, per: \"week\")", "has no period of its own"),
      ("group([figure(5, source: \"a\", period: \"2024-10\")], sum, per: \"week\")", "more than one week"),
    ] {
      let error = try #require(failure(formula, pq), "\(formula)")
      #expect(error.message.contains(message), "\(formula): \(error.message)")
    }
  }

  /// A rate per n of a base: per 100 adults, with the sources and caveats of both and the base's
  /// margin carried.
  @Test func ratesPerHundred() throws {
    let (pq, _) = makeInterpreter()
    try pq.run(
      source: Source(
        name: "<t>", text: "let adults = figure(262M, unit: \"adults\", source: \"Census\", period: \"2024\")"
      ))
    #expect(try show("per(x.mau, adults, 100)", pq) == "26.9 users per 100 adults")
    #expect(try show("per(x.revenue, adults, 1)", pq).hasPrefix("$"))
    #expect(try show("per(x.revenue, adults, 1)", pq).hasSuffix(" per adult"))
    #expect(try show("per(20M, 262M, 1000)", pq) == "76.3 per 1000")
    let caveats = try pq.evaluate("caveats(per(x.mau, adults, 100))").inline
    #expect(caveats.contains("combines figures from different sources (Similarweb and Census)"), "\(caveats)")
    #expect(try show("per(100 ± 10, 1000, 100)", pq) == "10 per 100 ± 1 per 100")
    for (formula, message) in [
      ("per(x.mau, adults, 0)", "n is how many of the base"),
      ("per(x.mau, 0, 100)", "the base is 0"),
      ("per(x.mau, x.revenue / x.mau, 100)", "a base that counts one thing"),
    ] {
      let error = try #require(failure(formula, pq), "\(formula)")
      #expect(error.message.contains(message), "\(formula): \(error.message)")
    }
  }

  /// A name the second list has more than once repeats the first list's rows: said in one line.
  /// A name the first list repeats (a series joined to one row a platform) is the usual case and
  /// says nothing.
  @Test func namesRepeatedInTheSecondListAreReported() throws {
    let (pq, output) = makeInterpreter()
    let joined = try pq.evaluate(
      """
      join([{name: "X", users: 1}, {name: "Bluesky", users: 2}],
           [{name: "x", share: 1}, {name: "X ", share: 2}, {name: "Bluesky", share: 3}])
      """)
    guard case .list(let rows) = joined else {
      Issue.record("\(joined)")
      return
    }
    #expect(rows.count == 3)
    #expect(
      output.contents.contains(
        "join: 1 name appears more than once in the second list, so the first list's rows with it are repeated, once for each: x (2 rows)"
      ), "\(output.contents)")
    let quiet = makeInterpreter()
    _ = try quiet.0.evaluate(
      "join([{name: \"X\", p: 1}, {name: \"X\", p: 2}, {name: \"Y\", p: 3}], [{name: \"X\", s: 1}, {name: \"Y\", s: 2}])"
    )
    #expect(quiet.1.contents.isEmpty, "\(quiet.1.contents)")
  }

  /// `join` against a nested loop over generated lists: names in any case and with spaces,
  /// repeated on either side, missing on either side; inner and left; every row in the first
  /// list's order, paired with the second's rows in theirs.
  @Test func joinMatchesANestedLoopOnGeneratedLists() throws {
    var random = SplitMix(state: 0x0000_701B)
    let names = [
      "X", "x", " X", "Bluesky", "bluesky ", "Threads", "Mastodon", "Truth", "\tTRUTH", "Ñandú", "ñandú",
      "Éire", "éire ", "É", "e", "Café", "cafe\u{301}", "CAFE\u{301} ", "a;", "A\u{37E}",
    ]
    for round in 0..<120 {
      let first = (0..<random.int(0...8)).map { (names[random.int(0...(names.count - 1))], $0) }
      let second = (0..<random.int(0...8)).map { (names[random.int(0...(names.count - 1))], 100 + $0) }
      // Some rows have a field before the name, so that the name's position changes from row
      // to row.
      func list(_ rows: [(String, Int)], _ field: String) -> String {
        "["
          + rows.map { "{\($0.1 % 3 == 0 ? "z: 0, " : "")name: \"\($0.0)\", \(field): \($0.1)}" }.joined(
            separator: ", ") + "]"
      }
      func key(_ name: String) -> String { name.trimmingSpaces.lowercased() }
      for keep in ["inner", "left"] {
        var expected: [String] = []
        for (name, a) in first {
          let matches = second.filter { key($0.0) == key(name) }
          if matches.isEmpty, keep == "left" { expected.append("\(a)/nil") }
          for (_, b) in matches { expected.append("\(a)/\(b)") }
        }
        let (pq, _) = makeInterpreter()
        let formula =
          "map(join(\(list(first, "a")), \(list(second, "b")), keep: \"\(keep)\"), fn(r) { if has(r, \"b\") { \"\\(r.a)/\\(r.b)\" } else { \"\\(r.a)/nil\" } })"
        let result = try pq.evaluate(formula)
        guard case .list(let items) = result else {
          Issue.record("round \(round): \(result)")
          continue
        }
        let got = items.map { item -> String in
          if case .string(let text) = item { return text }
          return item.inline
        }
        #expect(got == expected, "round \(round), \(keep): \(formula)")
      }
    }
  }
}
