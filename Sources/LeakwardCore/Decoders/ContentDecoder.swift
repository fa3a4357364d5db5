/// Derives chunks from a chunk (inflate, unpack, unescape, normalise); returns [] when it does not apply.
public protocol ContentDecoder: Sendable {
    /// Short name used in decode chains and error records (`gzip`, `zip`, `sourcemap`).
    var name: String { get }
    func decode(_ chunk: Chunk, limits: DecodeLimits) throws -> [Chunk]
}

/// Bounds on what decoding may produce, so a bomb cannot exhaust memory.
public struct DecodeLimits: Sendable {
    /// Most bytes one decoder may produce from one input.
    public var maxOutputBytes = 256 * 1024 * 1024
    /// Output/input ratio allowed beyond `ratioFloorBytes` of output.
    public var maxRatio = 100
    public var ratioFloorBytes = 10 * 1024 * 1024
    /// Most members read from one archive.
    public var maxEntries = 100_000
    /// How many decoders may stack (zip → gzip → base64 …).
    public var maxDepth = 4

    public init() {}

    /// Whether `output` bytes from `input` bytes is still acceptable.
    public func allows(output: Int, input: Int) -> Bool {
        output <= maxOutputBytes && (output <= ratioFloorBytes || output <= max(1, input) * maxRatio)
    }
}

/// Why a decoder gave up on an input.
public enum DecodeError: Error, CustomStringConvertible {
    case corrupt(String)
    case limit(String)

    public var description: String {
        switch self {
        case .corrupt(let message): message
        case .limit(let message): message
        }
    }
}
