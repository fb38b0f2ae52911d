// A toy tool that embeds pq: it registers a native Swift function, evaluates formulas its users
// type (here: command-line arguments, or a default set) over the built-in data, and prints each
// result with its sources. Run it with `swift run pq-embed-example 'ratio(x.mau, truth.mau)'`.
import PlatformQuery

var options = Interpreter.Options()
options.limits = .untrusted  // formulas typed by strangers stay within their limits
let pq = Interpreter(options: options)

// A native function pq code can call like a built-in.
try pq.register("per_thousand", arity: 2, doc: "How many per thousand: a / b * 1000.") { args in
  guard let part = args[0].doubleValue, let whole = args[1].doubleValue, whole != 0 else {
    throw ToolError.badArguments
  }
  return .number(part / whole * 1000)
}

enum ToolError: Error, CustomStringConvertible {
  case badArguments
  var description: String { "per_thousand needs two numbers, the second not 0" }
}

let formulas =
  CommandLine.arguments.count > 1
  ? Array(CommandLine.arguments.dropFirst())
  : [
    "ratio(x.mau, truth.mau)", "per_thousand(truth.mau, x.mau)", "x.revenue / x.mau",
    "truth.suspended_accounts + 1",
  ]

var failures = 0
for formula in formulas {
  do {
    let value = try pq.evaluate(formula, name: "formula")
    print("\(formula) = \(value)")
    for source in value.provenance?.figures ?? [] {
      print("    \(source.label): \(source.publisher), \(source.period)")
    }
    for caveat in value.provenance?.caveats ?? [] {
      print("    caveat: \(caveat)")
    }
  } catch {
    failures += 1
    print("\(formula) failed (\(error.kind)): \(error.message)")
  }
}
print("\(formulas.count - failures) of \(formulas.count) formulas evaluated")
