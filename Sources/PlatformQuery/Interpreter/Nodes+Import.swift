/// `import stats`, `import "lib/rates.pq" as r`: runs the module once and binds its namespace.
final class ImportNode: Node {
  let name: String
  let isPath: Bool
  let target: Storage
  let source: Source

  init(name: String, isPath: Bool, target: Storage, source: Source, span: Span) {
    self.name = name
    self.isPath = isPath
    self.target = target
    self.source = source
    super.init(span: span)
  }

  override func evaluate(_ runtime: Runtime) throws(PQError) -> Value {
    guard let host = runtime.host else {
      throw PQError(.runtime, "imports are not available here", span: span)
    }
    let module = try host.importModule(name, isPath: isPath, from: source, span: span)
    runtime.store(module, into: target)
    return .nil
  }
}
