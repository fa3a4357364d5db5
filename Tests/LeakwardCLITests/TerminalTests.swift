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
        #expect(tty.contains(Self.progressLine + "\u{1B}[2mlisting inputs"), "\(tty.debugDescription)")
        #expect(tty.contains(Self.progressLine + "\u{1B}[2mmatching "), "\(tty.debugDescription)")
        #expect(tty.contains("/42 (") && tty.contains(" MB"))
        // Files on disk have known sizes: matching says how many megabytes of how many.
        #expect(tty.contains(/\d+\.\d of \d+\.\d MB/), "\(tty.debugDescription)")

        let piped = try CLI.run(["scan", ".", "--no-git"], in: dir.url, environment: ["CI": ""])
        #expect(!piped.stderr.contains("scanning") && !piped.stderr.contains("\u{1B}"))
        #expect(!piped.stdout.contains("\u{1B}"), "no colour when stdout is not a terminal")
        #expect(!(try onTerminal("scan . --no-git", in: dir, environment: ["CI": "true"])).contains(Self.progressLine))
        #expect(!(try onTerminal("scan . --no-git --quiet", in: dir)).contains(Self.progressLine))
    }

    /// A history scan on a terminal names each phase in order, and matching never starts
    /// again from a lower percentage (rescan rounds are part of it).
    @Test func progressNamesEveryPhaseOfAHistoryScan() throws {
        let repo = try GitFixture()
        let token = GitFixture.token(50)
        var lines = (1...300).map { "line \($0) of ordinary text" }
        try repo.commit("base", files: ["app.txt": lines.joined(separator: "\n")])
        lines[100] = "token = \"\(token)\""
        try repo.commit("leak", files: ["app.txt": lines.joined(separator: "\n")])
        for n in [10, 200, 250] {
            lines[n] = "edited \(n)"
            try repo.commit("edit \(n)", files: ["app.txt": lines.joined(separator: "\n")])
        }
        try repo.pack()
        let output = try CLI.runTool("/usr/bin/script", ["-qec", "\(CLI.binary) git . --no-color -o report.json", "/dev/null"],
                                     in: URL(fileURLWithPath: repo.path), environment: ["CI": "", "NO_COLOR": "", "TERM": "xterm"]).stdout
        let shown = output.components(separatedBy: Self.progressLine).map { $0.replacingOccurrences(of: "\u{1B}[2m", with: "") }
        let phases = ["listing inputs", "walking history", "matching ", "provenance", "writing the report"]
        let firsts = phases.map { phase in shown.firstIndex { $0.hasPrefix(phase) } }
        #expect(firsts.allSatisfy { $0 != nil }, "\(shown)")
        #expect(firsts.compactMap { $0 } == firsts.compactMap { $0 }.sorted(), "phases in order: \(shown)")
        let percents = shown.filter { $0.hasPrefix("matching ") }.compactMap { line -> Int? in
            guard let open = line.firstIndex(of: "("), let close = line.firstIndex(of: "%") else { return nil }
            return Int(line[line.index(after: open)..<close])
        }
        #expect(!percents.isEmpty && percents == percents.sorted(), "\(percents)")
        // The megabytes matched only grow, through the rescan rounds too (the rate stays real).
        let megabytes = shown.filter { $0.hasPrefix("matching ") }.compactMap { line -> Double? in
            guard let match = line.firstMatch(of: /\)  ([0-9.]+) MB/) else { return nil }
            return Double(match.1)
        }
        #expect(!megabytes.isEmpty && megabytes == megabytes.sorted(), "\(megabytes)")
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
        #expect(result.stderr.contains("timings ("))
        #expect(result.stderr.contains("rules and config"))
        #expect(result.stderr.contains(/\n  total +\d+\.\d\d +\d+\.\d\d +\d+\.\d\d\n/), "\(result.stderr)")
        #expect(result.stderr.contains(/on an otherwise idle machine at least \d+\.\d\d s of wall/), "\(result.stderr)")
        #expect(result.stdout.contains("skipped: big.txt"))
    }

    /// `-v` on a history scan: a line per step, with wall and CPU seconds, under the progress
    /// line's phases in the order the line shows them.
    @Test func verboseHistoryScanTimesEveryPhase() throws {
        let repo = try GitFixture()
        var lines = (1...300).map { "line \($0) of ordinary text" }
        try repo.commit("base", files: ["app.txt": lines.joined(separator: "\n")])
        lines[100] = "token = \"\(GitFixture.token(51))\""
        try repo.commit("leak", files: ["app.txt": lines.joined(separator: "\n")])
        lines[200] = "edited"
        try repo.commit("edit", files: ["app.txt": lines.joined(separator: "\n")])
        try repo.pack()
        let result = try CLI.run(["git", ".", "-v", "-f", "json", "-o", "report.json"], in: URL(fileURLWithPath: repo.path))
        let rows = result.stderr.split(separator: "\n").map(String.init)
        // Wall, CPU and the busiest thread's CPU.
        func row(_ step: String) -> Int? { rows.firstIndex { $0.contains(" \(step) ") && $0.contains(/\d+\.\d\d +\d+\.\d\d +\d+\.\d\d/) } }
        let steps = ["rules and config", "commit table", "commit graph", "history walk", "delta bases", "compile rules",
                     "matching", "first commits and refs", "paths", "report assembled", "report written"]
        let found = steps.map(row)
        #expect(found.allSatisfy { $0 != nil }, "\(result.stderr)")
        #expect(found.compactMap { $0 } == found.compactMap { $0 }.sorted(), "\(result.stderr)")
        let phases = ["setup", "walking history", "matching", "provenance", "writing"].map { phase in
            rows.firstIndex { $0.hasPrefix("  \(phase) ") }
        }
        #expect(phases.allSatisfy { $0 != nil } && phases.compactMap { $0 } == phases.compactMap { $0 }.sorted(), "\(result.stderr)")
        #expect(rows.contains { $0.hasPrefix("  total ") })
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
