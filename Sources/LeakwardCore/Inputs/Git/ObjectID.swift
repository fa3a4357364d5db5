import CGit2

/// A git object id (SHA-1), small and hashable, so sets of millions of ids stay compact.
public struct ObjectID: Hashable, Comparable, Sendable, CustomStringConvertible {
    let high: UInt64
    let middle: UInt64
    let low: UInt32

    init(_ oid: git_oid) {
        var raw = oid
        (high, middle, low) = withUnsafeBytes(of: &raw.id) { bytes in
            (bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self).bigEndian,
             bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self).bigEndian,
             bytes.loadUnaligned(fromByteOffset: 16, as: UInt32.self).bigEndian)
        }
    }

    init(_ oid: UnsafePointer<git_oid>) { self.init(oid.pointee) }

    init(high: UInt64, middle: UInt64, low: UInt32) {
        self.high = high
        self.middle = middle
        self.low = low
    }

    /// Parses 40 hex digits.
    public init?(hex: String) {
        var oid = git_oid()
        guard hex.utf8.count == 40, git_oid_fromstr(&oid, hex) == 0 else { return nil }
        self.init(oid)
    }

    /// The libgit2 form, for calls that take a `git_oid`.
    var oid: git_oid {
        var result = git_oid()
        withUnsafeMutableBytes(of: &result.id) { bytes in
            bytes.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
            bytes.storeBytes(of: middle.bigEndian, toByteOffset: 8, as: UInt64.self)
            bytes.storeBytes(of: low.bigEndian, toByteOffset: 16, as: UInt32.self)
        }
        return result
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

    /// The first 64 bits are already uniformly random: hashing more of the id only costs time.
    public func hash(into hasher: inout Hasher) { hasher.combine(high) }

    public static func < (a: ObjectID, b: ObjectID) -> Bool { (a.high, a.middle, a.low) < (b.high, b.middle, b.low) }
}
