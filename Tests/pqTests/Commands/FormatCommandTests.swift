import PlatformQueryTools
import Testing

@testable import PlatformQuery

/// `pq fmt` as a user runs it: in place, `--check`, stdin, syntax errors, and every example
/// program printing the same after formatting.
@Suite struct FormatCommandTests {
  static func write(_ path: String, _ text: String) throws {
    try FileSystem.writeAtomically(path, Array(text.utf8))
  }

  static func read(_ path: String) -> String {
    String(decoding: (try? FileSystem.read(path)) ?? [], as: UTF8.self)
  }

  @Test func checkNamesFilesAndWritesNothing() throws {
    let folder = temporaryFolder()
    try Self.write(folder + "/messy.pq", "let   a=[1,2]\nprint( a )\n")
    try Self.write(folder + "/clean.pq", "let a = [1, 2]\nprint(a)\n")
    let check = runPQ(["fmt", "--check", "messy.pq", "clean.pq"], directory: folder)
    #expect(check.status == 1)
    #expect(check.stdout == "messy.pq would be reformatted\n")
    #expect(Self.read(folder + "/messy.pq") == "let   a=[1,2]\nprint( a )\n")
    #expect(runPQ(["fmt", "--check", "clean.pq"], directory: folder).status == 0)
  }

  @Test func formatsInPlaceOnce() throws {
    let folder = temporaryFolder()
    try Self.write(folder + "/messy.pq", "let   a=[1,2]\nprint( a )")
    let first = runPQ(["fmt", "messy.pq"], directory: folder)
    #expect(first.status == 0 && first.stdout == "" && first.stderr == "")
    #expect(Self.read(folder + "/messy.pq") == "let a = [1, 2]\nprint(a)\n")
    #expect(runPQ(["fmt", "--check", "messy.pq"], directory: folder).status == 0)
  }

  @Test func syntaxErrorLeavesTheFileAlone() throws {
    let folder = temporaryFolder()
    let broken = "let a = [1,\nprint( a\n"
    try Self.write(folder + "/broken.pq", broken)
    try Self.write(folder + "/fine.pq", "print( 1 )\n")
    let result = runPQ(["fmt", "broken.pq", "fine.pq"], directory: folder)
    #expect(result.status == 3)
    #expect(result.stderr.hasPrefix("broken.pq:"))
    #expect(result.stderr.contains("error:") && result.stderr.contains("^"))
    #expect(Self.read(folder + "/broken.pq") == broken)
    // The other file is still formatted.
    #expect(Self.read(folder + "/fine.pq") == "print(1)\n")
  }

  @Test func aMissingFileDoesNotStopTheOthers() throws {
    let folder = temporaryFolder()
    try Self.write(folder + "/fine.pq", "print( 1 )\n")
    let result = runPQ(["fmt", "missing.pq", "fine.pq"], directory: folder)
    #expect(result.status == 1)
    #expect(result.stderr.contains("cannot read 'missing.pq'"))
    #expect(Self.read(folder + "/fine.pq") == "print(1)\n")
  }

  @Test func standardInputToStandardOutput() {
    let result = runPQ(["fmt"], stdin: "fn f(k){k*2}\n")
    #expect(result.status == 0)
    #expect(result.stdout == "fn f(k) { k * 2 }\n")
    let dash = runPQ(["fmt", "-"], stdin: "print(1,2)")
    #expect(dash.stdout == "print(1, 2)\n")
    let unknown = runPQ(["fmt", "--write"])
    #expect(unknown.status == 2 && unknown.stderr.contains("unknown option '--write' for pq fmt"))
  }

  /// The test programs (with the modules they import), formatted into a copy of their folder,
  /// print what the originals print and exit the same way.
  @Test func formattedTestProgramsBehaveTheSame() throws {
    let root = "Tests/PlatformQueryTests/Programs"
    let copy = temporaryFolder()
    var programs: [String] = []
    for folder in ["", "errors", "lib"] {
      let relative = folder.isEmpty ? root : root + "/" + folder
      if !folder.isEmpty { mkdir(copy + "/" + folder, 0o755) }
      for name in scripts(in: relative) {
        let text = Self.read(repositoryRoot + "/" + relative + "/" + name)
        let path = (folder.isEmpty ? "" : folder + "/") + name
        let formatted = (try? CodeFormatter.format(text, name: path)) ?? text
        try Self.write(copy + "/" + path, formatted)
        if folder != "lib" { programs.append(path) }
      }
    }
    #expect(programs.count >= 15)
    for program in programs {
      let original = runPQ([program], directory: repositoryRoot + "/" + root)
      let reformatted = runPQ([program], directory: copy)
      #expect(reformatted.status == original.status, "\(program)")
      #expect(reformatted.stdout == original.stdout, "\(program)")
    }
  }

  /// Each example, formatted, prints exactly what the original prints and exits the same way.
  @Test(arguments: ExamplesTests.examples)
  func formattedExamplesBehaveTheSame(_ path: String) throws {
    let text = Self.read(repositoryRoot + "/" + path)
    guard let formatted = try? CodeFormatter.format(text, name: path) else {
      // Only an example that is a syntax error on purpose may be refused.
      #expect(throws: PQError.self) { try Parser.parse(Source(name: path, text: text)) }
      return
    }
    let folder = temporaryFolder()
    let copy = folder + "/" + (path.split(separator: "/").last.map(String.init) ?? "copy.pq")
    try Self.write(copy, formatted)
    let original = runPQ([path])
    let reformatted = runPQ([copy])
    #expect(reformatted.status == original.status)
    #expect(reformatted.stdout == original.stdout)
  }
}

#if canImport(Glibc)
  import Glibc
#endif
