/// The top-level names of an interpreter session: built-ins, the prelude, and the user's globals.
/// A value type, so a failed REPL input rolls back by keeping the old copy.
struct GlobalScope {
  struct Entry {
    var index: Int
    var mutable: Bool
    var isBuiltin: Bool
  }

  var names: [String: Entry] = [:]
  var count = 0
  /// When set, code cannot define a name that is built in or that the host provided
  /// (`Interpreter.Options.protectsGlobals`).
  var protects = false

  /// The shapes of record literals, one per list of keys: `{x: 1, y: 2}` written in two places
  /// makes records of one shape, so a field read or set on either finds its cached position
  /// (n-body's five planets, each its own literal, missed the cache on every read). Kept for
  /// up to `internedShapes` lists of keys.
  var shapes: [[String]: Shape] = [:]
  static let internedShapes = 4096

  /// The shared shape of a record literal with these keys.
  mutating func shape(for keys: [String]) -> Shape {
    if let shape = shapes[keys] { return shape }
    let shape = Shape(keys: keys)
    if shapes.count < GlobalScope.internedShapes { shapes[keys] = shape }
    return shape
  }

  mutating func define(_ name: String, mutable: Bool, isBuiltin: Bool) -> Int {
    let index = count
    count += 1
    names[name] = Entry(index: index, mutable: mutable, isBuiltin: isBuiltin)
    return index
  }
}

/// How the top level of a source is treated.
package enum ResolutionMode {
  /// A script: top-level names are globals; defining one twice is an error.
  case script
  /// A prompt input: top-level names are globals; `let` may shadow an earlier one.
  case prompt
  /// A module: top-level names are locals of the module and become its namespace.
  case module
}

/// A name declared in a block or function.
struct LocalBinding {
  enum Place {
    case slot(Int)
    case environment(scope: Int, index: Int)
    case global(Int)
  }

  var place: Place
  var mutable: Bool
  var declaration: Span
}

/// One lexical scope during resolution.
struct BlockScope {
  var names: [String: LocalBinding] = [:]
  /// Declaration order, for a module's namespace.
  var order: [String] = []
  /// Which function (depth) the scope belongs to; 0 is the top level.
  var functionDepth: Int
  /// True when variables declared here live in an environment created on entry.
  var hasEnvironment = false
  var environmentSize = 0
  /// True for the top-level scope of a script or prompt input, whose names are globals.
  var isGlobal = false
}

/// Slot bookkeeping for the function being resolved.
struct FunctionContext {
  var nextSlot = 0
  var maximumSlots = 0
  var loopDepth = 0
  var isFunction: Bool
}
