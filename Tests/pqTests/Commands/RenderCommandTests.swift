import Testing

@testable import PlatformQuery

#if canImport(Glibc)
  import Glibc
#endif

/// `pq render`, `--strict` and `--format` through the real binary (issue 37), and the example
/// story rendered exactly as the files beside it.
@Suite struct RenderCommandTests {
  /// A fresh folder under /tmp for one test's files.
  static func folder() -> String {
    let path = "/tmp/pq-render-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    mkdir(path, 0o755)
    return path
  }

  static func write(_ path: String, _ text: String) {
    let file = fopen(path, "w")
    fputs(text, file)
    fclose(file)
  }

  @Test func theExampleStoryRendersAsTheFilesBesideIt() throws {
    let markdown = runPQ(["render", "examples/story.md"])
    #expect(markdown.status == 0, "\(markdown.stderr)")
    #expect(markdown.stdout == ExamplesTests.read("examples/story.out.md"))
    let folder = Self.folder()
    let html = runPQ(["render", "examples/story.md", "-o", folder + "/story.html"])
    #expect(html.status == 0, "\(html.stderr)")
    #expect(
      html.stderr.hasPrefix("pq: wrote \(folder)/story.html: 12 values, 3 with caveats (footnoted)"),
      "\(html.stderr)")
    let written = try FileSystem.read(folder + "/story.html")
    #expect(String(decoding: written, as: UTF8.self) == ExamplesTests.read("examples/story.html"))
  }

  @Test func strictListsEveryCaveatAndWritesNothing() {
    let folder = Self.folder()
    Self.write(folder + "/s.md", "Fine: {{ x.mau }}.\n\nRevenue: {{ x.revenue }}.\n")
    let result = runPQ(["render", folder + "/s.md", "--strict", "-o", folder + "/s.html"])
    #expect(result.status == 1)
    #expect(
      result.stderr.hasPrefix(
        "pq render --strict: 1 of the 2 rendered values carry caveats; nothing was written\n\(folder)/s.md:3:10: x.revenue = $2B\n  - "
      ), "\(result.stderr)")
    #expect(result.stderr.contains("  - x.revenue is an estimate\n"))
    #expect(access(folder + "/s.html", F_OK) != 0, "strict wrote the page")
    // Without a caveat, strict passes.
    Self.write(folder + "/ok.md", "Fine: {{ x.mau }}.\n")
    #expect(runPQ(["render", folder + "/ok.md", "--strict"]).status == 0)
  }

  @Test func anErrorRendersNothingAndPointsIntoTheStory() {
    let folder = Self.folder()
    Self.write(folder + "/bad.md", "# Story\n\nUsers: {{ x.mau + x.revenue }}.\n")
    let result = runPQ(["render", folder + "/bad.md", "-o", folder + "/bad.html"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("\(folder)/bad.md:3:"), "\(result.stderr)")
    #expect(result.stderr.contains("3 | Users: {{ x.mau + x.revenue }}."), "\(result.stderr)")
    #expect(access(folder + "/bad.html", F_OK) != 0)
    Self.write(folder + "/open.md", "Users: {{ x.mau.\n")
    let open = runPQ(["render", folder + "/open.md"])
    #expect(open.status == 3)
    #expect(open.stderr.contains("\(folder)/open.md:1:8: error: '{{' is not closed"), "\(open.stderr)")
    // Usage errors: no story, an output of another kind, the story itself as the output.
    for (arguments, message) in [
      (["render"], "pq render needs a Markdown story"),
      (["render", "s.md", "-o", "s.pdf"], "pq render writes .html or .md, and 's.pdf' is neither"),
      (["render", "s.md", "-o", "s.md"], "would write over the story itself"),
      (["render", "s.md", "--bogus"], "unknown option '--bogus' for pq render"),
    ] {
      let usage = runPQ(arguments)
      #expect(usage.status == 2, "\(arguments)")
      #expect(usage.stderr.contains(message), "\(arguments): \(usage.stderr)")
    }
    // A folder that cannot be written: said, status 1.
    Self.write(folder + "/ok.md", "{{ 1 }}\n")
    let unwritable = runPQ(["render", folder + "/ok.md", "-o", "/proc/pq-no/x.html"])
    #expect(unwritable.status == 1)
    #expect(unwritable.stderr.hasPrefix("pq: error: cannot write /proc/pq-no/x.html"), "\(unwritable.stderr)")
  }

  @Test func formatWritesTheValueAndAScriptsTables() {
    let markdown = runPQ(["-e", "top(platforms, \"mau\", 2)", "--format", "markdown"])
    #expect(markdown.status == 0)
    #expect(
      markdown.stdout.hasPrefix("| rank | name | mau |\n| ---: | --- | ---: |\n| 1 | X | 70.4M users |"))
    let csv = runPQ(["-e", "x.mau", "--format", "csv"])
    #expect(csv.stdout == "value\r\n70400000\n")
    let folder = Self.folder()
    Self.write(folder + "/t.pq", "print(\"heading\")\nprint(top(platforms, \"mau\", 1))\n")
    let script = runPQ(["--format", "html", folder + "/t.pq"])
    #expect(
      script.stdout.hasPrefix("heading\n<div class=\"pq-table\"><table class=\"pq\">"), "\(script.stdout)")
    let bad = runPQ(["-e", "1", "--format", "pdf"])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("--format takes text, markdown, csv, json or html, not 'pdf'"))
  }

  /// `:format` at the prompt: later values in that form, an unknown one refused, the prompt going on.
  @Test func formatAtThePrompt() {
    let result = runPQ(
      ["-i", "/dev/null"],
      stdin:
        ":format markdown\nx.mau\n:format pdf\n:format\n:format csv\ntop(platforms, \"mau\", 1)\n:format text\n1 + 1\n"
    )
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout.contains(
        "70.4M users[^1]\n\n[^1]: Source: Similarweb, September 2024 (monthly active users on the mobile apps).\n"
      ),
      "\(result.stdout)")
    #expect(result.stderr.contains("error: :format takes text, markdown, csv, json or html, not 'pdf'"))
    #expect(result.stdout.contains("values are shown as markdown"))
    #expect(result.stdout.contains("rank,name,mau,source,period,definition,quote\r\n1,X,70400000,"))
    #expect(result.stdout.contains("= 2\n"))
  }
}
