import Foundation
import Testing
@testable import LeakwardFindings
@testable import LeakwardSupport

/// The byte-level searches judging uses instead of Foundation's must give Foundation's answers.
@Suite struct ByteContainsTests {
    @Test func asciiContainsAgreesWithFoundation() {
        let texts = ["/app/spec/fixtures/", "theme_token", "api_key_id", "", "x", "abcabcabd", "hash\r\nsha", "config/settings.yml"]
        let needles = ["/spec/", "token", "key_id", "abd", "sha", "x", "settings", "hashsha", "abcabd"]
        for text in texts {
            for needle in needles {
                #expect(ByteSearch.asciiContains(needle, in: text) == text.contains(needle), "\(needle) in \(text)")
            }
        }
    }

    @Test func asciiContainsLeavesOtherTextToFoundation() {
        // A combining accent joins the `c` before it: the characters differ, the bytes do not.
        #expect(ByteSearch.asciiContains("nosec", in: "nose\u{0063}\u{0301}") == nil)
        #expect(ByteSearch.asciiContains("café", in: "a café") == nil)
        #expect(ByteSearch.asciiContains("a\nb", in: "a\nb") == nil)
    }

    @Test func hostlessTextIsToldWithoutParsing() {
        #expect(ValueSignals.isPlainlyHostless("token = \"abc123\""))
        #expect(!ValueSignals.isPlainlyHostless("postgres://u:p@db.internal/app"))
        #expect(!ValueSignals.isPlainlyHostless("Server=db1,1433;Password=x"))
        #expect(!ValueSignals.isPlainlyHostless("DATA SOURCE=db1;pwd=x"))
        #expect(!ValueSignals.isPlainlyHostless("Addr=db1;pwd=x"))
        #expect(!ValueSignals.isPlainlyHostless("hôst=db1;pwd=x"))
        // The answers stay those of the full parse.
        #expect(ValueSignals.host(ofConnection: "token = \"abc123\"") == nil)
        #expect(ValueSignals.host(ofConnection: "Server=db1,1433;Password=x") == "db1")
        #expect(ValueSignals.host(ofConnection: "password=x;HOST=db2") == "db2")
    }

    /// The pair search finds the first place a pair starts, 16 positions a step (SSE2) and 32
    /// (AVX2, where the CPU has it), at the ends of the buffer and across the steps, in either
    /// case for a lower-case letter.
    @Test func bytePairsFindTheFirstPairOnBothWidths() throws {
        let list: [(UInt8, UInt8)] = [(0x2D, 0x62), (0x6B, 0x74), (0x3D, 0x64), (0x70, 0x6B), (0x23, 0x21), (0x71, 0x78)]
        let pairs = try #require(ByteSearch.BytePairs(list))
        let alphabet = Array("-bBkKtT=dDpP#!qQxX .a\n".utf8)
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<400 {
            let bytes = (0..<Int.random(in: 0...130, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let lowered = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
            for from in [0, 1, 17, 33] {
                let plain = bytes.count < 2 || from >= bytes.count - 1 ? nil : (from..<(bytes.count - 1)).first { j in
                    list.contains { $0.0 == lowered[j] && $0.1 == lowered[j + 1] }
                }
                for wide in Set([false, ByteSearch.BytePairs.isWide]) {
                    #expect(bytes.withUnsafeBufferPointer { pairs.next(in: $0, from: from, wide: wide) } == plain)
                }
            }
        }
    }
}
