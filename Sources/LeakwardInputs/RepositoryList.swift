import Foundation

/// The repositories of an organisation-wide scan, one work tree or bare repository per line,
/// and the shard each belongs to. A cluster scheduler (a Kubernetes Indexed Job, a CI matrix)
/// runs one process per shard; `ScanReport.merging` joins their reports.
public struct RepositoryList: Sendable, Equatable {
    /// In the order listed, each once; blank lines and `#` comments left out.
    public let paths: [String]

    public init(text: String) {
        var seen = Set<String>()
        paths = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") && seen.insert($0).inserted }
    }

    /// The shard of `path` among `count`: FNV-1a (64-bit) of its bytes as written, the same on
    /// every machine and in every run (Swift's `Hasher` is seeded per process).
    public static func shard(of path: String, count: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in path.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return Int(hash % UInt64(max(count, 1)))
    }

    /// The repositories of shard `index` (0-based) of `count`.
    public func paths(inShard index: Int, of count: Int) -> [String] {
        paths.filter { RepositoryList.shard(of: $0, count: count) == index }
    }
}

