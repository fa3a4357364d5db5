import Foundation

/// A throwaway repository built with the `git` CLI (fixtures only: scanning goes through
/// libgit2). Commits get increasing, fixed dates so "first commit" is deterministic.
final class GitFixture {
    let dir: Scratch
    private var clock = 1_700_000_000

    init(branch: String = "main") throws {
        dir = try Scratch()
        try git("init", "-q", "-b", branch)
    }

    var path: String { dir.path }

    @discardableResult
    func git(_ arguments: String..., in directory: String? = nil) throws -> String {
        try GitFixture.run(arguments, in: directory ?? path, date: clock)
    }

    /// Packs every object with fresh deltas and drops the loose copies, as a clone has it.
    /// (`git pack-objects` fed explicitly: `git repack` under the test runner picked up stray
    /// input from other tests' processes as revisions.)
    func pack() throws {
        try GitFixture.run(["-c", "gc.auto=0", "rev-parse", "--git-dir"], in: path)
        let script = "git rev-list --objects --all | git pack-objects -q --delta-base-offset --window=10 --depth=50 .git/objects/pack/pack >/dev/null && git prune-packed"
        let process = Process()
        process.standardInput = FileHandle.nullDevice
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = URL(fileURLWithPath: path)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw FixtureError("packing \(path) failed") }
    }

    @discardableResult
    static func run(_ arguments: [String], in directory: String, date: Int = 1_700_000_000) throws -> String {
        let process = Process()
        // Never the test runner's stdin: `git repack` hands it to pack-objects as revisions.
        process.standardInput = FileHandle.nullDevice
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        for (key, value) in ["GIT_AUTHOR_NAME": "Ada Author", "GIT_AUTHOR_EMAIL": "ada@example.com",
                             "GIT_COMMITTER_NAME": "Ada Author", "GIT_COMMITTER_EMAIL": "ada@example.com",
                             "GIT_AUTHOR_DATE": "@\(date) +0000", "GIT_COMMITTER_DATE": "@\(date) +0000",
                             "GIT_CONFIG_NOSYSTEM": "1", "HOME": directory] { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FixtureError("git \(arguments.joined(separator: " ")): \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes `files`, removes `removed`, commits everything; returns the new commit id.
    @discardableResult
    func commit(_ message: String, files: [String: String] = [:], removed: [String] = []) throws -> String {
        clock += 86_400
        for (name, text) in files { try dir.write(name, text) }
        for name in removed { try git("rm", "-q", name) }
        try git("add", "-A")
        try git("commit", "-q", "--allow-empty", "-m", message)
        return try git("rev-parse", "HEAD")
    }

    struct FixtureError: Error, CustomStringConvertible {
        var description: String
        init(_ text: String) { description = text }
    }

    /// A format-valid fake GitHub token (CRC32 checksum like the real ones), different per seed.
    static func token(_ seed: Int) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 12345
        var body = ""
        for _ in 0..<30 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            body.append(alphabet[Int((state >> 33) % 62)])
        }
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in body.utf8 {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        crc = ~crc
        var digits = ""
        var n = crc
        while n > 0 { digits = String(alphabet[Int(n % 62)]) + digits; n /= 62 }
        return "ghp_" + body + String(repeating: "0", count: 6 - digits.count) + digits
    }
}

/// The findings of a JSON report, flattened for assertions.
struct ReportedFinding {
    var secretSHA: String
    /// The path relative to the scanned root or repository (`location.origin.path`).
    var path: String
    /// The path as shown (`location.path`: the root as given, then the relative path).
    var displayPath: String
    /// `location.origin.kind`: file, history, commit-message, unreachable-blob.
    var originKind: String
    var line: Int
    var commit: [String: Any]?
    var blob: String?

    static func all(_ stdout: String) throws -> [ReportedFinding] {
        let report = try CLI.json(stdout)
        return (report["findings"] as? [[String: Any]] ?? []).map { finding in
            let location = finding["location"] as! [String: Any]
            let origin = location["origin"] as! [String: Any]
            return ReportedFinding(secretSHA: finding["secret_sha256"] as! String, path: origin["path"] as? String ?? "",
                                   displayPath: location["path"] as! String, originKind: origin["kind"] as! String,
                                   line: location["line"] as! Int, commit: location["commit"] as? [String: Any],
                                   blob: location["blob"] as? String)
        }
    }
}
