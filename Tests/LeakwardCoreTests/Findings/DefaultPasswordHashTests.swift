import Testing
@testable import LeakwardFindings
@testable import LeakwardModel

/// `PasswordHashVerifier` (libxcrypt's `crypt_rn`) and `DefaultPasswordHashes`: a hash of a
/// well-known default password (`[default_passwords]` of rules/context/values.toml) in a file of
/// defaults is reported at info; a real password's hash, or a default among real ones, is not.
/// Every hash here is made at test time from made-up passwords and salts.
@Suite struct DefaultPasswordHashTests {
    let verifier = PasswordHashVerifier()
    /// A made-up default for the policy tests (the bundled list is tested on its own below).
    static let fakeDefault = "letmein-default"
    static let policy = DefaultPasswordHashes(passwords: ["sample-admin", fakeDefault], maxHashesPerFile: 3)

    static let settings = ["$2b$05$Zr4kq8LmVb3TqXw2Lk7PzO", "$2y$05$Kq8Lz3Vr9Tx2Nb7Wm4Pd1O", "$6$Qw3rT8zL$", "$5$rounds=6000$Vh2Kq9Lr$",
                           "$1$Zr4kq8Lm$", "$y$j9T$Kq8Lz3Vr9Tx2Nb7Wm4Pd1.$"]

    func hash(_ password: String, _ setting: String = "$2b$05$Zr4kq8LmVb3TqXw2Lk7PzO") throws -> String {
        try #require(verifier.crypt(password, setting: setting))
    }

    @Test func theVerifierKnowsEachCryptMethodsHash() throws {
        for setting in Self.settings {
            let made = try hash(Self.fakeDefault, setting)
            #expect(made.hasPrefix(String(setting.prefix(3))), "\(setting)")
            #expect(verifier.matches(Self.fakeDefault, hash: made), "\(setting)")
            #expect(!verifier.matches("Tq9-unlisted-Vx2", hash: made), "\(setting)")
            #expect(PasswordHashWork.units(of: made) != nil, "\(setting)")
        }
        // Not a hash libxcrypt reads: no match, no crash.
        #expect(!verifier.matches("admin", hash: "$2b$05$short"))
        #expect(!verifier.matches("admin", hash: "not a hash"))
    }

    @Test func workIsCountedAndSlowOrForeignSettingsAreNotTested() {
        #expect(PasswordHashWork.units(of: "$2b$10$" + String(repeating: "a", count: 53)) == 64)
        #expect(PasswordHashWork.units(of: "$2b$12$" + String(repeating: "a", count: 53)) == 256)
        #expect(PasswordHashWork.units(of: "$2b$13$" + String(repeating: "a", count: 53)) == nil)
        #expect(PasswordHashWork.units(of: "$6$rounds=5000000$salt$" + String(repeating: "a", count: 86)) == nil)
        // htpasswd's apr1 is not libxcrypt's; a tuned yescrypt may be expensive.
        #expect(PasswordHashWork.units(of: "$apr1$Zr4kq8Lm$" + String(repeating: "a", count: 22)) == nil)
        #expect(PasswordHashWork.units(of: "$y$jFT$salt$" + String(repeating: "a", count: 43)) == nil)
        #expect(PasswordHashWork.units(of: "$argon2id$v=19$m=65536,t=3,p=4$salt$hash") == nil)
    }

    private func finding(_ hash: String, path: String, blob: ObjectID? = nil, severity: Severity = .medium) -> Finding {
        var location = Finding.Location(path: path, line: 1, column: 1, offset: 0, blob: blob)
        location.origin = .file(root: ".", path: path)
        return Finding(ruleID: "password-hash.crypt", ruleName: "Password hash", category: .generic, provider: "Password hash",
                       severity: severity, kind: .passwordHash, validation: .unchecked, secret: SecretValue(hash), location: location)
    }

    private func judge(_ findings: [Finding], policy: DefaultPasswordHashes = Self.policy) -> [Finding] {
        let scheduled = policy.schedule(findings)
        var matches: [String: String] = [:]
        for hash in scheduled { if let password = policy.passwords.first(where: { verifier.matches($0, hash: hash) }) { matches[hash] = password } }
        return policy.judged(findings, matches: matches)
    }

    @Test func aFileOfDefaultHashesIsInfoNamingTheDefault() throws {
        let judged = judge([finding(try hash(Self.fakeDefault), path: "docker/init/schema.sql"),
                            finding(try hash("sample-admin", "$6$Qw3rT8zL$"), path: "docker/init/schema.sql")])
        #expect(judged.allSatisfy { $0.severity == .info }, "\(judged.map(\.severity))")
        #expect(judged[0].notes.contains { $0.contains("well-known default password \"\(Self.fakeDefault)\"") }, "\(judged[0].notes)")
        #expect(judged[1].notes.contains { $0.contains("\"sample-admin\"") })
        // Nothing of the hash is in the reason.
        #expect(!judged[0].notes.joined().contains("$2b$"))
    }

    @Test func aRealPasswordsHashFailsAndKeepsTheDefaultsBesideIt() throws {
        let real = finding(try hash("Tq9-unlisted-Vx2"), path: "dump.sql")
        #expect(judge([real])[0].severity == .medium)
        // A user table: one real password, so the default beside it is a user's, not a seed.
        let judged = judge([finding(try hash(Self.fakeDefault), path: "dump.sql"), real])
        #expect(judged.allSatisfy { $0.severity == .medium }, "\(judged.map(\.severity))")
        // The same default alone in another file is a seed.
        #expect(judge([finding(try hash(Self.fakeDefault), path: "seed.sql"), real]).map(\.severity) == [.info, .medium])
    }

    @Test func programSourceAndUserTablesAreNotTested() throws {
        let made = try hash(Self.fakeDefault)
        // A default compiled into code is a hard-coded account.
        #expect(judge([finding(made, path: "server/endpoints/admin.js")])[0].severity == .medium)
        #expect(Self.policy.schedule([finding(made, path: "migrations/seed_admin.py")]).isEmpty)
        // More hashes than `maxHashesPerFile`: a user table, never tested.
        let table = try (0..<4).map { finding(try hash(Self.fakeDefault, "$1$Salt\($0)ab$"), path: "users.sql") }
        #expect(Self.policy.schedule(table).isEmpty)
        // Only files with a finding that fails CI.
        #expect(Self.policy.schedule([finding(made, path: "seed.sql", severity: .info)]).isEmpty)
    }

    @Test func theBudgetIsCountedInAFixedOrderBeforeAnyTest() throws {
        // Cost 5 bcrypt: 2 units a test, 2 passwords: 4 units a hash; a budget of 9 fits two files.
        let policy = DefaultPasswordHashes(passwords: Self.policy.passwords, maxHashesPerFile: 3, budget: 9)
        let files = try ["c.sql", "a.sql", "b.sql"].map { finding(try hash(Self.fakeDefault, "$2b$05$Zr4kq8LmVb3TqXw2Lk7P\($0.first!)O"), path: $0) }
        let scheduled = policy.schedule(files)
        #expect(scheduled == [files[1], files[2]].map { String(decoding: $0.secret.bytes, as: UTF8.self) })
        #expect(policy.schedule(files.reversed()) == scheduled)
        // The file left out keeps its severity.
        #expect(judge(files, policy: policy).map(\.severity) == [.medium, .info, .info])
        // Slower than allowed: not tested at all.
        let slow = try hash(Self.fakeDefault, "$2b$13$Zr4kq8LmVb3TqXw2Lk7PzO")
        #expect(policy.schedule([finding(slow, path: "seed.sql")]).isEmpty)
    }

    @Test func theBundledListIsShortAndLeavesOutDigitRuns() {
        let bundled = DefaultPasswordHashes.bundled
        #expect(bundled.passwords.contains("admin"))
        #expect(bundled.passwords.count <= 16)
        #expect(!bundled.passwords.contains("123456"))
        #expect(bundled.maxHashesPerFile >= 1)
    }
}
