#if canImport(Glibc)
import Glibc
#endif

/// The part of a blob that is new relative to the version it replaced: lines whose exact
/// bytes do not occur in the base, widened by whole lines to at least `margin` bytes on
/// each side (so a secret that starts or ends near an edit is still matched whole). Every
/// other line is blanked to spaces (and the tail after the last kept line cut off), keeping
/// offsets, lines and columns of the real blob.
enum NovelLines {
    /// Bytes of context kept on each side of a new line.
    static let margin = 1024

    /// The hashes of every line of `bytes`.
    static func lineHashes(_ bytes: [UInt8]) -> LineHashSet {
        var known = LineHashSet(capacity: bytes.count / 32)
        bytes.withUnsafeBufferPointer { forEachLine($0) { known.insert(hash($0)) } }
        return known
    }

    /// `blob` with the lines whose hash is in `known` (the base's lines) blanked, or nil when
    /// that would not save work (binary content, or most of the blob is new); and, when
    /// `wantsHashes`, the hashes of the blob's own lines (it is the base of a later blob).
    static func mask(_ blob: [UInt8], known: LineHashSet, wantsHashes: Bool) -> (masked: [UInt8]?, hashes: LineHashSet?) {
        var own = LineHashSet(capacity: wantsHashes ? blob.count / 32 : 0)
        // Line starts and whether each line is new.
        var starts: [Int] = []
        var isNew: [Bool] = []
        starts.reserveCapacity(blob.count / 32)
        isNew.reserveCapacity(blob.count / 32)
        blob.withUnsafeBufferPointer { buffer in
            forEachLine(buffer) { line in
                let h = hash(line)
                if wantsHashes { own.insert(h) }
                starts.append(line.baseAddress! - buffer.baseAddress!)
                isNew.append(!known.contains(h))
            }
        }
        let hashes = wantsHashes ? own : nil
        if starts.isEmpty || blob.prefix(8000).contains(0) { return (nil, hashes) }
        starts.append(blob.count)
        // Keep new lines and whole lines around them until `margin` bytes are covered each way.
        var keep = [Bool](repeating: false, count: isNew.count)
        var i = 0
        while i < isNew.count {
            guard isNew[i] else { i += 1; continue }
            var j = i
            while j + 1 < isNew.count && isNew[j + 1] { j += 1 }
            var low = i
            while low > 0 && starts[i] - starts[low] < margin { low -= 1 }
            var high = j
            while high + 1 < isNew.count && starts[high + 1] - starts[j + 1] < margin { high += 1 }
            for k in low...high { keep[k] = true }
            i = j + 1
        }
        var kept = 0
        for line in keep.indices where keep[line] { kept += starts[line + 1] - starts[line] }
        if kept * 10 > blob.count * 9 { return (nil, hashes) }
        // Nothing after the last kept line can match: cut it off rather than blank it (offsets,
        // lines and columns before the cut are unchanged).
        guard let last = keep.lastIndex(of: true) else { return ([], hashes) }
        var masked = Array(blob[..<starts[last + 1]])
        masked.withUnsafeMutableBufferPointer { out in
            for line in 0..<last where !keep[line] {
                // Every line but the last ends in its newline, which stays.
                let end = starts[line + 1]
                let length = end - starts[line] - (out[end - 1] == UInt8(ascii: "\n") ? 1 : 0)
                if length > 0 { memset(out.baseAddress! + starts[line], 0x20, length) }
            }
        }
        return (masked, hashes)
    }

    /// Calls `body` with each line of `buffer`, newline included.
    private static func forEachLine(_ buffer: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
        var start = 0
        while start < buffer.count {
            var end = buffer.count
            if let newline = memchr(base + start, 0x0A, buffer.count - start) {
                end = UnsafePointer<UInt8>(newline.assumingMemoryBound(to: UInt8.self)) - base + 1
            }
            body(UnsafeBufferPointer(start: base + start, count: end - start))
            start = end
        }
    }

    /// 64-bit FNV-1a-style hash of one line, eight bytes at a time.
    private static func hash(_ line: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(line.count)
        let raw = UnsafeRawBufferPointer(line)
        var i = 0
        while i + 8 <= raw.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
            i += 8
        }
        while i < raw.count {
            h = (h ^ UInt64(raw[i])) &* 0x0000_0100_0000_01B3
            i += 1
        }
        return h ^ (h >> 32)
    }
}
