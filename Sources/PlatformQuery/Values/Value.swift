import Synchronization

/// A pq value. Lists and records are values, as in Swift: copying one never shares changes.
///
/// Function values refer to the interpreter that made them; they may be passed between threads
/// but should be called only through that interpreter.
///
/// `@unchecked Sendable`: every payload is `Sendable` but `Function`, whose pq closures hold an
/// environment of mutable slots. A value may cross threads (a host keeps a result, a notebook
/// hands one over), and a function in it runs only through its interpreter, which runs one
/// evaluation at a time and refuses a second thread (`Interpreter.beginEvaluation`).
public enum Value: @unchecked Sendable {
  /// The absent value; also a metric the article gives no figure for.
  case `nil`
  /// `true` or `false`.
  case bool(Bool)
  /// A plain number, with no unit and no source.
  case number(Double)
  /// A number with a unit and/or the sources it was computed from.
  case quantity(Double, Measure)
  /// Text.
  case string(String)
  /// An ordered list.
  case list([Value])
  /// Named fields in order; platforms are records too.
  case record(Record)
  /// A pq function or a native one.
  case function(Function)

  /// The pq type name, as `type(v)` returns it.
  public var typeName: String {
    switch self {
    case .nil: return "nil"
    case .bool: return "bool"
    case .number: return "number"
    case .quantity(_, let measure): return measure.unit.isNone ? "number" : "quantity"
    case .string: return "string"
    case .list: return "list"
    case .record(let record): return record.kind.typeName
    case .function: return "function"
    }
  }

  /// Only `false` and `nil` are falsy.
  public var isTruthy: Bool {
    switch self {
    case .nil: return false
    case .bool(let b): return b
    default: return true
    }
  }

  /// The numeric value of a number or quantity.
  public var numericValue: Double? {
    switch self {
    case .number(let n): return n
    case .quantity(let n, _): return n
    default: return nil
    }
  }

  /// The unit of a number or quantity (`Unit.none` for a plain number).
  public var unit: Unit {
    if case .quantity(_, let measure) = self { return measure.unit }
    return .none
  }

  /// The provenance of a value computed from sourced figures.
  public var provenance: Provenance? {
    if case .quantity(_, let measure) = self { return measure.provenance }
    return nil
  }

  /// The measure of a number that has provenance (a figure, or a value computed from figures),
  /// or nil: what the computations that keep provenance need, without making a figure's.
  var sourcedMeasure: Measure? {
    if case .quantity(_, let measure) = self, measure.hasProvenance { return measure }
    return nil
  }

  /// True for a percentage (`57%`), read without copying the unit.
  var isPercent: Bool { scaleAlone == .percent }

  /// True for percentage points (`2pp`), read without copying the unit.
  var isPoints: Bool { scaleAlone == .points }

  /// The scale of a quantity whose unit is a scale alone (percent, points), else nil.
  private var scaleAlone: Unit.Scale? {
    guard case .quantity(_, let measure) = self, measure.unit.factors.isEmpty else { return nil }
    return measure.unit.scale
  }

  /// True for a number without unit (`0.5`), read without copying the unit.
  var isPlainNumber: Bool {
    switch self {
    case .number: return true
    case .quantity(_, let measure): return measure.unit.isNone
    default: return false
    }
  }

  /// True for a number with a unit (`70.4M users`, `57%`), read without copying the unit.
  var hasUnit: Bool {
    guard case .quantity(_, let measure) = self else { return false }
    return !measure.unit.isNone
  }

  /// The figure this value is (`x.mau`), or nil.
  var asFigure: Figure? {
    guard case .quantity(_, let measure) = self else { return nil }
    return measure.asFigure
  }

  /// The figures the value comes from (none for a plain number or a literal), without making
  /// a figure's provenance.
  var inputFigures: FigureList {
    guard case .quantity(_, let measure) = self else { return .none }
    return measure.sourceFigures
  }

  /// The number of figures the value comes from, listed or not (`Provenance.figureCount`),
  /// without making a figure's provenance.
  var inputFigureCount: Int {
    guard case .quantity(_, let measure) = self else { return 0 }
    return measure.sourceFigureCount
  }

  /// Makes a number from a value, a unit and provenance, normalising to `.number` when there is
  /// neither unit nor provenance so that plain arithmetic stays on its fast path.
  /// A quantity of a common unit without provenance (`70.4M users` read from a file) shares
  /// one measure, instead of one object per number.
  /// A provenance made for the value's unit is the value's measure itself (see ``Measure``).
  static func make(_ value: Double, _ unit: Unit, _ provenance: Provenance?) -> Value {
    guard let provenance else {
      if unit.isNone { return .number(value) }
      if let shared = Measure.shared(unit) { return .quantity(value, shared) }
      return .quantity(value, Measure(unit: unit))
    }
    if provenance.unit == unit { return .quantity(value, provenance) }
    return .quantity(value, Measure(unit: unit, provenance: provenance, margin: provenance.margin))
  }

  /// `make` for a value with a margin of error (nil: exact, as `make`). A plain number with a
  /// margin is a quantity without a unit.
  static func make(_ value: Double, _ unit: Unit, _ provenance: Provenance?, margin: Margin?) -> Value {
    guard let margin else {
      // A provenance made for a value with a margin, reused for an exact one, loses it.
      if let provenance, provenance.margin != nil {
        let exact: Margin? = nil
        return make(value, unit, provenance.withMargin(exact))
      }
      return make(value, unit, provenance)
    }
    guard let provenance else { return .quantity(value, Measure(unit: unit, margin: margin)) }
    return make(value, unit, provenance.margin === margin ? provenance : provenance.withMargin(margin))
  }
}

/// A quantity's unit and the sources it was computed from, shared between values.
///
/// A ``Figure`` is its own measure: the value of a figure is `.quantity(figure.value, figure)`,
/// and its provenance (the figure alone) is made when asked for. A loaded file has hundreds of
/// thousands of figures, most never weighed against another; each costs one object, not four
/// (bench/README.md, "loading the user's own data"). A computed value's ``Provenance`` is its
/// measure too when it was made for the value's unit (`ratio(x.mau, truth.mau)` is
/// `.quantity(101…, provenance)`): one object for the result of a computation, not two.
///
/// `@unchecked Sendable`: a class that is not final cannot be checked as `Sendable`, and `Figure`
/// and `Provenance` subclass it. Its stored properties are constants of `Sendable` types; the
/// subclasses' mutable caches are behind locks or atomics (`Locked`, `Atomic`).
public class Measure: @unchecked Sendable {
  /// The unit.
  public final let unit: Unit
  /// What this measure is: a plain one, a ``Figure`` or a ``Provenance``. Declared beside the
  /// unit, whose scale leaves room for it: a figure is 8 bytes smaller than with it after the
  /// provenance (a loaded file has hundreds of thousands).
  final let kind: Kind
  /// Set once a ``Figure`` of a file's row has a cache in the table by address (`Figure.caches`:
  /// such a figure has no room for one), so that its `deinit` removes it; the padding after
  /// `kind` holds it.
  final let hasCache = Atomic<Bool>(false)
  /// Where the number came from, or nil for a literal.
  public final var provenance: Provenance? {
    switch kind {
    case .figure: return Provenance(figure: unsafeDowncast(self, to: Figure.self))
    case .provenance: return unsafeDowncast(self, to: Provenance.self)
    case .plain: return held.map { unsafeDowncast($0, to: Provenance.self) }
    }
  }

  /// This measure as the figure it is, or nil.
  final var asFigure: Figure? { kind == .figure ? unsafeDowncast(self, to: Figure.self) : nil }

  /// True when `provenance` is not nil (asked without making a figure's provenance).
  public final var hasProvenance: Bool { kind != .plain || held != nil }

  /// The provenance of a measure that is not a figure: the one it holds, or itself when it is
  /// a provenance.
  final var storedProvenance: Provenance? {
    switch kind {
    case .plain: return held.map { unsafeDowncast($0, to: Provenance.self) }
    case .provenance: return unsafeDowncast(self, to: Provenance.self)
    case .figure: return nil
    }
  }
  /// The provenance a plain measure holds (or nil), a figure's ``Figure/Place`` (never nil), and
  /// nil for a provenance: one slot for what each kind holds, so that a figure is no larger than
  /// it must be (a loaded file has hundreds of thousands).
  final let held: AnyObject?
  /// The number's margin of error, or nil for a number stated or computed exactly.
  public final let margin: Margin?
  /// True when this measure is a ``Figure``.
  final var isFigure: Bool { kind == .figure }

  /// The figures behind this measure: the figure itself, or its provenance's (none without
  /// provenance), without making a figure's provenance.
  final var sourceFigures: FigureList {
    if let figure = asFigure { return FigureList(single: figure) }
    return storedProvenance?.figureList ?? .none
  }

  /// All the figures behind this measure, listed or not (`Provenance.figureCount`).
  final var sourceFigureCount: Int { isFigure ? 1 : storedProvenance?.figureCount ?? 0 }

  enum Kind: UInt8 {
    case plain
    case figure
    case provenance
  }

  /// Creates a measure.
  public init(unit: Unit, provenance: Provenance? = nil, margin: Margin? = nil) {
    self.unit = unit
    self.held = provenance
    self.kind = .plain
    self.margin = margin
  }

  /// The one measure without provenance for each of the common units, or nil.
  static func shared(_ unit: Unit) -> Measure? {
    if unit.factors.isEmpty {
      switch unit.scale {
      case .percent: return SharedMeasures.percent
      case .points: return SharedMeasures.points
      case .none: return nil
      }
    }
    guard unit.scale == .none, unit.factors.count == 1, unit.factors[0].power == 1 else { return nil }
    switch unit.factors[0].name {
    case "user": return SharedMeasures.users
    case "USD": return SharedMeasures.usd
    case "visit": return SharedMeasures.visits
    case "account": return SharedMeasures.accounts
    default: return nil
    }
  }

  /// The measure part of a figure.
  init(figureUnit unit: Unit, margin: Margin?, place: Figure.Place) {
    self.unit = unit
    self.held = place
    self.kind = .figure
    self.margin = margin
  }

  /// The measure part of a provenance: the unit and margin of the value it was made for.
  init(provenanceUnit unit: Unit, margin: Margin? = nil) {
    self.unit = unit
    self.held = nil
    self.kind = .provenance
    self.margin = margin
  }
}

/// Figures in order: one or two held as they are, more in an array. Most computed values use
/// one or two figures (`ratio(x.mau, truth.mau)`), and an array for them was an allocation and
/// a free for every one (bench/README.md, "2026-12-02 (late morning)"). A provenance keeps its figures so.
struct FigureList: RandomAccessCollection, Equatable, Sendable {
  private let first: Figure?
  private let second: Figure?
  /// The figures when there are none or more than two.
  private let many: [Figure]

  /// No figures.
  static let none = FigureList(many: [])

  private init(first: Figure?, second: Figure?, many: [Figure]) {
    self.first = first
    self.second = second
    self.many = many
  }

  init(single: Figure) {
    self.init(first: single, second: nil, many: [])
  }

  init(_ first: Figure, _ second: Figure) {
    self.init(first: first, second: second, many: [])
  }

  init(many: [Figure]) {
    switch many.count {
    case 1: self.init(single: many[0])
    case 2: self.init(many[0], many[1])
    default: self.init(first: nil, second: nil, many: many)
    }
  }

  var startIndex: Int { 0 }
  var endIndex: Int { first == nil ? many.count : second == nil ? 1 : 2 }

  subscript(position: Int) -> Figure {
    guard let first else { return many[position] }
    precondition(position >= 0 && position < endIndex, "figure index out of range")
    return position == 0 ? first : second ?? first
  }

  /// The figures as an array (made for one or two).
  var array: [Figure] {
    guard let first else { return many }
    guard let second else { return [first] }
    return [first, second]
  }

  /// True when both lists hold equal figures in the same order, as for arrays.
  static func == (lhs: FigureList, rhs: FigureList) -> Bool {
    lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0 == $1 }
  }
}

/// The shared measures of `Measure.shared(_:)`.
enum SharedMeasures {
  static let percent = Measure(unit: .percent)
  static let points = Measure(unit: .points)
  static let users = Measure(unit: .users)
  static let usd = Measure(unit: .usd)
  static let visits = Measure(unit: .visits)
  static let accounts = Measure(unit: .accounts)
}

/// A callable value: a pq closure or a native Swift function.
public final class Function {
  enum Body {
    case closure(FunctionPrototype, Environment?)
    case native(NativeFunction)
  }

  /// A closure's code (a placeholder for a native function). Stored apart, not in an enum
  /// payload and not optional, so that a call reads it without copying or retaining.
  let prototype: FunctionPrototype
  /// The environment a closure captured.
  let environment: Environment?
  /// A native function's implementation, or nil for a closure.
  let native: NativeFunction?
  /// The prototype's body, parameter count, frame size and environment size, copied here: a
  /// call reads them from the function it holds without retaining the prototype.
  let code: Node
  let parameterCount: Int
  let frameSize: Int
  let environmentSize: Int
  /// Whether a call makes or enters an environment: `environmentSize > 0` or a captured one.
  let hasEnvironment: Bool

  /// A closure over `environment`, made without the `Body` enum (as `fn` expressions do, once
  /// per evaluation).
  convenience init(prototype: FunctionPrototype, environment: Environment?) {
    self.init(prototype: prototype, environment: environment, native: nil)
  }

  convenience init(_ body: Body) {
    switch body {
    case .closure(let prototype, let environment):
      self.init(prototype: prototype, environment: environment, native: nil)
    case .native(let native):
      self.init(prototype: FunctionPrototype.native, environment: nil, native: native)
    }
  }

  private init(prototype: FunctionPrototype, environment: Environment?, native: NativeFunction?) {
    self.prototype = prototype
    self.environment = environment
    self.native = native
    code = prototype.body
    parameterCount = prototype.parameterCount
    frameSize = prototype.frameSize
    environmentSize = prototype.environmentSize
    hasEnvironment = environmentSize > 0 || environment != nil
  }

  /// What the function runs.
  var body: Body {
    if let native { return .native(native) }
    return .closure(prototype, environment)
  }

  /// The function's name, or `<anonymous>`.
  public var name: String {
    native?.name ?? prototype.name
  }
}
