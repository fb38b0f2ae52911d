// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "pq",
  // Synchronization's Atomic and Mutex need these on Apple systems; Linux needs nothing.
  platforms: [.macOS(.v15), .iOS(.v18)],
  products: [
    .library(name: "PlatformQuery", targets: ["PlatformQuery"]),
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
    // A header only: one entry point of the Swift runtime (see its header).
    .systemLibrary(name: "CSwiftRuntime"),
    .systemLibrary(
      name: "CEditLine",
      pkgConfig: "libedit",
      providers: [.apt(["libedit-dev"])]
    ),
    .executableTarget(name: "pq", dependencies: ["PlatformQuery", "CEditLine"]),
    .executableTarget(
      name: "pq-embed-example", dependencies: ["PlatformQuery"], path: "examples/embed", exclude: ["main.out"]
    ),
    .testTarget(
      name: "PlatformQueryTests",
      dependencies: ["PlatformQuery"],
      exclude: ["Programs"]
    ),
    .testTarget(
      name: "pqTests", dependencies: ["pq", "pq-embed-example", "PlatformQuery"], exclude: ["LSPSessions"]),
  ],
  swiftLanguageModes: [.v6]
)
