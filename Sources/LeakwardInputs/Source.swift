import LeakwardModel

/// A place that holds blobs: a directory, a repository's history, an in-memory list.
public protocol Source: Sendable {
    /// Lists every input once, recording what it skipped. Runs on one thread.
    func enumerate(into catalog: inout BlobCatalog) throws
    /// Makes a reader for one worker; readers are never shared between threads.
    func makeReader() throws -> any BlobReader
    /// What making this source cost before matching, step by step (a history's planning walk).
    var timings: ScanTimings { get }
}

extension Source {
    public var timings: ScanTimings { ScanTimings() }
}

/// Reads blob bytes for exactly one worker.
public protocol BlobReader {
    mutating func read(_ ref: BlobRef, limit: Int) throws -> Blob
    /// Told after the git blob `id`, read by this reader, was matched and had findings: where
    /// they lie. A reader matching blobs only where they changed matches the blobs built on
    /// it around those places too (`Blob.matchedAround`), so they need no rescan.
    mutating func matched(_ id: ObjectID, places: FindingPlaces)
}

extension BlobReader {
    public mutating func matched(_ id: ObjectID, places: FindingPlaces) {}
}

/// Everything the sources listed, plus what they skipped on the way.
public struct BlobCatalog: Sendable {
    public struct Entry: Sendable {
        public var ref: BlobRef
        /// Index of the source that can read it.
        public var source: Int
        public var size: Int
        /// Set when the file is a framework's build output (client or server side). Boxed:
        /// inline it made every entry of a million-blob history 50 bytes longer.
        public var output: BuildOutputMark? {
            get { outputBox?.mark }
            set { outputBox = newValue.map(OutputBox.init) }
        }
        private var outputBox: OutputBox?

        public init(ref: BlobRef, source: Int, size: Int, output: BuildOutputMark?) {
            self.ref = ref
            self.source = source
            self.size = size
            self.outputBox = output.map(OutputBox.init)
        }
    }

    final class OutputBox: Sendable {
        let mark: BuildOutputMark
        init(_ mark: BuildOutputMark) { self.mark = mark }
    }

    public private(set) var entries: [Entry] = []
    public private(set) var issues: [ScanIssue] = []
    /// Index of the source currently enumerating.
    public var currentSource = 0

    public init() {}

    /// Room for `count` more entries, so a walk's assembly never regrows the table.
    public mutating func reserve(_ count: Int) { entries.reserveCapacity(entries.count + count) }

    public mutating func add(_ ref: BlobRef, size: Int, output: BuildOutputMark? = nil) {
        entries.append(Entry(ref: ref, source: currentSource, size: size, output: output))
    }

    public mutating func record(_ issue: ScanIssue) { issues.append(issue) }

    /// Paths a config's allowlist kept out: allowed, so counted as such, never silently gone.
    public private(set) var allowlistedPaths = 0

    public mutating func countAllowlisted(_ count: Int = 1) { allowlistedPaths += count }
}

/// Why a blob could not be read.
public enum ReadError: Error, CustomStringConvertible {
    case io(path: String, message: String)
    case tooLarge(path: String, size: Int, limit: Int)
    /// Deliberately not scanned (a Git LFS pointer); recorded as skipped with this reason.
    case skipped(path: String, reason: String)

    public var description: String {
        switch self {
        case .io(_, let message): message
        case .tooLarge(_, let size, let limit): "\(size) bytes is over the \(limit)-byte limit (--max-file-size)"
        case .skipped(_, let reason): reason
        }
    }
}
