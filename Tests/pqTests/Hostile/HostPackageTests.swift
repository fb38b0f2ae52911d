import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// pq as a Swift developer uses it: a separate package (examples/host-package/Package.swift, the
/// manifest the embedding guide shows) depending on pq by path from a folder named
/// `platform-query`, not `pq`, built with `swift build` and run. Its source is the formula
/// checker of examples/embed, so the output must be the same golden file.
@Suite struct HostPackageTests {
  @Test func aSeparatePackageBuildsAndRunsTheFormulaChecker() throws {
    // A fixed place under .build, so that a second run builds incrementally.
    let work = repositoryRoot + "/.build/host-package-test"
    let script = """
      set -e
      root="$1"; work="$2"
      mkdir -p "$work/formula-checker/Sources/formula-checker"
      ln -sfn "$root" "$work/platform-query"
      copy() { cmp -s "$1" "$2" || cp "$1" "$2"; }
      copy "$root/examples/host-package/Package.swift" "$work/formula-checker/Package.swift"
      copy "$root/examples/embed/main.swift" "$work/formula-checker/Sources/formula-checker/main.swift"
      # An incremental build after pq's files moved can fail on the stale record of them
      # ("missing inputs"): then it builds again from scratch.
      swift build --package-path "$work/formula-checker" >"$work/build.log" 2>&1 || {
        rm -rf "$work/formula-checker/.build"
        swift build --package-path "$work/formula-checker" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
      }
      exec "$work/formula-checker/.build/debug/formula-checker"
      """
    let environment: [String: String?] = [
      "PATH": getenv("PATH").map { String(cString: $0) }, "HOME": getenv("HOME").map { String(cString: $0) },
    ]
    let result = run(
      ["/bin/sh", "-c", script, "sh", repositoryRoot, work], stdin: nil, directory: repositoryRoot,
      environment: environment, seconds: 900)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == ExamplesTests.read("examples/embed/main.out"))
  }

  /// The guide shows the same manifest lines that the test builds.
  @Test func theGuideShowsTheManifestThatIsBuilt() throws {
    let guide = try #require(ExamplesTests.read("docs/embedding.md"))
    let manifest = try #require(ExamplesTests.read("examples/host-package/Package.swift"))
    for line in [
      "dependencies: [.package(path: \"../platform-query\")],",
      "dependencies: [.product(name: \"PlatformQuery\", package: \"platform-query\")])",
      "platforms: [.macOS(.v15), .iOS(.v18)],",
    ] {
      #expect(manifest.contains(line), "\(line)")
      #expect(guide.contains(line), "\(line)")
    }
  }
}

/// The compiler keeps an interpreter with the task that made it: sharing one with a new task
/// does not compile, making one per task from the (Sendable) options does.
@Suite struct InterpreterSendabilityTests {
  func compiles(_ code: String, _ name: String) -> (ok: Bool, output: String) {
    let folder = "/tmp/pq-sendability-\(getpid())"
    mkdir(folder, 0o755)
    let path = "\(folder)/\(name).swift"
    let file = fopen(path, "w")
    fputs(code, file)
    fclose(file)
    let result = run(
      [
        // As SwiftPM compiles a client: the library's module, and the header-only C module it
        // imports.
        "/bin/sh", "-c", "exec swiftc -emit-sil -o /dev/null -swift-version 6 -I \"$1\" -I \"$3\" \"$2\"",
        "sh",
        buildFolder + "Modules", path, repositoryRoot + "/Sources/CSwiftRuntime",
      ],
      stdin: nil, directory: folder,
      environment: [
        "PATH": getenv("PATH").map { String(cString: $0) },
        "HOME": getenv("HOME").map { String(cString: $0) },
      ],
      seconds: 300)
    return (result.status == 0, result.stderr)
  }

  @Test func sharingAcrossTasksDoesNotCompile() {
    let shared = compiles(
      """
      import PlatformQuery
      func shared() async throws {
        let pq = Interpreter()
        let task = Task { try await pq.evaluate("while true {}") }
        _ = try await pq.evaluate("1")
        _ = try await task.value
      }
      """, "shared")
    #expect(!shared.ok)
    #expect(shared.output.contains("risks causing data races"), "\(shared.output)")
    let perTask = compiles(
      """
      import PlatformQuery
      func perTask() async throws {
        let options = Interpreter.Options()
        let task = Task { try await Interpreter(options: options).evaluate("1 + 1") }
        let pq = Interpreter(options: options)
        _ = try await pq.evaluate("1")
        _ = try await task.value
      }
      """, "perTask")
    #expect(perTask.ok, "\(perTask.output)")
  }

  /// A native function is lent its `NativeCall`: keeping it past the call (storing it, moving it
  /// out) does not compile; reading it inside the call does. (Capturing it in an escaping
  /// closure does not build either, but Swift 6.3.1's move checker crashes on it rather than
  /// report an error, so it is not a case here.)
  @Test func aNativeCallCannotBeKept() {
    for (name, keeping) in [
      ("stored", "kept = call"),
      ("moved", "let mine = call; _ = mine"),
    ] {
      let result = compiles(
        """
        import PlatformQuery
        nonisolated(unsafe) var kept: NativeCall? = nil
        func register(_ pq: Interpreter) throws {
          try pq.register("keep", parameters: ["v"]) { call in
            \(keeping)
            return .nil
          }
        }
        """, "keep-\(name)")
      #expect(!result.ok, "\(name): keeping the call compiled")
      // Refused for keeping the call, not for anything else in the snippet.
      // Refused for keeping the call (line 4 is the closure's first line, 5 the statement that
      // keeps it), not for anything else in the snippet.
      let errors = result.output.split(separator: "\n").filter { $0.hasPrefix("/") && $0.contains("error:") }
      #expect(
        !errors.isEmpty && errors.allSatisfy { $0.contains(".swift:4:") || $0.contains(".swift:5:") },
        "\(name): \(result.output)")
    }
    let inside = compiles(
      """
      import PlatformQuery
      func register(_ pq: Interpreter) throws {
        try pq.register("twice", parameters: ["f", "v"]) { call in
          let arguments = call.arguments
          let once = try call.call(arguments[0], [arguments[1]])
          return try call.call(arguments[0], [once])
        }
      }
      """, "inside")
    #expect(inside.ok, "\(inside.output)")
  }
}
