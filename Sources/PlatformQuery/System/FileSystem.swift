#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// File reading and atomic writing on top of the C library (no Foundation needed).
public enum FileSystem {
  /// A file-system failure, with a message fit for a diagnostic.
  public struct Failure: Error, Sendable {
    /// What went wrong, naming the path.
    public var message: String
  }

  static func describeErrno(_ code: Int32) -> String {
    switch code {
    case ENOENT: return "no such file or directory"
    case EACCES, EPERM: return "permission denied"
    case EISDIR: return "is a directory"
    case ENOSPC: return "no space left on the device"
    case EROFS: return "read-only file system"
    default: return String(cString: strerror(code))
    }
  }

  /// Reads a whole regular file.
  public static func read(_ path: String) throws(Failure) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw Failure(message: "cannot read '\(path)': \(describeErrno(errno))") }
    defer { close(descriptor) }
    var status = stat()
    if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
      throw Failure(message: "cannot read '\(path)': it is a directory")
    }
    return try readAll(descriptor, name: path)
  }

  /// Reads a descriptor to its end (a file, or standard input: `readAll(0, name: "<stdin>")`).
  public static func readAll(_ descriptor: Int32, name: String) throws(Failure) -> [UInt8] {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw Failure(message: "cannot read '\(name)': \(describeErrno(errno))")
      }
      if count == 0 { break }
      bytes.append(contentsOf: chunk[0..<count])
    }
    return bytes
  }

  /// Writes a file whole or not at all: into a temporary file beside it, flushed, then renamed
  /// over the target.
  public static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws(Failure) {
    let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw Failure(message: "cannot write '\(path)': \(describeErrno(errno))") }
    var written = 0
    while written < bytes.count {
      let count = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        let code = errno
        close(descriptor)
        unlink(temporary)
        throw Failure(message: "cannot write '\(path)': \(describeErrno(code))")
      }
      written += count
    }
    if fsync(descriptor) != 0 || close(descriptor) != 0 {
      let code = errno
      unlink(temporary)
      throw Failure(message: "cannot write '\(path)': \(describeErrno(code))")
    }
    if rename(temporary, path) != 0 {
      let code = errno
      unlink(temporary)
      throw Failure(message: "cannot write '\(path)': \(describeErrno(code))")
    }
  }

  /// The names in a folder that complete a partly typed path (`examples/da` → `examples/data/`),
  /// folders with a trailing `/`, hidden files only when the typed name starts with `.`; sorted.
  public static func completions(of typed: String) -> [String] {
    let slash = typed.lastIndex(of: "/")
    let folderPart = slash.map { String(typed[...$0]) } ?? ""
    let namePart = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
    let folder = folderPart.isEmpty ? "." : folderPart
    guard let directory = opendir(folder) else { return [] }
    defer { closedir(directory) }
    var result: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      guard name != ".", name != "..", name.hasPrefix(namePart),
        !name.hasPrefix(".") || namePart.hasPrefix(".")
      else { continue }
      var info = stat()
      let isFolder = stat(folderPart + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
      result.append(folderPart + name + (isFolder ? "/" : ""))
    }
    return result.sorted()
  }

  /// The absolute, symlink-free form of a path, or nil when it does not exist.
  public static func canonical(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// The current working directory.
  public static func currentDirectory() -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    guard getcwd(&buffer, buffer.count) != nil else { return "." }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// The folder part of a path (`.` when it has none).
  static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }

  /// `path` relative to `base` unless it is absolute.
  static func join(_ base: String, _ path: String) -> String {
    path.hasPrefix("/") || base == "." ? path : base + "/" + path
  }
}
