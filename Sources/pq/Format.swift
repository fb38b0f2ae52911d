import PlatformQuery

/// `pq fmt [--check] FILE…`: formats each file in place (only when its layout changes, and by
/// an atomic rename, so a failure never leaves half a file). With `--check` nothing is written:
/// the files that would change are named and the status is 1. A file with a syntax error is left
/// as it is and reported as `pq --check` would (status 3). No files, or `-`, formats standard
/// input to standard output.
func formatFiles(_ paths: [String], checkOnly: Bool) -> ExitCode {
  var status = ExitCode.success
  func worst(_ code: ExitCode) {
    if code.rawValue > status.rawValue { status = code }
  }
  for path in paths.isEmpty ? ["-"] : paths {
    guard let source = readSource(path) else { continue }
    let formatted: String
    do {
      formatted = try CodeFormatter.format(source.text, name: source.name)
    } catch {
      worst(report(error))
      continue
    }
    let changed = formatted != source.text
    if checkOnly {
      if changed {
        Output.standardOutput.write("\(path == "-" ? "<stdin>" : path) would be reformatted\n")
        worst(.runtimeError)
      }
    } else if path == "-" {
      Output.standardOutput.write(formatted)
    } else if changed {
      do {
        try FileSystem.writeAtomically(path, Array(formatted.utf8))
      } catch {
        Terminal.writeError("pq: error: \(error.message)\n")
        worst(.runtimeError)
      }
    }
  }
  return status
}
