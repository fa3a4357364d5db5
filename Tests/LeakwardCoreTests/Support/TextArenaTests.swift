import Testing
@testable import LeakwardSupport

/// The arena the working-tree walk keeps the consumer search's texts in.
@Suite struct TextArenaTests {
    /// Texts of every size, empty ones and ones larger than a block included, come back byte
    /// for byte, each in its own place, after many more have been kept beside them.
    @Test func keptTextsComeBackWhole() throws {
        let arena = TextArena()
        var expected: [[UInt8]] = []
        var kept: [KeptText] = []
        var seed: UInt64 = 7
        let sizes = [0, 1, 4095, 4096, 700_000, 1_500_000, TextArena.blockSize + 3, 17, 0, 2_000_000, 5]
        for (n, size) in sizes.enumerated() {
            let bytes = (0..<size).map { _ -> UInt8 in
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                return UInt8(truncatingIfNeeded: seed >> 56)
            }
            expected.append(bytes)
            kept.append(try #require(bytes.withUnsafeBufferPointer { arena.keep($0) }, "text \(n)"))
        }
        for (n, text) in kept.enumerated() {
            #expect(text.count == expected[n].count)
            #expect(text.bytes == expected[n], "text \(n) of \(expected[n].count) bytes")
            #expect(text.withBytes { Array($0) } == expected[n])
        }
    }

    /// A kept text keeps its arena alive: it is read after the arena's last other reference is gone.
    @Test func keptTextOutlivesItsArenaReference() throws {
        var arena: TextArena? = TextArena()
        let text = try #require(Array("SENTRY_DSN=1".utf8).withUnsafeBufferPointer { arena!.keep($0) })
        arena = nil
        #expect(String(decoding: text.bytes, as: UTF8.self) == "SENTRY_DSN=1")
    }
}
