import Synchronization
import Testing

@testable import PlatformQuery

/// Collects `print` output from an interpreter.
final class OutputBuffer: Sendable {
  let text = Mutex("")

  var contents: String { text.withLock { $0 } }

  func append(_ piece: String) { text.withLock { $0 += piece } }
}

/// The repository root, found from this file's path.
let repositoryRoot: String = {
  var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
  parts.removeLast(3)
  return parts.joined(separator: "/")
}()

/// An interpreter whose output goes to a buffer.
func makeInterpreter(
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
func show(_ text: String, _ interpreter: Interpreter? = nil) throws -> String {
  let pq = interpreter ?? makeInterpreter().0
  return try pq.evaluate(text).description
}

/// Evaluates expecting an error, returning it.
func failure(_ text: String, _ interpreter: Interpreter? = nil) -> PQError? {
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
func files(in folder: String, ending suffix: String) -> [String] {
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

func readText(_ relativePath: String) -> String? {
  guard let bytes = try? FileSystem.read(repositoryRoot + "/" + relativePath) else { return nil }
  return String(decoding: bytes, as: UTF8.self)
}

#if canImport(Glibc)
  import Glibc
#endif

/// A new empty folder under /tmp for one test's files.
func temporaryDirectory() -> String {
  var template = Array("/tmp/pq-unit-XXXXXX".utf8CString)
  return template.withUnsafeMutableBufferPointer { buffer in
    guard let base = buffer.baseAddress, let made = mkdtemp(base) else { return "/tmp" }
    return String(cString: made)
  }
}
