import LeakwardDecoders
import LeakwardFindings
import LeakwardModel
import LeakwardSupport

/// How to run one scan. Progress and cancellation come in here, never through globals.
public struct ScanOptions: Sendable {
    public var workerCount: Int
    public var maxFileSize: Int
    public var decodeLimits = DecodeLimits()
    public var decoders: [any ContentDecoder]
    /// Regexes that allow a secret anywhere (project config).
    public var allowlistRegexes: [String] = []
    /// Root (as given) → its place under the gitleaks config's directory, for path regexes.
    public var allowlistBases: [String: String] = [:]
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
    /// Keep what working-tree sources listed (`Outcome.treeListings`), for the project facts.
    public var keepsTreeListings = false

    public init(workerCount: Int = ScanOptions.defaultWorkerCount, maxFileSize: Int = 100 * 1024 * 1024,
                decoders: [any ContentDecoder] = []) {
        self.workerCount = max(1, workerCount)
        self.maxFileSize = maxFileSize
        self.decoders = decoders
    }

    public static var defaultWorkerCount: Int { ProcessInfoCores.workerCount }
}
