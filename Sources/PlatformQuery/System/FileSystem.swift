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

  /// The most bytes a file read takes when the caller names no limit (1 GiB): `/dev/zero` on
  /// standard input must end in an error, not in the host's allocator.
  public static let defaultReadLimit = 1 << 30

  /// Reads a whole regular file of at most `limit` bytes. Anything else — a folder, a FIFO, a
  /// device, a socket, also through a symbolic link — is refused before a byte is read: it is
  /// opened without blocking (a FIFO with no writer would wait forever in `open`) and checked.
  ///
  /// `regularOnly: false` also reads a FIFO or a device (the `pq` command's own script path,
  /// which may be `<(…)` in a shell), still up to `limit`.
  public static func read(_ path: String, limit: Int = defaultReadLimit, regularOnly: Bool = true)
    throws(Failure)
    -> [UInt8]
  {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | (regularOnly ? O_NONBLOCK : 0))
    guard descriptor >= 0 else { throw Failure(message: "cannot read '\(path)': \(describeErrno(errno))") }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      throw Failure(message: "cannot read '\(path)': \(describeErrno(errno))")
    }
    switch status.st_mode & S_IFMT {
    case S_IFREG: break
    case _ where !regularOnly && status.st_mode & S_IFMT != S_IFDIR: break
    case S_IFDIR: throw Failure(message: "cannot read '\(path)': it is a directory")
    case S_IFIFO:
      throw Failure(message: "cannot read '\(path)': it is a FIFO (a named pipe); pq reads regular files")
    case S_IFSOCK: throw Failure(message: "cannot read '\(path)': it is a socket; pq reads regular files")
    default: throw Failure(message: "cannot read '\(path)': it is a device; pq reads regular files")
    }
    if Int(status.st_size) > limit {
      throw Failure(
        message:
          "cannot read '\(path)': \(sizeText(Int(status.st_size))) is more than the \(sizeText(limit)) a read may take"
      )
    }
    // A regular file reads as usual once it is known to be one.
    _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
    return try readAll(descriptor, name: path, limit: limit)
  }

  /// `1.5 GiB`, `300 MiB`, `12 KiB` or `700 bytes`.
  static func sizeText(_ bytes: Int) -> String {
    for (unit, size) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] where bytes >= size {
      let tenths = Int((Double(bytes) / Double(size) * 10).rounded())
      return (tenths % 10 == 0 || tenths >= 100 ? String((tenths + 5) / 10) : "\(tenths / 10).\(tenths % 10)")
        + " " + unit
    }
    return "\(bytes) bytes"
  }

  /// Reads a descriptor to its end (a file, or standard input: `readAll(0, name: "<stdin>")`),
  /// failing past `limit` bytes (a file that grows, a file in `/proc`, a pipe that never ends).
  public static func readAll(_ descriptor: Int32, name: String, limit: Int = defaultReadLimit) throws(Failure)
    -> [UInt8]
  {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      if bytes.count > limit {
        throw Failure(
          message: "cannot read '\(name)': it is more than the \(sizeText(limit)) a read may take")
      }
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
