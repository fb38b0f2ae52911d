// Deep and wide values: a loop that nests lists and records, shares and widens them, compares,
// prints, writes and returns them, under `Limits.untrusted`. Whatever the bytes ask for, the
// evaluation ends with a value or an error (never a crash), a result handed back is shown and
// compared on this thread, and the interpreter, with everything its globals hold, is freed on
// this thread's stack: values of any depth must never be taken apart by recursion here.
import PlatformQuery

let operations = [
  "a = [a]", "a = {k: a}", "a = [a, b]", "b = a", "b = [b]", "let t = a == b", "let s = str(a)",
  "a = a + [b]", "b = {x: b, y: a}", "let c = [a, a, a]", "let j = len(str([a]))", "a = [b, a]",
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDeep(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  guard size >= 3 else { return 0 }
  let rounds = (Int(data[0]) << 8 | Int(data[1])) * 8
  let body = (2..<min(size, 8)).map { operations[Int(data[$0]) % operations.count] }
  let ending = ["a", "b", "[a, b]", "a == b", "str(a)", "nil"][Int(data[size - 1]) % 6]
  let program =
    "var a = []\nvar b = {}\nfor i in range(\(rounds)) { \(body.joined(separator: "; ")) }\n\(ending)"
  var options = Interpreter.Options()
  options.limits = .untrusted
  let interpreter = Interpreter(options: options)
  if let value = try? interpreter.evaluate(program) {
    // What a host does with a result: shows it, compares it, writes it.
    let shown = value.description
    precondition(value == value, "a value is not equal to itself")
    // Written as JSON when it is of a size a host would write: the display gives up (with a
    // `<…>` placeholder) past 10 MB of text, and so does this.
    if shown.utf8.count < 1_000_000, !shown.hasPrefix("<") { _ = try? JSON.encode(value) }
  }
  _ = try? interpreter.evaluate("a == b")
  return 0
}
