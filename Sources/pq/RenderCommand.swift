import PlatformQuery
import PlatformQueryTools
import Synchronization

/// `pq render STORY.md [-o OUT] [--strict]`: renders the story (docs/publishing.md) and writes
/// it to OUT (HTML or Markdown by its extension; whole or not at all) or, without `-o`, Markdown
/// to standard output. An error in the story renders nothing. With `--strict`, a rendered number
/// or table that carries caveats is listed and nothing is written (status 1).
func renderStory(path: String, output: String?, strict: Bool) -> ExitCode {
  guard let story = readSource(path) else { return .runtimeError }
  let printed = Mutex("")
  let interpreter = makeInterpreter(scriptPath: path, arguments: []) { text in
    printed.withLock { $0 += text }
  }
  keepUntilExit(interpreter)
  let format = output.flatMap(CommandLineOptions.renderFormat) ?? .markdown
  let rendered: Story.Rendered
  do {
    rendered = try Story.render(story, as: format, in: interpreter) {
      printed.withLock { text in
        defer { text = "" }
        return text
      }
    }
  } catch {
    return report(error)
  }
  if strict, !rendered.caveated.isEmpty {
    var lines = [
      "pq render --strict: \(rendered.caveated.count) of the \(rendered.pieces) rendered values carry caveats; nothing was written"
    ]
    for item in rendered.caveated {
      lines.append("\(story.name):\(item.location): \(item.expression) = \(item.shown)")
      lines += item.caveats.map { "  - " + $0 }
    }
    Terminal.writeError(lines.joined(separator: "\n") + "\n")
    return .runtimeError
  }
  guard let output else {
    Output.standardOutput.write(rendered.text)
    return .success
  }
  do {
    try FileSystem.writeAtomically(output, Array(rendered.text.utf8))
  } catch {
    Terminal.writeError("pq: error: cannot write \(output): \(error.message)\n")
    return .runtimeError
  }
  let caveats = rendered.caveated.isEmpty ? "" : ", \(rendered.caveated.count) with caveats (footnoted)"
  Terminal.writeError("pq: wrote \(output): \(rendered.pieces) values\(caveats)\n")
  return .success
}
