// Number display and reading: every finite double displays without noise and reads back
// (through `num`, after its unit's words) to within the displayed precision, in every unit:
// plain, counts, money, percentages, points and rates.
import PlatformQuery

// libFuzzer calls the target on one thread: one interpreter for the whole run.
nonisolated(unsafe) let interpreter = Interpreter()
let num = interpreter["num"] ?? .nil

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError("invariant broken: \(message())") }
}

/// The display without its unit's words (`70.4M users` → `70.4M`, `$2.84 per user` → `$2.84`);
/// `%`, `pp` and `$` stay, since `num` reads them.
func numberPart(_ shown: String, unit: String) -> String {
  var text = shown
  for words in [" per user", " users", " user", " visits", " visit"] where text.hasSuffix(words) {
    text.removeLast(words.count)
  }
  return text
}

/// The libFuzzer entry point: one input, returns 0.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNumbers(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  guard size >= 9 else { return 0 }
  var bits: UInt64 = 0
  for index in 0..<8 { bits = bits << 8 | UInt64(data[index]) }
  let number = Double(bitPattern: bits)
  guard number.isFinite, abs(number) < 1e300 else { return 0 }
  let units = ["", "users", "USD", "%", "pp", "visits", "USD per user"]
  let unit = units[Int(data[8]) % units.count]
  let value: Value = unit.isEmpty ? .number(number) : (Value(number, unit: unit) ?? .nil)
  let shown = value.description
  if shown.contains("e") && !shown.contains("e+") && abs(number) >= 1e-6 && abs(number) < 1e15 && unit.isEmpty
  {
    fatalError("exponent in a plain number display: \(number) -> \(shown)")
  }
  check(!shown.contains("nan") && !shown.contains("inf"), "\(number) shows as \(shown)")
  // A percentage of 1,000 or more shows every whole digit: no rounded digit written as 0.
  if unit == "%" || unit == "pp", abs(number) * 100 >= 1000, abs(number) * 100 < 1e15 {
    let digits = numberPart(shown, unit: unit).filter { $0.isNumber }
    let whole = (abs(number) * 100).rounded()
    check(Double(digits).map { abs($0 - whole) <= 1 } ?? false, "\(number) \(unit) shows as \(shown)")
  }
  let text = numberPart(shown, unit: unit)
  guard let back = try? interpreter.call(num, [.string(text)]), let parsed = back.doubleValue else {
    fatalError("display of \(number) \(unit) does not read back: \(shown)")
  }
  // Plain numbers keep 6 significant digits, quantities 3 (percentages of 1,000 and more all
  // their whole digits, which is finer).
  let tolerance = unit.isEmpty ? 5e-6 : 5e-3
  if number != 0, abs(parsed - number) > tolerance * abs(number) + 1e-300 {
    fatalError("\(number) \(unit) displays as \(shown), which reads back as \(parsed)")
  }
  return 0
}
