/// A platform metric the dataset knows: its field, unit and definition.
public struct Metric: Sendable {
  /// The field name on platforms, e.g. `mau`.
  public var field: String
  /// The unit of its figures.
  public var unit: Unit
  /// What it counts, in a phrase.
  public var definition: String
  /// A short column title.
  public var title: String

  /// The five metrics the article gives for platforms, in display order.
  public static let all: [Metric] = [
    Metric(
      field: "mau", unit: .users, definition: "monthly active users on the mobile apps",
      title: "monthly users"),
    Metric(
      field: "web_visits", unit: .visits, definition: "monthly web visits across desktop and mobile",
      title: "web visits"),
    Metric(field: "revenue", unit: .usd, definition: "revenue", title: "revenue"),
    Metric(
      field: "news_share", unit: .percent, definition: "the share of its users who regularly get news there",
      title: "news use"),
    Metric(
      field: "suspended_accounts", unit: .accounts,
      definition: "accounts suspended for violating content moderation policies", title: "suspended accounts"),
  ]

  /// The metric with this field name.
  public static func named(_ field: String) -> Metric? {
    all.first { $0.field == field } ?? (field == "owner_stake" ? ownerStake : nil)
  }

  /// The value of the owner's stake, given for Truth Social's owner only.
  static let ownerStake = Metric(
    field: "owner_stake", unit: .usd, definition: "the value of the owner's stake", title: "owner's stake")
}
