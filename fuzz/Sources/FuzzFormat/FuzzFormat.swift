// `pq fmt` on arbitrary text: it formats (keeping every token, which the formatter checks itself)
// or reports the syntax error, and formatting its own output changes nothing.
import PlatformQuery
import PlatformQueryTools

/// The libFuzzer entry point: one input, returns 0.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFormat(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  let once: String
  do throws(PQError) {
    once = try CodeFormatter.format(text)
  } catch {
    if error.kind != .syntax, error.message.contains("would have changed") {
      fatalError("invariant broken: the layout changed the tokens of\n\(text)")
    }
    return 0
  }
  do throws(PQError) {
    let twice = try CodeFormatter.format(once)
    if twice != once { fatalError("invariant broken: not idempotent\n\(text)\n---\n\(once)\n---\n\(twice)") }
  } catch {
    fatalError("invariant broken: pq fmt cannot read its own output: \(error.message)\n\(once)")
  }
  return 0
}
