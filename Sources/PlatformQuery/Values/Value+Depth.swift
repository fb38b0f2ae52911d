internal import CSwiftRuntime

/// Values of any depth, handled without recursion on the caller's stack: how deep a value nests,
/// and freeing one. Swift frees a list of lists by recursion, one level at a time, and a list
/// nested half a million deep (`while true { a = [a] }`) would overflow a host thread's 8 MB
/// stack when the host lets it go. Deep values are taken apart here, one level at a time, on a
/// worklist.
extension Value {
  /// The deepest a value an interpreter hands to its host may nest (lists and records inside
  /// each other): deeper ones are taken apart and refused with a `depth` limit error.
  public static let deepestResult = 10_000

  /// The longest text a list or record is written out as for display (10 MB); a longer one is
  /// shown as a placeholder.
  public static let longestText = 10_000_000

  /// Whether the value nests lists and records more than `limit` deep, found on an explicit
  /// stack, never by recursion. Lists and records shared inside the value (`a = [a, a]` in a
  /// loop makes a value of a few thousand lists that is exponentially large as a tree) are
  /// measured once each, by the address of their storage.
  func nests(deeperThan limit: Int) -> Bool {
    switch self {
    case .list, .record: break
    default: return false
    }
    // Heights of the lists and records measured so far, by their storage; each is expanded
    // once, and a path longer than the limit ends the search at once.
    var heights: [UnsafeRawPointer: Int] = [:]
    // (value, how deep it lies, whether its children have been pushed)
    var pending: [(Value, Int, Bool)] = [(self, 1, false)]
    while let (value, depth, expanded) = pending.popLast() {
      guard let key = value.storageAddress else { continue }
      if heights[key] != nil { continue }
      let children = value.containerChildren
      if !expanded {
        if depth > limit { return true }
        pending.append((value, depth, true))
        for child in children where child.storageAddress.map({ heights[$0] == nil }) ?? false {
          pending.append((child, depth + 1, false))
        }
        continue
      }
      var height = 1
      for child in children {
        if let address = child.storageAddress { height = Swift.max(height, 1 + (heights[address] ?? 0)) }
      }
      if height > limit { return true }
      heights[key] = height
    }
    return false
  }

  /// The address of a list's or record's storage (the same for every copy that shares it), or
  /// nil for other values and empty containers.
  var storageAddress: UnsafeRawPointer? {
    switch self {
    case .list(let items):
      return items.withUnsafeBufferPointer { $0.baseAddress.map { UnsafeRawPointer($0) } }
    case .record(let record):
      return record.values.withUnsafeBufferPointer { $0.baseAddress.map { UnsafeRawPointer($0) } }
    default: return nil
    }
  }

  /// The lists and records directly inside a list or record.
  var containerChildren: [Value] {
    let items: [Value]
    switch self {
    case .list(let list): items = list
    case .record(let record): items = record.values
    default: return []
    }
    return items.filter {
      switch $0 {
      case .list, .record: return true
      default: return false
      }
    }
  }

  /// Lets a value go, taking lists and records apart one level at a time on a worklist, so
  /// that freeing it never recurses however deep it nests. A list or record another value still
  /// holds is only released (its last holder frees it); one held only here is emptied onto the
  /// worklist first. Shared parts are never walked twice.
  static func dismantle(_ value: consuming Value) {
    guard value.isListOrRecord else { return }
    var pending: [Value] = []
    pending.append(consume value)
    while var current = pending.popLast() {
      // The items moved out of the list or record; `current` lets go of it first, so that
      // they are held here alone unless another value shares them.
      var items = takeItems(&current)
      guard isUnique(&items) else { continue }
      while let item = items.popLast() {
        switch item {
        case .list, .record: pending.append(item)
        default: break
        }
      }
    }
  }

  /// Whether this is a list or a record.
  var isListOrRecord: Bool {
    switch self {
    case .list, .record: return true
    default: return false
    }
  }

  /// The items of a list or the fields of a record, moved out of `value`, which is left nil.
  private static func takeItems(_ value: inout Value) -> [Value] {
    let moved = value
    value = .nil
    switch consume moved {
    case .list(let items): return items
    case .record(let record): return record.values
    default: return []
    }
  }

  /// Whether `items` holds the only reference to its storage. It does not copy the storage to
  /// find out (a walk that copied each shared list it reached would free a value built as
  /// `a = a + [b]; b = a` in time cubic in its length), except where an array is not one
  /// reference to its storage: then a shared `items` becomes a private copy.
  private static func isUnique(_ items: inout [Value]) -> Bool {
    if let unique = hasUniqueStorage(&items) { return unique }
    let before = items.withUnsafeBufferPointer { $0.baseAddress.map { UnsafeRawPointer($0) } }
    let after = items.withUnsafeMutableBufferPointer { $0.baseAddress.map { UnsafeRawPointer($0) } }
    return before == after
  }

  /// Whether `items` holds the only reference to its storage (false for the shared empty
  /// storage), found without copying it; nil where that cannot be known
  /// so (where an array is not a single reference to its storage object, as on platforms that
  /// bridge to Objective-C).
  @inline(__always)
  static func hasUniqueStorage(_ items: inout [Value]) -> Bool? {
    #if canImport(ObjectiveC)
      return nil
    #else
      // Without Objective-C bridging, an array is one strong reference to its storage object.
      // Its bits are read as a plain pointer and handed to the runtime's uniqueness test: a
      // reference loaded the usual way would be retained for the test in a debug build, and
      // every array found shared.
      guard MemoryLayout<[Value]>.size == MemoryLayout<UnsafeRawPointer>.size else { return nil }
      let storage = withUnsafePointer(to: &items) {
        UnsafeRawPointer($0).load(as: UnsafeRawPointer.self)
      }
      return pq_isUniquelyReferenced(storage)
    #endif
  }
}

extension Value {
  /// At least how many bytes the value's text takes (strings and quoted strings counted exactly,
  /// every other item as a few bytes), found on a worklist and given up past `limit`: writing a
  /// list of 3,000 references to one 900 KB string as text would make 2.7 GB, and is refused
  /// before a byte of it is made.
  func textSize(atMost limit: Int) -> Int {
    var total = 0
    var pending: [Value] = [self]
    while let value = pending.popLast() {
      switch value {
      case .string(let text): total &+= text.utf8.count &+ 2
      case .list(let items):
        total &+= 2 &+ 2 &* items.count
        pending.append(contentsOf: items)
      case .record(let record):
        total &+= 2
        for (key, field) in zip(record.keys, record.values) {
          total &+= key.utf8.count &+ 4
          pending.append(field)
        }
      default: total &+= 1
      }
      if total > limit { return total }
    }
    return total
  }
}

extension Runtime {
  /// Before a value is written out as text (`str`, `print`, interpolation): its text may not
  /// exceed the size limit, and is charged to the memory budget.
  func reserveText(of value: Value, _ span: Span?) throws(PQError) {
    switch value {
    case .string(let text):
      // Short texts, the common case, cost nothing more.
      if text.utf8.count > 4096 { try reserve(text.utf8.count, span, what: .bytes) }
    case .list, .record:
      let size = value.textSize(atMost: limits.maximumLength)
      if size > 4096 { try reserve(size, span, what: .bytes) }
    default: break
    }
  }
}
