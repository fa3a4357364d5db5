/// Maps byte offsets of one buffer to 1-based line and column. Built only for buffers that
/// had findings, so clean files never pay for it.
public struct LineIndex: Sendable {
    private let lineStarts: [Int]

    public init<C: RandomAccessCollection>(_ bytes: C) where C.Element == UInt8, C.Index == Int {
        var starts = [0]
        var i = bytes.startIndex
        while let newline = bytes[i...].firstIndex(of: UInt8(ascii: "\n")) {
            starts.append(newline + 1 - bytes.startIndex)
            i = newline + 1
        }
        lineStarts = starts
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
