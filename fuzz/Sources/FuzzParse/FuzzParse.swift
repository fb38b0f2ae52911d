// Lexer, parser and resolver on arbitrary bytes: any input must give a value or a PQError, and
// the recovering parser (the editor's, `pq --check`'s) must agree with the one that runs.
@_spi(Fuzzing) import PlatformQuery

// libFuzzer calls the target on one thread: one interpreter for the whole run.
nonisolated(unsafe) let interpreter = Interpreter()

/// The libFuzzer entry point: one input, returns 0.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParse(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  do {
    let source = try Source.decode(bytes, name: "fuzz.pq")
    if !ParserFuzzing.recoveringAgrees(with: source) {
      fatalError("the recovering parser disagrees with the parser on: \(source.text)")
    }
    try interpreter.check(source)
  } catch {
    _ = error.rendered(color: false)
  }
  return 0
}
