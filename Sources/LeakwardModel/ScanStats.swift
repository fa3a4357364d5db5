/// Counters of one scan, for the report and the benchmark.
public struct ScanStats: Sendable, Codable, Hashable {
    public var filesScanned = 0
    public var blobsScanned = 0
    public var bytesScanned = 0
    public var decodedBuffers = 0
    public var skipped = 0
    public var errors = 0
    public var suppressed = 0
    /// Findings left out because the baseline (`--baseline`) already lists them.
    public var baselined = 0
    /// Files, directories and history blobs not read because a config's allowlist paths name them.
    public var allowlistedPaths = 0
    public var durationSeconds = 0.0

    public init() {}

    public enum CodingKeys: String, CodingKey {
        case filesScanned = "files_scanned", blobsScanned = "blobs_scanned", bytesScanned = "bytes_scanned"
        case decodedBuffers = "decoded_buffers", skipped, errors, suppressed, baselined, durationSeconds = "duration_seconds"
        case allowlistedPaths = "allowlisted_paths"
    }

    /// Reads reports written before a counter existed (missing counters are zero).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        filesScanned = try c.decodeIfPresent(Int.self, forKey: .filesScanned) ?? 0
        blobsScanned = try c.decodeIfPresent(Int.self, forKey: .blobsScanned) ?? 0
        bytesScanned = try c.decodeIfPresent(Int.self, forKey: .bytesScanned) ?? 0
        decodedBuffers = try c.decodeIfPresent(Int.self, forKey: .decodedBuffers) ?? 0
        skipped = try c.decodeIfPresent(Int.self, forKey: .skipped) ?? 0
        errors = try c.decodeIfPresent(Int.self, forKey: .errors) ?? 0
        suppressed = try c.decodeIfPresent(Int.self, forKey: .suppressed) ?? 0
        baselined = try c.decodeIfPresent(Int.self, forKey: .baselined) ?? 0
        allowlistedPaths = try c.decodeIfPresent(Int.self, forKey: .allowlistedPaths) ?? 0
        durationSeconds = try c.decodeIfPresent(Double.self, forKey: .durationSeconds) ?? 0
    }

    /// Adds a worker's counters.
    public mutating func merge(_ other: ScanStats) {
        filesScanned += other.filesScanned
        blobsScanned += other.blobsScanned
        bytesScanned += other.bytesScanned
        decodedBuffers += other.decodedBuffers
        skipped += other.skipped
        errors += other.errors
        suppressed += other.suppressed
        baselined += other.baselined
        allowlistedPaths += other.allowlistedPaths
    }
}
