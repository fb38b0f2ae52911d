// A formula checker that embeds pq, as a Swift tool would: its own platform data (with sources),
// a native function that keeps the sources of what it is given, formulas typed by strangers
// under untrusted limits, formulas of the wrong unit refused before they run, and several
// interpreters at once. It prints each result with its sources and caveats, or the error and the
// limit that stopped it.
//
//   swift run pq-embed-example                         the built-in checks below
//   swift run pq-embed-example 'per_capita(chirp.mau, 1000)'   your own formulas
//
// The same file is built as a separate package depending on pq by path (HostPackageTests).
import PlatformQuery

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// The host's own figures, each with its source, as JSON in the format of stdlib/platforms.json.
let hostData = """
  {"platforms": [
    {"name": "Chirp", "label": "chirp", "details": {"founded": "2021"},
     "figures": {
       "mau": {"value": 5000000, "unit": "users", "publisher": "Chirp analytics", "period": "2024-10",
               "definition": "monthly active users"},
       "dau": {"value": 1200000, "unit": "users", "publisher": "Chirp analytics", "period": "2024-10",
               "definition": "daily active users"},
       "revenue": {"value": 3100000, "unit": "USD", "publisher": "Chirp annual report", "period": "2023",
                   "definition": "revenue", "estimate": true}}}]}
  """

/// An interpreter as the checker makes one for each user: the host's data, untrusted limits,
/// and the checker's own native function.
func makeChecker() throws -> Interpreter {
  var options = Interpreter.Options()
  options.dataset = try .json(hostData)
  options.limits = .untrusted  // formulas typed by strangers stay within their limits
  let pq = Interpreter(options: options)
  // A native that keeps its inputs' sources and caveats, as pq's own ratio does.
  try pq.register(
    "per_capita", parameters: ["value", "people"], doc: "A value per person.",
    example: "per_capita(chirp.revenue, 1000)"
  ) { call in
    guard let value = call.argument("value"), let amount = value.doubleValue else {
      throw call.error(argument: 0, "the value must be a number")
    }
    guard let people = call.argument("people"), let count = people.doubleValue, count > 0 else {
      throw call.error(argument: 1, "people must be a number above 0")
    }
    // pq's unit rules give the unit (USD / users is USD per user); `derived` names the call.
    let unit = try value.applying("/", people).unit
    return Value.derived("per_capita", from: [value, people], number: amount / count, unit: unit)
  }
  return pq
}

/// Prints a formula's value with its sources and caveats, or why it failed.
func check(_ formula: String, with pq: Interpreter) -> Bool {
  do {
    let value = try pq.evaluate(formula, name: "formula")
    print("\(formula) = \(value)")
    for figure in value.figures { print("    \(figure.label): \(figure.publisher), \(figure.period)") }
    for caveat in value.caveatTexts { print("    caveat: \(caveat)") }
    return true
  } catch {
    let reason = error.limitReason.map { " [limit: \($0)]" } ?? ""
    print("\(formula) refused (\(error.kind))\(reason): \(error.message)")
    return false
  }
}

let checker = try makeChecker()
let given = Array(CommandLine.arguments.dropFirst())
let formulas =
  given.isEmpty
  ? [
    "chirp.dau / chirp.mau",
    "per_capita(chirp.revenue, chirp.mau)",
    "per_capita(chirp.revenue, 0)",
    "chirp.founded",
    "let chirp = 1",
    "for i in range(200) { sum(range(5000000)) }",
    "map(range(500), fn(i) { range(99999) })",
    "fn down(n) { down(n + 1) }\ndown(0)",
  ] : given

var passed = 0
for formula in formulas where check(formula, with: checker) { passed += 1 }
print("\(passed) of \(formulas.count) formulas evaluated")

/// A dashboard cell that shows a number of users takes only a formula whose result is in users:
/// checked before it runs (`resultUnit(of:)`), so a formula of the wrong unit never runs.
func checkUnit(_ formula: String, expecting expected: Unit, with pq: Interpreter) -> String {
  do {
    guard let unit = try pq.resultUnit(of: formula, name: "formula") else {
      return "\(formula): its unit is known only by running it"
    }
    return unit == expected
      ? "\(formula): accepted (\(unit))"
      : "\(formula): refused before running: gives \(unit), not \(expected)"
  } catch {
    return "\(formula): refused before running: \(error.message)"
  }
}

if given.isEmpty, let users = Unit.parse("users") {
  for formula in [
    "chirp.mau - chirp.dau", "chirp.revenue / chirp.mau", "chirp.mau + chirp.revenue",
    "fn active(share) { chirp.mau * share }\nactive(0.4)", "per_capita(chirp.revenue, chirp.mau)",
  ] {
    print(checkUnit(formula, expecting: users, with: checker).split(separator: "\n").joined(separator: "; "))
  }
}

/// Which limit stopped `formula` under `limits`, or what it gave.
func stopped(by limits: Limits, _ formula: String, cancelAfter milliseconds: Int? = nil) async -> String {
  var options = Interpreter.Options()
  options.limits = limits
  let pq = Interpreter(options: options)
  // A native that takes its time, as a lookup in a slow service would.
  try? pq.register("slow", parameters: []) { _ in
    usleep(500_000)
    return .nil
  }
  let task = Task { () async throws(PQError) -> Value in try await pq.evaluate(formula) }
  if let milliseconds {
    try? await Task.sleep(for: .milliseconds(milliseconds))
    task.cancel()
  }
  do {
    return "gave \(try await task.value)"
  } catch let error as PQError {
    return error.limitReason.map { "limit: \($0)" } ?? "error: \(error.message)"
  } catch {
    return "error: \(error)"
  }
}

// Several users at once: one interpreter each, on tasks of their own.
if given.isEmpty {
  // Each limit holds, inside built-ins and after slow natives too, and says which it was.
  print(
    "a slow native, 0.2 s allowed:", await stopped(by: Limits(seconds: 0.2), "for i in range(4) { slow() }"))
  print(
    "long built-ins, 0.3 s allowed:",
    await stopped(by: Limits(seconds: 0.3), "for i in range(200) { sum(range(5000000)) }"))
  print(
    "800 MB of lists, 64 MiB allowed:",
    await stopped(
      by: Limits(maximumLength: 100_000, memory: 64 << 20), "map(range(500), fn(i) { range(99999) })"))
  print("cancelled after 50 ms:", await stopped(by: Limits(), "while true {}", cancelAfter: 50))

  let results = try await withThrowingTaskGroup(of: String.self) { group in
    for people in [10, 100, 1000] {
      group.addTask {
        let pq = try makeChecker()
        return try await pq.evaluate("per_capita(chirp.mau, \(people))").description
      }
    }
    var all: [String] = []
    for try await result in group { all.append(result) }
    return all.sorted()
  }
  print("concurrently: \(results.joined(separator: ", "))")
}
