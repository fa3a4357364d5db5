/// Rails' encrypted credentials: a key file (`config/master.key`, or
/// `config/credentials/<env>.key` for per-environment credentials) and the file it decrypts
/// beside it (`config/credentials.yml.enc`, `config/credentials/<env>.yml.enc`). Paths only:
/// which files pair up, wherever the app sits in the repository.
public enum RailsKeyFile {
    /// The encrypted file `keyPath` opens, at the same place (`app/config/master.key` →
    /// `app/config/credentials.yml.enc`), or nil when `keyPath` is no Rails key file.
    public static func encryptedSibling(of keyPath: String) -> String? {
        let parts = keyPath.split(separator: "/", omittingEmptySubsequences: false)
        guard let name = parts.last else { return nil }
        let folder = parts.dropLast().map { $0 + "/" }.joined()
        if name == "master.key" { return folder + "credentials.yml.enc" }
        guard parts.count >= 2 else { return nil }
        // `config/credentials/production.key` → `config/credentials/production.yml.enc`.
        if parts[parts.count - 2] == "credentials", name.hasSuffix(".key"), name.count > 4,
           name.dropLast(4).allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) {
            return folder + name.dropLast(4) + ".yml.enc"
        }
        return nil
    }

    /// Whether `path` is a Rails key file: its whole content is the key.
    public static func isKeyFile(_ path: String) -> Bool { encryptedSibling(of: path) != nil }
}

/// The encrypted file a key opens, found beside the key: where, and whether the key was
/// shown to open it.
public struct EncryptedSibling: Sendable, Codable, Hashable {
    public enum Place: String, Sendable, Codable {
        /// Beside the key file in the scanned directory.
        case workingTree = "working-tree"
        /// In the tree of the commit the key was first seen in (or the last one holding it).
        case sameCommit = "same-commit"
    }

    /// The key's answer, checked offline.
    public enum Check: String, Sendable, Codable {
        /// The key decrypted it (the authentication tag verified).
        case opens
        /// The file is in the format but this key does not open it.
        case refuses
        /// Not read or not in the format: present, nothing more is known.
        case unchecked
    }

    /// Relative to the scanned directory or repository.
    public var path: String
    public var place: Place
    public var check: Check
    /// The commit whose tree held it (`sameCommit`).
    public var commit: ObjectID?

    public init(path: String, place: Place, check: Check, commit: ObjectID? = nil) {
        self.path = path
        self.place = place
        self.check = check
        self.commit = commit
    }

    /// One clause for reports, with no secret in it.
    public var sentence: String {
        let file = "`\(path)`"
        let here = place == .workingTree ? "beside it in the working tree" : "present in the same commit (\(commit?.short ?? "?"))"
        switch check {
        case .opens:
            return "decrypts \(file), \(here): checked offline, the key opens it, so every secret inside is exposed with it"
        case .refuses:
            return "\(file) is \(here), but this key does not open it (another key's file)"
        case .unchecked:
            return "decrypts \(file), \(here) (not checked: the file is not in Rails' format)"
        }
    }
}
