import CGit2
import LeakwardModel

/// Conversions between `ObjectID` and libgit2's `git_oid` (only `Inputs/Git/` sees libgit2).
extension ObjectID {
    public init(_ oid: git_oid) {
        var raw = oid
        let (high, middle, low) = withUnsafeBytes(of: &raw.id) { bytes in
            (bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self).bigEndian,
             bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self).bigEndian,
             bytes.loadUnaligned(fromByteOffset: 16, as: UInt32.self).bigEndian)
        }
        self.init(high: high, middle: middle, low: low)
    }

    public init(_ oid: UnsafePointer<git_oid>) { self.init(oid.pointee) }

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
}
