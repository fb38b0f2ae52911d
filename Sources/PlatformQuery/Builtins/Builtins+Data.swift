extension Builtins {
  static let data: [NativeFunction] = []
  static let provenance: [NativeFunction] = []
  static let display: [NativeFunction] = []
  static let files: [NativeFunction] = []
}

extension Interpreter {
  func installDataset() {}
}
