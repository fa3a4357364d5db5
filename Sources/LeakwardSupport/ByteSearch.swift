#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CByteScan

/// Substring search over bytes with libc's vectorised `memchr` for the first byte and `memcmp`
/// for the rest, so decoders that look for a marker cost little on chunks without it.
/// (`memmem` is a GNU extension the Glibc module does not export.)
public enum ByteSearch {
    /// Offset of the first `needle` at or after `from`. memchr looks for the needle's rarest
    /// byte (in source text), so few places need a comparison.
    public static func first(_ needle: [UInt8], in haystack: [UInt8], from: Int = 0) -> Int? {
        guard from < haystack.count, !needle.isEmpty, haystack.count - from >= needle.count else { return nil }
        let anchor = rarest(in: needle)
        return haystack.withUnsafeBytes { hay in
            needle.withUnsafeBytes { pin in
                let base = hay.baseAddress!
                var at = from + anchor                                  // where the anchor byte may be
                let lastAnchor = hay.count - pin.count + anchor
                while at <= lastAnchor {
                    guard let found = memchr(base + at, Int32(needle[anchor]), lastAnchor - at + 1) else { return nil }
                    let offset = UnsafeRawPointer(found) - base
                    if memcmp(base + offset - anchor, pin.baseAddress!, pin.count) == 0 { return offset - anchor }
                    at = offset + 1
                }
                return nil
            }
        }
    }

    /// Roughly how common each byte is in source text and prose; bytes not listed are rare.
    public static let commonness: [Int] = {
        var table = [Int](repeating: 2, count: 256)
        for (byte, weight) in [(0x20, 150), (0x65, 60), (0x74, 50), (0x61, 40), (0x6F, 40), (0x69, 40), (0x6E, 40), (0x72, 35),
                               (0x73, 35), (0x6C, 25), (0x0A, 30), (0x63, 20), (0x64, 20), (0x2E, 15), (0x75, 15), (0x70, 15),
                               (0x6D, 15), (0x68, 15), (0x66, 12), (0x2C, 10), (0x5F, 10), (0x28, 10), (0x29, 10), (0x67, 10),
                               (0x62, 8), (0x79, 8), (0x77, 8), (0x3D, 8), (0x3B, 8), (0x22, 8), (0x76, 6), (0x3A, 10), (0x2D, 6),
                               (0x2F, 6), (0x6B, 4), (0x78, 4)] {
            table[byte] = weight
        }
        return table
    }()

    /// Index of the rarest byte of `needle`.
    static func rarest(in needle: [UInt8]) -> Int {
        needle.indices.min { commonness[Int(needle[$0])] < commonness[Int(needle[$1])] } ?? 0
    }

    /// Offset of the last `needle`.
    public static func last(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        var found: Int?
        var from = 0
        while let next = first(needle, in: haystack, from: from) {
            found = next
            from = next + 1
        }
        return found
    }

    /// Whether `needle` occurs in `text` when both are ASCII, compared as bytes; nil otherwise
    /// (the caller then asks `contains`). For ASCII the answer is the same: a String's
    /// characters are then its bytes but "\r\n", and no letter, digit or punctuation joins a
    /// neighbour into one character, so only a needle with a CR or LF could differ (nil for it).
    /// Judging asks this of paths and names per candidate: Foundation's search bridged both
    /// Strings each time (2.5 % of a Rails history scan's matching).
    public static func asciiContains(_ needle: String, in text: String) -> Bool? {
        var needle = needle, text = text
        return needle.withUTF8 { pin in
            text.withUTF8 { hay in
                guard !pin.contains(where: { $0 >= 0x80 || $0 == 10 || $0 == 13 }),
                      !hay.contains(where: { $0 >= 0x80 }) else { return nil }
                return contains(pin, in: hay)
            }
        }
    }

    /// Whether `needle` occurs in `haystack` (short texts: a name, a line or two).
    public static func contains(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = needle.first else { return true }
        guard needle.count <= haystack.count else { return false }
        var start = 0
        let last = haystack.count - needle.count
        while start <= last {
            if haystack[start] == first {
                var k = 1
                while k < needle.count, haystack[start + k] == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            start += 1
        }
        return false
    }

    /// Whether `byte` occurs at all (`memchr`).
    public static func contains(_ byte: UInt8, in haystack: [UInt8]) -> Bool {
        haystack.withUnsafeBytes { !$0.isEmpty && memchr($0.baseAddress!, Int32(byte), $0.count) != nil }
    }
}

extension ByteSearch {
    /// The first offset at or after `from`, rounded up to a multiple of 16, whose 16 bytes
    /// are all letters, digits, '+', '/', '-' or '_' (a piece of a base64 run), tested 16
    /// bytes per step; nil when there is none.
    public static func nextRunBlock(in buffer: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard let base = buffer.baseAddress, from < buffer.count else { return nil }
        let at = leakward_next_run_block(base, buffer.count, from)
        return at < buffer.count ? at : nil
    }

    /// Up to `limit` pairs of adjacent bytes, looked for together 16 positions per step. A
    /// byte of a pair that is a lower-case letter matches in either case, any other byte only
    /// itself.
    public struct BytePairs: @unchecked Sendable {
        // NOTE: `@unchecked`: a C struct of byte arrays and a count, never written after init.
        private var pairs = leakward_byte_pairs()
        public static let limit = Int(LEAKWARD_MAX_PAIRS)

        /// Nil when there are more than `limit` pairs.
        public init?(_ list: [(UInt8, UInt8)]) {
            guard list.count <= BytePairs.limit else { return nil }
            func fold(_ byte: UInt8) -> UInt8 { byte >= 0x61 && byte <= 0x7A ? 0x20 : 0 }
            // Each byte in all 16 lanes of its pair's row.
            for (k, (first, second)) in list.enumerated() {
                let lanes = k * 16..<(k + 1) * 16
                withUnsafeMutableBytes(of: &pairs.first) { for i in lanes { $0[i] = first } }
                withUnsafeMutableBytes(of: &pairs.second) { for i in lanes { $0[i] = second } }
                withUnsafeMutableBytes(of: &pairs.fold_first) { for i in lanes { $0[i] = fold(first) } }
                withUnsafeMutableBytes(of: &pairs.fold_second) { for i in lanes { $0[i] = fold(second) } }
            }
            pairs.count = Int32(list.count)
        }

        /// Whether the CPU has AVX2: the search then takes 32 positions a step.
        public static let isWide = leakward_cpu_has_avx2() != 0

        /// The first offset at or after `from` where a pair starts; nil when none does. `wide`:
        /// 32 positions a step (AVX2) or 16 (SSE2; tests ask for both).
        public func next(in buffer: UnsafeBufferPointer<UInt8>, from: Int, wide: Bool = BytePairs.isWide) -> Int? {
            guard let base = buffer.baseAddress, from < buffer.count else { return nil }
            let at = withUnsafePointer(to: pairs) {
                wide ? leakward_next_pair_avx2($0, base, buffer.count, from) : leakward_next_pair($0, base, buffer.count, from)
            }
            return at < buffer.count ? at : nil
        }
    }
}

extension ByteSearch {
    /// The state of up to four lanes of a keyword automaton whose states are byte offsets of
    /// rows (`LeakwardMatching/KeywordFilter`), and where each lane reads.
    public struct AutomatonLanes {
        public var states: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
        let starts: (UnsafePointer<UInt8>?, UnsafePointer<UInt8>?, UnsafePointer<UInt8>?, UnsafePointer<UInt8>?)
        let count: Int32

        /// Lane k reads from the k-th pointer, from its step 0 (1, 2 or 4 lanes; the pointers
        /// past `lanes` are not read).
        public init(lanes: Int, _ p0: UnsafePointer<UInt8>, _ p1: UnsafePointer<UInt8>? = nil,
                    _ p2: UnsafePointer<UInt8>? = nil, _ p3: UnsafePointer<UInt8>? = nil) {
            precondition(lanes == 1 || lanes == 2 || lanes == 4)
            count = Int32(lanes)
            starts = (p0, p1, p2, p3)
        }

        /// Steps every lane from step `from` until one reaches a state at or past `terminal`
        /// (that step, the state already taken) or `steps` (returned when none did). `table`:
        /// the rows; `column`: each byte's offset within a row.
        public mutating func run(table: UnsafeRawPointer, column: UnsafePointer<UInt16>, from: Int, steps: Int, terminal: UInt32) -> Int {
            withUnsafePointer(to: starts) { pointers in
                withUnsafeMutablePointer(to: &states) { states in
                    pointers.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 4) { p in
                        states.withMemoryRebound(to: UInt32.self, capacity: 4) { s in
                            Int(leakward_automaton_steps(table.assumingMemoryBound(to: UInt8.self), column, count, p, from, steps, terminal, s))
                        }
                    }
                }
            }
        }
    }
}
