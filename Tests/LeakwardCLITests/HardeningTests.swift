import Foundation
import Testing

@Suite struct HardeningTests {
    /// SIGINT mid-scan: partial results are written, marked incomplete, and the exit code is 130.
    @Test func interruptedScanWritesPartialResults() throws {
        let dir = try Scratch()
        let fifo = dir.url.appendingPathComponent("slow-input").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let output = dir.url.appendingPathComponent("report.json").path
        let process = Foundation.Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["scan", fifo, "--format", "json", "--output", output]
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The scan is now blocked reading the FIFO; interrupt it, then let the read finish.
        Thread.sleep(forTimeInterval: 0.5)
        kill(process.processIdentifier, SIGINT)
        Thread.sleep(forTimeInterval: 0.2)
        let writer = FileHandle(forWritingAtPath: fifo)
        writer?.write(Data("GITHUB_TOKEN=\(Fakes.github)\n".utf8))
        try writer?.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        let report = try CLI.json(String(contentsOfFile: output, encoding: .utf8))
        #expect(report["complete"] as? Bool == false)
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
        let missing = dir.path + "/missing"
        #expect(try CLI.run(["scan", dir.path, missing]).status == 0)
        #expect(try CLI.run(["scan", dir.path, missing, "--fail-on-error"]).status == 2)
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
        for (format, text) in zip(CLI.formats, outputs) {
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
