import Foundation
import Testing

/// Every input is either scanned or loudly not: never a clean result over something unread.
@Suite struct AccountedInputsTests {
    @Test func missingRootIsAUsageErrorForScanAndPlan() throws {
        let dir = try Scratch()
        let missing = dir.path + "/does-not-exist"
        for arguments in [["scan", missing], ["plan", missing], ["plan", missing, "--fail-on-error"], ["scan", dir.path, missing]] {
            let result = try CLI.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains("does-not-exist does not exist"), "\(arguments): \(result.stderr)")
            #expect(!result.stdout.contains("No secrets found"))
            #expect(!result.stdout.contains("Nothing to rotate"))
        }
    }

    /// A repository with one corrupt loose object: the history blob cannot be read, but the file
    /// on disk holds the same token and is matched instead; the summary says what was not scanned.
    @Test func unreadableHistoryBlobFallsBackToTheWorkingTreeCopy() throws {
        let repo = try GitFixture()
        try repo.commit("add c.py", files: ["c.py": "TOKEN = '\(Fakes.github)'\n", "ok.txt": "fine\n"])
        let blob = try repo.git("rev-parse", "HEAD:c.py")
        let object = repo.path + "/.git/objects/" + blob.prefix(2) + "/" + blob.dropFirst(2)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: object)
        try Data("this is not a zlib stream".utf8).write(to: URL(fileURLWithPath: object))

        let json = try CLI.run(["scan", repo.path, "--format", "json"])
        #expect(json.status == 1)
        let findings = try ReportedFinding.all(json.stdout)
        #expect(findings.contains { $0.path.hasSuffix("c.py") && $0.commit == nil })
        let report = try CLI.json(json.stdout)
        let errors = report["errors"] as? [[String: Any]] ?? []
        #expect(errors.contains { ($0["level"] as? String) == "error" && ($0["path"] as? String ?? "").hasSuffix("c.py") })

        let text = try CLI.run(["scan", repo.path, "--no-color"])
        #expect(text.status == 1)
        #expect(text.stdout.contains("1 input could not be scanned"))
        #expect(try CLI.run(["scan", repo.path, "--fail-on-error"]).status == 2)
        #expect(try CLI.run(["plan", repo.path, "--fail-on-error"]).status == 2)
        #expect(try CLI.run(["ci", repo.path, "--fail-on-error"]).status == 2)
    }

    @Test func summaryNeverSaysCleanAloneWhenAnInputWasNotScanned() throws {
        let repo = try GitFixture()
        try repo.commit("one", files: ["a.txt": "hello\n"])
        try repo.commit("two", files: ["a.txt": "hello again\n"])
        // The first version exists only in history; break its object.
        let blob = try repo.git("rev-parse", "HEAD~1:a.txt")
        let object = repo.path + "/.git/objects/" + blob.prefix(2) + "/" + blob.dropFirst(2)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: object)
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: object))

        let text = try CLI.run(["scan", repo.path, "--no-color"])
        #expect(text.status == 0)
        #expect(!text.stdout.contains("No secrets found"))
        #expect(text.stdout.contains("1 input could not be scanned"))
        let plan = try CLI.run(["plan", repo.path])
        #expect(plan.stdout.contains("1 input could not be scanned"))
        let ci = try CLI.run(["ci", repo.path])
        #expect(ci.stderr.contains("1 input could not be scanned"))
        #expect(try CLI.run(["ci", repo.path, "--fail-on-error"]).status == 2)
        #expect(try CLI.run(["plan", repo.path, "--fail-on-error"]).status == 2)
    }

    @Test func damagedRepositoriesAreReportedAsSuch() throws {
        // Garbage HEAD.
        let garbage = try GitFixture()
        try garbage.commit("add", files: ["c.py": "TOKEN = '\(Fakes.github)'\n"])
        try Data("this is not a ref\n".utf8).write(to: URL(fileURLWithPath: garbage.path + "/.git/HEAD"))
        let first = try CLI.run(["scan", garbage.path, "--format", "json"])
        let firstErrors = try CLI.json(first.stdout)["errors"] as? [[String: Any]] ?? []
        #expect(firstErrors.contains { ($0["reason"] as? String ?? "").contains("HEAD") }, "\(firstErrors)")
        #expect(try ReportedFinding.all(first.stdout).contains { $0.path.hasSuffix("c.py") })

        // No objects directory: not silently a plain directory.
        let gone = try GitFixture()
        try gone.commit("add", files: ["c.py": "TOKEN = '\(Fakes.github)'\n"])
        try FileManager.default.removeItem(atPath: gone.path + "/.git/objects")
        let second = try CLI.run(["scan", gone.path, "--no-color"])
        #expect(second.status == 1)
        #expect(second.stdout.contains("not a readable git repository"), "\(second.stdout)")
        #expect(second.stdout.contains("could not be scanned"))
    }

    /// SIGINT while a long history is still being planned (before any blob is matched): the
    /// scan stops, writes its partial report marked incomplete, and exits 130.
    @Test func interruptWhilePlanningTheHistoryIsHonoured() throws {
        let repo = try GitFixture()
        var stream = ""
        for i in 0..<40_000 {
            let data = "line \(i)\n"
            stream += "commit refs/heads/main\nmark :\(i + 1)\ncommitter a <a@b> \(1_700_000_000 + i) +0000\ndata 2\nc\n"
            if i > 0 { stream += "from :\(i)\n" }
            stream += "M 644 inline d\(i % 50)/f\(i % 500).txt\ndata \(data.utf8.count)\n\(data)\n"
        }
        let importer = Process()
        importer.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        importer.arguments = ["fast-import", "--quiet"]
        importer.currentDirectoryURL = repo.dir.url
        let input = Pipe()
        importer.standardInput = input
        try importer.run()
        input.fileHandleForWriting.write(Data(stream.utf8))
        try input.fileHandleForWriting.close()
        importer.waitUntilExit()
        #expect(importer.terminationStatus == 0)

        let output = repo.path + "/../" + UUID().uuidString + ".json"
        defer { try? FileManager.default.removeItem(atPath: output) }
        // A fixed sleep raced process start-up on a loaded machine (SIGINT before the handler
        // exists kills the process) and could outlast the scan on an idle one. Instead wait until
        // the scan runs more than one thread: the signal source and the planning workers exist
        // only once the interruption handler is installed. A start-up kill is retried.
        var process = Process()
        for _ in 0..<3 {
            process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = ["scan", repo.path, "--format", "json", "--output", output]
            process.standardError = FileHandle.nullDevice
            try process.run()
            let tasks = "/proc/\(process.processIdentifier)/task"
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline,
                  ((try? FileManager.default.contentsOfDirectory(atPath: tasks))?.count ?? 0) < 2 {
                Thread.sleep(forTimeInterval: 0.005)
            }
            Thread.sleep(forTimeInterval: 0.05)
            kill(process.processIdentifier, SIGINT)
            process.waitUntilExit()
            if process.terminationReason == .exit { break }
        }
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 130)
        let report = try CLI.json(String(contentsOfFile: output, encoding: .utf8))
        #expect(report["complete"] as? Bool == false)
    }
}
