/// How to run one scan. Progress and cancellation come in here, never through globals.
public struct ScanOptions: Sendable {
    public var workerCount: Int
    public var maxFileSize: Int
    public var decodeLimits = DecodeLimits()
    public var decoders: [any ContentDecoder]
    /// Regexes that allow a secret anywhere (project config).
    public var allowlistRegexes: [String] = []
    /// Called from worker threads with counts so far; must be cheap and thread-safe.
    public var progress: (@Sendable (ScanProgress) -> Void)?
    /// Polled between blobs; when it returns true the scan stops and the report is marked incomplete.
    public var isCancelled: @Sendable () -> Bool = { false }
    /// Seconds one blob may take to decode and match; past it the blob's remaining work is
    /// dropped and the stall reported (PCRE2's match and depth limits bound each regex call,
    /// this bounds the sum).
    public var blobTimeLimit: Double = 60
    /// Config checks run on every text blob (none by default: the CLI passes the built-in set).
    public var checks: CompiledChecks = .none

    public init(workerCount: Int = ScanOptions.defaultWorkerCount, maxFileSize: Int = 100 * 1024 * 1024,
                decoders: [any ContentDecoder] = []) {
        self.workerCount = max(1, workerCount)
        self.maxFileSize = maxFileSize
        self.decoders = decoders
    }

    public static var defaultWorkerCount: Int { max(1, ProcessInfoCores.count) }
}

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
    /// Seconds since matching started: the rate and the one ETA come from it.
    public var seconds: Double
    /// Blobs matched again in full after matching (their base had findings): part of matching.
    public var rescanDone: Int
    public var rescanTotal: Int

    public init(phase: Phase, done: Int = 0, total: Int = 0, bytes: Int = 0, seconds: Double = 0,
                rescanDone: Int = 0, rescanTotal: Int = 0) {
        self.phase = phase
        self.done = done
        self.total = total
        self.bytes = bytes
        self.seconds = seconds
        self.rescanDone = rescanDone
        self.rescanTotal = rescanTotal
    }
}
