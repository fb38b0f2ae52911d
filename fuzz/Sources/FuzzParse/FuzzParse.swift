// Lexer, parser and resolver on arbitrary bytes: any input must give a value or a PQError.
import PlatformQuery

// libFuzzer calls the target on one thread: one interpreter for the whole run.
nonisolated(unsafe) let interpreter = Interpreter()

/// The libFuzzer entry point: one input, returns 0.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParse(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  do {
    let source = try Source.decode(bytes, name: "fuzz.pq")
    try interpreter.check(source)
  } catch {
    _ = error.rendered(color: false)
  }
  return 0
}
