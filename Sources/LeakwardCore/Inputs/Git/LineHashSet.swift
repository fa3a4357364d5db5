/// A set of 64-bit line hashes: open addressing with linear probing, no per-insert hashing
/// beyond the line hash itself (Swift's `Set` re-hashes every key with SipHash).
struct LineHashSet: Sendable {
    private var slots: [UInt64]
    private var mask: Int
    private(set) var count = 0
    /// Zero marks an empty slot, so a hash of zero is stored as this value instead.
    private static let zeroStandIn: UInt64 = 0x9E37_79B9_7F4A_7C15

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    mutating func insert(_ hash: UInt64) {
        if (count + 1) * 2 > slots.count { grow() }
        let key = hash == 0 ? LineHashSet.zeroStandIn : hash
        var i = Int(truncatingIfNeeded: key) & mask
        while true {
            let slot = slots[i]
            if slot == key { return }
            if slot == 0 { slots[i] = key; count += 1; return }
            i = (i + 1) & mask
        }
    }

    func contains(_ hash: UInt64) -> Bool {
        let key = hash == 0 ? LineHashSet.zeroStandIn : hash
        var i = Int(truncatingIfNeeded: key) & mask
        while true {
            let slot = slots[i]
            if slot == key { return true }
            if slot == 0 { return false }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        mask = slots.count - 1
        count = 0
        for key in old where key != 0 { insert(key) }
    }
}
