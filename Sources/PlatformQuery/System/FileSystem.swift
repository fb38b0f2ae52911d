#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// File reading and atomic writing on top of the C library (no Foundation needed).
package enum FileSystem {
  /// A file-system failure, with a message fit for a diagnostic.
  package struct Failure: Error, Sendable {
    /// What went wrong, naming the path.
    package var message: String
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
  package static let defaultReadLimit = 1 << 30

  /// Reads a whole regular file of at most `limit` bytes. Anything else — a folder, a FIFO, a
  /// device, a socket, also through a symbolic link — is refused before a byte is read: it is
  /// opened without blocking (a FIFO with no writer would wait forever in `open`) and checked.
  ///
  /// `regularOnly: false` also reads a FIFO or a device (the `pq` command's own script path,
  /// which may be `<(…)` in a shell), still up to `limit`.
  package static func read(_ path: String, limit: Int = defaultReadLimit, regularOnly: Bool = true)
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
  package static func readAll(_ descriptor: Int32, name: String, limit: Int = defaultReadLimit)
    throws(Failure)
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

  /// Writes a file whole or not at all, keeping what it replaces: the content is written into
  /// an unnamed file in the target's folder (`O_TMPFILE`: a kill leaves nothing behind), given
  /// the target's permissions (and owner, when run as root), flushed, named beside the target
  /// and renamed over it. Through a symbolic link the link's target is written and the link
  /// stays. Where the file system has no unnamed files, a named temporary file is used, and a
  /// later save removes any such file a killed pq left.
  package static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws(Failure) {
    func failure(_ code: Int32) -> Failure {
      Failure(message: "cannot write '\(path)': \(describeErrno(code))")
    }
    var target = path
    var link = stat()
    if lstat(path, &link) == 0, link.st_mode & S_IFMT == S_IFLNK, let resolved = canonical(path) {
      target = resolved
    }
    var existing = stat()
    let replaces = stat(target, &existing) == 0 && existing.st_mode & S_IFMT == S_IFREG
    removeLeftovers(of: target)
    let temporary = "\(target).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    var named = false
    var descriptor = open(directory(of: target), O_WRONLY | O_CLOEXEC | unnamedFile, 0o644)
    if descriptor < 0 {
      descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
      guard descriptor >= 0 else { throw failure(errno) }
      named = true
    }
    func abandon(_ code: Int32) -> Failure {
      close(descriptor)
      if named { unlink(temporary) }
      return failure(code)
    }
    var written = 0
    while written < bytes.count {
      let count = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw abandon(errno)
      }
      written += count
    }
    if replaces {
      // The replaced file's permissions (a 0600 file stays private) and, as root, its owner.
      if geteuid() == 0, fchown(descriptor, existing.st_uid, existing.st_gid) != 0 { throw abandon(errno) }
      if fchmod(descriptor, existing.st_mode & 0o7777) != 0 { throw abandon(errno) }
    }
    if fsync(descriptor) != 0 { throw abandon(errno) }
    if !named {
      guard linkat(AT_FDCWD, "/proc/self/fd/\(descriptor)", AT_FDCWD, temporary, AT_SYMLINK_FOLLOW) == 0
      else {
        throw abandon(errno)
      }
      named = true
    }
    if close(descriptor) != 0 {
      let code = errno
      unlink(temporary)
      throw failure(code)
    }
    if rename(temporary, target) != 0 {
      let code = errno
      unlink(temporary)
      throw failure(code)
    }
  }

  /// The name in a `readdir` entry, read up to its NUL where it lies: an entry is only as long
  /// as its name, so copying the whole 256-byte `d_name` field reads past it.
  package static func entryName(_ entry: UnsafeMutablePointer<dirent>) -> String {
    let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 19
    return String(cString: (UnsafeRawPointer(entry) + offset).assumingMemoryBound(to: CChar.self))
  }

  /// `O_TMPFILE`: an unnamed file in a folder (Linux), which the C headers define through a
  /// macro Swift does not import.
  static let unnamedFile: Int32 = 0o20000000 | O_DIRECTORY

  /// Removes the temporary files a pq killed while saving `target` left beside it
  /// (`target.tmp-PID-N` of a process that is gone).
  static func removeLeftovers(of target: String) {
    let folder = directory(of: target)
    let prefix = String(target.split(separator: "/").last ?? "") + ".tmp-"
    guard let listing = opendir(folder) else { return }
    defer { closedir(listing) }
    while let entry = readdir(listing) {
      let name = entryName(entry)
      guard name.hasPrefix(prefix) else { continue }
      let parts = name.dropFirst(prefix.count).split(separator: "-")
      guard parts.count == 2, let pid = Int32(parts[0]), UInt32(parts[1]) != nil, pid != getpid() else {
        continue
      }
      if kill(pid, 0) != 0, errno == ESRCH { unlink(folder + "/" + name) }
    }
  }

  /// The absolute, symlink-free form of a path, or nil when it does not exist.
  package static func canonical(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// The current working directory.
  package static func currentDirectory() -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    guard getcwd(&buffer, buffer.count) != nil else { return "." }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// The folder part of a path (`.` when it has none).
  package static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }

  /// `path` relative to `base` unless it is absolute.
  package static func join(_ base: String, _ path: String) -> String {
    path.hasPrefix("/") || base == "." ? path : base + "/" + path
  }
}
