/// The display of `compare` results.
enum ComparisonDisplay {
  static func render(_ record: Record) -> String {
    if case .string(let text)? = record["table"] { return text }
    return record.pairs.map { "\($0.0): \($0.1.inline)" }.joined(separator: "\n")
  }
}
