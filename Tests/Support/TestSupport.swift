import PlatformQuery
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Collects `print` output from an interpreter.
package final class OutputBuffer: Sendable {
  package let text = Mutex("")

  package var contents: String { text.withLock { $0 } }

  package func append(_ piece: String) { text.withLock { $0 += piece } }
}

/// The repository root, found from this file's path.
package let repositoryRoot: String = {
  var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
  parts.removeLast(3)
  return parts.joined(separator: "/")
}()

/// An interpreter whose output goes to a buffer.
package func makeInterpreter(
  prelude: Bool = true, dataset: Interpreter.Options.DataChoice = .builtIn,
  files: Interpreter.Options.FileAccess = .none,
  limits: Limits = Limits()
) -> (Interpreter, OutputBuffer) {
  let buffer = OutputBuffer()
  var options = Interpreter.Options()
  options.loadsPrelude = prelude
  options.dataset = dataset
  options.fileAccess = files
  options.limits = limits
  options.output = { buffer.append($0) }
  return (Interpreter(options: options), buffer)
}

/// Evaluates and returns the display form of the value.
package func show(_ text: String, _ interpreter: Interpreter? = nil) throws -> String {
  let pq = interpreter ?? makeInterpreter().0
  return try pq.evaluate(text).description
}

/// Evaluates expecting an error, returning it.
package func failure(_ text: String, _ interpreter: Interpreter? = nil) -> PQError? {
  let pq = interpreter ?? makeInterpreter().0
  do {
    _ = try pq.evaluate(text, name: "test.pq")
    return nil
  } catch {
    return error
  }
}

/// Files in a folder of the repository with an extension, sorted.
/// A folder starting with `/` is taken as it is; any other is relative to the repository.
package func files(in folder: String, ending suffix: String) -> [String] {
  var result: [String] = []
  func walk(_ path: String) {
    guard let directory = opendir(path.hasPrefix("/") ? path : repositoryRoot + "/" + path) else { return }
    defer { closedir(directory) }
    while let entry = readdir(directory) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if name.hasPrefix(".") { continue }
      let child = path + "/" + name
      if entry.pointee.d_type == UInt8(DT_DIR) {
        walk(child)
      } else if name.hasSuffix(suffix) {
        result.append(child)
      }
    }
  }
  walk(folder)
  return result.sorted()
}

package func readText(_ relativePath: String) -> String? {
  guard let bytes = try? FileSystem.read(repositoryRoot + "/" + relativePath) else { return nil }
  return String(decoding: bytes, as: UTF8.self)
}

/// A new empty folder under /tmp for one test's files.
package func temporaryDirectory() -> String {
  var template = Array("/tmp/pq-unit-XXXXXX".utf8CString)
  return template.withUnsafeMutableBufferPointer { buffer in
    guard let base = buffer.baseAddress, let made = mkdtemp(base) else { return "/tmp" }
    return String(cString: made)
  }
}

/// Suites that write files into a fresh folder and load them with an interpreter allowed there.
package protocol FileTesting {}

extension FileTesting {
  /// A fresh temporary folder.
  package func folder() -> String { temporaryDirectory() }

  /// An interpreter that may read and write inside `dir`.
  package func interpreter(_ dir: String) -> Interpreter { makeInterpreter(files: .folders([dir])).0 }

  /// Writes `text` to `dir/name`.
  package func write(_ dir: String, _ name: String, _ text: String) throws {
    try FileSystem.writeAtomically(dir + "/" + name, Array(text.utf8))
  }
}

extension String {
  /// The string with every `target` character replaced (a Foundation-free stand-in).
  package func replacingOccurrences(_ target: String, _ replacement: String) -> String {
    split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
  }
}

/// A small deterministic generator (SplitMix64), so that a failure names a reproducible case.
package struct SplitMix {
  package var state: UInt64
  package init(state: UInt64) { self.state = state }
  package mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  package mutating func int(_ range: ClosedRange<Int>) -> Int {
    range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
  }
  /// A value spread over many orders of magnitude, either sign.
  package mutating func magnitude() -> Double {
    let mantissa = Double(next() % 1_000_000_000) / 1e9 + 0.1
    let exponent = int(-4...13)
    return (next() % 5 == 0 ? -1 : 1) * mantissa * pow(10, Double(exponent))
  }
}

/// A plain POSIX thread for tests that need one outside Swift's concurrency pool.
/// `@unchecked Sendable`: its one mutable field, the handle, is written by `start` before the
/// thread is handed to anyone and only read by `join` after.
package final class Thread: @unchecked Sendable {
  private var handle = pthread_t()

  /// Starts `body` on a new thread.
  package static func start(_ body: @escaping @Sendable () -> Void) -> Thread {
    final class Box {
      let body: @Sendable () -> Void
      init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let thread = Thread()
    // The box is retained for the new thread, which takes it back (and releases it) first thing.
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    pthread_create(
      &thread.handle, nil,
      { pointer in
        guard let pointer else { return nil }
        Unmanaged<Box>.fromOpaque(pointer).takeRetainedValue().body()
        return nil
      }, box)
    return thread
  }

  /// Waits for the thread to finish.
  package func join() { pthread_join(handle, nil) }
}
