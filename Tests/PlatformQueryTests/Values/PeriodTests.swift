import PQTestSupport
import Testing

@testable import PlatformQuery

/// Periods as spans of days, and how two of them lie against each other. Every expected span is
/// written as dates, worked out by hand.
@Suite struct PeriodTests {
  func days(_ text: String) -> (String, String)? {
    guard let period = Period.parse(text) else { return nil }
    func date(_ day: Int) -> String {
      let (y, m, d) = Period.civil(day)
      return "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
    }
    return (date(period.firstDay), date(period.lastDay))
  }

  @Test(arguments: [
    ("2024", "2024-01-01", "2024-12-31"), ("2024-09", "2024-09-01", "2024-09-30"),
    ("2024-02", "2024-02-01", "2024-02-29"), ("2023-02", "2023-02-01", "2023-02-28"),
    ("2024-09-30", "2024-09-30", "2024-09-30"), ("2024-Q3", "2024-07-01", "2024-09-30"),
    ("2024-Q1", "2024-01-01", "2024-03-31"), ("2024-H1", "2024-01-01", "2024-06-30"),
    ("2024-H2", "2024-07-01", "2024-12-31"), ("2024-S1", "2024-01-01", "2024-06-30"),
    ("2024-M09", "2024-09-01", "2024-09-30"), ("2024-01/2024-09", "2024-01-01", "2024-09-30"),
    ("2023-Q4/2024-Q1", "2023-10-01", "2024-03-31"), ("September 2024", "2024-09-01", "2024-09-30"),
    ("Sept 2024", "2024-09-01", "2024-09-30"), ("sep 2024", "2024-09-01", "2024-09-30"),
    ("January–September 2024", "2024-01-01", "2024-09-30"),
    ("January-March 2024", "2024-01-01", "2024-03-31"),
    ("first half of 2024", "2024-01-01", "2024-06-30"), ("second half of 2023", "2023-07-01", "2023-12-31"),
    ("Q3 2024", "2024-07-01", "2024-09-30"), ("H1 2024", "2024-01-01", "2024-06-30"),
    ("third quarter of 2024", "2024-07-01", "2024-09-30"), ("2000-02-29", "2000-02-29", "2000-02-29"),
  ])
  func readsEveryForm(_ row: (String, String, String)) {
    let span = days(row.0)
    #expect(span?.0 == row.1 && span?.1 == row.2, "\(row.0): \(String(describing: span))")
    #expect(Period.parse(row.0)?.text == row.0)
  }

  @Test(arguments: [
    "", "2024-13", "2024-00", "2024-09-31", "2023-02-29", "2024-Q5", "2024-H3", "24", "20245", "2024-9",
    "September", "Septembre 2024", "2024-09/2024-01", "March–January 2024", "first third of 2024",
    "last year",
    "not stated; reported November 2024", "2024, estimated",
  ])
  func refusesWhatIsNotAPeriod(_ text: String) {
    #expect(Period.parse(text) == nil, "\(text)")
  }

  @Test(arguments: [
    ("September 2024", "2024-09", "same", ""),
    ("2024-09", "2024", "within", "periods differ: 2024-09 lies within 2024"),
    ("2024", "2024-Q3", "contains", "periods differ: 2024-Q3 lies within 2024"),
    (
      "2024-H1", "2024-Q2/2024-Q3", "overlapping 3",
      "periods overlap by 3 months (2024-H1 vs 2024-Q2/2024-Q3)"
    ),
    (
      "2024-01/2024-09", "2024-09/2024-12", "overlapping 1",
      "periods overlap by 1 month (2024-01/2024-09 vs 2024-09/2024-12)"
    ),
    ("2024-09", "2024-10", "apart 1", "periods are 1 month apart (2024-09 vs 2024-10)"),
    ("2024-11", "September 2024", "apart 2", "periods are 2 months apart (2024-11 vs September 2024)"),
    ("2023", "2024", "apart 12", "periods are 12 months apart (2023 vs 2024)"),
    // Counted start to start, which is not the gap when the lengths differ: said.
    (
      "2024-11", "2024-Q3", "apart 4",
      "periods are 4 months apart, start to start, and of different lengths (2024-11 vs 2024-Q3)"
    ),
    ("2024-02", "2024-03", "apart 1", "periods are 1 month apart (2024-02 vs 2024-03)"),
    ("2024-09-01", "2024-09-15", "apart days 14", "periods are 14 days apart (2024-09-01 vs 2024-09-15)"),
    (
      "2024-09-10/2024-09-20", "2024-09-15/2024-09-30", "overlap days 6",
      "periods overlap by 6 days (2024-09-10/2024-09-20 vs 2024-09-15/2024-09-30)"
    ),
  ])
  func relations(_ row: (String, String, String, String)) throws {
    let a = try #require(Period.parse(row.0))
    let b = try #require(Period.parse(row.1))
    let relation: String
    switch a.relation(to: b) {
    case .same: relation = "same"
    case .within: relation = "within"
    case .contains: relation = "contains"
    case .overlapping(let months, let days):
      relation = months > 0 ? "overlapping \(months)" : "overlap days \(days)"
    case .apart(let months, let days): relation = months > 0 ? "apart \(months)" : "apart days \(days)"
    }
    #expect(relation == row.2, "\(row.0) vs \(row.1)")
    #expect((a.difference(from: b) ?? "") == row.3)
  }

  @Test func calendarArithmeticRoundTrips() {
    // Every day from 1900 to 2100: day number to date and back.
    var previous = Period.day(1899, 12, 31)
    for year in 1900...2100 {
      for month in 1...12 {
        for dayOfMonth in 1...Period.daysIn(year, month) {
          let day = Period.day(year, month, dayOfMonth)
          #expect(day == previous + 1)
          previous = day
          let back = Period.civil(day)
          if back.year != year || back.month != month || back.day != dayOfMonth {
            Issue.record("\(year)-\(month)-\(dayOfMonth) came back as \(back)")
          }
        }
      }
    }
    #expect(Period.day(1970, 1, 1) == 0)
  }

  /// ISO dates, months and years are read by byte (a daily series has a new period every row):
  /// every day of 1998–2031 reads as itself, and impossible dates are refused as before.
  @Test func numericNotationReadsEveryDay() {
    var day = Period.day(1998, 1, 1)
    while day <= Period.day(2031, 12, 31) {
      let (y, m, d) = Period.civil(day)
      let text = "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
      let period = Period.parse(text)
      #expect(period?.firstDay == day && period?.lastDay == day, "\(text)")
      day += 1
    }
    #expect(Period.parse("2024-09")?.firstDay == Period.day(2024, 9, 1))
    #expect(Period.parse("2024-09")?.lastDay == Period.day(2024, 9, 30))
    #expect(Period.parse("2024")?.lastDay == Period.day(2024, 12, 31))
    for bad in [
      "2023-02-29", "2024-00", "2024-13", "2024-13-01", "2024-04-31", "0999", "2024-9", "20244", "2024--01",
    ] {
      #expect(Period.parse(bad) == nil, "\(bad)")
    }
  }
}
