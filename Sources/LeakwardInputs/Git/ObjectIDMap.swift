import LeakwardModel

/// A hash map keyed by object id: open addressing on the id's first 64 bits, which are
/// already uniformly random. The history walk asks it once per tree entry, where Swift's
/// `Dictionary` would run SipHash on every key. Each key sits next to its value, so a lookup
/// costs one cache miss, not two. An empty slot is told by its all-zero key alone, so values
/// are stored without an Optional's extra byte: an `Int32` slot is 24 bytes, not 32 (the
/// walk's tree table of a Rails history is 2 M slots, and lives until provenance, where the
/// scan's peak is).
struct ObjectIDMap<Value: ObjectIDMapValue> {
    fileprivate struct Slot {
        var key: ObjectID
        var value: Value
    }

    private var slots: [Slot]
    private var mask: Int
    private(set) var count = 0
    /// The all-zero id marks an empty slot (no object hashes to it).
    private static var empty: ObjectID { ObjectID(high: 0, middle: 0, low: 0) }

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(key: Self.empty, value: .placeholder), count: size)
        mask = size - 1
    }

    subscript(id: ObjectID) -> Value? {
        get {
            slots.withUnsafeBufferPointer { slots in
                var i = Int(truncatingIfNeeded: id.high) & mask
                while true {
                    let key = slots[i].key
                    if key == id { return slots[i].value }
                    if key == Self.empty { return nil }
                    i = (i + 1) & mask
                }
            }
        }
        set {
            guard let newValue else { return }   // removal is never needed
            _ = insert(id, newValue, replacing: true)
        }
    }

    /// Adds `id` unless present (or replaces its value when `replacing`); true when it was new.
    @discardableResult
    mutating func insert(_ id: ObjectID, _ value: Value, replacing: Bool = false) -> Bool {
        if (count + 1) * 2 > slots.count { grow() }
        var i = Int(truncatingIfNeeded: id.high) & mask
        while true {
            let key = slots[i].key
            if key == id {
                if replacing { slots[i].value = value }
                return false
            }
            if key == Self.empty {
                slots[i] = Slot(key: id, value: value)
                count += 1
                return true
            }
            i = (i + 1) & mask
        }
    }

    /// Room for `count` keys without regrowing on the way (one rehash now instead of several).
    mutating func reserve(_ count: Int) {
        var size = slots.count
        while size < count * 2 { size <<= 1 }
        if size > slots.count { rehash(size: size) }
    }

    /// Bytes per slot (what a table costs: twice its count, rounded up to a power of two, of these).
    static var slotStride: Int { MemoryLayout<Slot>.stride }

    /// Every key and value, in slot order.
    func forEach(_ body: (ObjectID, Value) -> Void) {
        for slot in slots where slot.key != Self.empty { body(slot.key, slot.value) }
    }

    private mutating func grow() { rehash(size: slots.count * 2) }

    private mutating func rehash(size: Int) {
        let old = slots
        slots = [Slot](repeating: Slot(key: Self.empty, value: .placeholder), count: size)
        mask = size - 1
        count = 0
        for slot in old where slot.key != Self.empty { insert(slot.key, slot.value) }
    }
}

/// A value an `ObjectIDMap` can hold: any value stands in empty slots (never read there).
protocol ObjectIDMapValue {
    static var placeholder: Self { get }
}

extension Bool: ObjectIDMapValue { static var placeholder: Bool { false } }
extension Int: ObjectIDMapValue { static var placeholder: Int { 0 } }
extension Int32: ObjectIDMapValue { static var placeholder: Int32 { 0 } }
extension Array: ObjectIDMapValue { static var placeholder: Array { [] } }
extension ObjectID: ObjectIDMapValue { static var placeholder: ObjectID { ObjectID(high: 0, middle: 0, low: 0) } }

extension ObjectIDMap: Sendable where Value: Sendable {}
extension ObjectIDMap.Slot: Sendable where Value: Sendable {}
