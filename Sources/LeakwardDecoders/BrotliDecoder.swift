import CBrotli
import LeakwardModel

/// Decompresses brotli streams. Brotli has no magic bytes, so only `.br` files are tried.
public struct BrotliDecoder: ContentDecoder {
    public let kind = DecoderKind.brotli
    public var wholeBlobNeed: WholeBlobNeed { .names(endingIn: [".br"]) }

    public init() {}

    public func decode(_ chunk: Chunk, limits: DecodeLimits) -> Decoded {
        guard chunk.nameHasSuffix([".br"]), !chunk.bytes.isEmpty else { return .none }
        var output: [UInt8] = []
        let problem = BrotliDecoder.decompress(chunk.bytes, into: &output, limits: limits)
        var decoded = Decoded()
        if !output.isEmpty { decoded.chunks.append(chunk.derived(output, step: DecodeStep(kind))) }
        if let problem { decoded.problems.append(DecodeProblem(chunk, problem)) }
        return decoded
    }

    /// Streams `input` through one decoder instance, 64 KB of output at a time, stopping at the
    /// blob's remaining allowance.
    static func decompress(_ input: [UInt8], into output: inout [UInt8], limits: DecodeLimits) -> DecodeError? {
        guard let state = BrotliDecoderCreateInstance(nil, nil, nil) else { return .corrupt("brotli could not start") }
        defer { BrotliDecoderDestroyInstance(state) }
        let step = 1 << 16
        var scratch = [UInt8](repeating: 0, count: step)
        return input.withUnsafeBufferPointer { source -> DecodeError? in
            var availableIn = source.count
            var nextIn = source.baseAddress
            while true {
                let room = min(step, limits.remainingBytes - output.count)
                if room <= 0 { return limits.exhausted }
                var availableOut = room
                let result = scratch.withUnsafeMutableBufferPointer { out -> BrotliDecoderResult in
                    var nextOut = out.baseAddress
                    return BrotliDecoderDecompressStream(state, &availableIn, &nextIn, &availableOut, &nextOut, nil)
                }
                output.append(contentsOf: scratch[0..<(room - availableOut)])
                switch result {
                case BROTLI_DECODER_RESULT_SUCCESS:
                    return nil
                case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
                    continue
                case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
                    return .corrupt("brotli stream is truncated after \(ByteCount(output.count)) of output; the part before was scanned")
                default:
                    let code = BrotliDecoderGetErrorCode(state)
                    let message = BrotliDecoderErrorString(code).map { String(cString: $0) } ?? "error"
                    return .corrupt("brotli data is damaged (\(message)) after \(ByteCount(output.count)) of output; the part before was scanned")
                }
            }
        }
    }
}
