#if canImport(Glibc)
import Glibc
#endif
/// A buffer to match: a blob's raw bytes, or text a decoder derived from them.
public struct Chunk: Sendable {
    public var bytes: [UInt8]
    /// Path shown for findings in this chunk (`dist.zip!assets/app.js` for an archive member).
    public let path: String
    /// Decoders applied to reach this text from the blob, outermost first.
    public let steps: [DecodeStep]
    /// The name decoders judge this chunk by (see `Chunk.fileName(path:steps:)`), worked out
    /// once: every decoder asks for it on every chunk.
    let fileName: String
    /// `fileName` in lower case.
    let lowercasedName: String
    /// For a window of a blob (history scans match only where a blob changed): its first
    /// byte's offset in the blob, added to findings' offsets.
    public var byteOffset = 0

    public init(bytes: [UInt8], path: String, steps: [DecodeStep] = []) {
        self.bytes = bytes
        self.path = path
        self.steps = steps
        fileName = Chunk.fileName(path: path, steps: steps)
        lowercasedName = fileName.lowercased()
    }

    /// A chunk derived from this one by one more decoding step.
    public func derived(_ bytes: [UInt8], step: DecodeStep, path: String? = nil) -> Chunk {
        Chunk(bytes: bytes, path: path ?? self.path, steps: steps + [step])
    }

    /// Whether the first bytes hold a NUL: such chunks are matched only through a decoder.
    public var looksBinary: Bool {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            return memchr(base, 0, min(buffer.count, 8000)) != nil
        }
    }
}
