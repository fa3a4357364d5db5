import CDeflate
import CZlib

/// One zlib inflate stream, owned: the `z_stream` lives on the heap so zlib's internal
/// back-pointer stays valid, and it is freed in `deinit`.
public final class Inflater {
    /// How a call to `inflate` ended.
    public enum Ending: Equatable {
        /// The stream's end marker was reached.
        case streamEnd
        /// The input ran out before the end marker.
        case truncated
        /// The output reached the cap; decoding stopped there.
        case capped
        /// zlib reported damaged data.
        case corrupt(String)
    }

    /// Window bits: 47 detects gzip or zlib headers, -15 reads raw deflate (zip members).
    static let autoDetect: Int32 = 47
    public static let raw: Int32 = -15

    private let stream: UnsafeMutablePointer<z_stream>
    private let windowBits: Int32

    public init(windowBits: Int32) throws(DecodeError) {
        self.windowBits = windowBits
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = czlib_inflate_init2(stream, windowBits)
        guard status == Z_OK else {
            stream.deallocate()
            throw .corrupt("zlib could not start (\(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    /// Starts a new stream with the same settings (the next member of a multi-member gzip).
    func reset() { inflateReset2(stream, windowBits) }

    /// Inflates from `input`, appending to `output` until the stream ends, the input runs
    /// out, or `output` reaches `cap` bytes. Returns how it ended and the input bytes used.
    public func inflate(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8], cap: Int) -> (Ending, consumed: Int) {
        guard let base = input.baseAddress, !input.isEmpty else { return (.truncated, 0) }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base)
        stream.pointee.avail_in = 0
        var consumed = 0
        let step = 1 << 16
        var scratch = [UInt8](repeating: 0, count: step)
        while true {
            if stream.pointee.avail_in == 0 && consumed < input.count {
                // avail_in is 32-bit: feed a huge input in slices.
                let slice = min(input.count - consumed, Int(UInt32.max / 2))
                stream.pointee.next_in = UnsafeMutablePointer(mutating: base + consumed)
                stream.pointee.avail_in = UInt32(slice)
                consumed += slice
            }
            let room = min(step, cap - output.count)
            if room <= 0 { return (.capped, consumed - Int(stream.pointee.avail_in)) }
            let status: Int32 = scratch.withUnsafeMutableBufferPointer { out in
                stream.pointee.next_out = out.baseAddress
                stream.pointee.avail_out = UInt32(room)
                return CZlib.inflate(stream, Z_NO_FLUSH)
            }
            let produced = room - Int(stream.pointee.avail_out)
            output.append(contentsOf: scratch[0..<produced])
            let used = consumed - Int(stream.pointee.avail_in)
            switch status {
            case Z_STREAM_END:
                return (.streamEnd, used)
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                // No progress possible: the input is exhausted before the end marker.
                if stream.pointee.avail_in == 0 && consumed >= input.count { return (.truncated, used) }
                if produced == 0 { return (.corrupt("inflate made no progress"), used) }
            case Z_NEED_DICT:
                return (.corrupt("the stream needs a preset dictionary"), used)
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "error \(status)"
                return (.corrupt(message), used)
            }
        }
    }

    /// Inflates exactly `size` bytes from a stream starting at `input` (the whole output in one
    /// call, no scratch copy): for git pack objects, whose inflated size the pack states. Nil
    /// when the stream does not end exactly there or is damaged.
    public func inflate(exactly size: Int, from input: UnsafeRawBufferPointer) -> [UInt8]? {
        guard let base = input.baseAddress else { return nil }
        reset()
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self))
        stream.pointee.avail_in = UInt32(min(input.count, Int(UInt32.max)))
        var status: Int32 = Z_OK
        let result = [UInt8](unsafeUninitializedCapacity: max(size, 1)) { out, initialized in
            stream.pointee.next_out = out.baseAddress
            stream.pointee.avail_out = UInt32(size)
            status = CZlib.inflate(stream, Z_FINISH)
            initialized = size - Int(stream.pointee.avail_out)
        }
        // An empty object may stop before zlib consumed its end marker (Z_BUF_ERROR).
        guard status == Z_STREAM_END || (status == Z_BUF_ERROR && size == 0), result.count == size else { return nil }
        return result
    }
}

/// Raw DEFLATE decoded whole by libdeflate, for streams whose inflated size is known up
/// front (git pack objects): about 1.5 times zlib's speed on the objects of a Rails pack,
/// which a history scan inflates 2.5 million times. One per thread (it holds scratch tables).
public final class WholeInflater {
    private let decompressor: OpaquePointer

    public init() throws(DecodeError) {
        guard let made = libdeflate_alloc_decompressor() else { throw .corrupt("libdeflate could not start") }
        decompressor = made
    }

    deinit { libdeflate_free_decompressor(decompressor) }

    /// Exactly `size` bytes from the raw DEFLATE stream at the start of `input` (which may
    /// run on past the stream's end); nil when the stream is damaged or does not decode to
    /// exactly `size` bytes. The same answers as `Inflater.inflate(exactly:from:)`, but that
    /// a stream with content said to be empty is refused (zlib's stops at zero bytes).
    public func inflate(exactly size: Int, from input: UnsafeRawBufferPointer) -> [UInt8]? {
        guard let base = input.baseAddress else { return nil }
        var status = LIBDEFLATE_BAD_DATA
        var produced = 0
        let result = [UInt8](unsafeUninitializedCapacity: max(size, 1)) { out, initialized in
            var read = 0
            status = libdeflate_deflate_decompress_ex(decompressor, base, input.count, out.baseAddress, size, &read, &produced)
            initialized = status == LIBDEFLATE_SUCCESS ? produced : 0
        }
        guard status == LIBDEFLATE_SUCCESS, produced == size else { return nil }
        return result
    }
}
