extension Builtins {
  static let collections: [NativeFunction] = [
    NativeFunction(
      "len(value)", doc: "The number of elements of a list, characters of a string, or fields of a record.",
      example: "len(platforms)"
    ) { arguments throws(PQError) in
      // `Value.length`, which the counted `len` of a variable (`NumericLength`) reads too.
      let length = arguments[0].length
      guard !length.isNaN else { throw arguments.typeError(0, "a list, string or record") }
      return .number(length)
    },
    NativeFunction(
      "range(end) | range(start, end, step?)", arity: 1...3,
      doc: "The numbers from start (0) up to but not including end, by step (1).", example: "range(1, 10, 3)"
    ) { arguments throws(PQError) in
      let (start, end, step): (Double, Double, Double)
      if arguments.count == 1 {
        (start, end, step) = (0, try arguments.plainNumber(0), 1)
      } else {
        start = try arguments.plainNumber(0)
        end = try arguments.plainNumber(1)
        step = arguments.count > 2 ? try arguments.plainNumber(2) : 1
      }
      guard step != 0 else { throw arguments.error(2, "the step cannot be 0") }
      let count = max(0, ((end - start) / step).rounded(.up))
      guard count.isFinite else { throw arguments.failure("the range is infinite") }
      try arguments.runtime.checkSize(count > 1e15 ? Int.max : Int(count), nil)
      var items: [Value] = []
      items.reserveCapacity(Int(count))
      var current = start
      while step > 0 ? current < end : current > end {
        items.append(.number(current))
        current += step
      }
      return .list(items)
    },
    NativeFunction(
      "map(list, f)", doc: "The list of f(element) for each element.",
      example: "map(platforms, fn(p) { p.name })"
    ) { arguments throws(PQError) in
      let items = try arguments.list(0)
      let function = try arguments.function(1)
      var result: [Value] = []
      result.reserveCapacity(items.count)
      for item in items { result.append(try arguments.call(function, item)) }
      return .list(result)
    },
    NativeFunction(
      "filter(list, f)", doc: "The elements for which f(element) is truthy.",
      example: "filter(platforms, fn(p) { p.mau != nil })"
    ) { arguments throws(PQError) in
      let items = try arguments.list(0)
      let function = try arguments.function(1)
      var result: [Value] = []
      for item in items where try arguments.call(function, item).isTruthy { result.append(item) }
      return .list(result)
    },
    NativeFunction(
      "reduce(list, f, initial)", doc: "Folds the list: f(f(initial, a), b)…",
      example: "reduce([1, 2, 3], fn(a, b) { a + b }, 0)"
    ) { arguments throws(PQError) in
      let items = try arguments.list(0)
      let function = try arguments.function(1)
      var accumulator = arguments[2]
      for item in items { accumulator = try arguments.call(function, accumulator, item) }
      return accumulator
    },
    NativeFunction(
      "sort(list, key?)", named: ["desc"],
      doc: "The list in ascending order (nil last), by the values or by key(element); desc: true reverses.",
      example: "sort([3, 1, 2], desc: true)"
    ) { arguments throws(PQError) in
      let items = try arguments.list(0)
      let descending = arguments.named["desc"]?.isTruthy ?? false
      guard arguments.optional(1) != nil else {
        // The values are their own keys: shared, not copied, and plain numbers sorted as such.
        if let numbers = sortedNumbers(items, descending: descending) { return .list(numbers) }
        return .list(try sorted(items, keys: items, descending: descending))
      }
      let key = try arguments.function(1)
      var keys: [Value] = []
      keys.reserveCapacity(items.count)
      for item in items { keys.append(try arguments.call(key, item)) }
      return .list(try sorted(items, keys: keys, descending: descending))
    },
    NativeFunction(
      "sort_by(list, field)", named: ["desc"],
      doc: "Records sorted by a field (or key function), ascending, nil last; desc: true reverses.",
      example: "sort_by(platforms, \"mau\", desc: true)"
    ) { arguments throws(PQError) in
      let items = try arguments.list(0)
      let keys = try fieldValues(items, arguments, 1)
      return .list(try sorted(items, keys: keys, descending: arguments.named["desc"]?.isTruthy ?? false))
    },
    NativeFunction("keys(record)", doc: "The field names of a record, in order.", example: "keys(x)") {
      arguments throws(PQError) in .list(try arguments.record(0).keys.map { .string($0) })
    },
    NativeFunction(
      "values(record)", doc: "The field values of a record, in order.", example: "values({a: 1, b: 2})"
    ) {
      arguments throws(PQError) in .list(try arguments.record(0).values)
    },
    NativeFunction("has(record, field)", doc: "Whether a record has the field.", example: "has(x, \"mau\")") {
      arguments throws(PQError) in .bool(try arguments.record(0)[try arguments.string(1)] != nil)
    },
    NativeFunction(
      "get(container, key, default?)",
      doc: "A field or element, or the default (nil) when it is missing or nil.",
      example: "get(truth, \"suspended_accounts\", 0)"
    ) { arguments throws(PQError) in
      let fallback = arguments[2]
      switch arguments[0] {
      case .record(let record):
        let value = record[try arguments.string(1)] ?? .nil
        if case .nil = value { return fallback }
        return value
      case .list(let items):
        let index = try arguments.integer(1)
        let position = index < 0 ? items.count + index : index
        return position >= 0 && position < items.count ? items[position] : fallback
      default:
        throw arguments.typeError(0, "a record or a list")
      }
    },
    NativeFunction(
      "append(list, value)", doc: "The list with the value added at the end.", example: "append([1, 2], 3)"
    ) {
      arguments throws(PQError) in
      var items = try arguments.list(0)
      try arguments.runtime.checkSize(items.count + 1, nil)
      items.append(arguments[1])
      return .list(items)
    },
    NativeFunction(
      "reverse(list)", doc: "The list (or string) in reverse order.", example: "reverse([1, 2, 3])"
    ) {
      arguments throws(PQError) in
      if case .string(let text) = arguments[0] { return .string(String(text.reversed())) }
      return .list(try arguments.list(0).reversed())
    },
    NativeFunction(
      "slice(list, start, end?)",
      doc: "The elements from start up to (not including) end; negative indices count from the end.",
      example: "slice([1, 2, 3, 4], 1, -1)"
    ) { arguments throws(PQError) in
      // The bounds are read once the first argument is known to be a list or text (its error
      // comes first), into plain integers: a nested function reading `arguments` made a copy of
      // them on every call.
      func bounds(_ count: Int, _ start: Int, _ end: Int?) -> Range<Int> {
        func clamp(_ index: Int) -> Int { max(0, min(count, index < 0 ? count + index : index)) }
        let (from, to) = (clamp(start), end.map(clamp) ?? count)
        return from < to ? from..<to : from..<from
      }
      guard case .string(let text) = arguments[0] else {
        let items = try arguments.list(0)
        let start = try arguments.integer(1)
        let end = arguments.optional(2) == nil ? nil : try arguments.integer(2)
        return .list(Array(items[bounds(items.count, start, end)]))
      }
      let start = try arguments.integer(1)
      let end = arguments.optional(2) == nil ? nil : try arguments.integer(2)
      // Text is cut at characters: where every byte is one (`Runtime.isPlainASCII`), at byte
      // offsets, the piece made from the bytes where they lie; else through the characters
      // once. (Each character was made a value first: a slice of a 40,000-character text took a
      // millisecond.)
      if arguments.runtime.isPlainASCII(text) {
        let range = bounds(text.utf8.count, start, end)
        let piece = text.utf8.withContiguousStorageIfAvailable {
          String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self)
        }
        if let piece { return .string(piece) }
        let utf8 = text.utf8
        let from = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        return .string(String(text[from..<utf8.index(from, offsetBy: range.count)]))
      }
      let characters = Array(text)
      return .string(String(characters[bounds(characters.count, start, end)]))
    },
    NativeFunction(
      "contains(container, value)",
      doc: "Whether a list holds the value, a string the substring, or a record the field.",
      example: "contains(\"Truth Social\", \"Truth\")"
    ) { arguments throws(PQError) in
      switch arguments[0] {
      case .list(let items):
        for item in items where (try? Arithmetic.equal(item, arguments[1])) == true { return .bool(true) }
        return .bool(false)
      case .string(let text): return .bool(text.containsText(try arguments.string(1)))
      case .record(let record): return .bool(record[try arguments.string(1)] != nil)
      default: throw arguments.typeError(0, "a list, string or record")
      }
    },
    NativeFunction(
      "index_of(list, value)", doc: "The first index of the value in the list, or nil.",
      example: "index_of([\"a\", \"b\"], \"b\")"
    ) { arguments throws(PQError) in
      for (index, item) in try arguments.list(0).enumerated()
      where (try? Arithmetic.equal(item, arguments[1])) == true {
        return .number(Double(index))
      }
      return .nil
    },
    NativeFunction(
      "zip(a, b)", doc: "Pairs of elements [a[i], b[i]], as long as the shorter list.",
      example: "zip([1, 2], [\"a\", \"b\"])"
    ) { arguments throws(PQError) in
      .list(zip(try arguments.list(0), try arguments.list(1)).map { .list([$0, $1]) })
    },
    NativeFunction(
      "any(list, f?)", doc: "Whether any element (or f(element)) is truthy.", example: "any([false, 1])"
    ) {
      arguments throws(PQError) in
      let f: Function? = arguments.optional(1) == nil ? nil : try arguments.function(1)
      for item in try arguments.list(0)
      where try (f.map { g throws(PQError) in try arguments.call(g, item) } ?? item).isTruthy {
        return .bool(true)
      }
      return .bool(false)
    },
    NativeFunction(
      "all(list, f?)", doc: "Whether every element (or f(element)) is truthy.", example: "all([1, 2])"
    ) {
      arguments throws(PQError) in
      let f: Function? = arguments.optional(1) == nil ? nil : try arguments.function(1)
      for item in try arguments.list(0)
      where try !(f.map { g throws(PQError) in try arguments.call(g, item) } ?? item).isTruthy {
        return .bool(false)
      }
      return .bool(true)
    },
    NativeFunction(
      "record(pairs)", doc: "A record from a list of [key, value] pairs.",
      example: "record([[\"a\", 1], [\"b\", 2]])"
    ) { arguments throws(PQError) in
      var pairs: [(String, Value)] = []
      for item in try arguments.list(0) {
        guard case .list(let pair) = item, pair.count == 2, case .string(let key) = pair[0] else {
          throw arguments.error(0, "each element must be a [\"key\", value] pair")
        }
        pairs.append((key, pair[1]))
      }
      return .record(Record(pairs))
    },
  ]

  /// The values of a field (or key function) for each record, for sorting and ranking.
  static func fieldValues(_ items: [Value], _ arguments: Arguments, _ index: Int) throws(PQError) -> [Value] {
    if case .function(let key) = arguments[index] {
      return try items.map { item throws(PQError) in try arguments.call(key, item) }
    }
    let field = try arguments.string(index)
    var result: [Value] = []
    for item in items {
      guard case .record(let record) = item else {
        throw arguments.error(0, "expected a list of records, but it holds \(Arithmetic.describe(item))")
      }
      guard let value = record[field] else {
        var notes = Suggestion.note(for: field, in: record.keys)
        if notes.isEmpty { notes = ["fields: " + record.keys.joined(separator: ", ")] }
        throw arguments.error(
          index, "no field '\(field)' in \(Value.record(record).inline.prefix(40))", notes: notes)
      }
      result.append(value)
    }
    return result
  }

  /// A stable sort by keys, nil keys last whatever the direction.
  static func sorted(_ items: [Value], keys: [Value], descending: Bool) throws(PQError) -> [Value] {
    if let fast = sortedByPlainKeys(items, keys: keys, descending: descending) { return fast }
    var order = Array(items.indices)
    var failure: PQError?
    order.sort { a, b in
      if failure != nil { return false }
      let (left, right) = (keys[a], keys[b])
      if case .nil = left { return false }
      if case .nil = right { return true }
      do throws(PQError) {
        if try Arithmetic.less(left, right) { return !descending }
        if try Arithmetic.less(right, left) { return descending }
        return a < b
      } catch {
        failure = error
        return false
      }
    }
    if let failure { throw failure }
    return order.map { items[$0] }
  }
}

extension Builtins {
  /// A list of plain numbers sorted as doubles: a third of the memory of sorting (key, index)
  /// pairs. Equal numbers cannot be told apart, so an unstable order is the stable one, except
  /// for 0 and -0, which compare equal but print differently: a list holding both, or NaN, or
  /// anything but plain numbers, gives nil and takes the general path.
  static func sortedNumbers(_ items: [Value], descending: Bool) -> [Value]? {
    var numbers: [Double] = []
    numbers.reserveCapacity(items.count)
    var positiveZero = false
    var negativeZero = false
    for item in items {
      guard case .number(let n) = item, !n.isNaN else { return nil }
      if n == 0 {
        if n.sign == .minus { negativeZero = true } else { positiveZero = true }
      }
      numbers.append(n)
    }
    if positiveZero && negativeZero { return nil }
    if descending { numbers.sort(by: >) } else { numbers.sort() }
    return numbers.map { .number($0) }
  }

  /// Sorting by plain numbers or by strings, the common cases, compares the keys directly.
  static func sortedByPlainKeys(_ items: [Value], keys: [Value], descending: Bool) -> [Value]? {
    var numbers: [(Double, Int)] = []
    numbers.reserveCapacity(keys.count)
    var strings: [(String, Int)] = []
    for (index, key) in keys.enumerated() {
      switch key {
      case .number(let n) where strings.isEmpty && !n.isNaN: numbers.append((n, index))
      case .string(let s) where numbers.isEmpty: strings.append((s, index))
      default: return nil
      }
    }
    if !strings.isEmpty {
      strings.sort { a, b in a.0 != b.0 ? (a.0 < b.0) != descending : a.1 < b.1 }
      return strings.map { items[$0.1] }
    }
    numbers.sort { a, b in a.0 != b.0 ? (a.0 < b.0) != descending : a.1 < b.1 }
    return numbers.map { items[$0.1] }
  }
}
