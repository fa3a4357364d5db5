import LeakwardSupport

/// A git object id (SHA-1), small and hashable, so sets of millions of ids stay compact. The
/// one type for a blob or commit id everywhere in the core; hex text exists only at the edges
/// (reports, libgit2 calls).
public struct ObjectID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let high: UInt64
    public let middle: UInt64
    public let low: UInt32

    @inlinable public init(high: UInt64, middle: UInt64, low: UInt32) {
        self.high = high
        self.middle = middle
        self.low = low
    }

    /// Parses 40 hex digits (either case).
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard let id = digits.withUnsafeBufferPointer({ ObjectID(hexDigits: $0) }) else { return nil }
        self = id
    }

    /// Parses exactly 40 hex digits (either case) from raw bytes, as commit headers hold them.
    @inlinable public init?(hexDigits digits: UnsafeBufferPointer<UInt8>) {
        guard digits.count == 40 else { return nil }
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        for k in 0..<40 {
            guard let value = HexDigit.value(digits[k]) else { return nil }
            switch k / 16 {
            case 0: words.0 = words.0 << 4 | UInt64(value)
            case 1: words.1 = words.1 << 4 | UInt64(value)
            default: words.2 = words.2 << 4 | UInt64(value)
            }
        }
        self.init(high: words.0, middle: words.1, low: UInt32(words.2))
    }

    /// 40 lower-case hex digits.
    public var description: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0, count: 40)
        for (i, word) in [(0, high), (16, middle)] {
            for n in 0..<16 { out[i + n] = digits[Int((word >> UInt64(60 - 4 * n)) & 0xF)] }
        }
        for n in 0..<8 { out[32 + n] = digits[Int((low >> UInt32(28 - 4 * n)) & 0xF)] }
        return String(decoding: out, as: UTF8.self)
    }

    /// The first 10 hex digits, as people quote commits.
    public var short: String { String(description.prefix(10)) }

    /// The first 64 bits are already uniformly random: hashing more of the id only costs time.
    /// Inlinable, like `==` and `<`: the readers' sets and maps (other modules) hash ids per object.
    @inlinable public func hash(into hasher: inout Hasher) { hasher.combine(high) }

    @inlinable public static func == (a: ObjectID, b: ObjectID) -> Bool { a.high == b.high && a.middle == b.middle && a.low == b.low }

    @inlinable public static func < (a: ObjectID, b: ObjectID) -> Bool { (a.high, a.middle, a.low) < (b.high, b.middle, b.low) }
}

/// Reports and baselines spell ids as 40 hex digits.
extension ObjectID: Codable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = ObjectID(hex: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a 40-digit object id"))
        }
        self = id
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
