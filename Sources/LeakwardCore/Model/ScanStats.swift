/// Counters of one scan, for the report and the benchmark.
public struct ScanStats: Sendable, Codable, Hashable {
    public var filesScanned = 0
    public var blobsScanned = 0
    public var bytesScanned = 0
    public var decodedBuffers = 0
    public var skipped = 0
    public var errors = 0
    public var suppressed = 0
    public var durationSeconds = 0.0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case filesScanned = "files_scanned", blobsScanned = "blobs_scanned", bytesScanned = "bytes_scanned"
        case decodedBuffers = "decoded_buffers", skipped, errors, suppressed, durationSeconds = "duration_seconds"
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
    }
}
