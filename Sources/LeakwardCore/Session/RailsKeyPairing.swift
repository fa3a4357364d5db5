import Foundation
import LeakwardInputs
import LeakwardModel
import LeakwardVerification

/// Pairs a Rails master key with the credentials file it decrypts: one credential whose
/// exposure says which file it opens. A `config/master.key` (or `config/credentials/<env>.key`)
/// is looked up beside its `credentials.yml.enc` in the same place: the scanned directory for
/// a working-tree file, the tree of the same commit for a history blob. A `RAILS_MASTER_KEY`
/// set elsewhere (an env file, CI config) is paired with the app's `config/credentials.yml.enc`
/// only when it opens it. The key is then tried on the file offline (`RailsCredentialsCipher`).
///
/// Runs once after the scan on the few findings of the master-key rule: the facts it needs
/// (a sibling's presence in a commit's tree) are not the blob's own, so no worker has them.
struct RailsKeyPairing {
    static let ruleID = "session.rails-master-key"
    /// Credentials files are a few KiB; anything far larger is not one.
    static let maxFileSize = 1 << 20

    /// Repositories opened so far, by the root the findings name.
    private var repositories: [String: GitRepository?] = [:]

    mutating func pair(_ findings: [Finding]) -> [Finding] {
        guard findings.contains(where: { $0.ruleID == RailsKeyPairing.ruleID }) else { return findings }
        return findings.map { finding in
            guard finding.ruleID == RailsKeyPairing.ruleID, finding.location.members.isEmpty,
                  let sibling = sibling(of: finding) else { return finding }
            var paired = finding
            paired.decrypts = sibling
            paired.notes.append(sibling.sentence)
            return paired
        }
    }

    mutating func sibling(of finding: Finding) -> EncryptedSibling? {
        let location = finding.location
        let keyPath = location.origin.path
        let isKeyFile = RailsKeyFile.isKeyFile(keyPath)
        // A key set by name elsewhere proves nothing by its place: only an opened file counts.
        let path = RailsKeyFile.encryptedSibling(of: keyPath) ?? "config/credentials.yml.enc"
        let key = finding.secret.revealed
        let found: EncryptedSibling?
        switch location.origin {
        case .file(let root, _):
            found = read(onDisk: root, path).map { EncryptedSibling(path: path, place: .workingTree, check: check($0, key: key)) }
        case .history(let root, _):
            guard let commit = location.commit else { return nil }
            var inCommit: EncryptedSibling?
            for id in [commit.id, commit.lastCommit].compactMap({ $0 }) {
                guard let bytes = read(inCommit: id, of: root, path) else { continue }
                inCommit = EncryptedSibling(path: path, place: .sameCommit, check: check(bytes, key: key), commit: id)
                break
            }
            found = inCommit
        case .commitMessage, .unreachableBlob:
            return nil
        }
        guard let found, isKeyFile || found.check == .opens else { return nil }
        return found
    }

    func check(_ file: [UInt8], key: String) -> EncryptedSibling.Check {
        switch RailsCredentialsCipher.open(file, hexKey: key) {
        case .opens: .opens
        case .refuses: .refuses
        case .notRailsFormat: .unchecked
        }
    }

    func read(onDisk root: String, _ path: String) -> [UInt8]? {
        let full = root == "." || root.isEmpty ? path : (root.hasSuffix("/") ? root + path : root + "/" + path)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: full),
              attributes[.type] as? FileAttributeType == .typeRegular,
              (attributes[.size] as? Int ?? 0) <= RailsKeyPairing.maxFileSize else { return nil }
        return FileManager.default.contents(atPath: full).map(Array.init)
    }

    mutating func read(inCommit commit: ObjectID, of root: String, _ path: String) -> [UInt8]? {
        if repositories[root] == nil { repositories[root] = .some(GitRepository.discover(containing: root)) }
        guard let repository = repositories[root] ?? nil,
              let bytes = (try? repository.fileBytes(atPath: path, inRevision: commit.description)) ?? nil,
              bytes.count <= RailsKeyPairing.maxFileSize else { return nil }
        return bytes
    }
}
