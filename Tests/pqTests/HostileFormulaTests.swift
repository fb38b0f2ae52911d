import Testing

/// Formulas an attacker would type, each in a host process of its own: the embedding example
/// (`examples/embed`), which evaluates the formulas on its command line under
/// `Limits.untrusted` with no file or environment access. None may kill the host, stall it or
/// take memory far past the budget: each is refused with the limit that fits it.
@Suite struct HostileFormulaTests {
  /// (formula, the limits that may stop it)
  static let formulas: [(String, [String])] = [
    ("len(replace(repeat(\"a\", 999999), \"a\", repeat(\"b\", 999999)))", ["size", "memory"]),
    (
      "var l = [1]; for i in range(19) { l += l }; var m = []; for i in range(400) { m += [l + [i]] }",
      ["steps", "memory", "size"]
    ),
    (
      "var l = [1]; for i in range(19) { l += l }; for i in range(4000) { let c = l + [i] }",
      ["steps", "memory"]
    ),
    (
      "var l = [1]; for i in range(19) { l += l }; var m = l + []; var n = 0; while true { if l == m { n += 1 } }",
      ["steps", "time"]
    ),
    ("var s = \"ab\"; while true { s = s + s }", ["size", "memory"]),
    ("var s = \"ab\"; while true { s += s }", ["size", "memory"]),
    ("var t = \"x\"; for i in range(100000) { t = \"\\(t)\\(t)\" }", ["size", "memory", "steps"]),
    ("join(map(range(900000), fn(i) { repeat(\"y\", 1000) }), \"\")", ["size", "memory", "steps"]),
    ("sort(range(1000000) |> map(fn(i) { -i }))", ["steps", "memory", "size"]),
    ("fn f(n) { f(n + 1) + 1 }; f(0)", ["depth"]),
    ("while true {}", ["steps", "time"]),
    // Values nested deeper than a host's stack could free by recursion.
    ("var a = 1; while true { a = [a] }", ["steps", "time"]),
    ("fn t() { var a = []; for i in range(100000) { a = [a] }; a }; t()", ["depth"]),
    ("var r = {}; for i in range(100000) { r = {next: r} }; r", ["depth"]),
    ("var a = []; for i in range(300000) { a = [a] }; len(str(a)) > 0", ["size", "memory", "evaluated"]),
    // In-place updates: a value put inside itself, a record grown a key at a time, a shared
    // list changed (and so copied) every round.
    ("var a = [0]; while true { a[0] = a }", ["steps", "time"]),
    ("var r = {x: [0]}; while true { r.x[0] = r }", ["steps", "time"]),
    ("var r = {}; var i = 0; while true { r[\"k\\(i)\"] = i; i += 1 }", ["steps", "time", "memory"]),
    ("var a = range(900000); var keep = []; while true { keep = a; a[0] = 1 }", ["memory", "steps"]),
  ]

  static var host: String { buildFolder + "pq-embed-example" }

  @Test(arguments: formulas.indices)
  func aHostileFormulaIsRefusedWithoutHarm(_ index: Int) {
    let (formula, reasons) = Self.formulas[index]
    let result = run([Self.host, formula], stdin: nil, directory: "/tmp", environment: [:], seconds: 120)
    // `run` records a signal death or a hang as a failure of its own.
    #expect(result.status == 0, "\(formula): \(result.stderr)")
    let line = result.stdout.split(separator: "\n").first { $0.hasPrefix(formula.prefix(30)) } ?? ""
    if reasons.contains("evaluated"), !line.contains("refused") {
      // Shown without recursion: a placeholder stands for what nests too deep to write.
      #expect(line.hasSuffix(" = true"), "\(formula): \(line)")
    } else {
      #expect(line.contains("refused (limit)"), "\(formula): \(line)")
      #expect(reasons.contains { line.contains("[limit: \($0)]") }, "\(formula): \(line)")
    }
    // The host keeps within the 64 MiB budget, with a margin for the process itself (the
    // data, the runtime, an address-sanitizer build's shadow memory).
    let margin = getenv("ASAN_OPTIONS") != nil ? 1_500_000 : 200_000
    #expect(result.peakKilobytes < 64 * 1024 + margin, "\(formula): \(result.peakKilobytes) KiB")
  }
}

#if canImport(Glibc)
  import Glibc
#endif
