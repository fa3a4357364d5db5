#if canImport(Glibc)
import Glibc
#endif

/// Maps byte offsets of one buffer to 1-based line and column. Built only for buffers that
/// had findings, so clean files never pay for it.
public struct LineIndex: Sendable {
    private let lineStarts: [Int]

    /// Newlines found with memchr over the buffer's bytes. (A generic walk over a collection
    /// is not specialised across modules: on a Rails history it was a quarter of all CPU.)
    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var starts = [0]
        if let base = bytes.baseAddress {
            let count = bytes.count
            var i = 0
            while i < count, let hit = memchr(base + i, 0x0A, count - i) {
                let newline = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                starts.append(newline + 1)
                i = newline + 1
            }
        }
        lineStarts = starts
    }

    public init<C: RandomAccessCollection>(_ bytes: C) where C.Element == UInt8, C.Index == Int {
        if let built = bytes.withContiguousStorageIfAvailable({ LineIndex($0) }) {
            self = built
            return
        }
        self.init(Array(bytes))
    }

    public init(_ bytes: [UInt8]) {
        self = bytes.withUnsafeBufferPointer { LineIndex($0) }
    }

    /// (line, column) of `offset`, both 1-based; the column counts bytes.
    public func position(of offset: Int) -> (line: Int, column: Int) {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return (low + 1, offset - lineStarts[low] + 1)
    }

    /// Byte offset where `line` (1-based) starts.
    public func startOfLine(_ line: Int) -> Int { lineStarts[max(0, min(line - 1, lineStarts.count - 1))] }
}
