#if canImport(Glibc)
import Glibc
#endif
import LeakwardModel

/// A pack's `.idx` (version 2): the sorted object ids of the pack and where each starts.
/// Read once, then only searched; it is immutable and shared by every worker.
struct PackIndex: Sendable {
    /// Object ids in id order, 20 bytes each, as the index stores them.
    let ids: [ObjectID]
    /// Pack offset of `ids[i]`.
    let offsets: [Int]
    /// `fanout[b]`: how many ids have a first byte ≤ b.
    let fanout: [Int]
    /// `buckets[p]`: how many ids have their first two bytes ≤ p, for packs of 65,536 objects
    /// or more (a million-object pack has about 16 ids per bucket, so a lookup reads one or
    /// two cache lines of ids where a search over a first-byte range read a dozen scattered ones).
    private let buckets: [Int32]

    var count: Int { ids.count }

    /// Parses an idx v2 file. Throws `PackError` on anything that is not one.
    init(bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count >= 8 + 1024 + 40,
              bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self).bigEndian == 0xFF74_4F63,
              bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self).bigEndian == 2 else {
            throw PackError.malformed("not a version 2 pack index")
        }
        let n = Int(bytes.loadUnaligned(fromByteOffset: 8 + 255 * 4, as: UInt32.self).bigEndian)
        let idStart = 8 + 1024
        let offsetStart = idStart + n * 20 + n * 4
        let largeStart = offsetStart + n * 4
        guard bytes.count >= largeStart + 40 else { throw PackError.malformed("pack index is truncated (\(n) objects listed)") }
        var ids: [ObjectID] = []
        ids.reserveCapacity(n)
        var offsets: [Int] = []
        offsets.reserveCapacity(n)
        let largeCount = (bytes.count - 40 - largeStart) / 8
        for i in 0..<n {
            ids.append(ObjectID(rawBytes: bytes, at: idStart + i * 20))
            let small = bytes.loadUnaligned(fromByteOffset: offsetStart + i * 4, as: UInt32.self).bigEndian
            if small & 0x8000_0000 == 0 {
                offsets.append(Int(small))
            } else {
                let slot = Int(small & 0x7FFF_FFFF)
                guard slot < largeCount else { throw PackError.malformed("pack index names a 64-bit offset it does not hold") }
                guard let large = Int(exactly: bytes.loadUnaligned(fromByteOffset: largeStart + slot * 8, as: UInt64.self).bigEndian) else {
                    throw PackError.malformed("pack index holds an offset past 2^63")
                }
                offsets.append(large)
            }
        }
        self.ids = ids
        self.offsets = offsets
        fanout = (0..<256).map { Int(bytes.loadUnaligned(fromByteOffset: 8 + $0 * 4, as: UInt32.self).bigEndian) }
        guard fanout.last == n, zip(fanout, fanout.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw PackError.malformed("pack index fan-out table is inconsistent")
        }
        // Small packs (a repository may have hundreds) search the first-byte range instead.
        var buckets: [Int32] = []
        if n >= 1 << 16, n < Int(Int32.max) {
            buckets = [Int32](repeating: 0, count: 1 << 16)
            for id in ids { buckets[Int(id.high >> 48)] += 1 }
            for p in 1..<buckets.count { buckets[p] += buckets[p - 1] }
        }
        self.buckets = buckets
    }

    /// Position of `id` in `ids`: the two-byte buckets narrow it to ids sharing the first 16
    /// bits (ids are uniformly random, so a handful), then a short search from where the next
    /// 16 bits put it (a binary search in a large bucket or a small pack).
    func position(of id: ObjectID) -> Int? {
        let prefix = Int(id.high >> 48)
        var low: Int, high: Int   // [low, high)
        if !buckets.isEmpty {
            low = prefix == 0 ? 0 : Int(buckets[prefix - 1])
            high = Int(buckets[prefix])
        } else {
            let first = prefix >> 8
            low = first == 0 ? 0 : fanout[first - 1]
            high = fanout[first]
        }
        return ids.withUnsafeBufferPointer { ids in
            // Within a two-byte bucket the next bits are uniformly random too: the id sits
            // close to where they put it, so a step or two from there finds it where a binary
            // search read four or five scattered ids (each a cache miss on a Rails walk).
            if !buckets.isEmpty, low < high, high - low <= 64 {
                var j = low + ((high - low) * Int(id.high >> 32 & 0xFFFF)) >> 16
                if ids[j] < id {
                    repeat { j += 1 } while j < high && ids[j] < id
                } else {
                    while j > low, !(ids[j - 1] < id) { j -= 1 }
                }
                return j < high && ids[j] == id ? j : nil
            }
            while low < high {
                let mid = (low + high) / 2
                if ids[mid] < id { low = mid + 1 } else { high = mid }
            }
            return low < ids.count && ids[low] == id ? low : nil
        }
    }
}

/// Why a pack could not be read; the object then goes through libgit2 instead.
enum PackError: Error, CustomStringConvertible {
    case malformed(String)
    case io(String)

    var description: String {
        switch self {
        case .malformed(let message), .io(let message): message
        }
    }
}

extension ObjectID {
    /// The id stored as 20 raw bytes at `offset`.
    public init(rawBytes bytes: UnsafeRawBufferPointer, at offset: Int) {
        self.init(high: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self).bigEndian,
                  middle: bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self).bigEndian,
                  low: bytes.loadUnaligned(fromByteOffset: offset + 16, as: UInt32.self).bigEndian)
    }
}
