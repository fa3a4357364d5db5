import Foundation
import Testing
@testable import LeakwardCore
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardInputs
@testable import LeakwardMatching
@testable import LeakwardModel
@testable import LeakwardPlan
@testable import LeakwardReporting
@testable import LeakwardRules
@testable import LeakwardSupport
@testable import LeakwardVerification

/// A local HTTPS stand-in for the providers (Tests/Support/mock_provider.py): a self-signed
/// certificate made at test time with openssl, trusted only through `testCAFile`.
final class MockProvider {
    let process = Process()
    let directory: URL
    let port: Int
    var caFile: String { directory.appendingPathComponent("cert.pem").path }
    var log: [String] {
        ((try? String(contentsOf: directory.appendingPathComponent("behaviours.json.log"), encoding: .utf8)) ?? "")
            .split(separator: "\n").map(String.init)
    }

    /// `behaviours`: a token the request carries → `live`, `revoked`, `revoked403`, `junk`, `busy`, `slow`, `redirect`.
    init(behaviours: [String: String]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("leakward-mock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("behaviours.json")
        try JSONSerialization.data(withJSONObject: behaviours).write(to: config)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Support/mock_provider.py")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, directory.path, config.path]
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
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw MockError.noPort
        }
        self.port = port
    }

    enum MockError: Error { case noPort }

    var endpoint: URLComponents { URLComponents(string: "https://127.0.0.1:\(port)")! }

    deinit {
        // SIGKILL: a child started from a worker thread may have SIGTERM blocked.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}

@Suite struct HMACAndSigV4Tests {
    func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    /// RFC 4231 test cases 1, 2, 3, 4, 6 and 7 (case 5 is a truncated output).
    @Test func hmacSHA256MatchesRFC4231() {
        let cases: [([UInt8], [UInt8], String)] = [
            ([UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
             "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
            (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
             "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
            ([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
             "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
            (hex("0102030405060708090a0b0c0d0e0f10111213141516171819"), [UInt8](repeating: 0xcd, count: 50),
             "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
            ([UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
             "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
            ([UInt8](repeating: 0xaa, count: 131),
             Array("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".utf8),
             "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
        ]
        for (key, message, expected) in cases {
            #expect(SHA256.hexString(SHA256.hmac(key: key, message: message)) == expected)
        }
    }

    /// The worked example of AWS's Signature Version 4 documentation (IAM ListUsers, 2015-08-30).
    @Test func sigV4MatchesAWSWorkedExample() {
        let now = ISO8601DateFormatter().date(from: "2015-08-30T12:36:00Z")!
        let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCY" + "EXAMPLEKEY"
        let key = SigV4.signingKey(secretKey: secret, day: "20150830", region: "us-east-1", service: "iam")
        #expect(SHA256.hexString(key) == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")
        let headers = SigV4.headers(method: "GET", host: "iam.amazonaws.com", path: "/", query: "Action=ListUsers&Version=2010-05-08",
                                    body: "", headers: ["Content-Type: application/x-www-form-urlencoded; charset=utf-8"],
                                    accessKeyID: "AKIDEXAMPLE", secretKey: secret, region: "us-east-1", service: "iam", now: now)
        #expect(headers.contains("X-Amz-Date: 20150830T123600Z"))
        #expect(headers.contains("Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"))
    }
}

@Suite struct VerifierCatalogTests {
    @Test func builtInVerifiersCoverTwentyFiveProvidersOnTheirOwnHostsOverHTTPS() throws {
        let catalog = try VerifierCatalog.builtIn()
        #expect(catalog.verifiers.count >= 25)
        #expect(Set(catalog.verifiers.map(\.id)).count == catalog.verifiers.count, "ids are unique")
        let ruleIDs = try RuleSet.builtIn().rules.map(\.id)
        for spec in catalog.verifiers {
            #expect(spec.url.hasPrefix("https://"), "\(spec.id)")
            for entry in spec.rules {
                #expect(ruleIDs.contains { VerifierCatalog.ruleMatches($0, entry) }, "\(spec.id): \(entry) names no rule")
            }
            if let companion = spec.companion { #expect(ruleIDs.contains(companion), "\(spec.id): companion \(companion)") }
        }
        #expect(catalog.verifier(ruleID: "twilio.api-key")?.id == "twilio")
        #expect(catalog.verifier(ruleID: "twilio.api-key-sid") == nil, "an exact entry is not a prefix")
        #expect(catalog.verifier(ruleID: "groq.api-key")?.id == "groq")
    }

    @Test func aURLOffTheDocumentedHostIsRejectedWhenLoaded() {
        let toml = """
            [[verifier]]
            id = "bad"
            rules = ["openai."]
            host = "api.openai.com"
            url = "https://collector.example/v1/models"
            """
        #expect(throws: RuleError.self) { try VerifierFile.verifiers(fromTOML: toml, path: "bad.toml") }
        let plain = toml.replacingOccurrences(of: "https://collector.example", with: "http://api.openai.com")
        #expect(throws: RuleError.self) { try VerifierFile.verifiers(fromTOML: plain, path: "bad.toml") }
    }

    @Test func overridesAreHonouredOnlyForLoopbackHTTPS() {
        let (overrides, refused) = VerifierCatalog.overrides(
            from: "openai=https://127.0.0.1:8443, github=https://[::1]:9000,stripe=https://collector.example:443,slack=http://127.0.0.1:1")
        #expect(Set(overrides.keys) == ["openai", "github"])
        #expect(refused.count == 2)
    }

    @Test func requestsFillPlaceholdersAndStayOnTheProvidersHost() throws {
        let catalog = try VerifierCatalog.builtIn()
        let openai = try #require(catalog.verifiers.first { $0.id == "openai" })
        let request = try openai.request(for: VerificationSubject(secret: "sk-test"))
        #expect(request.url == "https://api.openai.com/v1/models" && request.host == "api.openai.com")
        #expect(request.headers == ["Authorization: Bearer sk-test"] && request.testCAFile == nil)
        // A loopback override keeps the path and takes the CA; any other override is ignored.
        let local = try openai.request(for: VerificationSubject(secret: "sk-test"), override: URLComponents(string: "https://127.0.0.1:9999"),
                                       testCAFile: "/tmp/ca.pem")
        #expect(local.url == "https://127.0.0.1:9999/v1/models" && local.testCAFile == "/tmp/ca.pem")
        let elsewhere = try openai.request(for: VerificationSubject(secret: "sk-test"), override: URLComponents(string: "https://collector.example"),
                                           testCAFile: "/tmp/ca.pem")
        #expect(elsewhere.host == "api.openai.com" && elsewhere.testCAFile == nil)

        let supabase = try #require(catalog.verifiers.first { $0.id == "supabase" })
        let payload = Data(#"{"ref":"abcdefghij","role":"service_role"}"#.utf8).base64EncodedString()
        let jwt = "eyJhbGciOiJIUzI1NiJ9.\(payload).c2lnbmF0dXJl"
        #expect(try supabase.request(for: VerificationSubject(secret: jwt)).url == "https://abcdefghij.supabase.co/rest/v1/")
        // A claim that would change the host is not filled in.
        let evil = Data(#"{"ref":"x.collector.example/"}"#.utf8).base64EncodedString()
        #expect(throws: (any Error).self) { try supabase.request(for: VerificationSubject(secret: "eyJ.\(evil).c2ln")) }

        let mailchimp = try #require(catalog.verifiers.first { $0.id == "mailchimp" })
        #expect(try mailchimp.request(for: VerificationSubject(secret: "0123456789abcdef-us6")).host == "us6.api.mailchimp.com")
        #expect(throws: (any Error).self) { try mailchimp.request(for: VerificationSubject(secret: "0123-evil.example/x")) }

        let aws = try #require(catalog.verifiers.first { $0.id == "aws" })
        #expect(throws: VerifierSpec.BuildError.missingCompanion("aws.access-key-id")) {
            try aws.request(for: VerificationSubject(secret: "secret"))
        }
        let signed = try aws.request(for: VerificationSubject(secret: "secret", companion: "AKIAEXAMPLE"))
        #expect(signed.headers.contains { $0.hasPrefix("Authorization: AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/") })
        #expect(signed.body == "Action=GetCallerIdentity&Version=2011-06-15" && signed.method == "POST")
    }

    @Test func answersAreReadAsLiveRevokedOrUnknown() throws {
        let catalog = try VerifierCatalog.builtIn()
        func spec(_ id: String) throws -> VerifierSpec { try #require(catalog.verifiers.first { $0.id == id }) }
        func answer(_ status: Int, _ body: String, _ headers: [String: String] = [:]) -> HTTPSAnswer {
            .response(status: status, headers: headers, body: Array(body.utf8))
        }
        let github = try spec("github")
        let live = github.read(answer(200, #"{"login":"octocat"}"#, ["x-oauth-scopes": "repo, gist"]), host: "api.github.com", at: "t")
        #expect(live.status == .live && live.identity == "octocat" && live.scopes == ["repo", "gist"])
        #expect(github.read(answer(401, #"{"message":"Bad credentials"}"#), host: "h", at: "t").status == .revoked)
        #expect(github.read(answer(403, #"{"message":"rate limit"}"#), host: "h", at: "t").status == .unknown)
        #expect(github.read(answer(429, ""), host: "h", at: "t").detail.contains("rate-limited"))
        let redirect = github.read(answer(302, "", ["location": "https://collector.example/x"]), host: "h", at: "t")
        #expect(redirect.status == .unknown && redirect.detail.contains("collector.example refused"))
        #expect(github.read(answer(200, "<html>"), host: "h", at: "t").detail.contains("malformed"))
        #expect(github.read(.failed("timed out after 2 s"), host: "h", at: "t").status == .unknown)

        let slack = try spec("slack")
        #expect(slack.read(answer(200, #"{"ok":true,"user":"bot"}"#), host: "h", at: "t").identity == "bot")
        #expect(slack.read(answer(200, #"{"ok":false,"error":"token_revoked"}"#), host: "h", at: "t").status == .revoked)
        #expect(slack.read(answer(200, #"{"ok":false,"error":"ratelimited"}"#), host: "h", at: "t").status == .unknown)

        let google = try spec("google-api-key")
        #expect(google.read(answer(400, #"{"error":{"status":"INVALID_ARGUMENT","details":[{"reason":"API_KEY_INVALID"}]}}"#), host: "h", at: "t").status == .revoked)
        #expect(google.read(answer(403, #"{"error":{"details":[{"reason":"SERVICE_DISABLED"}]}}"#), host: "h", at: "t").status == .live)
        // Linear answers every GraphQL error with 400: the authentication error is a revoked key, any other 400 says nothing.
        let linear = try spec("linear")
        let linearRefusal = #"{"errors":[{"message":"Authentication required, not authenticated","extensions":{"type":"authentication error","code":"AUTHENTICATION_ERROR"}}]}"#
        #expect(linear.read(answer(400, linearRefusal), host: "h", at: "t").status == .revoked)
        #expect(linear.read(answer(400, #"{"errors":[{"message":"Cannot query field","extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}"#), host: "h", at: "t").status == .unknown)
        #expect(linear.read(answer(200, #"{"data":{"viewer":{"id":"u1"}}}"#), host: "h", at: "t").identity == "u1")
        // Scoped keys refused for lack of a permission are live; Cohere's documented valid:false is revoked.
        #expect(try spec("openai").read(answer(401, #"{"error":{"message":"You have insufficient permissions for this operation. Missing scopes: api.model.read."}}"#), host: "h", at: "t").status == .live)
        #expect(try spec("openai").read(answer(401, #"{"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}}"#), host: "h", at: "t").status == .revoked)
        #expect(try spec("elevenlabs").read(answer(401, #"{"detail":{"status":"missing_permissions","message":"missing the permission user_read"}}"#), host: "h", at: "t").status == .live)
        #expect(try spec("elevenlabs").read(answer(401, #"{"detail":{"status":"invalid_api_key","message":"Invalid API key"}}"#), host: "h", at: "t").status == .revoked)
        #expect(try spec("cohere").read(answer(200, #"{"valid":false}"#), host: "h", at: "t").status == .revoked)
        #expect(try spec("cohere").read(answer(200, #"{"valid":true,"organization_id":"o1"}"#), host: "h", at: "t").identity == "o1")
        #expect(try spec("xai").read(answer(400, #"{"code":"Client specified an invalid argument","error":"Incorrect API key provided: xa***b. You can obtain an API key from https://console.x.ai."}"#), host: "h", at: "t").status == .revoked)
        #expect(try spec("xai").read(answer(400, #"{"error":"bad request"}"#), host: "h", at: "t").status == .unknown)
        let stripe = try spec("stripe")
        #expect(stripe.read(answer(403, #"{"error":{"message":"The provided key does not have the required permissions"}}"#), host: "h", at: "t").status == .live)
    }
}

/// Every verifier against the local mock: live, revoked, and the refusal cases.
@Suite(.serialized) struct VerificationRunTests {
    /// A finding for `spec` whose secret carries `marker` (the mock's behaviour key).
    static func finding(for spec: VerifierSpec, marker: String, path: String) -> [Finding] {
        let rule = spec.rules[0].hasSuffix(".") ? spec.rules[0] + "api-key" : spec.rules[0]
        var secret = "lw\(marker)\(spec.id)x0123456789"
        if spec.url.contains("{jwt.ref}") {
            let payload = Data(#"{"ref":"proj\#(marker.lowercased())","role":"service_role"}"#.utf8).base64EncodedString()
                .replacingOccurrences(of: "=", with: "")
            secret = "eyJhbGciOiJIUzI1NiJ9.\(payload).\(secret)"
        }
        if spec.url.contains("{secret.after_last_dash}") { secret += "-us6" }
        func make(_ ruleID: String, _ value: String) -> Finding {
            Finding(ruleID: ruleID, ruleName: ruleID, category: .generic, provider: spec.id, severity: .high, kind: .secret,
                    validation: .unchecked, secret: SecretValue(value), location: .init(path: path, line: 1, column: 1, offset: 0))
        }
        var findings = [make(rule, secret)]
        if let companion = spec.companion { findings.append(make(companion, "AKIA\(marker)\(spec.id)")) }
        return findings
    }

    static func run(_ findings: [Finding], mock: MockProvider, catalog: VerifierCatalog, timeout: Double = 5) -> [String: VerificationResult] {
        let overrides = Dictionary(uniqueKeysWithValues: catalog.verifiers.map { ($0.id, mock.endpoint) })
        let run = VerificationRun(catalog: catalog, client: HTTPSClient(timeoutSeconds: timeout, userAgent: "leakward-test"),
                                  overrides: overrides, testCAFile: mock.caFile, maxConcurrent: 4, hostInterval: 0)
        return run.verify(findings)
    }

    @Test func everyVerifierReadsLiveAndRevokedFromTheMock() throws {
        let catalog = try VerifierCatalog.builtIn()
        var behaviours: [String: String] = [:]
        var findings: [Finding] = []
        for spec in catalog.verifiers {
            findings += Self.finding(for: spec, marker: "LIVE", path: "live/\(spec.id).env")
            findings += Self.finding(for: spec, marker: "DEAD", path: "dead/\(spec.id).env")
            // Providers that refuse with 403 only (Datadog, AWS) get a 403.
            // Linear refuses with a 400 GraphQL authentication error.
            let refusal = spec.id == "linear" ? "revoked400" : spec.revokedStatus.contains(401) || !spec.revokedBody.isEmpty ? "revoked" : "revoked403"
            behaviours["DEAD\(spec.id)x"] = refusal
            behaviours["AKIADEAD\(spec.id)"] = refusal
        }
        let mock = try MockProvider(behaviours: behaviours)
        let results = Self.run(findings, mock: mock, catalog: catalog)
        var live = 0, revoked = 0
        for spec in catalog.verifiers {
            let liveSecret = Self.finding(for: spec, marker: "LIVE", path: "x")[0].secretSHA256
            let deadSecret = Self.finding(for: spec, marker: "DEAD", path: "x")[0].secretSHA256
            let a = results[liveSecret], b = results[deadSecret]
            #expect(a?.status == .live, "\(spec.id): \(a?.detail ?? "no answer")")
            #expect(b?.status == .revoked, "\(spec.id): \(b?.detail ?? "no answer")")
            if a?.status == .live { live += 1 }
            if b?.status == .revoked { revoked += 1 }
            #expect(a?.host.hasPrefix("127.0.0.1") == true)
        }
        #expect(live >= 25 && revoked >= 25)
        // Identity and scopes come back where the verifier reads them.
        let github = try #require(catalog.verifiers.first { $0.id == "github" })
        let answer = results[Self.finding(for: github, marker: "LIVE", path: "x")[0].secretSHA256]
        #expect(answer?.identity == "mock-user" && answer?.scopes == ["repo", "gist"])
        let aws = try #require(catalog.verifiers.first { $0.id == "aws" })
        #expect(results[Self.finding(for: aws, marker: "LIVE", path: "x")[0].secretSHA256]?.identity == "arn:aws:iam::123456789012:user/mock")
        // One request per secret: the cache keeps a repeated key from being asked twice.
        #expect(mock.log.count == catalog.verifiers.count * 2)
    }

    @Test func refusalsAreUnknownAndRedirectsAreNeverFollowed() throws {
        let catalog = try VerifierCatalog.builtIn()
        let github = try #require(catalog.verifiers.first { $0.id == "github" })
        let cases = ["BUSY": "busy", "SLOW": "slow", "MOVE": "redirect", "JUNK": "junk"]
        var findings: [Finding] = []
        for marker in cases.keys.sorted() { findings += Self.finding(for: github, marker: marker, path: "\(marker).env") }
        // The same key twice is asked once.
        findings += Self.finding(for: github, marker: "BUSY", path: "copy.env")
        let mock = try MockProvider(behaviours: Dictionary(uniqueKeysWithValues: cases.map { ("lw\($0.key)github", $0.value) }))
        let results = Self.run(findings, mock: mock, catalog: catalog, timeout: 1)
        func result(_ marker: String) -> VerificationResult? { results[Self.finding(for: github, marker: marker, path: "x")[0].secretSHA256] }
        #expect(result("BUSY")?.status == .unknown && result("BUSY")?.detail.contains("429") == true)
        #expect(result("SLOW")?.status == .unknown && result("SLOW")?.detail.contains("timed out") == true, "\(result("SLOW")?.detail ?? "")")
        #expect(result("MOVE")?.status == .unknown && result("MOVE")?.detail.contains("collector.example refused") == true)
        #expect(result("JUNK")?.status == .unknown && result("JUNK")?.detail.contains("malformed") == true)
        #expect(mock.log.count == 4, "one request per key, none to the redirect target: \(mock.log)")
    }

    @Test func aCertificateNotTrustedByTheTestIsRefused() throws {
        let catalog = try VerifierCatalog.builtIn()
        let openai = try #require(catalog.verifiers.first { $0.id == "openai" })
        let mock = try MockProvider(behaviours: [:])
        let run = VerificationRun(catalog: catalog, client: HTTPSClient(timeoutSeconds: 5, userAgent: "t"),
                                  overrides: ["openai": mock.endpoint], testCAFile: nil, hostInterval: 0)
        let results = run.verify(Self.finding(for: openai, marker: "LIVE", path: "a.env"))
        #expect(results.values.first?.status == .unknown)
        #expect(mock.log.isEmpty)
    }
}

/// `--verify-db` without a server: URLs taken apart, the host rules, the login arithmetic.
@Suite struct DatabaseVerificationTests {
    @Test func databaseURLsAreTakenApartAsDriversReadThem() throws {
        let pg = try #require(DatabaseTarget(url: "postgresql://app%40corp:p%23ss%3Aw0rd@db.example.com:6432/orders?sslmode=verify-full&application_name=x"))
        #expect(pg.scheme == "postgresql" && pg.user == "app@corp" && pg.password == "p#ss:w0rd" && pg.host == "db.example.com")
        #expect(pg.port == 6432 && pg.database == "orders" && pg.parameters["sslmode"] == "verify-full")
        #expect(pg.display(defaultPort: 5432) == "db.example.com:6432/orders")
        let redis = try #require(DatabaseTarget(url: "rediss://:s3cretValue9@cache.example.com"))
        #expect(redis.user.isEmpty && redis.password == "s3cretValue9" && redis.port == nil && redis.database.isEmpty)
        let v6 = try #require(DatabaseTarget(url: "mysql://u:pw123456@[2001:db8::5]:3307/shop"))
        #expect(v6.host == "2001:db8::5" && v6.port == 3307)
        let failover = try #require(DatabaseTarget(url: "postgres://u:pw123456@a.example.com:5432,b.example.com:5433/app"))
        #expect(failover.host == "a.example.com" && failover.port == 5432)
        #expect(DatabaseTarget(url: "postgres://db.example.com/app") == nil)
    }

    @Test func privateAndLocalHostsAreRefusedPublicOnesAllowed() {
        for host in ["10.1.2.3", "172.20.0.5", "192.168.1.10", "127.0.0.1", "169.254.169.254", "100.100.1.1", "0.0.0.0",
                     "::1", "fd12:3456::1", "fe80::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "localhost", "db", "redis",
                     "orders-db.prod.internal", "printer.local", "api.localhost", "db.svc.cluster.local", "LOCALHOST."] {
            #expect(DatabaseHostRule.refusal(ofName: host) != nil, "\(host) must be refused")
        }
        for host in ["db.example.com", "203.0.114.9", "8.8.8.8", "2606:4700::1111", "aws-0-eu-central-1.pooler.supabase.com", "172.32.0.1"] {
            #expect(DatabaseHostRule.refusal(ofName: host) == nil, "\(host) must be allowed: \(DatabaseHostRule.refusal(ofName: host) ?? "")")
        }
        // A public name resolving to a private address is judged by the address.
        #expect(DatabaseHostRule.refusal(ofAddress: "10.0.0.7") != nil && DatabaseHostRule.refusal(ofAddress: "db.example.com") == nil)
    }

    @Test func overridesAreLoopbackOnly() {
        let (overrides, refused) = DatabaseVerification.overrides(from: "postgres=127.0.0.1:5433, redis=[::1]:6380,mysql=db.example.com:3306,x=127.0.0.1")
        #expect(overrides["postgres"] == DatabaseEndpoint(host: "127.0.0.1", port: 5433) && overrides["redis"]?.host == "::1")
        #expect(refused == ["mysql=db.example.com:3306", "x=127.0.0.1"])
    }

    @Test func scramMatchesRFC7677() throws {
        var client = SCRAMClient(password: Array("pencil".utf8), nonce: "rOprNGfwEbeRWgbNEkqO", user: "user")
        #expect(client.clientFirst == "n,,n=user,r=rOprNGfwEbeRWgbNEkqO")
        let final = client.clientFinal(serverFirst: "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")
        #expect(final == "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
        #expect(client.verifies(serverFinal: "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="))
        #expect(!client.verifies(serverFinal: "v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="))
        // A server nonce that does not extend ours is refused.
        var other = SCRAMClient(password: Array("pencil".utf8), nonce: "abc")
        #expect(other.clientFinal(serverFirst: "r=xyz123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096") == nil)
    }

    @Test func legacyDigestsAndMySQLScrambles() {
        #expect(SHA256.hexString(LegacyDigest.md5(Array("abc".utf8))) == "900150983cd24fb0d6963f7d28e17f72")
        #expect(SHA256.hexString(LegacyDigest.sha1(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        // PostgreSQL's md5 answer for user "postgres", password "secret", salt 01 02 03 04.
        let inner = SHA256.hexString(LegacyDigest.md5(Array("secretpostgres".utf8)))
        #expect(inner == SHA256.hexString(LegacyDigest.md5(Array("secret".utf8) + Array("postgres".utf8))))
        let scramble = Array("abcdefghijklmnopqrst".utf8)
        let native = DatabaseLogin.mysqlScramble(plugin: "mysql_native_password", password: Array("pw".utf8), scramble: scramble)
        let sha2 = DatabaseLogin.mysqlScramble(plugin: "caching_sha2_password", password: Array("pw".utf8), scramble: scramble)
        #expect(native.count == 20 && sha2.count == 32 && native != Array(sha2.prefix(20)))
        // XOR-ing the stored hash back out gives SHA1(password): what the server checks.
        let check = zip(native, LegacyDigest.sha1(scramble + LegacyDigest.sha1(LegacyDigest.sha1(Array("pw".utf8))))).map { $0 ^ $1 }
        #expect(check == LegacyDigest.sha1(Array("pw".utf8)))
        #expect(DatabaseLogin.mysqlScramble(plugin: "caching_sha2_password", password: [], scramble: scramble).isEmpty)
    }

    @Test func databaseVerifiersAreDataAndMatchBySchemeAndRule() throws {
        let catalog = try VerifierCatalog.builtIn()
        #expect(Set(catalog.databases.map(\.id)) == ["postgres", "mysql", "redis"])
        #expect(catalog.database(ruleID: "database.url-password", scheme: "postgresql")?.protocolKind == .postgres)
        #expect(catalog.database(ruleID: "database.url-password", scheme: "rediss")?.tlsSchemes == ["rediss"])
        #expect(catalog.database(ruleID: "database.url-password", scheme: "mongodb") == nil)
        #expect(catalog.database(ruleID: "database.jdbc-password", scheme: "postgres") == nil)
        #expect(throws: RuleError.self) {
            try VerifierFile.databases(fromTOML: "[[database]]\nid = \"x\"\nrules = [\"a\"]\nschemes = [\"x\"]\nprotocol = \"oracle\"\nport = 1\n", path: "t.toml")
        }
        // TLS as the URL says.
        let pg = try #require(catalog.databases.first { $0.id == "postgres" })
        func plan(_ url: String) -> TLSPlan { pg.tlsPlan(for: DatabaseTarget(url: url)!, isOverride: false, testCAFile: nil) }
        #expect(plan("postgres://u:pw1234567@h.example.com/d").use == .ifOffered && plan("postgres://u:pw1234567@h.example.com/d").trust == nil)
        #expect(plan("postgres://u:pw1234567@h.example.com/d?sslmode=disable").use == .never)
        #expect(plan("postgres://u:pw1234567@h.example.com/d?sslmode=require").use == .required)
        #expect(plan("postgres://u:pw1234567@h.example.com/d?sslmode=verify-full").trust?.name == "h.example.com")
        let redis = try #require(catalog.databases.first { $0.id == "redis" })
        let rediss = redis.tlsPlan(for: DatabaseTarget(url: "rediss://:pw1234567@c.example.com")!, isOverride: false, testCAFile: nil)
        #expect(rediss.use == .immediately && rediss.trust?.name == "c.example.com")
    }
}
