import Foundation
import Testing

@Suite struct TerminalTests {
    func project() throws -> Scratch {
        let dir = try Scratch()
        for i in 0..<40 { try dir.write("src/file\(i).py", "print(\(i))\n") }
        try dir.write("src/config.py", "GITHUB_TOKEN = '\(Fakes.github)'\n")
        try dir.write(".env", "DATABASE_URL=\(Fakes.postgresURL)\n")
        return dir
    }

    /// Runs leakward under `script`, so stdout and stderr are a terminal (util-linux `script`).
    func onTerminal(_ arguments: String, in dir: Scratch, environment: [String: String] = [:]) throws -> String {
        try CLI.runTool("/usr/bin/script", ["-qec", "\(CLI.binary) \(arguments)", "/dev/null"], in: dir.url,
                        environment: ["CI": "", "NO_COLOR": "", "TERM": "xterm"].merging(environment) { $1 }).stdout
    }

    static let progressLine = "\r\u{1B}[K"

    @Test func progressAppearsOnATerminalAndNowhereElse() throws {
        let dir = try project()
        let tty = try onTerminal("scan . --no-git", in: dir)
        #expect(tty.contains(Self.progressLine + "\u{1B}[2mscanning "), "\(tty.debugDescription)")
        #expect(tty.contains("/42 (") && tty.contains(" MB/s"))

        let piped = try CLI.run(["scan", ".", "--no-git"], in: dir.url, environment: ["CI": ""])
        #expect(!piped.stderr.contains("scanning") && !piped.stderr.contains("\u{1B}"))
        #expect(!piped.stdout.contains("\u{1B}"), "no colour when stdout is not a terminal")
        #expect(!(try onTerminal("scan . --no-git", in: dir, environment: ["CI": "true"])).contains(Self.progressLine))
        #expect(!(try onTerminal("scan . --no-git --quiet", in: dir)).contains(Self.progressLine))
    }

    @Test func colourOnATerminalUnlessNoColor() throws {
        let dir = try project()
        #expect(try onTerminal("scan . --no-git", in: dir).contains("\u{1B}[1;31m[CRITICAL]"))
        #expect(!(try onTerminal("scan . --no-git --no-color", in: dir)).contains("\u{1B}[1;31m"))
        #expect(!(try onTerminal("scan . --no-git", in: dir, environment: ["NO_COLOR": "1"])).contains("\u{1B}[1;31m"))
    }

    @Test func summaryTableCountsCredentialsBySeverityAndChannel() throws {
        let dir = try project()
        let text = try CLI.run(["scan", ".", "--no-git", "--no-color"], in: dir.url).stdout
        let header = try #require(text.split(separator: "\n").first { $0.contains("critical") && $0.contains("info") && !$0.contains("[") })
        #expect(header.split(separator: " ") == ["critical", "high", "medium", "low", "info"])
        let row = try #require(text.split(separator: "\n").first { $0.hasPrefix("files ") })
        #expect(row.split(separator: " ") == ["files", "2", "0", "0", "0", "0"])
    }

    @Test func verboseListsTimingsAndSkips() throws {
        let dir = try project()
        try dir.write("big.txt", String(repeating: "x", count: 5000))
        let result = try CLI.run(["scan", ".", "--no-git", "--verbose", "--max-file-size", "1000"], in: dir.url)
        #expect(result.stderr.contains("timings: rules and config"))
        #expect(result.stdout.contains("skipped: big.txt"))
    }

    @Test func completionsAndVersion() throws {
        for shell in ["bash", "zsh", "fish"] {
            let result = try CLI.run(["completions", shell])
            #expect(result.status == 0)
            #expect(result.stdout.contains("install-hook") && result.stdout.contains("baseline"))
        }
        let bad = try CLI.run(["completions", "tcsh"])
        #expect(bad.status == 2 && bad.stderr.contains("bash, zsh or fish"))
        let version = try CLI.run(["--version"])
        #expect(version.status == 0 && version.stdout.first?.isNumber == true)
    }
}
