import LeakwardModel

/// A password hash whose password is a well-known default (`admin`, `changeme`:
/// `[default_passwords]` of rules/context/values.toml) is a project's published default, not a
/// leaked password: a seeded admin row in a schema, the account an Ansible role ships, a demo
/// htpasswd. It is reported at info with the reason, naming the default (public already) and
/// nothing else of the hash.
///
/// Judged per file (one blob, or one working-tree file, with its archive members), never per
/// hash alone, because a real user table holds defaults too (users who never changed theirs):
/// - every distinct hash of the file must be a default, so one real password keeps them all;
/// - a file with more than `maxHashesPerFile` hashes is a user table and is not tested;
/// - program source keeps its severity: a default compiled into code is an account the program
///   creates wherever it runs (a hard-coded admin), not a sample an operator replaces;
/// - only files with a hash that would fail CI are tested, since bcrypt is slow on purpose.
///
/// Testing is two steps so the threads stay with the caller (`LeakwardCore`'s
/// `DefaultPasswordCheck`): `schedule` picks, in a fixed order and within a fixed budget of
/// work (`PasswordHashWork`), the hashes to test; the caller tests them with
/// `PasswordHashVerifier`; `judged` applies what matched. The budget is counted before any test
/// runs, so the report never depends on timing.
public struct DefaultPasswordHashes: Sendable {
    /// The defaults, most common first (a test stops at the first that matches).
    public var passwords: [String]
    public var maxHashesPerFile: Int
    /// Work units (`PasswordHashWork`, about a millisecond each) one scan may spend: 8192 is a
    /// few seconds of one core in the worst case, about six bcrypt hashes of cost 10 tested
    /// against the whole list; what does not fit is not tested and keeps its severity.
    public var budget: Int

    public static let bundled = DefaultPasswordHashes(passwords: ValueSignals.bundled.defaultPasswords,
                                                      maxHashesPerFile: ValueSignals.bundled.defaultPasswordMaxHashesPerFile)

    public init(passwords: [String], maxHashesPerFile: Int, budget: Int = 8192) {
        self.passwords = passwords
        self.maxHashesPerFile = maxHashesPerFile
        self.budget = budget
    }

    /// The reason a finding carries when its hash is of a default.
    public static func reason(password: String) -> String {
        "a hash of the well-known default password \"\(password)\" (a published default, not a leaked password): reported at info"
    }

    /// One file a finding sits in: its blob in a history, its path in a tree, with the members
    /// a decoder opened.
    struct FileKey: Hashable {
        var origin: Origin
        var members: [String]
        var blob: ObjectID?
    }

    /// The files worth testing, in a fixed order, each with its distinct hashes.
    func candidateFiles(_ findings: [Finding]) -> [(key: FileKey, hashes: [String])] {
        var files: [FileKey: (hashes: [String], failsCI: Bool, path: String)] = [:]
        for finding in findings where finding.kind == .passwordHash {
            let location = finding.location
            let key = FileKey(origin: location.origin, members: location.members, blob: location.blob)
            var entry = files[key] ?? ([], false, location.displayPath)
            let hash = String(decoding: finding.secret.bytes, as: UTF8.self)
            if !entry.hashes.contains(hash) { entry.hashes.append(hash) }
            entry.failsCI = entry.failsCI || finding.severity > .info
            files[key] = entry
        }
        return files.filter { _, entry in
            entry.failsCI && entry.hashes.count <= maxHashesPerFile
                && SourceLanguage(path: entry.path) == nil
                && entry.hashes.allSatisfy { PasswordHashWork.units(of: $0) != nil }
        }
        .sorted { ($0.value.path, $0.key.blob?.description ?? "") < ($1.value.path, $1.key.blob?.description ?? "") }
        .map { (key: $0.key, hashes: $0.value.hashes.sorted()) }
    }

    /// The hashes to test, in order: whole files, first to last, while the budget lasts (a
    /// file that does not fit is skipped whole, a later smaller one may still fit). A hash seen
    /// in several files is tested once.
    public func schedule(_ findings: [Finding]) -> [String] {
        guard !passwords.isEmpty, findings.contains(where: { $0.kind == .passwordHash && $0.severity > .info }) else { return [] }
        var scheduled: [String] = [], known: Set<String> = [], spent = 0
        for file in candidateFiles(findings) {
            let new = file.hashes.filter { !known.contains($0) }
            let cost = new.reduce(0) { $0 + (PasswordHashWork.units(of: $1) ?? 0) * passwords.count }
            guard spent + cost <= budget else { continue }
            spent += cost
            scheduled += new
            known.formUnion(new)
        }
        return scheduled
    }

    /// `findings` with the failing hashes of every tested file whose hashes all matched a
    /// default (`matches`: hash → the default it is of) at info, with the reason.
    public func judged(_ findings: [Finding], matches: [String: String]) -> [Finding] {
        guard !matches.isEmpty else { return findings }
        var defaults: Set<FileKey> = []
        for file in candidateFiles(findings) where file.hashes.allSatisfy({ matches[$0] != nil }) { defaults.insert(file.key) }
        guard !defaults.isEmpty else { return findings }
        return findings.map { finding in
            let location = finding.location
            guard finding.kind == .passwordHash, finding.severity > .info,
                  defaults.contains(FileKey(origin: location.origin, members: location.members, blob: location.blob)),
                  let password = matches[String(decoding: finding.secret.bytes, as: UTF8.self)] else { return finding }
            var quiet = finding
            quiet.severity = .info
            quiet.notes.append(DefaultPasswordHashes.reason(password: password))
            return quiet
        }
    }
}
