import CCrypt

/// Tests a password against a crypt-style password hash with libxcrypt's reentrant `crypt_rn`:
/// bcrypt (`$2a$`, `$2b$`, `$2y$`), sha512crypt (`$6$`), sha256crypt (`$5$`), md5crypt (`$1$`)
/// and yescrypt (`$y$`). htpasswd's `$apr1$` (md5crypt with another magic) is not libxcrypt's and
/// is not tested: no MD5 is at hand in this module.
///
/// One verifier per worker: `crypt_rn` keeps its state in the `struct crypt_data` it is given
/// (about 32 KB, so it lives on the heap, never a worker's stack), which makes calls on
/// different verifiers safe on different threads.
public final class PasswordHashVerifier {
    private let data: UnsafeMutableRawPointer
    private let size = MemoryLayout<crypt_data>.size

    public init() {
        data = UnsafeMutableRawPointer.allocate(byteCount: MemoryLayout<crypt_data>.size, alignment: MemoryLayout<crypt_data>.alignment)
        // libxcrypt asks for a zeroed structure before its first use.
        data.initializeMemory(as: UInt8.self, repeating: 0, count: size)
    }

    deinit { data.deallocate() }

    /// Whether `password` hashes to `hash` (the whole hash string, its setting included).
    /// False for a hash libxcrypt cannot read.
    public func matches(_ password: String, hash: String) -> Bool {
        crypt(password, setting: hash) == hash
    }

    /// `password` hashed with `setting` (a method's prefix, its cost and salt, or a whole hash
    /// whose setting is reused); nil when libxcrypt cannot read the setting. Tests make their
    /// hashes with it.
    public func crypt(_ password: String, setting: String) -> String? {
        let output = password.withCString { phrase in
            setting.withCString { setting in
                crypt_rn(phrase, setting, data, Int32(size)).map { String(cString: $0) }
            }
        }
        // A failed call returns nil, or (for some settings) a string starting with `*`.
        guard let output, !output.hasPrefix("*") else { return nil }
        return output
    }
}

/// What one test of a password against a hash costs, in units of one bcrypt test at cost 4
/// (about a millisecond): a scan's budget of such tests is counted before any runs, so which
/// hashes are tested never depends on timing. Nil: not tested (a format libxcrypt does not
/// read, or one set slower than a seeded default ever is).
public enum PasswordHashWork {
    /// bcrypt's cost doubles its work per step; defaults are 10 to 12, so above 12 is skipped.
    public static let maxBcryptCost = 12
    /// sha-crypt's rounds (5000 by default); above this, skipped.
    public static let maxShaRounds = 1_000_000

    public static func units(of hash: String) -> Int? {
        let bytes = Array(hash.utf8)
        func field(_ index: Int) -> Substring? {
            let parts = hash.split(separator: "$", omittingEmptySubsequences: false)
            return index < parts.count ? parts[index] : nil
        }
        guard bytes.first == UInt8(ascii: "$"), let id = field(1) else { return nil }
        switch id {
        case "2a", "2b", "2y":
            guard let costText = field(2), let cost = Int(costText), (4...maxBcryptCost).contains(cost) else { return nil }
            return 1 << (cost - 4)
        case "5", "6":
            var rounds = 5000
            if let spec = field(2), spec.hasPrefix("rounds=") {
                guard let given = Int(spec.dropFirst("rounds=".count)), given <= maxShaRounds else { return nil }
                rounds = given
            }
            return 1 + rounds / 50_000
        case "1":
            return 1
        case "y":
            // yescrypt's parameters: only libxcrypt's default (`j9T`, what mkpasswd and Debian
            // write) and cheaper settings; a tuned one may ask for much more memory and time.
            guard let params = field(2), params.count == 3, params.hasPrefix("j"), params.hasSuffix("T"),
                  let n = params.dropFirst().first, "./0123456789".contains(n) else { return nil }
            return 64
        default:
            return nil
        }
    }
}
