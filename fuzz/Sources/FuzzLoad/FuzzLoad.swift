// The CSV and JSON readers behind `load`, on arbitrary text: records or a PQError, never a
// crash. Whatever loads must survive a round trip: save then load gives an equal value with the
// same provenance (JSON always; CSV whenever the writer accepts the value), and saving again
// gives the same bytes.
import PlatformQuery

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError("invariant broken: \(message())") }
}

func roundTrip(
  _ value: Value, write: (Value) throws(PQError) -> String, read: (String) throws(PQError) -> Value
) {
  let first: String
  do throws(PQError) { first = try write(value) } catch { return }  // refused: nothing to check
  let again: Value
  do throws(PQError) { again = try read(first) } catch {
    fatalError("invariant broken: pq could not read what it wrote: \(error.message)\n\(first)")
  }
  check(again == value, "read back unequal:\n\(first)")
  check(again.provenance?.figures == value.provenance?.figures, "provenance changed:\n\(first)")
  do throws(PQError) {
    check(try write(again) == first, "a second save differs:\n\(first)")
  } catch {
    fatalError("invariant broken: a value read back cannot be written again: \(error.message)")
  }
}

/// The libFuzzer entry point: one input, returns 0.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLoad(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  if let records = try? DataFile.records(csv: text) {
    _ = records.description
    roundTrip(records, write: DataFile.csv, read: { text throws(PQError) in try DataFile.records(csv: text) })
  }
  if let value = try? DataFile.value(json: text) {
    _ = value.description
    roundTrip(value, write: DataFile.json, read: { text throws(PQError) in try DataFile.value(json: text) })
  }
  return 0
}
