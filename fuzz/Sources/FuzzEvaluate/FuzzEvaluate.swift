// Parse, resolve and evaluate arbitrary programs under tight limits, each in a fresh interpreter
// (so a saved crash reproduces from its input alone). Invariants checked on every input:
// - the outcome is a value or a PQError, never a crash or a hang;
// - every diagnostic's span lies inside the source it names;
// - afterwards a fresh expression still evaluates, and a failed input defined nothing.
import PlatformQuery

func makeInterpreter() -> Interpreter {
  var options = Interpreter.Options()
  options.limits = Limits(steps: 20_000, callDepth: 200, seconds: 1, maximumLength: 100_000)
  return Interpreter(options: options)
}

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError("invariant broken: \(message())") }
}

/// The libFuzzer entry point: one input, returns 0.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEvaluate(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard let source = try? Source.decode(bytes, name: "fuzz.pq") else { return 0 }
  let interpreter = makeInterpreter()
  let before = interpreter.userGlobals.map(\.name)
  do {
    let value = try interpreter.evaluate(source.text, name: "fuzz.pq")
    _ = value.description
  } catch {
    _ = error.rendered(color: false)
    for diagnostic in [error] + error.followUps {
      if let span = diagnostic.span, let named = diagnostic.source, named.name == "fuzz.pq" {
        check(
          span.start >= 0 && span.start <= named.text.utf8.count && span.end <= named.text.utf8.count,
          "span \(span) outside a source of \(named.text.utf8.count) bytes")
      }
    }
    check(interpreter.userGlobals.map(\.name) == before, "a failed input left bindings behind")
  }
  do {
    let after = try interpreter.evaluate("40 + 2", name: "after.pq")
    check(after.description == "42", "40 + 2 gave \(after)")
  } catch {
    check(false, "a fresh expression failed after the input: \(error.message)")
  }
  return 0
}
