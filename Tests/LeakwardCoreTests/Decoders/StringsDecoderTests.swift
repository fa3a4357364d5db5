import Testing
@testable import LeakwardDecoders

/// The strings pass copies runs a run at a time for speed; what it finds must be exactly what
/// the plain byte-at-a-time reading (kept here as the reference) finds, run edges included.
@Suite struct StringsDecoderTests {
    static func isPrintable(_ byte: UInt8) -> Bool { (byte >= 0x20 && byte < 0x7F) || byte == 0x09 }

    /// The byte-at-a-time reading: every printable ASCII run of `minimumRun` or more kept in
    /// place, every other byte a newline; UTF-16LE runs one per line.
    static func reference(_ bytes: [UInt8]) -> (ascii: [UInt8]?, utf16: [UInt8]) {
        let minimum = StringsDecoder.minimumRun
        var ascii = [UInt8](repeating: 10, count: bytes.count)
        var found = false
        var start = 0
        var index = 0
        while index <= bytes.count {
            if index < bytes.count, isPrintable(bytes[index]) {
                index += 1
                continue
            }
            if index - start >= minimum {
                found = true
                for i in start..<index { ascii[i] = bytes[i] }
            }
            index += 1
            start = index
        }
        var utf16: [UInt8] = []
        var run: [UInt8] = []
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i + 1] == 0, isPrintable(bytes[i]) {
                run.append(bytes[i])
                i += 2
                continue
            }
            if run.count >= minimum { utf16 += run + [10] }
            run.removeAll()
            i += 1
        }
        if run.count >= minimum { utf16 += run + [10] }
        return (found ? ascii : nil, utf16)
    }

    /// Deterministic bytes shaped like a binary: printable runs of every length around the
    /// minimum, UTF-16LE runs, zeros, high bytes and tabs, in a pseudo-random order.
    static func binaryLike(seed: UInt64, count: Int) -> [UInt8] {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        var bytes: [UInt8] = []
        while bytes.count < count {
            let length = Int(next() % 14)
            switch next() % 5 {
            case 0: bytes += (0..<length).map { _ in UInt8(0x20 + next() % 0x5F) }
            case 1: bytes += (0..<length).flatMap { _ in [UInt8(0x41 + next() % 26), 0] }
            case 2: bytes += [UInt8](repeating: 0, count: length)
            case 3: bytes += (0..<length).map { _ in UInt8(truncatingIfNeeded: next()) }
            default: bytes += [9, UInt8(0x7F + next() % 0x81)]
            }
        }
        return Array(bytes.prefix(count))
    }

    @Test func runsMatchTheByteAtATimeReading() {
        for seed in 0..<300 as Range<UInt64> {
            let bytes = Self.binaryLike(seed: seed, count: Int(seed % 97) * 7)
            let fast = bytes.withUnsafeBufferPointer { StringsDecoder.runs(in: $0) }
            let slow = Self.reference(bytes)
            #expect(fast.ascii == slow.ascii, "seed \(seed)")
            #expect(fast.utf16 == slow.utf16, "seed \(seed)")
        }
    }

    @Test func runsAtTheEdgesOfTheBuffer() {
        let token = Array("tok_ABCDEFGH12345678".utf8)
        let joined: [UInt8] = token + [0, 1] + token
        let ascii = joined.withUnsafeBufferPointer { StringsDecoder.runs(in: $0) }.ascii
        #expect(ascii == token + [10, 10] + token)
        let wide: [UInt8] = Array("WIDESTRING".utf8).flatMap { [$0, UInt8(0)] }
        #expect(wide.withUnsafeBufferPointer { StringsDecoder.runs(in: $0) }.utf16 == Array("WIDESTRING\n".utf8))
        #expect(Array("short\0".utf8).withUnsafeBufferPointer { StringsDecoder.runs(in: $0) }.ascii == nil)
        let empty: [UInt8] = []
        let nothing = empty.withUnsafeBufferPointer { StringsDecoder.runs(in: $0) }
        #expect(nothing.ascii == nil && nothing.utf16.isEmpty)
    }
}
