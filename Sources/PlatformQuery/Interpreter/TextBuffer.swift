/// The bytes of the interpolations being made (`InterpolationNode`), one buffer a runtime keeps
/// between them. An interpolation appends its parts after whatever is there and cuts the buffer
/// back to where it started when it is done (or fails), so an interpolation inside another
/// (`"\("\(x)")"`) writes after the outer one's bytes and leaves them as they were.
///
/// Its own memory rather than an `[UInt8]`: appending to an array went through generic paths
/// (an append of a few bytes, or clearing it, cost 60 to 100 instructions), which was most of
/// the cost of a short interpolation (`counting`, bench/README.md "seventh session").
final class TextBuffer {
  private(set) var base: UnsafeMutablePointer<UInt8>
  /// The bytes written.
  private(set) var count = 0
  private var capacity: Int

  /// The room kept between interpolations; a buffer grown past it by one long text is given
  /// back to this size when the text is made.
  static let keptCapacity = 4096

  init() {
    capacity = TextBuffer.keptCapacity
    base = .allocate(capacity: capacity)
  }

  deinit { base.deallocate() }

  /// Appends `bytes`.
  @inline(__always)
  func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    let length = bytes.count
    guard length > 0 else { return }
    if count &+ length > capacity { grow(to: count + length) }
    (base + count).update(from: bytes.baseAddress.unsafelyUnwrapped, count: length)
    count &+= length
  }

  /// Appends the UTF-8 bytes of `text`.
  @inline(__always)
  func append(_ text: String) {
    var text = text
    text.withUTF8 { append($0) }
  }

  /// Appends `byte`.
  @inline(__always)
  func append(byte: UInt8) {
    if count == capacity { grow(to: count + 1) }
    base[count] = byte
    count &+= 1
  }

  /// Appends `NumberFormat.plain(value)`: a whole number's digits written straight in
  /// (`InterpolationTests` holds the two to the same text).
  @inline(__always)
  func append(plain value: Double) {
    if value != 0, abs(value) <= NumberFormat.exactIntegerLimit, case let whole = Int64(value),
      Double(whole) == value
    {
      append(whole: whole)
    } else {
      append(NumberFormat.plain(value))
    }
  }

  /// Writes a whole number's decimal digits (and its sign).
  @inline(__always)
  func append(whole value: Int64) {
    var magnitude = value.magnitude
    var length = value < 0 ? 1 : 0
    var rest = magnitude
    repeat {
      length += 1
      rest /= 10
    } while rest > 0
    if count &+ length > capacity { grow(to: count + length) }
    var position = count + length
    repeat {
      position -= 1
      base[position] = UInt8(ascii: "0") &+ UInt8(magnitude % 10)
      magnitude /= 10
    } while magnitude > 0
    if value < 0 { base[count] = UInt8(ascii: "-") }
    count &+= length
  }

  /// The text of the bytes from `start` on, and the buffer cut back to `start`.
  func text(from start: Int) -> String {
    let result = String(
      decoding: UnsafeBufferPointer(start: base + start, count: count - start), as: UTF8.self)
    cut(to: start)
    return result
  }

  /// Forgets the bytes from `start` on; at 0, a buffer grown past `keptCapacity` is made that
  /// size again.
  func cut(to start: Int) {
    count = start
    if start == 0, capacity > TextBuffer.keptCapacity {
      base.deallocate()
      capacity = TextBuffer.keptCapacity
      base = .allocate(capacity: capacity)
    }
  }

  @inline(never)
  private func grow(to needed: Int) {
    var newCapacity = capacity * 2
    while newCapacity < needed { newCapacity *= 2 }
    let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    grown.update(from: base, count: count)
    base.deallocate()
    base = grown
    capacity = newCapacity
  }
}
