import LeakwardFindings
import LeakwardModel
import LeakwardSupport

/// Runs once after the scan: tests the password hashes `DefaultPasswordHashes` schedules
/// against the well-known default passwords, on `workers` threads (`Parallel.run`, each worker
/// with its own `PasswordHashVerifier`), and reports the files whose hashes are all defaults at
/// info. After the scan, not in the filter: whether a file holds only defaults is a fact about
/// all its hashes, and one budget per scan, counted in a fixed order, keeps the report
/// independent of which worker met which blob first.
struct DefaultPasswordCheck {
    var policy: DefaultPasswordHashes = .bundled
    var workers: Int

    func judge(_ findings: [Finding]) -> [Finding] {
        let hashes = policy.schedule(findings)
        guard !hashes.isEmpty else { return findings }
        let passwords = policy.passwords
        let found = Parallel.run(pieces: hashes.count, workers: workers,
                                 start: { (verifier: PasswordHashVerifier(), matches: [String: String]()) },
                                 piece: { worker, index in
                                     let hash = hashes[index]
                                     if let password = passwords.first(where: { worker.verifier.matches($0, hash: hash) }) {
                                         worker.matches[hash] = password
                                     }
                                 },
                                 finish: { $0.matches })
        var matches: [String: String] = [:]
        for part in found { matches.merge(part) { first, _ in first } }
        return policy.judged(findings, matches: matches)
    }
}
