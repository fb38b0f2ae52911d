import PlatformQuery
import Synchronization

/// Stops the language server's analysis of a document when a newer change to it arrives. The
/// transport's reading thread tells it of every message as it arrives (``arrived(_:)``); the
/// server, on its own thread, marks which document it analyses. A change to that document
/// cancels the analysis: parsing and resolving stop at their next check, and no diagnostics are
/// published for the text it replaced (the newer change publishes them).
///
/// Its state is atomics only, and it holds the interpreter's cancellation flag without
/// counting a reference: the reading thread touches no reference count the server's thread
/// also changes, so it is safe even in a program built with non-atomic reference counts (the
/// `pq` command is).
public final class AnalysisInterrupter: Sendable {
  /// A hash of the URI being analysed, or 0.
  private let analysing = Atomic<UInt64>(0)
  private let superseded = Atomic<Bool>(false)
  /// Kept alive by the interpreter, which outlives this object's use.
  private let cancellation: Unmanaged<CancellationFlag>

  init(cancellation: CancellationFlag) {
    self.cancellation = Unmanaged.passUnretained(cancellation)
  }

  /// Called by the transport's reading thread for each message as it arrives, before the
  /// server handles it.
  public func arrived(_ incoming: LanguageServer.Incoming) {
    guard let uri = incoming.changedDocument else { return }
    let hash = AnalysisInterrupter.hash(uri)
    guard analysing.load(ordering: .acquiring) == hash else { return }
    superseded.store(true, ordering: .releasing)
    cancellation._withUnsafeGuaranteedRef { $0.cancel() }
  }

  /// The server begins analysing `uri`.
  func begin(_ uri: String) {
    superseded.store(false, ordering: .releasing)
    analysing.store(AnalysisInterrupter.hash(uri), ordering: .releasing)
  }

  /// Whether a newer change has made the running analysis useless.
  var isSuperseded: Bool { superseded.load(ordering: .acquiring) }

  /// The analysis ended; whether it was superseded.
  func end() -> Bool {
    analysing.store(0, ordering: .releasing)
    return superseded.exchange(false, ordering: .acquiringAndReleasing)
  }

  /// FNV-1a of the URI's bytes, never 0.
  static func hash(_ uri: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in uri.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash == 0 ? 1 : hash
  }
}
