import PlatformQuery
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Charts saved as SVG by the real binary, checked by real tools: `xmllint --noout` (valid
/// XML), `rsvg-convert` (renders), and the rendered bars measured in pixels. CI installs the
/// tools and sets PQ_REQUIRE_SVG_TOOLS, so a missing tool fails there instead of skipping.
@Suite struct SVGRenderingTests {
  static let toolsPresent =
    access("/usr/bin/xmllint", X_OK) == 0 && access("/usr/bin/rsvg-convert", X_OK) == 0
  static let required = getenv("PQ_REQUIRE_SVG_TOOLS") != nil

  @Test(.enabled(if: toolsPresent || required, "xmllint and rsvg-convert are not installed"))
  func savedChartsAreValidAndRenderWithBarsInProportion() throws {
    #expect(SVGRenderingTests.toolsPresent, "xmllint or rsvg-convert is missing")
    let folder = temporaryFolder()
    let script = """
      save(chart(with_figure(platforms, "mau"), "mau"), "linear.svg")
      save(chart(with_figure(platforms, "mau"), "mau", log: true), "log.svg")
      save(chart(with_figure(platforms, "revenue"), "revenue"), "revenue.svg")
      """
    let saved = runPQ(["-"], stdin: script, directory: folder)
    #expect(saved.status == 0, "\(saved.stderr)")
    for name in ["linear", "log", "revenue"] {
      let svg = folder + "/" + name + ".svg"
      let lint = run(["/usr/bin/xmllint", "--noout", svg], stdin: nil, directory: folder, environment: [:])
      #expect(lint.status == 0, "\(name): \(lint.stderr)")
      let png = folder + "/" + name + ".png"
      let render = run(
        ["/usr/bin/rsvg-convert", svg, "-o", png], stdin: nil, directory: folder, environment: [:])
      #expect(render.status == 0, "\(name): \(render.stderr)")
    }
    // Worked out by hand (docs/data.md, "Charts"): linear 70.4M → 380 px, 698K → 3.77 px (3 full
    // pixels of the bar colour); log 365.5 and 175.2 px.
    #expect(bars(folder + "/linear.png") == [380, 3])
    #expect(bars(folder + "/log.png") == [365, 175])
  }

  func bars(_ png: String) -> [Int] {
    let result = run(
      ["/usr/bin/python3", repositoryRoot + "/scripts/measure-png-bars.py", png], stdin: nil,
      directory: "/tmp",
      environment: [:])
    #expect(result.status == 0, "\(result.stderr)")
    return result.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int($0) }
  }
}
