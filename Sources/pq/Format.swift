import PlatformQuery
import PlatformQueryTools

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
    // A file that cannot be read is reported, and the others are still formatted.
    let source: Source
    do {
      let bytes = path == "-" ? readStandardInput() : try FileSystem.read(path, regularOnly: false)
      source = try Source.decode(bytes, name: path == "-" ? "<stdin>" : path)
    } catch let failure as FileSystem.Failure {
      Terminal.writeError("pq: error: \(failure.message)\n")
      worst(.runtimeError)
      continue
    } catch let error as PQError {
      worst(report(error))
      continue
    } catch {
      worst(.runtimeError)
      continue
    }
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
