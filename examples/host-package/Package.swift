// swift-tools-version: 6.0
// The manifest of a tool that embeds pq, with pq cloned beside it into ../platform-query.
// HostPackageTests builds it exactly so, with examples/embed/main.swift as its source.
import PackageDescription

let package = Package(
  name: "formula-checker",
  platforms: [.macOS(.v15), .iOS(.v18)],
  dependencies: [.package(path: "../platform-query")],
  targets: [
    .executableTarget(
      name: "formula-checker",
      dependencies: [.product(name: "PlatformQuery", package: "platform-query")])
  ]
)
