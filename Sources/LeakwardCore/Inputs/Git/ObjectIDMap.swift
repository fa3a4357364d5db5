/// A hash map keyed by object id: open addressing on the id's first 64 bits, which are
/// already uniformly random. The history walk asks it once per tree entry, where Swift's
/// `Dictionary` would run SipHash on every key.
struct ObjectIDMap<Value> {
    private var keys: [ObjectID]
    private var values: [Value?]
    private var mask: Int
    private(set) var count = 0
    /// The all-zero id marks an empty slot (no object hashes to it).
    private static var empty: ObjectID { ObjectID(high: 0, middle: 0, low: 0) }

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [ObjectID](repeating: Self.empty, count: size)
        values = [Value?](repeating: nil, count: size)
        mask = size - 1
    }

    subscript(id: ObjectID) -> Value? {
        get {
            var i = Int(truncatingIfNeeded: id.high) & mask
            while true {
                let key = keys[i]
                if key == id { return values[i] }
                if key == Self.empty { return nil }
                i = (i + 1) & mask
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
        if (count + 1) * 2 > keys.count { grow() }
        var i = Int(truncatingIfNeeded: id.high) & mask
        while true {
            let key = keys[i]
            if key == id {
                if replacing { values[i] = value }
                return false
            }
            if key == Self.empty {
                keys[i] = id
                values[i] = value
                count += 1
                return true
            }
            i = (i + 1) & mask
        }
    }

    /// Every key and value, in slot order.
    func forEach(_ body: (ObjectID, Value) -> Void) {
        for (i, key) in keys.enumerated() where key != Self.empty { body(key, values[i]!) }
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = [ObjectID](repeating: Self.empty, count: oldKeys.count * 2)
        values = [Value?](repeating: nil, count: oldKeys.count * 2)
        mask = keys.count - 1
        count = 0
        for (i, key) in oldKeys.enumerated() where key != Self.empty { insert(key, oldValues[i]!) }
    }
}

extension ObjectIDMap: Sendable where Value: Sendable {}
