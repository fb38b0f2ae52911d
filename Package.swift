// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "pq",
  products: [
    .library(name: "PlatformQuery", targets: ["PlatformQuery"]),
    .executable(name: "pq", targets: ["pq"]),
  ],
  targets: [
    .target(
      name: "PlatformQuery",
      resources: [
        .embedInCode("../../stdlib/prelude.pq"),
        .embedInCode("../../stdlib/stats.pq"),
        .embedInCode("../../stdlib/platforms.json"),
      ]
    ),
    .systemLibrary(
      name: "CEditLine",
      pkgConfig: "libedit",
      providers: [.apt(["libedit-dev"])]
    ),
    .executableTarget(name: "pq", dependencies: ["PlatformQuery", "CEditLine"]),
    .testTarget(
      name: "PlatformQueryTests",
      dependencies: ["PlatformQuery"],
      exclude: ["Programs"]
    ),
    .testTarget(name: "pqTests", dependencies: ["pq", "PlatformQuery"]),
  ],
  swiftLanguageModes: [.v6]
)
