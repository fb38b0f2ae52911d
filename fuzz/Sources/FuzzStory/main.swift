// `pq render` on arbitrary text: the story renders, as Markdown and as HTML, or fails with an error
// inside the story — never a crash, a hang or an error pointing elsewhere. Each input runs under
// small limits, as a host would render a stranger's story.
import PlatformQuery

/// The libFuzzer entry point: one input, returns 0.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStory(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  let story = Source(name: "story.md", text: text)
  for format in [Story.Format.markdown, .html] {
    var options = Interpreter.Options()
    options.limits.steps = 100_000
    options.limits.seconds = 1
    let interpreter = Interpreter(options: options)
    do {
      let rendered = try Story.render(story, as: format, in: interpreter)
      if format == .html, !rendered.text.hasPrefix("<!DOCTYPE html>") { fatalError("not a page:\n\(text)") }
    } catch {
      if let source = error.source, source !== story, source.name == "story.md" {
        fatalError("an error points at a copy of the story, not the story:\n\(text)")
      }
      if let span = error.span, error.source === story, span.start > text.utf8.count {
        fatalError("an error points past the story's end:\n\(text)")
      }
    }
  }
  return 0
}
