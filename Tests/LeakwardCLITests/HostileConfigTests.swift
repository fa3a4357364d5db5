import Foundation
import Testing

/// TOML from the scanned repository is hostile input: the inputs that once aborted the process
/// (TOMLKit's toml++ assert) end the run with exit 2 and one line naming the file and line.
@Suite struct HostileConfigTests {
    static let regressions = CLI.packageRoot.appendingPathComponent("testdata/fuzz/regressions")

    static func expectOneLineSyntaxError(_ result: CLI.Output, file: String, line: Int) {
        #expect(result.status == 2, "exit \(result.status): \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(lines.first?.hasPrefix("leakward: error: ") == true, "\(result.stderr)")
        #expect(result.stderr.contains("\(file):\(line): TOML syntax error:"), "\(result.stderr)")
    }

    @Test func autoLoadedProjectConfigThatCrashedTOMLKit() throws {
        let dir = try Scratch()
        try dir.write(".leakward.toml", Data(contentsOf: Self.regressions.appendingPathComponent("project-config-crash.toml")))
        try dir.write("app.py", "print('hello')\n")
        Self.expectOneLineSyntaxError(try CLI.run(["scan", dir.path]), file: ".leakward.toml", line: 4)
    }

    @Test func explicitConfigThatCrashedTOMLKit() throws {
        let dir = try Scratch()
        let config = Self.regressions.appendingPathComponent("project-config-crash.toml").path
        Self.expectOneLineSyntaxError(try CLI.run(["scan", dir.path, "--config", config]), file: "project-config-crash.toml", line: 4)
    }

    @Test func ruleFileThatCrashedTOMLKit() throws {
        let rules = Self.regressions.appendingPathComponent("toml-parse-key-assert.toml").path
        Self.expectOneLineSyntaxError(try CLI.run(["rules", "check", "--rules", rules]), file: "toml-parse-key-assert.toml", line: 4)
    }
}
