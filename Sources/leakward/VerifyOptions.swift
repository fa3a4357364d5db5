import ArgumentParser
import Foundation
import LeakwardCore

/// `--verify`: ask providers whether keys work. Off by default; without it nothing touches the network.
struct VerifyOptions: ParsableArguments {
    @Flag(help: "Ask each credential's provider whether the key still works (one read-only HTTPS call to the provider's documented host; see rules/verify/).")
    var verify = false

    @Flag(name: .customLong("verify-db"), help: "Also log in once to each database URL's own host (PostgreSQL, MySQL, Redis) to see whether its password still works (implies --verify; public hosts only, 5 s per step; see rules/verify/database.toml).")
    var verifyDatabases = false

    @Option(name: .customLong("verify-timeout"), help: "Seconds allowed per provider request.")
    var verifyTimeout: Double = 8

    func validate() throws {
        guard verifyTimeout > 0 && verifyTimeout <= 120 else { throw ValidationError("--verify-timeout must be between 0 and 120 seconds") }
    }

    /// The providers' answers by secret SHA-256; empty (and no network) without `--verify`.
    func results(for findings: [Finding]) throws -> [String: VerificationResult] {
        guard verify || verifyDatabases else { return [:] }
        let catalog: VerifierCatalog
        do {
            catalog = try VerifierCatalog.builtIn()
        } catch let error as RuleError {
            throw CLIError(error.description)
        }
        let environment = ProcessInfo.processInfo.environment
        // Test hooks: loopback endpoints and the CA of the test's own certificate. They come from the
        // environment of the person running leakward, never from the scanned project.
        let (overrides, refused) = VerifierCatalog.overrides(from: environment["LEAKWARD_VERIFY_ENDPOINT_OVERRIDE"] ?? "")
        for entry in refused {
            FileHandle.standardError.write(Data("leakward: ignoring LEAKWARD_VERIFY_ENDPOINT_OVERRIDE entry '\(entry)': only https:// loopback addresses are honoured\n".utf8))
        }
        if findings.contains(where: { $0.secret.bytes.isEmpty }) {
            FileHandle.standardError.write(Data("leakward: a saved report holds no raw secrets, so its keys cannot be verified; scan again with --verify\n".utf8))
        }
        let client = HTTPSClient(timeoutSeconds: verifyTimeout, userAgent: "leakward/\(LeakwardVersion.current)")
        var databases: DatabaseVerification?
        if verifyDatabases {
            // Test hook like the one above: database hosts replaced by loopback ports.
            let (endpoints, refusedEndpoints) = DatabaseVerification.overrides(from: environment["LEAKWARD_VERIFY_DB_OVERRIDE"] ?? "")
            for entry in refusedEndpoints {
                FileHandle.standardError.write(Data("leakward: ignoring LEAKWARD_VERIFY_DB_OVERRIDE entry '\(entry)': only 127.0.0.1 or [::1] with a port is honoured\n".utf8))
            }
            databases = DatabaseVerification(timeoutSeconds: min(verifyTimeout, 5), overrides: endpoints,
                                             testCAFile: environment["LEAKWARD_VERIFY_TEST_CA"])
        }
        let run = VerificationRun(catalog: catalog, client: client, overrides: overrides,
                                  testCAFile: environment["LEAKWARD_VERIFY_TEST_CA"], databases: databases)
        return run.verify(findings)
    }
}
