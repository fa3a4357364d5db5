import LeakwardModel

/// Derives chunks from a chunk (inflate, unpack, unescape, normalise); returns nothing when it does not apply.
///
/// A decoder never throws away what it could read: a truncated gzip returns the text inflated so
/// far plus a problem, and a zip with one bad member returns every good member plus a problem for
/// the bad one. The scan records the problems as `ScanIssue`s and matches the chunks.
public protocol ContentDecoder: Sendable {
    /// What decode chains and error records call it (`gzip`, `zip`, `sourcemap`).
    var kind: DecoderKind { get }
    /// Whether the decoder applies to a blob only by its name or by the blob as a whole (a
    /// CI log, a source map, an env file). It is not run on the windows of a blob matched only
    /// where it changed: such a blob was judged whole not to need it (see `DeltaMask`).
    var judgesWholeBlob: Bool { get }
    /// Which blobs the decoder reads as a whole rather than line by line. A history blob it
    /// may read whole is never matched only where it changed: the partial-matching policy
    /// (`PartialMatching`) is built from every decoder's answer, so there is no list of names
    /// elsewhere to forget. No default, so a new decoder has to say (`.none`: line by line).
    var wholeBlobNeed: WholeBlobNeed { get }
    /// False only when `decode` derives nothing from any chunk at this place (its names and
    /// decode steps, asked of a chunk with no bytes): the windows of one history blob share
    /// a place, so a decoder that reads only some file names is asked once per blob, not per window.
    func mayDecode(at place: Chunk) -> Bool
    func decode(_ chunk: Chunk, limits: DecodeLimits) -> Decoded
    /// `decode` for a window of a history blob matched only where it changed. Such a blob
    /// met none of this decoder's `wholeBlobNeed` (its name, its markers anywhere in it), so
    /// a decoder may leave out here what only those could start.
    func decode(window chunk: Chunk, limits: DecodeLimits) -> Decoded
}

extension ContentDecoder {
    public var judgesWholeBlob: Bool { false }
    public func mayDecode(at place: Chunk) -> Bool { true }
    public func decode(window chunk: Chunk, limits: DecodeLimits) -> Decoded { decode(chunk, limits: limits) }
}

/// What makes a decoder read a blob as a whole: its name (an archive, a compressed file, a
/// source map, an env file, a log, a credential file) or a marker anywhere in its text (a
/// Kubernetes `Secret`, an inline source map). A decoder that reads each line by itself
/// decodes a window of lines as it decodes those lines of the whole blob, and needs neither.
public struct WholeBlobNeed: Sendable {
    /// Whether a blob is read whole by its name, asked of a chunk with no bytes at the blob's path.
    public var byName: @Sendable (Chunk) -> Bool
    /// Lower-case text that makes the decoder read the whole blob wherever it sits.
    public var markers: [String]

    public init(byName: @escaping @Sendable (Chunk) -> Bool = { _ in false }, markers: [String] = []) {
        self.byName = byName
        self.markers = markers
    }

    /// Reads each line by itself.
    public static let none = WholeBlobNeed()

    /// Reads blobs whose name ends in one of `suffixes` (lower case) whole.
    public static func names(endingIn suffixes: [String], markers: [String] = []) -> WholeBlobNeed {
        WholeBlobNeed(byName: { $0.nameHasSuffix(suffixes) }, markers: markers)
    }
}

/// What one decoder derived from one chunk.
public struct Decoded: Sendable {
    public var chunks: [Chunk]
    public var problems: [DecodeProblem]
    /// The derived chunk says everything the input said, byte for byte in place (a CI log with
    /// its colour codes blanked): matching the input too would only add noisy duplicates.
    public var supersedesInput: Bool

    public init(chunks: [Chunk] = [], problems: [DecodeProblem] = [], supersedesInput: Bool = false) {
        self.chunks = chunks
        self.problems = problems
        self.supersedesInput = supersedesInput
    }

    /// The decoder does not apply to this chunk.
    public static let none = Decoded()

    /// Total bytes of the derived chunks: what they cost against the blob's decode budget.
    public var byteCount: Int { chunks.reduce(0) { $0 + $1.bytes.count } }
}

/// Something a decoder could not read, with the members of the chunk (or of the member) it
/// concerns; the scan records it under the blob's origin.
public struct DecodeProblem: Sendable, Hashable {
    public var members: [String]
    public var error: DecodeError

    public init(members: [String], _ error: DecodeError) {
        self.members = members
        self.error = error
    }

    /// A problem with `chunk` itself, or with its member `member`.
    public init(_ chunk: Chunk, member: String? = nil, _ error: DecodeError) {
        self.init(members: member.map { chunk.members + [$0] } ?? chunk.members, error)
    }
}

/// Bounds on what decoding may produce, so a bomb cannot exhaust memory.
///
/// The byte limits apply to one blob's whole decode tree: every chunk decoded from a blob, at
/// every depth, spends from one allowance, so a zip of zips cannot multiply its way past them.
public struct DecodeLimits: Sendable {
    /// Most bytes decoding may produce from one blob.
    public var maxOutputBytes = 256 * 1024 * 1024
    /// Output/input ratio allowed beyond `ratioFloorBytes` of output.
    public var maxRatio = 100
    public var ratioFloorBytes = 10 * 1024 * 1024
    /// Most members read from one archive.
    public var maxEntries = 100_000
    /// How many decoders may stack (zip → gzip → base64 …).
    public var maxDepth = 4
    /// Bytes the current blob may still decode to; set by the scan from the two limits above.
    public var remainingBytes = Int.max
    /// Which limit `remainingBytes` comes from, for error messages: worked out when a message
    /// needs it, not for every blob (formatting byte counts cost more than many blobs' matching).
    public var remainingReason: String {
        switch remainingSource {
        case .output: "the output limit"
        case .ratio(let ratio, let size, let allowed):
            "the \(ratio):1 ratio limit (\(ByteCount(allowed)) from \(ByteCount(size)))"
        case .perFile(let bytes): "the \(ByteCount(bytes)) per-file limit"
        }
    }
    private enum Source: Sendable { case output, ratio(Int, size: Int, allowed: Int), perFile(Int) }
    private var remainingSource = Source.output

    public init() {}

    /// Whether `output` bytes from `input` bytes is still acceptable.
    public func allows(output: Int, input: Int) -> Bool {
        output <= maxOutputBytes && (output <= ratioFloorBytes || output <= max(1, input) * maxRatio)
    }

    /// These limits with the allowance for one blob of `size` bytes.
    public func forBlob(size: Int) -> DecodeLimits {
        var limits = self
        let byRatio = max(ratioFloorBytes, size.multipliedReportingOverflow(by: maxRatio).partialValue)
        if byRatio < maxOutputBytes {
            limits.remainingBytes = byRatio
            limits.remainingSource = .ratio(maxRatio, size: size, allowed: byRatio)
        } else {
            limits.remainingBytes = maxOutputBytes
            limits.remainingSource = .perFile(maxOutputBytes)
        }
        return limits
    }

    /// The error a decoder reports when it stops at `remainingBytes`.
    public var exhausted: DecodeError {
        .limit("stopped after \(ByteCount(remainingBytes)) of output: \(remainingReason); the rest was not scanned")
    }
}

/// Why a decoder gave up on (part of) an input.
public enum DecodeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The input is damaged: truncated, bad checksum, bad header.
    case corrupt(String)
    /// A limit stopped decoding (bomb defence).
    case limit(String)
    /// The input is suspicious on purpose (a `../` member path, overlapping zip members).
    case unsafe(String)
    /// A part the decoder cannot read by design (an encrypted zip member, an unknown method): skipped.
    case unsupported(String)

    public var description: String {
        switch self {
        case .corrupt(let message), .limit(let message), .unsafe(let message), .unsupported(let message): message
        }
    }
}

/// A byte count printed for people: `512 B`, `42.0 KB`, `10.0 MB`.
struct ByteCount: CustomStringConvertible {
    let value: Int
    init(_ value: Int) { self.value = value }

    var description: String {
        if value < 1024 { return "\(value) B" }
        if value < 1024 * 1024 { return "\(tenths(Double(value) / 1024)) KB" }
        if value < 1024 * 1024 * 1024 { return "\(tenths(Double(value) / 1_048_576)) MB" }
        return "\(tenths(Double(value) / 1_073_741_824)) GB"
    }

    private func tenths(_ x: Double) -> String {
        let t = Int((x * 10).rounded())
        return "\(t / 10).\(t % 10)"
    }
}
