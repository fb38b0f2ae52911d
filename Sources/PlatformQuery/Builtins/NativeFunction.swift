/// A function written in Swift that pq code calls like any other: declared once with its name,
/// arity, one-line doc and example, which `help` shows.
///
/// `@unchecked Sendable`: `body` is not typed `@Sendable` (the built-ins' closures capture
/// nothing, and a host's function reaches it only through `register`, which requires a
/// `@Sendable` closure); every stored property is a constant.
public final class NativeFunction: @unchecked Sendable {
  /// The name pq code calls it by.
  public let name: String
  /// The fewest positional arguments it takes.
  public let minimumArity: Int
  /// The most positional arguments it takes, or nil for any number.
  public let maximumArity: Int?
  /// How it is called, e.g. `ratio(a, b)`.
  public let signature: String
  /// One line on what it does.
  public let doc: String
  /// An example call, runnable in pq.
  public let example: String
  /// Named arguments it accepts.
  let namedParameters: [String]
  let body: (inout Arguments) throws(PQError) -> Value
  /// For a built-in of one plain number (`sqrt`, `abs`, `floor`), the same function over a
  /// `Double`, pure, giving NaN wherever `body` must answer (an error to report, a result it
  /// would round otherwise): numeric expressions call it without making a `Value`
  /// (`NumericCall`).
  let numeric: ((Double) -> Double)?
  /// True for a function a host registered: it may take any time, so the deadline and
  /// cancellation are checked after every call of it, and what it returns is checked.
  private(set) var isHostFunction = false

  init(
    _ signature: String, arity: ClosedRange<Int>? = nil, variadicFrom: Int? = nil, named: [String] = [],
    doc: String, example: String, numeric: ((Double) -> Double)? = nil,
    body: @escaping (inout Arguments) throws(PQError) -> Value
  ) {
    self.signature = signature
    self.numeric = numeric
    // Read by byte: signatures are ASCII, and every interpreter makes some seventy of these at
    // start-up, where character-by-character string work showed in the profile.
    let bytes = Array(signature.utf8)
    let open = bytes.firstIndex(of: UInt8(ascii: "(")) ?? bytes.count
    self.name = String(decoding: bytes[..<open], as: UTF8.self)
    if let variadicFrom {
      minimumArity = variadicFrom
      maximumArity = nil
    } else if let arity {
      minimumArity = arity.lowerBound
      maximumArity = arity.upperBound
    } else {
      let start = Swift.min(open + 1, bytes.count)
      let close = bytes[start...].firstIndex(of: UInt8(ascii: ")")) ?? bytes.count
      var required = 0
      var total = 0
      var variadic = false
      for parameter in bytes[start..<close].split(separator: UInt8(ascii: ",")) {
        let trimmed = parameter.drop { $0 == UInt8(ascii: " ") }.reversed().drop { $0 == UInt8(ascii: " ") }
        guard let last = trimmed.first else { continue }
        total += 1
        let isVariadic = parameter.drop { $0 == UInt8(ascii: " ") }.starts(with: "...".utf8)
        if isVariadic { variadic = true } else if last != UInt8(ascii: "?") { required += 1 }
      }
      minimumArity = required
      maximumArity = variadic ? nil : total
    }
    self.namedParameters = named
    self.doc = doc
    self.example = example
    self.body = body
  }

  /// A host function registered through the public API with an arity: its parameters are
  /// named `a1`, `a2`, … in `help` and in errors.
  convenience init(
    name: String, arity: Int?, doc: String, body: @escaping @Sendable ([Value]) throws -> Value
  ) {
    let parameters = arity.map { count in (0..<count).map { "a\($0 + 1)" } } ?? ["...values"]
    self.init(host: name, parameters: parameters, doc: doc, example: "") { arguments in
      try body(arguments.values)
    }
  }

  /// A host function with named parameters (`["value", "digits?", "...rest"]`, checked by
  /// `Interpreter.register(_:parameters:…)`): its signature, hence its arity, `help` and the
  /// usage note of arity errors, comes from them. The body's errors become `PQError`s at the
  /// call; a non-finite number it returns is an error.
  convenience init(
    host name: String, parameters: [String], doc: String, example: String,
    body: @escaping @Sendable (Arguments) throws -> Value
  ) {
    let signature = "\(name)(\(parameters.joined(separator: ", ")))"
    self.init(
      signature, doc: doc, example: example,
      body: { arguments throws(PQError) in
        let result: Value
        do {
          result = try body(arguments)
        } catch let error as PQError {
          throw error
        } catch {
          // A native that stopped because the evaluation was cancelled reports the cancellation.
          if arguments.runtime.cancellation.isCancelled {
            throw PQError.limit("interrupted", nil, reason: .cancelled)
          }
          throw PQError(.runtime, "\(name): \(error)")
        }
        // pq never holds inf or nan: a host function that returns one is an error.
        if let number = result.numericValue, !number.isFinite {
          throw PQError(
            .runtime, "\(name) returned \(number), which is not a number pq can hold",
            notes: ["a native function must return finite numbers"])
        }
        return result
      })
    isHostFunction = true
    hostParameters = parameters
  }

  /// The parameter names a host gave (`digits?`, `...rest` as written), empty for a built-in.
  private(set) var hostParameters: [String] = []

  /// Checks a host function's parameter list: names, optional ones (`?`) after the required,
  /// at most one variadic one (`...`), last. Nil when it is well formed, else what is wrong.
  static func problem(withParameters parameters: [String]) -> String? {
    var seenOptional = false
    var names: Set<String> = []
    for (index, parameter) in parameters.enumerated() {
      let isVariadic = parameter.hasPrefix("...")
      let isOptional = parameter.hasSuffix("?")
      var name = Substring(parameter)
      if isVariadic { name = name.dropFirst(3) }
      if isOptional { name = name.dropLast() }
      guard isName(name) else {
        return "'\(parameter)' is not a parameter name (a name; 'name?' is optional, '...name' variadic)"
      }
      guard names.insert(String(name)).inserted else { return "parameter '\(name)' is named twice" }
      if isVariadic && isOptional { return "'\(parameter)' cannot be both variadic and optional" }
      if isVariadic && index != parameters.count - 1 {
        return "the variadic parameter '\(parameter)' must be last"
      }
      if isOptional {
        seenOptional = true
      } else if seenOptional && !isVariadic {
        return "the required parameter '\(parameter)' comes after an optional one"
      }
    }
    return nil
  }

  func checkArity(_ count: Int, named: [String: Value]) throws(PQError) {
    if count >= minimumArity, count <= maximumArity ?? Int.max, named.isEmpty { return }
    try reportArity(count, named: named)
  }

  /// Checks the count of a call without named arguments: the common case, kept small enough to
  /// inline into the call.
  @inline(__always)
  func checkArity(_ count: Int) throws(PQError) {
    if count >= minimumArity, count <= maximumArity ?? Int.max { return }
    try reportArity(count, named: [:])
  }

  @inline(never)
  private func reportArity(_ count: Int, named: [String: Value]) throws(PQError) {
    if count < minimumArity || (maximumArity.map { count > $0 } ?? false) {
      throw PQError.arity(
        name, minimum: minimumArity, maximum: maximumArity, given: count, notes: ["usage: \(signature)"])
    }
    for key in named.keys where !namedParameters.contains(key) {
      var notes = Suggestion.note(for: key, in: namedParameters)
      notes.append(
        namedParameters.isEmpty
          ? "\(name) takes no named arguments" : "named arguments: " + namedParameters.joined(separator: ", ")
      )
      throw PQError(.runtime, "\(name) has no named argument '\(key)'", notes: notes)
    }
  }
}

/// The arguments of a native call, with checked accessors whose errors all read alike.
struct Arguments {
  /// Up to three positional arguments are held in place (most built-ins take one to three:
  /// `get(r, k, 0)`, `slice(xs, 1, 3)`, and a call then needs no array); more are all in `rest`.
  let first: Value
  let second: Value
  let third: Value
  /// Four or more positional arguments, else nil; and the named arguments, nil when there are
  /// none. Optional rather than empty so that the common call has nothing to release (an empty
  /// array or dictionary is still a reference the call retains and releases).
  private let rest: [Value]?
  private let namedArguments: [String: Value]?
  /// The number of positional arguments.
  let count: Int
  /// The runtime and the function, not retained: arguments live only for the call, during which
  /// both are held by the caller.
  unowned(unsafe) let runtime: Runtime
  let span: Span
  unowned(unsafe) let function: NativeFunction

  init(values: [Value], named: [String: Value], runtime: Runtime, span: Span, function: NativeFunction) {
    count = values.count
    if count > 3 {
      first = .nil
      second = .nil
      third = .nil
      rest = values
    } else {
      first = count > 0 ? values[0] : .nil
      second = count > 1 ? values[1] : .nil
      third = count > 2 ? values[2] : .nil
      rest = nil
    }
    self.namedArguments = named.isEmpty ? nil : named
    self.runtime = runtime
    self.span = span
    self.function = function
  }

  init(
    first: Value, second: Value, third: Value = .nil, count: Int, runtime: Runtime, span: Span,
    function: NativeFunction
  ) {
    self.first = first
    self.second = second
    self.third = third
    self.rest = nil
    self.count = count
    self.namedArguments = nil
    self.runtime = runtime
    self.span = span
    self.function = function
  }

  /// The named arguments (`chart(xs, log: true)`), empty when the call gave none.
  var named: [String: Value] { namedArguments ?? [:] }

  /// True when the call gave named arguments.
  var hasNamed: Bool { namedArguments != nil }

  /// The positional arguments as a list.
  var values: [Value] {
    switch count {
    case 0: return []
    case 1: return [first]
    case 2: return [first, second]
    case 3: return [first, second, third]
    default: return rest ?? []
    }
  }

  subscript(index: Int) -> Value {
    guard index < count else { return .nil }
    if let rest { return rest[index] }
    return index == 0 ? first : index == 1 ? second : third
  }

  /// An error about argument `index`, pointing at it.
  func error(_ index: Int, _ message: String, notes: [String] = []) -> PQError {
    var error = PQError(.runtime, "\(function.name): \(message)", notes: notes)
    error.argumentIndex = index
    return error
  }

  /// An error about the call as a whole.
  func failure(_ message: String, notes: [String] = []) -> PQError {
    PQError(.runtime, "\(function.name): \(message)", notes: notes)
  }

  func typeError(_ index: Int, _ expected: String) -> PQError {
    error(index, "argument \(index + 1) must be \(expected), not \(Arithmetic.describe(self[index]))")
  }

  func number(_ index: Int) throws(PQError) -> Double {
    guard let n = self[index].numericValue else { throw typeError(index, "a number") }
    return n
  }

  func plainNumber(_ index: Int) throws(PQError) -> Double {
    guard case .number(let n) = self[index] else {
      if case .quantity(let n, let measure) = self[index], measure.unit.isNone { return n }
      throw typeError(index, "a plain number")
    }
    return n
  }

  func integer(_ index: Int) throws(PQError) -> Int {
    let n = try plainNumber(index)
    guard n == n.rounded() else {
      throw error(index, "argument \(index + 1) must be a whole number, not \(NumberFormat.plain(n))")
    }
    guard abs(n) < 1e15 else {
      throw error(index, "argument \(index + 1) is too large: \(NumberFormat.plain(n)) is beyond ±10^15")
    }
    return Int(n)
  }

  func string(_ index: Int) throws(PQError) -> String {
    guard case .string(let s) = self[index] else { throw typeError(index, "a string") }
    return s
  }

  func list(_ index: Int) throws(PQError) -> [Value] {
    guard case .list(let items) = self[index] else { throw typeError(index, "a list") }
    return items
  }

  func record(_ index: Int) throws(PQError) -> Record {
    guard case .record(let record) = self[index] else { throw typeError(index, "a record") }
    return record
  }

  func function(_ index: Int) throws(PQError) -> Function {
    guard case .function(let f) = self[index] else { throw typeError(index, "a function") }
    return f
  }

  func optional(_ index: Int) -> Value? {
    let value = self[index]
    if case .nil = value { return nil }
    return value
  }

  /// Calls a pq or native function value from a built-in.
  func call(_ function: Function, _ arguments: [Value]) throws(PQError) -> Value {
    try runtime.call(function, arguments, span: span)
  }

  /// Calls a function value with one argument.
  func call(_ function: Function, _ argument: Value) throws(PQError) -> Value {
    try runtime.call(function, count: 1, argument, .nil, span: span)
  }

  /// Calls a function value with two arguments.
  func call(_ function: Function, _ first: Value, _ second: Value) throws(PQError) -> Value {
    try runtime.call(function, count: 2, first, second, span: span)
  }
}

/// What a native function registered with `registerWithContext` or
/// `register(_:parameters:…)` receives: the call, lent to the function for its duration.
///
/// Noncopyable and received `borrowing`, so a host can keep nothing of the call past it: it
/// cannot be stored, captured or returned (its arguments, which are values, can). That is what
/// makes calling back into pq through it (`call(_:_:)`) safe: it holds its interpreter
/// unretained, and the interpreter is alive for as long as the call lasts.
public struct NativeCall: ~Copyable {
  /// The arguments, in order.
  public let arguments: [Value]
  /// The function's name, as pq code calls it.
  public let name: String
  /// The function's parameter names as registered (`"digits?"`, `"...rest"` as written), or
  /// `a1`, `a2`, … for a function registered with an arity.
  public let parameters: [String]
  /// The interpreter the call runs in, unretained: a strong reference from a function it holds
  /// would be a cycle, and the call cannot outlive the evaluation that made it.
  let interpreterReference: Unmanaged<Interpreter>
  let cancellation: CancellationFlag

  /// Calls a pq function value (an argument, or a global) from inside the native function: a
  /// script calling Swift calling pq. It runs inside the same evaluation, under its limits.
  public func call(_ function: Value, _ arguments: [Value]) throws(PQError) -> Value {
    try interpreterReference.takeUnretainedValue().call(function, arguments)
  }

  /// The value of a global of the calling interpreter (a built-in, the data, a binding), or nil.
  public func global(_ name: String) -> Value? {
    interpreterReference.takeUnretainedValue()[name]
  }

  /// True when the evaluation that called the function was cancelled: a long native should
  /// check it now and then and stop (throwing anything; pq reports the cancellation).
  public var isCancelled: Bool { cancellation.isCancelled }

  /// The argument given for the parameter `name` (without `?`), or nil when the call left it
  /// out; for a variadic parameter, the first of its arguments.
  public func argument(_ name: String) -> Value? {
    for (index, parameter) in parameters.enumerated() {
      var bare = Substring(parameter)
      if bare.hasPrefix("...") { bare = bare.dropFirst(3) }
      if bare.hasSuffix("?") { bare = bare.dropLast() }
      if bare == name { return index < arguments.count ? arguments[index] : nil }
    }
    return nil
  }

  /// An error about argument `index` (0-based): thrown from the native, it is reported with a
  /// caret under that argument of the call, `name: message`.
  public func error(argument index: Int, _ message: String, notes: [String] = []) -> PQError {
    var error = PQError(.runtime, "\(name): \(message)", notes: notes)
    error.argumentIndex = index
    return error
  }

  /// An error about the call as a whole, `name: message`, with a caret under the call.
  public func error(_ message: String, notes: [String] = []) -> PQError {
    PQError(.runtime, "\(name): \(message)", notes: notes)
  }
}
