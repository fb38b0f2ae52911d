import PQTestSupport
import Testing

@testable import PlatformQuery

#if canImport(Glibc)
  import Glibc
#endif

/// Headlines, charts, rankings and series over figures of one's own say what makes them not
/// like for like, name a side with no source, and call figures what their sources call them.
@Suite struct OwnFigureCaveatTests: FileTesting {
  /// A headline names what the figures count as their source defines it: the article's
  /// definition of a metric is not lent to a file's figures of the same field.
  @Test func aHeadlineCallsFiguresWhatTheirSourceCallsThem() throws {
    let dir = folder()
    try write(
      dir, "reg.csv",
      "name,mau,source,period,definition\nA,30M,Reg,2024,registered users\nB,10M,Reg,2024,registered users\n")
    try write(dir, "bare.csv", "name,mau,source,period\nA,30M,Reg,2024\nB,10M,Reg,2024\n")
    let pq = interpreter(dir)
    _ = try pq.evaluate("let r = load(\"\(dir)/reg.csv\")")
    _ = try pq.evaluate("let b = load(\"\(dir)/bare.csv\")")
    let defined = try pq.evaluate("headline(r[0], r[1], \"mau\")").description
    #expect(
      defined.hasPrefix("A has 3 times B's registered users (30M users vs 10M users; Reg, 2024)"),
      "\(defined)")
    #expect(!defined.contains("mobile apps"))
    let undefined = try pq.evaluate("headline(b[0], b[1], \"mau\")").description
    #expect(undefined.hasPrefix("A has 3 times B's mau (30M users vs 10M users"), "\(undefined)")
    // Numbers without any source are not lent the article's definition either.
    try write(dir, "none.csv", "name,mau\nA,30M\nB,10M\n")
    _ = try pq.evaluate("let n = load(\"\(dir)/none.csv\")")
    let unsourced = try pq.evaluate("headline(n[0], n[1], \"mau\")").description
    #expect(
      unsourced.hasPrefix("A has 3 times B's mau (30M users vs 10M users; no source given)"), "\(unsourced)")
    // The article's own figures keep the article's words.
    let article = try pq.evaluate("headline(x, truth, \"mau\")").description
    #expect(article.hasPrefix("X has 101 times Truth Social's monthly active users on the mobile apps"))
  }

  @Test func aSideWithNoSourceIsNamed() throws {
    let note = "70000000 has no source, so nothing can be said about its period or definition"
    let unitNote = "70000000 has no unit, so it is taken to be in users"
    #expect(try show("compare(x.mau, 70M).caveats") == "[\"\(unitNote)\", \"\(note)\"]")
    #expect(try show("caveats(ratio(x.mau, 70M))") == "[\"\(note)\"]")
    #expect(!(try show("compare(x.mau, 70M)")).contains("caveats: none"))
  }

  @Test func undatedArticleFiguresDoNotClaimTheSamePeriod() throws {
    let compared = try show("compare(x.news_share, truth.news_share)")
    #expect(!compared.contains("caveats: none"))
    #expect(
      compared.contains(
        "no period is given for x.news_share or truth.news_share, so the periods cannot be compared")
    )
  }

  @Test func headlinesChartsAndRankingsSayWhenFiguresAreNotLikeForLike() throws {
    let headline = try show("headline(x, truth, \"revenue\")")
    #expect(headline.contains(" Not like for like: "))
    #expect(headline.contains("x.revenue is an estimate"))
    let chart = try show("chart(with_figure(platforms, \"revenue\"), \"revenue\", width: 60)")
    #expect(chart.contains("\ncaveats:\n  - no period is given for x.revenue"))
    #expect(
      try show("caveats(rank(platforms, \"revenue\"))").contains(
        "definitions differ (advertising revenue vs revenue)"))
    // Like for like: no caveats, said plainly.
    #expect(try show("chart(with_figure(platforms, \"mau\"), \"mau\", width: 60)").hasSuffix("caveats: none"))
    #expect(!(try show("headline(x, truth, \"mau\")")).contains("Not like for like"))
  }

  @Test func seriesAreOrderedByPeriodAndSayHowFarApart() throws {
    let dir = folder()
    try write(
      dir, "m.csv",
      "name,metric,value,source,period,definition\nX,mau,3M,A,2024-11,users\nX,mau,1M,A,2024-09,users\nY,mau,2M,A,2024-10,users\n"
    )
    let pq = interpreter(dir)
    _ = try pq.evaluate("let m = load(\"\(dir)/m.csv\")")
    #expect(try pq.evaluate("series(m, \"X\", \"mau\")").description == "[1M users, 3M users]")
    #expect(try pq.evaluate("latest(m, \"x\", \"mau\")").description == "3M users")
    #expect(
      try pq.evaluate("caveats(pct_change(series(m, \"X\", \"mau\")[0], latest(m, \"X\", \"mau\")))")
        .description
        == "[\"periods are 2 months apart (2024-09 vs 2024-11)\"]")
    #expect(throws: PQError.self) { try pq.evaluate("series(m, \"Z\", \"mau\")") }
  }
}
