/// Where a running scan is.
public struct ScanProgress: Sendable {
    /// The phases of one scan, in order; each is shown as soon as it starts.
    public enum Phase: Int, Sendable {
        case listing, walkingHistory, matching, provenance, writing
    }

    public var phase: Phase
    /// Inputs (or, while walking history, commits) done and in all.
    public var done: Int
    public var total: Int
    /// Bytes matched so far.
    public var bytes: Int
    /// Bytes to match in all, when known (every input a file on disk, whose size the listing
    /// read); 0 when not (history blobs' sizes are known only once read).
    public var totalBytes: Int
    /// Seconds since matching started: the rate and the one ETA come from it.
    public var seconds: Double
    /// Blobs matched again in full after matching (their base had findings): part of matching.
    public var rescanDone: Int
    public var rescanTotal: Int
    /// Seconds since the first rescan round started: the ETA goes on from its rate.
    public var rescanSeconds: Double

    public init(phase: Phase, done: Int = 0, total: Int = 0, bytes: Int = 0, totalBytes: Int = 0, seconds: Double = 0,
                rescanDone: Int = 0, rescanTotal: Int = 0, rescanSeconds: Double = 0) {
        self.phase = phase
        self.done = done
        self.total = total
        self.bytes = bytes
        self.totalBytes = totalBytes
        self.seconds = seconds
        self.rescanDone = rescanDone
        self.rescanTotal = rescanTotal
        self.rescanSeconds = rescanSeconds
    }
}
