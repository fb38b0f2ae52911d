/// Values of any depth, handled without recursion on the caller's stack: how deep a value nests,
/// and freeing one. Swift frees a list of lists by recursion, one level at a time, and a list
/// nested half a million deep (`while true { a = [a] }`) would overflow a host thread's 8 MB
/// stack when the host lets it go. Deep values are taken apart here, one level at a time, on a
/// worklist.
extension Value {
  /// The deepest a value an interpreter hands to its host may nest (lists and records inside
  /// each other): deeper ones are taken apart and refused with a `depth` limit error.
  public static let deepestResult = 10_000

  /// Whether the value nests lists and records more than `limit` deep, found by an explicit
  /// stack, never by recursion.
  func nests(deeperThan limit: Int) -> Bool {
    var pending: [(Value, Int)] = []
    func push(_ value: Value, _ depth: Int) {
      switch value {
      case .list, .record: pending.append((value, depth))
      default: break
      }
    }
    push(self, 1)
    while let (value, depth) = pending.popLast() {
      if depth > limit { return true }
      switch value {
      case .list(let items): for item in items { push(item, depth + 1) }
      case .record(let record): for field in record.values { push(field, depth + 1) }
      default: break
      }
    }
    return false
  }

  /// Lets a value go, taking lists and records apart one level at a time on a worklist, so
  /// that freeing it never recurses however deep it nests. Parts other values still hold are
  /// merely released.
  static func dismantle(_ value: consuming Value) {
    switch value {
    case .list, .record: break
    default: return
    }
    var pending: [Value] = []
    pending.append(value)
    while var current = pending.popLast() {
      switch current {
      case .list(var items):
        current = .nil
        // The list is now held only here (unless shared): its items move to the worklist and
        // its buffer is freed empty.
        while let item = items.popLast() {
          switch item {
          case .list, .record: pending.append(item)
          default: break
          }
        }
      case .record(var record):
        current = .nil
        var fields = record.values
        record.values = []
        while let field = fields.popLast() {
          switch field {
          case .list, .record: pending.append(field)
          default: break
          }
        }
      default: break
      }
    }
  }
}
