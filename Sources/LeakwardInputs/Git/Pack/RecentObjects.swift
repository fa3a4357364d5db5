/// Rebuilt pack objects by key (`pack << 40 | offset`), for one `PackReader`: open addressing
/// with linear probing on a multiplicative hash of the key, removal by shifting the probe run
/// back (no tombstones: the oldest objects leave all the time). A `Dictionary` hashed every key
/// with SipHash: looking bases up and keeping them was a twentieth of a history walk's CPU.
/// No object starts at offset 0 of a pack (its header is there), so key 0 marks an empty slot.
struct RecentObjects {
    typealias Object = (bytes: [UInt8], kind: PackObjectKind)

    private var keys: [Int]
    private var objects: [Object?]
    private var shift: Int
    private(set) var count = 0

    init() {
        keys = [Int](repeating: 0, count: 64)
        objects = [Object?](repeating: nil, count: 64)
        shift = 64 - 6
    }

    private var mask: Int { keys.count - 1 }

    /// Where a key's probe run starts: the top bits of the key times 2^64/φ.
    private func home(_ key: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: Int64(key)) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(shift))
    }

    private func slot(of key: Int) -> Int? {
        var i = home(key)
        while true {
            let found = keys[i]
            if found == key { return i }
            if found == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    subscript(key: Int) -> Object? {
        slot(of: key).flatMap { objects[$0] }
    }

    func contains(_ key: Int) -> Bool { slot(of: key) != nil }

    /// Adds `object` under `key`, which must not be held.
    mutating func insert(_ key: Int, _ object: Object) {
        precondition(key != 0, "key 0 marks an empty slot")
        if (count + 1) * 2 > keys.count { grow() }
        var i = home(key)
        while keys[i] != 0 { i = (i + 1) & mask }
        keys[i] = key
        objects[i] = object
        count += 1
    }

    /// Takes `key` out; its object, or nil when it was not held.
    @discardableResult
    mutating func remove(_ key: Int) -> Object? {
        guard var hole = slot(of: key) else { return nil }
        let removed = objects[hole]
        keys[hole] = 0
        objects[hole] = nil
        count -= 1
        // Every key after the hole in the same run moves back into it unless its run starts
        // after the hole (cyclically), so every key stays reachable from its home.
        var i = (hole + 1) & mask
        while keys[i] != 0 {
            let start = home(keys[i])
            let staysPut = hole < i ? (start > hole && start <= i) : (start > hole || start <= i)
            if !staysPut {
                keys[hole] = keys[i]
                objects[hole] = objects[i]
                keys[i] = 0
                objects[i] = nil
                hole = i
            }
            i = (i + 1) & mask
        }
        return removed
    }

    private mutating func grow() {
        let oldKeys = keys, oldObjects = objects
        keys = [Int](repeating: 0, count: oldKeys.count * 2)
        objects = [Object?](repeating: nil, count: oldKeys.count * 2)
        shift -= 1
        count = 0
        for (i, key) in oldKeys.enumerated() where key != 0 { insert(key, oldObjects[i]!) }
    }
}
