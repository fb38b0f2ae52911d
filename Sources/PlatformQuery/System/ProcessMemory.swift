#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How much memory the process holds and may hold: what `Limits.residentMemory` is checked
/// against.
public enum ProcessMemory {
  /// The bytes of memory the process holds resident now (Linux: `/proc/self/statm`), or nil
  /// where that cannot be read.
  public static func resident() -> Int? {
    #if os(Linux)
      guard let text = readSmallFile("/proc/self/statm") else { return nil }
      // "size resident shared text lib data dt", in pages.
      let fields = text.split(separator: " ")
      guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
      return pages &* pageSize
    #else
      return nil
    #endif
  }

  /// The memory this process may use: the machine's physical memory or, when the process runs
  /// in a control group with a smaller limit (a container), that limit. Nil when neither can be
  /// read.
  public static func available() -> Int? {
    #if os(Linux)
      let physical = sysconf(Int32(_SC_PHYS_PAGES))
      var total: Int? = physical > 0 ? physical &* pageSize : nil
      for path in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
        if let text = readSmallFile(path),
          let limit = Int(text.split(separator: "\n").first.map(String.init) ?? "")
        {
          total = Swift.min(total ?? limit, limit)
        }
      }
      return total
    #else
      return nil
    #endif
  }

  static let pageSize: Int = {
    let size = sysconf(Int32(_SC_PAGESIZE))
    return size > 0 ? size : 4096
  }()

  #if os(Linux)
    /// The first kilobyte of a small system file, or nil.
    private static func readSmallFile(_ path: String) -> String? {
      let descriptor = open(path, O_RDONLY | O_CLOEXEC)
      guard descriptor >= 0 else { return nil }
      defer { close(descriptor) }
      var buffer = [UInt8](repeating: 0, count: 1024)
      let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, 1024) }
      guard count > 0 else { return nil }
      return String(decoding: buffer[..<count], as: UTF8.self)
    }
  #endif
}
