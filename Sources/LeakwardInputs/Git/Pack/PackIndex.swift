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
    }

    /// Position of `id` in `ids`: the fan-out table narrows it to ids sharing the first byte,
    /// then an interpolation search (ids are uniformly random, so a guess from the id's value
    /// lands within a few places) and a binary search for what is left.
    func position(of id: ObjectID) -> Int? {
        let first = Int(id.high >> 56)
        var low = first == 0 ? 0 : fanout[first - 1], high = fanout[first]   // [low, high)
        var guesses = 0
        while high - low > 8, guesses < 4 {
            let a = ids[low].high, b = ids[high - 1].high
            guard id.high >= a, id.high <= b, b > a else { break }
            let fraction = Double(id.high - a) / Double(b - a)
            let guess = min(high - 1, max(low, low + Int(fraction * Double(high - 1 - low))))
            if ids[guess] == id { return guess }
            if ids[guess] < id { low = guess + 1 } else { high = guess }
            guesses += 1
        }
        while low < high {
            let mid = (low + high) / 2
            if ids[mid] < id { low = mid + 1 } else { high = mid }
        }
        return low < ids.count && ids[low] == id ? low : nil
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
