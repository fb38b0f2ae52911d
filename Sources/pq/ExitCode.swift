import PlatformQuery
import PlatformQueryTools

/// The exit statuses of the `pq` command.
enum ExitCode: Int32 {
  case success = 0
  /// A runtime or limit error, including a failed `assert`.
  case runtimeError = 1
  /// Bad command-line usage.
  case usage = 2
  /// The script is not valid pq.
  case syntaxError = 3

  init(_ error: PQError) {
    self = error.kind == .syntax ? .syntaxError : .runtimeError
  }
}
