import Foundation
import LeakwardCore
import Testing

/// End to end: a schema's seeded admin whose bcrypt hash is of the well-known default `admin`
/// is a published default (info, with the reason; CI passes), while the hash of a random
/// password in the same place still fails CI. The hashes are made here, with made-up salts.
@Suite struct DefaultPasswordHashCLITests {
    static func bcrypt(_ password: String, cost: String) throws -> String {
        try #require(PasswordHashVerifier().crypt(password, setting: "$2b$\(cost)$Zr4kq8LmVb3TqXw2Lk7PzO"))
    }

    static func schema(_ hash: String) -> String {
        "CREATE TABLE users (id INT PRIMARY KEY, username VARCHAR(64), password VARCHAR(100));\n"
            + "INSERT INTO users (id, username, password) VALUES (1, 'admin', '\(hash)');\n"
    }

    private func scan(_ files: [String: String]) throws -> (status: Int32, findings: [[String: Any]]) {
        let dir = try Scratch()
        for (path, text) in files { try dir.write(path, text) }
        let result = try CLI.run(["scan", dir.path, "--no-git", "--format", "json"])
        let report = try CLI.json(result.stdout)
        let findings = (report["findings"] as? [[String: Any]] ?? []).filter { ($0["kind"] as? String) == "password-hash" }
        return (result.status, findings)
    }

    @Test func aSeededAdminsDefaultPasswordHashIsInfoAndPassesCI() throws {
        let seeded = try scan(["docker/init/mysql/schema.sql": Self.schema(try Self.bcrypt("admin", cost: "10"))])
        let finding = try #require(seeded.findings.first)
        #expect(finding["severity"] as? String == "info")
        let notes = finding["notes"] as? [String] ?? []
        #expect(notes.contains { $0.contains("well-known default password \"admin\"") }, "\(notes)")
        #expect(seeded.status == 0)
    }

    @Test func aRandomPasswordsHashStillFailsCI() throws {
        let random = "Wq7" + "-kd93-" + "Lp2Zv"
        let real = try scan(["docker/init/mysql/schema.sql": Self.schema(try Self.bcrypt(random, cost: "05"))])
        let finding = try #require(real.findings.first)
        #expect(finding["severity"] as? String == "medium")
        #expect(real.status == 1)
        // The default beside a real password is a user table's: both fail.
        let table = try scan(["dump.sql": Self.schema(try Self.bcrypt("admin", cost: "05")) + Self.schema(try Self.bcrypt(random, cost: "05"))
            .replacingOccurrences(of: "(1, 'admin'", with: "(2, 'ops'")])
        #expect(table.findings.count == 2 && table.findings.allSatisfy { $0["severity"] as? String == "medium" }, "\(table.findings)")
        #expect(table.status == 1)
    }
}
