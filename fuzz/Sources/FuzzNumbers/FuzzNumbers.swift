// Number display and reading: every finite double displays without noise and reads back
// (through `num`) to within the displayed precision, in every unit.
import PlatformQuery

let interpreter = Interpreter()
let num = interpreter["num"] ?? .nil

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
  // Plain numbers and money read back with `num`.
  guard unit.isEmpty || unit == "USD" else { return 0 }
  guard let back = try? interpreter.call(num, [.string(shown)]), let parsed = back.doubleValue else {
    fatalError("display of \(number) does not read back: \(shown)")
  }
  let tolerance = unit.isEmpty ? 5e-6 : 5e-3
  if number != 0, abs(parsed - number) > tolerance * abs(number) + 1e-300 {
    fatalError("\(number) displays as \(shown), which reads back as \(parsed)")
  }
  return 0
}
