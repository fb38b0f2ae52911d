import PlatformQuery

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension FileSystem {
  /// The names in a folder that complete a partly typed path (`examples/da` → `examples/data/`),
  /// folders with a trailing `/`, hidden files only when the typed name starts with `.`; sorted.
  package static func completions(of typed: String) -> [String] {
    let slash = typed.lastIndex(of: "/")
    let folderPart = slash.map { String(typed[...$0]) } ?? ""
    let namePart = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
    let folder = folderPart.isEmpty ? "." : folderPart
    guard let directory = opendir(folder) else { return [] }
    defer { closedir(directory) }
    var result: [String] = []
    while let entry = readdir(directory) {
      let name = entryName(entry)
      guard name != ".", name != "..", name.hasPrefix(namePart),
        !name.hasPrefix(".") || namePart.hasPrefix(".")
      else { continue }
      var info = stat()
      let isFolder = stat(folderPart + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
      result.append(folderPart + name + (isFolder ? "/" : ""))
    }
    return result.sorted()
  }
}
