import Foundation
import Testing

/// Structured config values are read with their keys: plain YAML, INI, properties, TOML and
/// XML values, in the working tree and in history.
@Suite struct ConfigValueTests {
    private static let password = "s3cr3t" + "-pw"

    private func found(_ dir: Scratch) throws -> (status: Int32, found: [String]) {
        let result = try CLI.run(["scan", dir.path, "--format", "json"])
        let findings = try CLI.json(result.stdout)["findings"] as? [[String: Any]] ?? []
        return (result.status, findings.map { finding in
            let location = finding["location"] as! [String: Any]
            let path = (location["path"] as! String).replacingOccurrences(of: dir.path + "/", with: "")
            return "\(path):\(location["line"]!) \(finding["variable"] as? String ?? "-")"
        }.sorted())
    }

    @Test func unquotedComposePasswordIsFound() throws {
        let dir = try Scratch()
        try dir.write("docker-compose.yml", """
            services:
              db:
                image: postgres:16
                environment:
                  POSTGRES_USER: app
                  POSTGRES_PASSWORD: \(Self.password)
              cache:
                environment:
                  - REDIS_PASSWORD=\(Self.password)x
                  - REDIS_HOST=cache

            """)
        let (status, found) = try found(dir)
        #expect(status == 1)
        #expect(found == ["docker-compose.yml:6 POSTGRES_PASSWORD", "docker-compose.yml:9 REDIS_PASSWORD"])
    }

    @Test func everyStructuredFormatGivesItsValueWithTheKey() throws {
        let dir = try Scratch()
        let value = "Tr0ub4dor" + "&3x"
        try dir.write("config/app.yaml", "db: {user: app, password: \(value)}\n")
        try dir.write("deploy/my.ini", "[client]\nuser = app\npassword = \(value)\n")
        try dir.write("src/main/resources/application.properties", "spring.datasource.username=app\nspring.datasource.password=\(value)\n")
        try dir.write("settings.toml", "[database]\npassword = \"\(value)\"\n")
        try dir.write("Web.config", "<appSettings>\n  <add key=\"DbPassword\" value=\"\(value)\" />\n</appSettings>\n")
        try dir.write("conf/server.xml", "<server>\n  <password>\(value)</password>\n</server>\n")
        let (_, found) = try found(dir)
        #expect(found == [
            "Web.config:2 DbPassword", "conf/server.xml:2 password", "config/app.yaml:1 password", "deploy/my.ini:3 password",
            "settings.toml:2 password", "src/main/resources/application.properties:2 spring.datasource.password",
        ])
    }

    @Test func referencesAndDefaultsAreNotValues() throws {
        let dir = try Scratch()
        try dir.write("docker-compose.yml", """
            services:
              db:
                environment:
                  POSTGRES_PASSWORD: postgres
                  MYSQL_PASSWORD: ${MYSQL_PASSWORD}
                  API_TOKEN: "{{ vault_api_token }}"
                  PASSWORD_MIN_LENGTH: 12
                  SECRET_KEY_BASE: <%= ENV["SECRET_KEY_BASE"] %>

            """)
        let (status, found) = try found(dir)
        #expect(found.isEmpty, "\(found)")
        #expect(status == 0)
    }

    @Test func unquotedComposePasswordIsFoundInHistory() throws {
        let repo = try GitFixture()
        try repo.commit("init", files: ["README.md": "hello\n"])
        try repo.commit("add compose", files: ["docker-compose.yml": "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: \(Self.password)\n"])
        try repo.commit("use env", files: ["docker-compose.yml": "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${PW}\n"])
        try repo.pack()
        let result = try CLI.run(["git", repo.path, "--format", "json"])
        let findings = try CLI.json(result.stdout)["findings"] as? [[String: Any]] ?? []
        #expect(result.status == 1)
        #expect(findings.map { $0["variable"] as? String } == ["POSTGRES_PASSWORD"])
    }
}
