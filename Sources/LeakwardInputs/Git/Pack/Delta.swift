/// Git's delta format: the sizes of base and result, then copy instructions (a range of the
/// base) and insert instructions (literal bytes). Used to rebuild objects and to find which
/// bytes of a blob are new relative to its base.
enum Delta {
    /// One instruction, as the range of the result it produces.
    struct Span: Equatable {
        var start: Int
        var count: Int
        /// Where a copy reads in the base; nil for inserted bytes.
        var source: Int?
    }

    /// Rebuilds the result of `delta` applied to `base`; a result over `limit` bytes is refused
    /// before anything is allocated (a hostile header can claim any size).
    static func apply(_ delta: UnsafeRawBufferPointer, to base: UnsafeRawBufferPointer, limit: Int) throws -> [UInt8] {
        var cursor = 0
        let baseSize = try varint(delta, &cursor)
        let resultSize = try varint(delta, &cursor)
        guard baseSize == base.count else { throw PackError.malformed("delta expects a \(baseSize)-byte base, got \(base.count)") }
        guard resultSize <= limit else { throw PackError.malformed("delta result of \(resultSize) bytes is over the \(limit)-byte cap") }
        var failure: (any Error)?
        let result = [UInt8](unsafeUninitializedCapacity: resultSize) { out, initialized in
            do {
                try forEachInstruction(delta, from: cursor, baseSize: base.count) { (span: Span, literal: Int) throws in
                    guard span.start + span.count <= resultSize else { throw PackError.malformed("delta writes past its result size") }
                    let target = out.baseAddress! + span.start
                    if let source = span.source {
                        target.update(from: base.baseAddress!.assumingMemoryBound(to: UInt8.self) + source, count: span.count)
                    } else {
                        target.update(from: delta.baseAddress!.assumingMemoryBound(to: UInt8.self) + literal, count: span.count)
                    }
                    initialized = span.start + span.count
                }
                guard initialized == resultSize else { throw PackError.malformed("delta result is \(initialized) bytes, header says \(resultSize)") }
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return result
    }

    /// The size of the object `delta` rebuilds, from its header.
    static func resultSize(_ delta: UnsafeRawBufferPointer) throws -> Int {
        var cursor = 0
        _ = try varint(delta, &cursor)
        return try varint(delta, &cursor)
    }

    /// The instructions of `delta` as spans of its result, and the size of its base.
    static func spans(_ delta: UnsafeRawBufferPointer) throws -> (spans: [Span], baseSize: Int) {
        var cursor = 0
        let baseSize = try varint(delta, &cursor)
        _ = try varint(delta, &cursor)
        var spans: [Span] = []
        // An instruction takes at least two bytes (a copy) or one plus its literal: this is
        // rarely exceeded, and growing the array one doubling at a time showed in profiles.
        spans.reserveCapacity(min(delta.count / 4, 1 << 16))
        try forEachInstruction(delta, from: cursor, baseSize: baseSize) { (span: Span, _: Int) throws in spans.append(span) }
        return (spans, baseSize)
    }

    /// Calls `body` with each instruction's span and, for an insert, where its literal bytes
    /// start in `delta`.
    private static func forEachInstruction(_ delta: UnsafeRawBufferPointer, from start: Int, baseSize: Int,
                                           _ body: (Span, Int) throws -> Void) throws {
        var cursor = start
        var produced = 0
        while cursor < delta.count {
            let op = delta[cursor]; cursor += 1
            if op & 0x80 != 0 {
                var offset = 0, size = 0
                for bit in 0..<4 where op & (1 << bit) != 0 {
                    guard cursor < delta.count else { throw PackError.malformed("truncated delta copy instruction") }
                    offset |= Int(delta[cursor]) << (8 * bit); cursor += 1
                }
                for bit in 0..<3 where op & (0x10 << bit) != 0 {
                    guard cursor < delta.count else { throw PackError.malformed("truncated delta copy instruction") }
                    size |= Int(delta[cursor]) << (8 * bit); cursor += 1
                }
                if size == 0 { size = 0x10000 }
                guard offset + size <= baseSize else { throw PackError.malformed("delta copies past the end of its base") }
                try body(Span(start: produced, count: size, source: offset), 0)
                produced += size
            } else if op != 0 {
                let size = Int(op)
                guard cursor + size <= delta.count else { throw PackError.malformed("truncated delta insert instruction") }
                try body(Span(start: produced, count: size, source: nil), cursor)
                cursor += size
                produced += size
            } else {
                throw PackError.malformed("delta instruction 0 is reserved")
            }
        }
    }

    /// A size in the delta header: 7 bits per byte, least significant first.
    private static func varint(_ bytes: UnsafeRawBufferPointer, _ cursor: inout Int) throws -> Int {
        var value = 0, shift = 0
        while true {
            guard cursor < bytes.count, shift < 57 else { throw PackError.malformed("truncated delta header") }
            let byte = bytes[cursor]; cursor += 1
            value |= Int(byte & 0x7F) << shift
            shift += 7
            if byte & 0x80 == 0 { return value }
        }
    }
}
