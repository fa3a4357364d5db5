import Foundation
import Testing

/// Starts a Tests/Support mock server script in `directory` with its JSON `config` and returns the
/// first line it prints (the ports it listens on), read before anything is asked of it.
private func startMock(_ process: Process, script: String, directory: URL, config: URL) throws -> Data {
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", CLI.packageRoot.appendingPathComponent("Tests/Support/\(script)").path,
                         directory.path, config.path]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    var line = Data()
    while !line.contains(10) {
        let chunk = output.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        line += chunk
    }
    return line
}

/// The providers' stand-in for end-to-end tests (Tests/Support/mock_provider.py on 127.0.0.1
/// with a certificate made by openssl at test time, trusted through LEAKWARD_VERIFY_TEST_CA).
final class ProviderMock {
    let process = Process()
    let directory: URL
    let port: Int
    var caFile: String { directory.appendingPathComponent("cert.pem").path }
    var requests: [String] {
        ((try? String(contentsOf: directory.appendingPathComponent("behaviours.json.log"), encoding: .utf8)) ?? "")
            .split(separator: "\n").map(String.init)
    }

    init(behaviours: [String: String]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("leakward-mock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("behaviours.json")
        try JSONSerialization.data(withJSONObject: behaviours).write(to: config)
        let line = try startMock(process, script: "mock_provider.py", directory: directory, config: config)
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw CLIError.noPort
        }
        self.port = port
    }

    enum CLIError: Error { case noPort }

    /// The environment that points `verifiers` at this mock.
    func environment(_ verifiers: [String], extra: String = "") -> [String: String] {
        let entries = verifiers.map { "\($0)=https://127.0.0.1:\(port)" } + (extra.isEmpty ? [] : [extra])
        return ["LEAKWARD_VERIFY_ENDPOINT_OVERRIDE": entries.joined(separator: ","), "LEAKWARD_VERIFY_TEST_CA": caFile]
    }

    deinit {
        // SIGKILL: a child started from a worker thread may have SIGTERM blocked.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}

@Suite(.serialized) struct VerifyCommandTests {
    static func project() throws -> Scratch {
        let dir = try Scratch()
        try dir.write("src/lib/openai.ts", "export const key = \"\(Fakes.openAI)\";\n")
        try dir.write("scripts/deploy.sh", "GITHUB_TOKEN=\(Fakes.github) gh release create\n")
        try dir.write("src/lib/db.ts", "export const url = \"\(Fakes.postgresURL)\";\n")
        return dir
    }

    static func items(_ json: String) throws -> [[String: Any]] { try CLI.json(json)["items"] as? [[String: Any]] ?? [] }

    static func verification(_ items: [[String: Any]], provider: String) -> [String: Any]? {
        items.first { $0["provider"] as? String == provider }?["verification"] as? [String: Any]
    }

    @Test func planVerifyReadsLiveAndRevokedFromTheMockAndPutsLiveFirst() throws {
        let dir = try Self.project()
        let mock = try ProviderMock(behaviours: [Fakes.github: "revoked"])
        let env = mock.environment(["openai", "github"], extra: "stripe=https://collector.example")
        let result = try CLI.run(["plan", dir.path, "--verify", "--format", "json"], environment: env)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("ignoring LEAKWARD_VERIFY_ENDPOINT_OVERRIDE entry 'stripe=https://collector.example'"))
        let items = try Self.items(result.stdout)
        let openai = try #require(Self.verification(items, provider: "OpenAI"))
        #expect(openai["status"] as? String == "live" && openai["host"] as? String == "127.0.0.1:\(mock.port)")
        let github = try #require(Self.verification(items, provider: "GitHub"))
        #expect(github["status"] as? String == "revoked" && github["detail"] as? String == "HTTP 401")
        // The revoked token's revoke and confirm steps are done.
        let githubItem = try #require(items.first { $0["provider"] as? String == "GitHub" })
        let done = (githubItem["steps"] as? [[String: Any]] ?? []).filter { $0["done"] as? Bool == true }.compactMap { $0["kind"] as? String }
        #expect(done == ["revoke", "verify"])
        // Database URLs are never verified.
        #expect(Self.verification(items, provider: "Database") == nil)
        #expect(mock.requests.sorted() == ["GET /user", "GET /v1/models"])
        // Within the tier, the live key comes before the revoked one.
        let order = items.compactMap { $0["provider"] as? String }
        #expect(order.firstIndex(of: "OpenAI")! < order.firstIndex(of: "GitHub")!)
        #expect(try CLI.json(result.stdout)["verified"] as? Bool == true)

        let markdown = try CLI.run(["plan", dir.path, "--verify"], environment: env).stdout
        #expect(markdown.contains("| OpenAI | committed (in HEAD) | live |") || markdown.contains("| live |"))
        #expect(markdown.contains("· revoked"))
        for secret in [Fakes.openAI, Fakes.github, Fakes.postgresPassword] { #expect(!markdown.contains(secret)) }
    }

    @Test func scanVerifyAddsTheAnswerToTheReportAndWithoutVerifyNothingIsAsked() throws {
        let dir = try Self.project()
        let mock = try ProviderMock(behaviours: [Fakes.github: "redirect"])
        let env = mock.environment(["openai", "github"])
        let plain = try CLI.run(["scan", dir.path, "--format", "json"], environment: env)
        #expect(plain.status == 1)
        #expect(mock.requests.isEmpty, "no --verify, no network")
        let result = try CLI.run(["scan", dir.path, "--format", "json", "--verify"], environment: env)
        let credentials = try CLI.json(result.stdout)["credentials"] as? [[String: Any]] ?? []
        func status(_ provider: String) -> [String: Any]? {
            credentials.first { $0["provider"] as? String == provider }?["verification"] as? [String: Any]
        }
        #expect(status("OpenAI")?["status"] as? String == "live")
        #expect(status("GitHub")?["status"] as? String == "unknown")
        #expect((status("GitHub")?["detail"] as? String)?.contains("redirect to collector.example refused") == true)
        #expect(mock.requests.count == 2, "the redirect was not followed: \(mock.requests)")
        let text = try CLI.run(["scan", dir.path, "--verify", "--no-color"], environment: env).stdout
        #expect(text.contains("provider   live (127.0.0.1:\(mock.port): HTTP 200)"))
        let sarif = try CLI.run(["scan", dir.path, "--verify", "--format", "sarif"], environment: env).stdout
        #expect(sarif.contains("\"verification\" : \"live\"") || sarif.contains("\"verification\":\"live\""))
        // JUnit and CSV carry the answer too.
        let junit = try CLI.run(["scan", dir.path, "--verify", "--format", "junit"], environment: env).stdout
        #expect(junit.contains("<property name=\"verification\" value=\"live\"/>") && junit.contains("provider says: live (127.0.0.1:\(mock.port): HTTP 200"))
        #expect(junit.contains("<property name=\"verification\" value=\"unknown\"/>"))
        let csv = try CLI.run(["scan", dir.path, "--verify", "--format", "csv"], environment: env).stdout
        let rows = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.first?.hasSuffix(",secret_sha256,verification,verification_detail") == true)
        #expect(rows.contains { $0.contains("OpenAI") && $0.contains(",live,127.0.0.1:\(mock.port): HTTP 200") })
        #expect(rows.contains { $0.hasPrefix("database.url-password,") && $0.hasSuffix(",,") }, "a database URL is not asked without --verify-db")
        for text in [junit, csv] { for secret in [Fakes.openAI, Fakes.github, Fakes.postgresPassword] { #expect(!text.contains(secret)) } }
    }

    @Test func aSlowProviderTimesOutAndAMalformedAnswerIsUnknown() throws {
        let dir = try Self.project()
        let mock = try ProviderMock(behaviours: [Fakes.github: "slow", Fakes.openAI: "junk"])
        let result = try CLI.run(["plan", dir.path, "--verify", "--verify-timeout", "1", "--format", "json"],
                                 environment: mock.environment(["openai", "github"]))
        let items = try Self.items(result.stdout)
        #expect((Self.verification(items, provider: "GitHub")?["detail"] as? String)?.contains("timed out") == true)
        #expect((Self.verification(items, provider: "OpenAI")?["detail"] as? String)?.contains("malformed") == true)
        #expect(Self.verification(items, provider: "OpenAI")?["status"] as? String == "unknown")
    }
}

@Suite struct PlanStateCommandTests {
    @Test func ticksSurviveARegeneratedPlanAndARemovedKeyIsGone() throws {
        let dir = try VerifyCommandTests.project()
        let out = try Scratch()
        let plan = out.url.appendingPathComponent("PLAN.md").path
        let state = out.url.appendingPathComponent(".leakward-plan.json").path
        #expect(try CLI.run(["plan", dir.path, "--state", state, "-o", plan]).status == 1)
        var markdown = try String(contentsOfFile: plan, encoding: .utf8)
        #expect(markdown.hasPrefix("# Leakward rotation plan\n"))
        #expect(markdown.contains("| id | provider | channel | live | tier | first seen | action | done |"))
        // Tick GitHub's revoke box in the file, and OpenAI's redeploy step on the command line.
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let githubSection = try #require(lines.firstIndex { $0.hasPrefix("### ") && $0.contains("GitHub") })
        let revoke = try #require(lines[githubSection...].firstIndex { $0.hasPrefix("- [ ] ") && $0.contains("/revoke -->") })
        var edited = lines
        edited[revoke] = edited[revoke].replacingOccurrences(of: "- [ ] ", with: "- [x] ")
        try edited.joined(separator: "\n").write(toFile: plan, atomically: true, encoding: .utf8)
        let json = try CLI.json(try CLI.run(["plan", dir.path, "--format", "json"]).stdout)
        let openai = try #require((json["items"] as? [[String: Any]])?.first { $0["provider"] as? String == "OpenAI" })
        let openaiFingerprint = try #require(openai["fingerprint"] as? String)
        #expect(try CLI.run(["plan", dir.path, "--state", state, "-o", plan, "--tick", "\(openaiFingerprint)/redeploy"]).status == 1)
        markdown = try String(contentsOfFile: plan, encoding: .utf8)
        #expect(markdown.components(separatedBy: "- [x] ").count - 1 == 2)
        let saved = try CLI.json(try String(contentsOfFile: state, encoding: .utf8))
        let entries = try #require(saved["credentials"] as? [String: [String: Any]])
        #expect(entries[openaiFingerprint]?["done"] as? [String] == ["redeploy"])
        #expect(entries.values.contains { $0["done"] as? [String] == ["revoke"] && $0["provider"] as? String == "GitHub" })
        let stateText = try String(contentsOfFile: state, encoding: .utf8)
        for secret in [Fakes.openAI, Fakes.github, Fakes.postgresPassword] { #expect(!stateText.contains(secret)) }

        // The GitHub token is removed: the regenerated plan keeps OpenAI's tick and lists GitHub as gone.
        try FileManager.default.removeItem(atPath: dir.url.appendingPathComponent("scripts/deploy.sh").path)
        #expect(try CLI.run(["plan", dir.path, "--state", state, "-o", plan]).status == 1)
        markdown = try String(contentsOfFile: plan, encoding: .utf8)
        #expect(markdown.contains("## Gone since the last plan") && markdown.contains("GitHub"))
        #expect(markdown.contains("- [x] Redeploy"))
        let after = try CLI.json(try String(contentsOfFile: state, encoding: .utf8))["credentials"] as? [String: [String: Any]]
        #expect(after?.values.contains { $0["status"] as? String == "gone" && $0["provider"] as? String == "GitHub" } == true)
    }

    @Test func htmlPlanIsOneFileAndTickNeedsState() throws {
        let dir = try VerifyCommandTests.project()
        let out = try Scratch()
        let page = out.url.appendingPathComponent("plan.html").path
        #expect(try CLI.run(["plan", dir.path, "--format", "html", "-o", page]).status == 1)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.hasPrefix("<!doctype html>") && html.contains("<table id=\"summary\">") && html.contains("<svg class=\"timeline\""))
        for secret in [Fakes.openAI, Fakes.github, Fakes.postgresPassword] { #expect(!html.contains(secret)) }
        #expect(try CLI.run(["plan", dir.path, "--tick", "K1/revoke"]).status == 2)
        #expect(try CLI.run(["plan", dir.path, "--state", out.url.appendingPathComponent("s.json").path, "--tick", "nonsense"]).status == 2)
    }
}

/// The databases' stand-in for `--verify-db` (Tests/Support/mock_database.py: PostgreSQL, MySQL
/// and Redis on loopback ports, reached through LEAKWARD_VERIFY_DB_OVERRIDE).
final class DatabaseMock {
    let process = Process()
    let directory: URL
    var ports: [String: Int] = [:]
    var caFile: String { directory.appendingPathComponent("cert.pem").path }
    /// "PROTOCOL USER tls|plain" per login.
    var logins: [String] {
        ((try? String(contentsOf: directory.appendingPathComponent("users.json.log"), encoding: .utf8)) ?? "")
            .split(separator: "\n").map(String.init)
    }

    init(users: [String: String]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("leakward-dbmock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("users.json")
        try JSONSerialization.data(withJSONObject: users).write(to: config)
        let line = try startMock(process, script: "mock_database.py", directory: directory, config: config)
        for pair in String(decoding: line, as: UTF8.self).split(whereSeparator: \.isWhitespace) {
            let parts = pair.split(separator: "=")
            if parts.count == 2, let port = Int(parts[1]) { ports[String(parts[0])] = port }
        }
        guard ports.count == 3 else {
            process.terminate()
            throw ProviderMock.CLIError.noPort
        }
    }

    /// Every database verifier pointed at this mock (`extra` entries appended as written).
    func environment(extra: [String] = []) -> [String: String] {
        let entries = ports.sorted { $0.key < $1.key }.map { "\($0.key)=127.0.0.1:\($0.value)" } + extra
        return ["LEAKWARD_VERIFY_DB_OVERRIDE": entries.joined(separator: ","), "LEAKWARD_VERIFY_TEST_CA": caFile]
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}

@Suite(.serialized) struct VerifyDatabaseCommandTests {
    static let users = ["app": "Qw7ErTy9UiOp3As", "md5app": "Zx4CvBn8MlKj2Hg", "hba": "Hb4NmQ8rTz2Wx6", "native": "Pl0OkMi9NjU8hbV",
                        "default": "Rf5TgYh6UjIk7Ol", "slow": "Sl0wPq7Rt3Vb9Nm", "shop": "Sh0pPw9Lk8Jh7Gf"]
    /// File → URL, and what `--verify-db` must read from the mock.
    static let cases: [(file: String, url: String, status: String, detail: String)] = [
        ("pg-live.env", "postgresql://app:\(users["app"]!)@orders.db.example.com:5432/orders", "live", "password accepted (SCRAM-SHA-256) over TLS"),
        ("pg-md5.env", "postgres://md5app:Wr0ngPassw0rdX9@orders.db.example.com/orders?sslmode=disable", "revoked", "password authentication failed for user \"md5app\" (28P01)"),
        ("pg-md5-live.env", "postgres://md5app:\(users["md5app"]!)@orders.db.example.com/orders?sslmode=require", "live", "password accepted over TLS"),
        ("pg-scram-dead.env", "postgres://app:Xx9Yy8Zz7Ww6Vv5@orders.db.example.com/orders", "revoked", "(28P01)"),
        ("pg-hba.env", "postgres://hba:\(users["hba"]!)@orders.db.example.com/orders", "unknown", "no pg_hba.conf entry"),
        ("my-live.env", "mysql://shop:\(users["shop"]!)@shop.db.example.com:3306/shop", "live", "password accepted (caching_sha2_password) over TLS"),
        ("my-native-dead.env", "mysql://native:Nn3Mm4Bb5Vv6Cc7@shop.db.example.com/shop?ssl-mode=disabled", "revoked", "Access denied for user 'native'"),
        ("my-native-live.env", "mysql://native:\(users["native"]!)@shop.db.example.com/shop", "live", "password accepted (mysql_native_password) over TLS"),
        ("redis-live.env", "redis://default:\(users["default"]!)@cache.example.com:6379", "live", "AUTH accepted"),
        ("redis-tls-dead.env", "rediss://default:Gg1Hh2Jj3Kk4Ll5@cache.example.com:6380", "revoked", "WRONGPASS"),
    ]

    static func project(_ entries: [(file: String, url: String)]) throws -> Scratch {
        let dir = try Scratch()
        for entry in entries { try dir.write("config/\(entry.file)", "DATABASE_URL=\(entry.url)\n") }
        return dir
    }

    /// Verification by file name, from a scan's JSON report.
    static func answers(_ json: String) throws -> [String: [String: Any]] {
        var out: [String: [String: Any]] = [:]
        for credential in try CLI.json(json)["credentials"] as? [[String: Any]] ?? [] {
            guard let path = ((credential["locations"] as? [[String: Any]])?.first?["path"] as? String) else { continue }
            out[URL(fileURLWithPath: path).lastPathComponent] = credential["verification"] as? [String: Any] ?? [:]
        }
        return out
    }

    @Test func verifyDBLogsInToPostgresMySQLAndRedisAndReadsLiveRevokedUnknown() throws {
        let dir = try Self.project(Self.cases.map { ($0.file, $0.url) })
        let mock = try DatabaseMock(users: Self.users)
        let result = try CLI.run(["scan", dir.path, "--format", "json", "--verify-db"], environment: mock.environment())
        #expect(result.status == 1, "\(result.stderr)")
        let answers = try Self.answers(result.stdout)
        for entry in Self.cases {
            let answer = answers[entry.file]
            #expect(answer?["status"] as? String == entry.status, "\(entry.file): \(answer ?? [:])")
            #expect((answer?["detail"] as? String)?.contains(entry.detail) == true, "\(entry.file): \(answer?["detail"] ?? "none")")
        }
        #expect(answers["pg-live.env"]?["identity"] as? String == "app@orders")
        #expect(answers["pg-live.env"]?["verifier"] as? String == "postgres" && answers["redis-live.env"]?["verifier"] as? String == "redis")
        // TLS where the URL asks for it or the server offers it, plain where the URL says so.
        let logins = Set(mock.logins)
        #expect(logins.contains("postgres app tls") && logins.contains("postgres md5app plain") && logins.contains("mysql native plain"))
        #expect(logins.contains("mysql shop tls") && logins.contains("redis default tls") && logins.contains("redis default plain"))
        #expect(!result.stdout.contains(Self.users["app"]!) && !result.stdout.contains(Self.users["default"]!))
    }

    @Test func withoutVerifyDBNoDatabaseIsAskedAndPrivateHostsAreRefused() throws {
        let dir = try Self.project(Self.cases.map { ($0.file, $0.url) })
        let mock = try DatabaseMock(users: Self.users)
        // --verify alone never connects to a database, even with the test override set.
        let plain = try CLI.run(["plan", dir.path, "--format", "json", "--verify"], environment: mock.environment())
        #expect(plain.status == 1, "\(plain.stderr)")
        let items = try CLI.json(plain.stdout)["items"] as? [[String: Any]] ?? []
        #expect(!items.isEmpty && items.allSatisfy { $0["verification"] == nil })
        #expect(mock.logins.isEmpty, "\(mock.logins)")

        // Without an override, private and local hosts are refused before anything is sent.
        let refused = try Self.project([
            ("private.env", "postgres://app:Qw7ErTy9UiOp3As@10.20.30.40:5432/orders"),
            ("loopback.env", "postgres://app:Zx4CvBn8MlKj2Hg@127.0.0.1:\(mock.ports["postgres"]!)/orders"),
            ("localhost.env", "redis://default:Rf5TgYh6UjIk7Ol@localhost:\(mock.ports["redis"]!)"),
            ("service.env", "mysql://app:Pl0OkMi9NjU8hbV@db:\(mock.ports["mysql"]!)/shop"),
            ("internal.env", "postgres://app:Hb4NmQ8rTz2Wx6@orders-db.prod.internal:5432/orders"),
        ])
        let env = ["LEAKWARD_VERIFY_DB_OVERRIDE": "redis=db.example.com:6379", "LEAKWARD_VERIFY_TEST_CA": mock.caFile]
        let result = try CLI.run(["scan", refused.path, "--format", "json", "--verify-db"], environment: env)
        #expect(result.stderr.contains("ignoring LEAKWARD_VERIFY_DB_OVERRIDE entry 'redis=db.example.com:6379'"))
        let answers = try Self.answers(result.stdout)
        // (The rule does not match bracketed IPv6 hosts; DatabaseHostRule's unit tests cover them.)
        #expect(answers.count == 5, "\(answers.keys.sorted())")
        for (file, answer) in answers {
            #expect(answer["status"] as? String == "unknown", "\(file): \(answer)")
            #expect((answer["detail"] as? String)?.hasPrefix("not asked: refused") == true, "\(file): \(answer["detail"] ?? "")")
        }
        #expect(mock.logins.isEmpty, "a refused host was connected to: \(mock.logins)")
    }

    @Test func aClosedPortOrASilentServerIsUnknownAndPlanOrdersLiveFirst() throws {
        let dir = try Self.project([("pg-live.env", Self.cases[0].url), ("pg-md5.env", Self.cases[1].url),
                                    ("slow.env", "postgres://slow:\(Self.users["slow"]!)@orders.db.example.com/orders?sslmode=disable"),
                                    ("closed.env", "mysql://shop:Cl0sedPq7Rt3Vb8@shop.db.example.com/shop")])
        let mock = try DatabaseMock(users: Self.users)
        // Port 1 on loopback: nothing listens there, so the connection is refused.
        let env = mock.environment().merging(["LEAKWARD_VERIFY_DB_OVERRIDE": "postgres=127.0.0.1:\(mock.ports["postgres"]!),mysql=127.0.0.1:1"]) { $1 }
        let result = try CLI.run(["plan", dir.path, "--format", "json", "--verify-db", "--verify-timeout", "1"], environment: env)
        let items = try CLI.json(result.stdout)["items"] as? [[String: Any]] ?? []
        let statuses = items.compactMap { ($0["verification"] as? [String: Any])?["status"] as? String }
        #expect(statuses.count == 4, "\(items.map { $0["verification"] ?? "none" })")
        let details = items.compactMap { ($0["verification"] as? [String: Any])?["detail"] as? String }
        #expect(details.contains { $0.contains("timed out after 1 s") }, "\(details)")
        #expect(details.contains { $0.contains("refused") && !$0.contains("not asked") }, "\(details)")
        // Live first within the tier, revoked last.
        #expect(statuses.first == "live" && statuses.last == "revoked", "\(statuses)")
        let markdown = try CLI.run(["plan", dir.path, "--verify-db", "--verify-timeout", "1"], environment: env).stdout
        #expect(markdown.contains("| live |") && markdown.contains("| revoked |"))
        for secret in Self.users.values { #expect(!markdown.contains(secret)) }
    }
}
