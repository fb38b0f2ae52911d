// The CSV and JSON readers behind `load`, on arbitrary text: records or a PQError.
import PlatformQuery

/// The libFuzzer entry point: one input, returns 0.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLoad(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  do {
    _ = try DataFile.records(csv: text).description
  } catch {
    _ = error.rendered(color: false)
  }
  do {
    let value = try DataFile.value(json: text)
    _ = value.description
  } catch {
    _ = error.rendered(color: false)
  }
  return 0
}
