import Foundation

/// Runs the built `leakward` binary as a user would and captures what it prints.
enum CLI {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["LEAKWARD_BIN"] { return path }
        for candidate in [".build/release/leakward", ".build/debug/leakward"] {
            let path = packageRoot.appendingPathComponent(candidate).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return "leakward"
    }

    /// Every report format the binary writes; the no-leak test covers each.
    static let formats = ["text", "json"]

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// `leakward scan DIR --format json`: its exit status and its findings, as a user's CI reads them.
    static func scanFindings(_ dir: Scratch) throws -> (status: Int32, findings: [[String: Any]]) {
        let result = try run(["scan", dir.path, "--format", "json"])
        let report = try json(result.stdout)
        return (result.status, report["findings"] as? [[String: Any]] ?? [])
    }

    /// A finding's path relative to the scanned directory.
    static func relativePath(_ finding: [String: Any], in dir: Scratch) -> String {
        ((finding["location"] as! [String: Any])["path"] as! String).replacingOccurrences(of: dir.path + "/", with: "")
    }

    /// Each file's findings as sorted "rule severity" lines, keyed by its path relative to `dir`.
    static func rulesByPath(_ dir: Scratch) throws -> [String: [String]] {
        let (_, found) = try scanFindings(dir)
        return Dictionary(grouping: found, by: { relativePath($0, in: dir) })
            .mapValues { $0.map { "\($0["rule_id"]!) \($0["severity"]!)" }.sorted() }
    }

    @discardableResult
    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Output {
        let process = Foundation.Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                      stderr: String(decoding: stderrData, as: UTF8.self))
    }

    static func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }
}

/// A temporary directory of files, removed when the test is done with it.
final class Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("leakward-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func write(_ relative: String, _ text: String) throws {
        try write(relative, Data(text.utf8))
    }

    func write(_ relative: String, _ data: Data) throws {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
    }

    var path: String { url.path }
}

/// Fake but format-valid secrets, built at test time so no test file holds a literal token.
enum Fakes {
    static let openAI = "sk-proj-" + "Q7mX2pL9sK4vR8tN1wZ5yB3cF6hJ0dG2aE7uI4oP9lM3nB8vC1xZ6qW5eR0tY2uI7oP4aS9dF3gH8jK1lZ6xC5vB" + "T3BlbkFJ" + "N2mQ8wE4rT6yU1iO3pA5sD7fG9hJ0kL2zX4cV6bN8mQ1wE3rT5yU7iO9pA2sD4fG6hJ8kL0zX1cV3bN5mQ7wE9r"
    static let github: String = {
        // Same construction as scripts/fake-token.py: CRC32 of the body, base62, six digits.
        var crc: UInt32 = 0xFFFF_FFFF
        let body = "R4nD0mB0dyF0rTestsOnlyXq7Lm2Zp"
        for byte in body.utf8 {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        crc = ~crc
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var digits = ""
        var n = crc
        while n > 0 { digits = String(alphabet[Int(n % 62)]) + digits; n /= 62 }
        return "ghp_" + body + String(repeating: "0", count: 6 - digits.count) + digits
    }()
    static let postgresPassword = "Zq8vLm3TxR7kWp2N"
    static let postgresURL = "postgresql://orders:\(postgresPassword)@orders-db.prod.internal:5432/orders"
}
