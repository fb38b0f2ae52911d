// swift-tools-version: 6.0
// libFuzzer targets for pq, kept out of the main package because a fuzz target has no `main`
// and only links under `--sanitize=fuzzer`. Run them with `fuzz/run TARGET SECONDS`.
import PackageDescription

// SwiftPM names a path dependency after its folder, which is wherever the repository was cloned.
let rootFolder = #filePath.split(separator: "/").dropLast(2).last.map(String.init) ?? "pq"

let package = Package(
  name: "pq-fuzz",
  dependencies: [.package(path: "..")],
  targets: [
    "FuzzParse", "FuzzEvaluate", "FuzzLoad", "FuzzNumbers", "FuzzLSP", "FuzzFormat", "FuzzDeep", "FuzzStory",
  ].map { name in
    .executableTarget(
      name: name,
      dependencies: [
        .product(name: "PlatformQuery", package: rootFolder),
        .product(name: "PlatformQueryTools", package: rootFolder),
      ])
  },
  swiftLanguageModes: [.v6]
)
