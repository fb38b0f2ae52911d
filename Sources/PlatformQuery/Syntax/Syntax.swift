/// An expression node of the syntax tree, with the span of source it came from.
package struct Expr: Sendable {
  package var kind: ExprKind
  package var span: Span
}

/// Binary operators, named by what they do.
package enum BinaryOperator: String, Sendable {
  case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "mod", power = "^"
  case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
  /// `value ± margin`: the value with a margin of error.
  case margin = "±"
  /// `low..high`: the interval's midpoint, with half its width as the margin of error.
  case interval = ".."

  package var isComparison: Bool {
    switch self {
    case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return true
    default: return false
    }
  }

  /// Binding strength for printing derivations: higher binds tighter.
  package var precedence: Int {
    switch self {
    case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return 1
    case .margin, .interval: return 1
    case .add, .subtract: return 2
    case .multiply, .divide, .remainder: return 3
    case .power: return 5
    }
  }
}

/// A call argument, optionally named (`chart(ps, "mau", log: true)`).
package struct Argument: Sendable {
  package var label: String?
  package var value: Expr
}

/// A piece of an interpolated string.
package enum InterpolationPart: Sendable {
  case text(String)
  case code(Expr)
}

/// A function literal or declaration.
package struct FunctionSyntax: Sendable {
  package var name: String?
  package var nameSpan: Span?
  package var parameters: [(name: String, span: Span)]
  package var body: Block
  package var span: Span
}

/// A `{ … }` sequence of statements; its value is the last expression statement's.
package struct Block: Sendable {
  package var statements: [Statement]
  package var span: Span
}

/// The kinds of expression.
package indirect enum ExprKind: Sendable {
  case number(Double, LiteralUnit)
  case string(String)
  case interpolation([InterpolationPart])
  case boolean(Bool)
  case nilLiteral
  case name(String)
  case list([Expr])
  case record([(key: String, keySpan: Span, value: Expr)])
  case negate(Expr)
  case not(Expr)
  case binary(BinaryOperator, Expr, Expr, operatorSpan: Span)
  case and(Expr, Expr)
  case or(Expr, Expr)
  case call(Expr, [Argument])
  case index(Expr, Expr)
  case field(Expr, String, nameSpan: Span)
  case ifElse(condition: Expr, then: Block, otherwise: Expr?)
  case function(FunctionSyntax)
  case block(Block)
}

/// A statement.
package struct Statement: Sendable {
  package var kind: StatementKind
  package var span: Span
}

/// The kinds of statement.
package enum StatementKind: Sendable {
  case expression(Expr)
  case binding(name: String, nameSpan: Span, mutable: Bool, value: Expr)
  case function(FunctionSyntax)
  case assign(target: Expr, compound: BinaryOperator?, value: Expr, operatorSpan: Span)
  case whileLoop(condition: Expr, body: Block)
  case forLoop(
    first: (name: String, span: Span), second: (name: String, span: Span)?, sequence: Expr, body: Block)
  case breakLoop
  case continueLoop
  case returnValue(Expr?)
  case importModule(name: String, isPath: Bool, alias: String?, nameSpan: Span)
  /// A statement that does not parse, as the recovering parser leaves it (`Parser.recovering`):
  /// its span, and the names it would bind as far as it was read (`let b = (a +` binds `b`), so
  /// that later uses of them are not reported as undefined. Never in a tree that runs.
  case error(declares: [(name: String, span: Span)])
}

/// A parsed program: its statements and the source they came from.
package struct SyntaxTree: Sendable {
  package var statements: [Statement]
  package var source: Source
}
