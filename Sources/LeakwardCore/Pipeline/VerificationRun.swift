import Dispatch
import Foundation
import Synchronization
import LeakwardModel
import LeakwardVerification

/// Asks providers whether keys work (`--verify`): the one place where network requests run
/// concurrently. Each secret is asked once per run (the result is cached by its SHA-256), at
/// most `maxConcurrent` requests are in flight, and requests to one host are spaced by
/// `hostInterval` seconds. Nothing here runs unless the user asked for verification.
public struct VerificationRun: Sendable {
    public var catalog: VerifierCatalog
    public var client: HTTPSClient
    /// Loopback test endpoints by verifier id (`LEAKWARD_VERIFY_ENDPOINT_OVERRIDE`).
    public var overrides: [String: URLComponents]
    /// The test CA, used only for loopback overrides.
    public var testCAFile: String?
    public var maxConcurrent: Int
    public var hostInterval: Double
    /// `--verify-db`: database URLs are logged into once. nil (the default): they are never asked.
    public var databases: DatabaseVerification?

    public init(catalog: VerifierCatalog, client: HTTPSClient, overrides: [String: URLComponents] = [:], testCAFile: String? = nil,
                maxConcurrent: Int = 4, hostInterval: Double = 0.25, databases: DatabaseVerification? = nil) {
        self.databases = databases
        self.catalog = catalog
        self.client = client
        self.overrides = overrides
        self.testCAFile = testCAFile
        self.maxConcurrent = maxConcurrent
        self.hostInterval = hostInterval
    }

    /// One secret to ask about.
    struct Job: Sendable {
        var sha256: String
        var spec: VerifierSpec?
        var request: HTTPSRequest?
        /// A database login instead of an HTTPS request (`--verify-db`).
        var database: (spec: DatabaseVerifierSpec, target: DatabaseTarget)?
        /// Why no request could be built (a missing companion value, a host that does not match).
        var refusal: String?
    }

    /// The answers by secret SHA-256, for every finding a verifier knows. Findings without
    /// their raw value (read from a saved report) cannot be verified and are left out.
    public func verify(_ findings: [Finding], now: Date = Date()) -> [String: VerificationResult] {
        let jobs = self.jobs(for: findings, now: now)
        let checkedAt = ISO8601DateFormatter().string(from: now)
        let results = Mutex<[String: VerificationResult]>([:])
        let next = Atomic<Int>(0)
        let limiter = HostLimiter(interval: hostInterval)
        let group = DispatchGroup()
        for _ in 0..<max(1, min(maxConcurrent, jobs.count)) {
            group.enter()
            let thread = Thread { [client] in
                while true {
                    let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard index < jobs.count else { break }
                    let job = jobs[index]
                    let result: VerificationResult
                    if let login = job.database, let options = databases {
                        limiter.wait(for: login.target.host)
                        result = login.spec.verify(login.target, options: options, at: checkedAt)
                    } else if let request = job.request, let spec = job.spec {
                        limiter.wait(for: request.host)
                        result = spec.read(client.send(request), host: request.host, at: checkedAt)
                    } else {
                        result = VerificationResult(status: .unknown, verifier: job.spec?.id ?? "", host: job.spec?.host ?? "", checkedAt: checkedAt,
                                                    detail: job.refusal ?? "not asked")
                    }
                    results.withLock { $0[job.sha256] = result }
                }
                group.leave()
            }
            thread.start()
        }
        group.wait()
        return results.withLock { $0 }
    }

    func jobs(for findings: [Finding], now: Date) -> [Job] {
        var jobs: [Job] = []
        var seen = Set<String>()
        for finding in findings where !finding.secret.bytes.isEmpty && !seen.contains(finding.secretSHA256) {
            guard finding.kind != .publicByDesign else { continue }
            if databases != nil, let url = finding.connectionURL, let target = DatabaseTarget(url: url.revealed),
               let spec = catalog.database(ruleID: finding.ruleID, scheme: target.scheme) {
                seen.insert(finding.secretSHA256)
                jobs.append(Job(sha256: finding.secretSHA256, database: (spec, target)))
                continue
            }
            guard let spec = catalog.verifier(ruleID: finding.ruleID) else { continue }
            seen.insert(finding.secretSHA256)
            var companion: String?
            if let rule = spec.companion {
                // The other half of the credential, from the same file (an AWS key id beside its secret).
                // The key ID found beside this very secret first (`pairedWith`), else any in the file.
                let halves = findings.filter { VerifierCatalog.ruleMatches($0.ruleID, rule) && $0.location.origin == finding.location.origin && !$0.secret.bytes.isEmpty }
                companion = (halves.first { $0.pairedWith == finding.secretSHA256 } ?? halves.first)?.secret.revealed
            }
            do {
                let request = try spec.request(for: VerificationSubject(secret: finding.secret.revealed, companion: companion),
                                               override: overrides[spec.id], testCAFile: testCAFile, now: now)
                jobs.append(Job(sha256: finding.secretSHA256, spec: spec, request: request))
            } catch {
                jobs.append(Job(sha256: finding.secretSHA256, spec: spec, refusal: "not asked: \(error)"))
            }
        }
        return jobs
    }
}

/// Spaces requests to one host: each caller reserves the next free slot and sleeps until it.
final class HostLimiter: Sendable {
    let interval: Double
    let nextFree = Mutex<[String: Double]>([:])

    init(interval: Double) { self.interval = interval }

    func wait(for host: String) {
        let now = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
        let slot = nextFree.withLock { table -> Double in
            let slot = max(now, table[host] ?? 0)
            table[host] = slot + interval
            return slot
        }
        if slot > now { usleep(UInt32(min(slot - now, 60) * 1_000_000)) }
    }
}
