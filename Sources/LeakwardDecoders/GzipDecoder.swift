import LeakwardModel

/// Inflates gzip (by magic bytes or a `.gz`/`.tgz` name; every member of a multi-member file)
/// and zlib streams (by their two-byte header).
public struct GzipDecoder: ContentDecoder {
    public let kind = DecoderKind.gzip
    public var wholeBlobNeed: WholeBlobNeed { .names(endingIn: [".gz", ".tgz"]) }

    public init() {}

    public func decode(_ chunk: Chunk, limits: DecodeLimits) -> Decoded {
        let bytes = chunk.bytes
        let isGzip = bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
        let isZlib = !isGzip && GzipDecoder.hasZlibHeader(bytes)
        if !isGzip && !isZlib {
            let name = chunk.fileName
            guard name.hasSuffix(".gz") || name.hasSuffix(".tgz") else { return .none }
            return Decoded(problems: [DecodeProblem(chunk, .corrupt("named like gzip but has no gzip header"))])
        }
        let stepName: DecoderKind = isGzip ? .gzip : .zlib
        var output: [UInt8] = []
        var problem: DecodeError?
        do throws(DecodeError) {
            let inflater = try Inflater(windowBits: Inflater.autoDetect)
            var offset = 0
            var members = 0
            while offset < bytes.count {
                let (ending, used) = bytes.withUnsafeBufferPointer { all in
                    inflater.inflate(UnsafeBufferPointer(rebasing: all[offset...]), into: &output, cap: limits.remainingBytes)
                }
                offset += used
                members += 1
                switch ending {
                case .streamEnd:
                    // Another gzip member may follow (`cat a.gz b.gz`); anything else is trailing padding.
                    guard isGzip, offset + 1 < bytes.count, bytes[offset] == 0x1F, bytes[offset + 1] == 0x8B else {
                        offset = bytes.count
                        break
                    }
                    inflater.reset()
                case .truncated:
                    problem = .corrupt("\(stepName) stream is truncated after \(ByteCount(output.count)) of output; the part before was scanned")
                    offset = bytes.count
                case .capped:
                    problem = limits.exhausted
                    offset = bytes.count
                case .corrupt(let message):
                    problem = .corrupt("\(stepName) data is damaged (\(message)) after \(ByteCount(output.count)) of output; the part before was scanned")
                    offset = bytes.count
                }
            }
        } catch {
            problem = error
        }
        var decoded = Decoded()
        if !output.isEmpty { decoded.chunks.append(chunk.derived(output, step: DecodeStep(stepName))) }
        if let problem { decoded.problems.append(DecodeProblem(chunk, problem)) }
        return decoded
    }

    /// A zlib header: deflate method, a window of at most 32 KB, a valid check value, and a
    /// second byte that is not printable (so text starting `x^` is not taken for zlib).
    static func hasZlibHeader(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 8 else { return false }
        let cmf = Int(bytes[0]), flg = Int(bytes[1])
        return cmf == 0x78 && [0x01, 0x9C, 0xDA].contains(flg) && (cmf * 256 + flg) % 31 == 0
    }
}
