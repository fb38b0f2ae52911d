// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "pq",
  // Synchronization's Atomic and Mutex need these on Apple systems; Linux needs nothing.
  platforms: [.macOS(.v15), .iOS(.v18)],
  products: [
    .library(name: "PlatformQuery", targets: ["PlatformQuery"]),
    // The language server, machine mode, formatter and prompt services, for an editor or a
    // notebook host; a host that only evaluates formulas needs none of it.
    .library(name: "PlatformQueryTools", targets: ["PlatformQueryTools"]),
    .executable(name: "pq", targets: ["pq"]),
    .executable(name: "pq-embed-example", targets: ["pq-embed-example"]),
  ],
  targets: [
    .target(
      name: "PlatformQuery",
      dependencies: ["CSwiftRuntime"],
      resources: [
        .embedInCode("../../stdlib/prelude.pq"),
        .embedInCode("../../stdlib/stats.pq"),
        .embedInCode("../../stdlib/platforms.json"),
      ]
    ),
    // The tools built on the library that a host embedding pq does not need: the language server,
    // the machine mode a notebook kernel drives, the code formatter, and the prompt's completion
    // and inspection. They reach the lexer, parser and syntax through `package` access.
    .target(name: "PlatformQueryTools", dependencies: ["PlatformQuery"]),
    // A header only: one entry point of the Swift runtime (see its header).
    .systemLibrary(name: "CSwiftRuntime"),
    .systemLibrary(
      name: "CEditLine",
      pkgConfig: "libedit",
      providers: [.apt(["libedit-dev"])]
    ),
    .executableTarget(name: "pq", dependencies: ["PlatformQuery", "PlatformQueryTools", "CEditLine"]),
    .executableTarget(
      name: "pq-embed-example", dependencies: ["PlatformQuery"], path: "examples/embed", exclude: ["main.out"]
    ),
    // What the test targets share: an interpreter whose output is kept, the repository's files,
    // temporary folders, a seeded generator.
    .target(name: "PQTestSupport", dependencies: ["PlatformQuery"], path: "Tests/Support"),
    .testTarget(
      name: "PlatformQueryTests",
      dependencies: ["PlatformQuery", "PQTestSupport"],
      exclude: ["Programs"]
    ),
    .testTarget(
      name: "PlatformQueryToolsTests", dependencies: ["PlatformQueryTools", "PlatformQuery", "PQTestSupport"]),
    .testTarget(
      name: "pqTests", dependencies: ["pq", "pq-embed-example", "PlatformQuery", "PlatformQueryTools"],
      exclude: ["LSPSessions"]),
  ],
  swiftLanguageModes: [.v6]
)
