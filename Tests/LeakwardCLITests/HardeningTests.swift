import Foundation
import Testing

@Suite struct HardeningTests {
    /// SIGINT mid-scan: what was scanned is written, marked incomplete, the rest is not scanned,
    /// and the exit code is 130. The first input is a FIFO, so the scan is provably mid-way.
    @Test func interruptedScanWritesPartialResults() throws {
        let dir = try Scratch()
        let fifo = dir.url.appendingPathComponent("slow-input").path
        #expect(mkfifo(fifo, 0o600) == 0)
        try dir.write("later.env", "GITHUB_TOKEN=\(Fakes.github)\n")
        let output = dir.url.appendingPathComponent("report.json").path
        let process = Foundation.Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["scan", fifo, dir.url.appendingPathComponent("later.env").path,
                             "--jobs", "1", "--format", "json", "--output", output]
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the scan opens the FIFO for reading (a non-blocking writer open fails until then).
        var writer: Int32 = -1
        for _ in 0..<600 where writer < 0 {
            writer = open(fifo, O_WRONLY | O_NONBLOCK)
            if writer < 0 { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(writer >= 0, "the scan never opened its first input")
        kill(process.processIdentifier, SIGINT)
        Thread.sleep(forTimeInterval: 0.3)
        _ = "nothing secret here\n".withCString { write(writer, $0, strlen($0)) }
        close(writer)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        let report = try CLI.json(String(contentsOfFile: output, encoding: .utf8))
        #expect(report["complete"] as? Bool == false)
        #expect((report["findings"] as? [[String: Any]])?.isEmpty == true)
    }

    @Test func standardInputIsScannedWithDash() throws {
        let process = Foundation.Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["scan", "-", "--format", "json"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data("token: \(Fakes.github)\n".utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(String(decoding: data, as: UTF8.self).contains("\"(stdin)\""))
    }

    @Test func failOnErrorTurnsUnreadableInputsIntoExitTwo() throws {
        let dir = try Scratch()
        try dir.write("ok.txt", "nothing here\n")
        // A gzip header followed by garbage: the file is there but cannot be decoded.
        try dir.write("broken.txt.gz", Data([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 3]) + Data("not deflate at all".utf8))
        #expect(try CLI.run(["scan", dir.path]).status == 0)
        #expect(try CLI.run(["scan", dir.path, "--fail-on-error"]).status == 2)
    }

    /// No output format carries a raw secret unless --reveal asks for it.
    @Test func noFormatLeaksARawSecret() throws {
        let dir = try Scratch()
        let secrets = [Fakes.openAI, Fakes.github, Fakes.postgresPassword, "keyboard cat"]
        try dir.write(".env", "OPENAI_API_KEY=\(Fakes.openAI)\nSESSION_SECRET=\"keyboard cat\"\nDATABASE_URL=\(Fakes.postgresURL)\n")
        try dir.write("src/a.ts", "const t = '\(Fakes.github)';\n")
        var outputs: [String] = []
        for format in CLI.formats {
            let file = dir.url.appendingPathComponent("out.\(format)").path
            let result = try CLI.run(["scan", dir.path, "--format", format, "--output", file, "--verbose"])
            outputs.append(result.stdout + result.stderr + ((try? String(contentsOfFile: file, encoding: .utf8)) ?? ""))
            #expect(result.status == 1, "format \(format)")
        }
        // The plan in every format, with a state file, is held to the same rule.
        let planFormats = ["markdown", "json", "html"]
        for format in planFormats {
            let file = dir.url.appendingPathComponent("plan.\(format)").path
            let state = dir.url.appendingPathComponent("state-\(format).json").path
            let result = try CLI.run(["plan", dir.path, "--format", format, "-o", file, "--state", state])
            outputs.append(result.stdout + result.stderr + ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "")
                           + ((try? String(contentsOfFile: state, encoding: .utf8)) ?? ""))
            #expect(result.status == 1, "plan format \(format): \(result.stderr)")
        }
        for (format, text) in zip(CLI.formats + planFormats.map { "plan " + $0 }, outputs) {
            for secret in secrets { #expect(!text.contains(secret), "format \(format) leaked a secret") }
        }
    }
}

@Suite struct HostileInputTests {
    @Test func symlinksNeverLeadOutOfTheRootOrIntoLoops() throws {
        let outside = try Scratch()
        try outside.write("stolen.env", "GITHUB_TOKEN=\(Fakes.github)\n")
        let dir = try Scratch()
        try dir.write("inside.txt", "nothing\n")
        #expect(symlink(outside.url.appendingPathComponent("stolen.env").path, dir.url.appendingPathComponent("link.env").path) == 0)
        #expect(symlink(dir.path, dir.url.appendingPathComponent("loop").path) == 0)
        let result = try CLI.run(["scan", dir.path, "--format", "json"])
        #expect(result.status == 0)
        let report = try CLI.json(result.stdout)
        let skipped = (report["errors"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        #expect(skipped.contains { $0.hasSuffix("link.env") })
        #expect(skipped.contains { $0.hasSuffix("loop") })
    }

    /// A file that takes longer than --blob-time-limit is cut short and reported; the other
    /// files are still scanned in full and their secrets found.
    @Test func slowFileIsStoppedAtItsTimeLimitAndReported() throws {
        let dir = try Scratch()
        let line = "var api_key_value = \"0123456789abcdef0123456789abcdef\"; // secret token password auth\n"
        try dir.write("huge.js", String(repeating: line, count: 150_000))
        try dir.write("config/.env", "GITHUB_TOKEN=\(Fakes.github)\n")
        let result = try CLI.run(["scan", dir.path, "--format", "json", "--blob-time-limit", "0.05", "--jobs", "1"])
        let report = try CLI.json(result.stdout)
        let errors = report["errors"] as? [[String: Any]] ?? []
        #expect(errors.contains { ($0["path"] as? String ?? "").hasSuffix("huge.js") && ($0["reason"] as? String ?? "").contains("--blob-time-limit") })
        #expect(try ReportedFinding.all(result.stdout).contains { $0.path.hasSuffix(".env") })
    }

    /// A catastrophic pattern on adversarial input hits PCRE2's match limit: the stall is
    /// recorded for that file and the scan goes on to find the rest.
    @Test func catastrophicBacktrackingIsBoundedAndReported() throws {
        let rules = try Scratch()
        try rules.write("evil.toml", """
            [[rule]]
            id = "test.catastrophic"
            name = "Catastrophic pattern"
            category = "generic"
            provider = "Test"
            severity = "low"
            pattern = '''evil=((?:a+)+)$'''
            keywords = ["evil="]
            examples = ['evil=⟦aaaa⟧']
            negative_examples = ['evil=b']
            """)
        let dir = try Scratch()
        try dir.write("attack.txt", "evil=" + String(repeating: "a", count: 5000) + "!\n")
        try dir.write("real.env", "GITHUB_TOKEN=\(Fakes.github)\n")
        let result = try CLI.run(["scan", dir.path, "--rules", rules.path, "--format", "json"])
        #expect(result.status == 1)
        let report = try CLI.json(result.stdout)
        let errors = report["errors"] as? [[String: Any]] ?? []
        #expect(errors.contains { ($0["stage"] as? String) == "match" && ($0["path"] as? String)?.hasSuffix("attack.txt") == true })
        let ruleIDs = (report["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule_id"] as? String }
        #expect(ruleIDs.contains("github.pat"))
    }
}
