// Parse, resolve and evaluate arbitrary programs under tight limits: every outcome is a value
// or a PQError, never a crash or a hang; the interpreter stays usable.
import PlatformQuery

let interpreter: Interpreter = {
  var options = Interpreter.Options()
  options.limits = Limits(steps: 20_000, callDepth: 200, seconds: 1, maximumLength: 100_000)
  return Interpreter(options: options)
}()

/// The libFuzzer entry point: one input, returns 0.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEvaluate(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard let source = try? Source.decode(bytes, name: "fuzz.pq") else { return 0 }
  do {
    let value = try interpreter.evaluate(source.text, name: "fuzz.pq")
    _ = value.description
  } catch {
    _ = error.rendered(color: false)
  }
  return 0
}
