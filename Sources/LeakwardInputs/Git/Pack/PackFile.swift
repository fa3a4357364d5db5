import LeakwardModel
import LeakwardSupport

/// The object types a pack entry's header names (git's numbering; 5 is unused).
enum PackObjectKind: UInt8, Sendable {
    case commit = 1, tree = 2, blob = 3, tag = 4
    /// A delta on a base at an earlier offset of the same pack.
    case offsetDelta = 6
    /// A delta on a base named by id (in this pack, or outside it in a thin pack).
    case referenceDelta = 7

    var isDelta: Bool { self == .offsetDelta || self == .referenceDelta }
}

#if canImport(Glibc)
import Glibc
#endif

/// One pack file and its index: where every object starts, what kind it is, and which object
/// a delta is built on. Immutable and shared by every worker; inflating happens in `PackReader`.
/// The pack is mapped only while its header table is built; objects are then read with
/// `pread` (`read(into:at:)`), so pack pages never count in the resident set.
final class PackFile: Sendable {
    /// What the pack says about one object, in pack-offset order. 32 bytes: a table of a
    /// 1.2-million-object pack is 40 MB, not the 80 MB it was with the id and both ends of
    /// the data in it (the id is in the index; the data ends where the next object starts).
    struct Entry: Sendable {
        var offset: Int
        /// Inflated size of the stored data (the delta's size for a delta).
        var size: Int
        /// Where the id sits in `index.ids`.
        var position: Int32
        /// Entry index of the delta base in this pack, or -1 (not a delta, or based outside it).
        var base: Int32
        /// Header bytes before the zlib stream (type, size, delta base).
        var headerLength: UInt8
        var kind: PackObjectKind

        /// Where the zlib stream starts.
        var dataOffset: Int { offset + Int(headerLength) }
    }

    let path: String
    let index: PackIndex
    /// The pack's size in bytes.
    let size: Int
    /// Open for `pread` (safe from every thread at once) until the pack is released.
    private let descriptor: Int32
    /// Every object, sorted by offset.
    let entries: [Entry]
    /// Whether another object of this pack is a delta of the entry.
    let isBase: [Bool]
    /// Each entry's kind as a whole object (a delta's is its chain root's, `PackObjectKind`'s
    /// raw value), or `unresolvedKind` when its chain leaves the pack (a thin pack) or does
    /// not end. Found once here: the commit table, the copied trees and the search for objects
    /// no ref reaches each asked for it, a walk down every chain of 1.24 million entries each.
    let kinds: [UInt8]
    static let unresolvedKind: UInt8 = 255
    /// Entry index by position in `index.ids`.
    private let entryOfPosition: [Int32]

    /// Positions of `offsets` in offset order. Offset and position packed in one word, sorted
    /// by a radix sort on the offset's 16-bit digits (every pack below 1 TiB and 16M objects):
    /// a comparison sort of a 1.24-million-object pack's offsets took 0.1 s, before anything
    /// else could start.
    static func byOffset(_ offsets: [Int]) -> [Int] {
        guard offsets.count < 1 << 24, offsets.allSatisfy({ $0 >= 0 && $0 < 1 << 40 }) else {
            return offsets.indices.sorted { offsets[$0] < offsets[$1] }
        }
        var keys = offsets.enumerated().map { UInt64($0.element) << 24 | UInt64($0.offset) }
        var sorted = keys
        var counts = [Int](repeating: 0, count: 1 << 16)
        let largest = UInt64(offsets.max() ?? 0)
        var shift: UInt64 = 24
        // Least significant digit first; each pass is stable, so equal offsets keep position order.
        while shift < 64, largest >> (shift - 24) != 0 {
            for i in counts.indices { counts[i] = 0 }
            for key in keys { counts[Int(key >> shift & 0xFFFF)] += 1 }
            var total = 0
            for i in counts.indices { (counts[i], total) = (total, total + counts[i]) }
            for key in keys {
                let digit = Int(key >> shift & 0xFFFF)
                sorted[counts[digit]] = key
                counts[digit] += 1
            }
            swap(&keys, &sorted)
            shift += 16
        }
        return keys.map { Int($0 & 0xFF_FFFF) }
    }

    /// Opens the pack and its index and reads every object's header, in pieces on up to
    /// `workers` threads for a large pack (on a 1.24-million-object pack this ran alone on one
    /// core for 0.8 s before any other work could start). Packs of fewer than `parallelFrom`
    /// objects are read on one thread.
    init(packPath: String, indexPath: String, workers: Int = 1, parallelFrom: Int = 1 << 16) throws {
        path = packPath
        let indexFile = try MappedFile(path: indexPath)
        let index = try PackIndex(bytes: indexFile.bytes)
        self.index = index
        let file = try MappedFile(path: packPath)
        let pack = file.bytes
        size = pack.count
        guard pack.count >= 32, pack.loadUnaligned(fromByteOffset: 0, as: UInt32.self).bigEndian == 0x5041_434B else {
            throw PackError.malformed("\(packPath) is not a pack file")
        }
        let order = PackFile.byOffset(index.offsets)
        var entryOfPosition = [Int32](repeating: -1, count: order.count)
        for (entry, position) in order.enumerated() { entryOfPosition[position] = Int32(entry) }
        let offsets = order.map { index.offsets[$0] }
        let positions = entryOfPosition
        // Pieces of consecutive entries; the first damage in offset order is the one reported.
        let count = order.count
        let pieces = workers > 1 && count >= parallelFrom ? workers * 4 : 1
        let parsed = Parallel.run(pieces: pieces, workers: workers, start: { [(piece: Int, entries: Result<[Entry], any Error>)]() },
                                  piece: { done, piece in
            let range = count * piece / pieces..<count * (piece + 1) / pieces
            do {
                done.append((piece, .success(try PackFile.headers(range, order: order, offsets: offsets, entryOfPosition: positions,
                                                                  index: index, pack: file, packPath: packPath))))
            } catch {
                done.append((piece, .failure(error)))
            }
        }, finish: { $0 }).flatMap { $0 }.sorted { $0.piece < $1.piece }
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        for part in parsed { entries += try part.entries.get() }
        var isBase = [Bool](repeating: false, count: entries.count)
        for entry in entries where entry.base >= 0 { isBase[Int(entry.base)] = true }
        self.entries = entries
        self.isBase = isBase
        kinds = PackFile.resolvedKinds(entries)
        self.entryOfPosition = entryOfPosition
        descriptor = open(packPath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw PackError.io("cannot open \(packPath): \(String(cString: strerror(errno)))") }
        // The mapping (every page of which the header table touched) ends with `file`.
    }

    /// The headers of the entries `range` (indices in offset order, `offsets` alongside).
    private static func headers(_ range: Range<Int>, order: [Int], offsets: [Int], entryOfPosition: [Int32], index: PackIndex,
                                pack file: MappedFile, packPath: String) throws -> [Entry] {
        let pack = file.bytes
        let end = pack.count - 20
        var entries: [Entry] = []
        entries.reserveCapacity(range.count)
        for i in range {
            let position = order[i]
            let offset = offsets[i]
            guard offset >= 12, offset < end else { throw PackError.malformed("object \(index.ids[position]) lies outside \(packPath)") }
            var cursor = offset
            var byte = pack[cursor]; cursor += 1
            guard let kind = PackObjectKind(rawValue: (byte >> 4) & 7) else {
                throw PackError.malformed("unknown object type \((byte >> 4) & 7) at \(offset) in \(packPath)")
            }
            var size = Int(byte & 0x0F)
            var shift = 4
            while byte & 0x80 != 0 {
                guard cursor < end, shift < 57 else { throw PackError.malformed("bad object header at \(offset) in \(packPath)") }
                byte = pack[cursor]; cursor += 1
                size |= Int(byte & 0x7F) << shift
                shift += 7
            }
            var base: Int32 = -1
            switch kind {
            case .commit, .tree, .blob, .tag:
                break
            case .offsetDelta:
                guard cursor < end else { throw PackError.malformed("bad delta header at \(offset) in \(packPath)") }
                byte = pack[cursor]; cursor += 1
                var distance = Int(byte & 0x7F)
                while byte & 0x80 != 0 {
                    guard cursor < end, distance < Int.max >> 8 else { throw PackError.malformed("bad delta offset at \(offset) in \(packPath)") }
                    byte = pack[cursor]; cursor += 1
                    distance = ((distance + 1) << 7) | Int(byte & 0x7F)
                }
                guard distance > 0, distance <= offset, let found = PackFile.entry(at: offset - distance, before: i, in: offsets) else {
                    throw PackError.malformed("delta at \(offset) in \(packPath) names no object as its base")
                }
                base = found
            case .referenceDelta:
                guard cursor + 20 <= end else { throw PackError.malformed("bad delta header at \(offset) in \(packPath)") }
                let baseID = ObjectID(rawBytes: pack, at: cursor)
                cursor += 20
                // -1 when the base is outside this pack (a thin pack): libgit2 reads this one.
                base = index.position(of: baseID).map { entryOfPosition[$0] } ?? -1
            }
            guard cursor - offset <= Int(UInt8.max) else { throw PackError.malformed("bad object header at \(offset) in \(packPath)") }
            entries.append(Entry(offset: offset, size: size, position: Int32(position), base: base,
                                 headerLength: UInt8(cursor - offset), kind: kind))
        }
        return entries
    }

    /// The kind of every entry as a whole object (see `kinds`). An offset delta's base lies at
    /// an earlier offset, so one pass in offset order resolves it from its base's; a reference
    /// delta whose base comes later walks its chain.
    static func resolvedKinds(_ entries: [Entry]) -> [UInt8] {
        let unresolved = PackFile.unresolvedKind, pending: UInt8 = 0
        var kinds = [UInt8](repeating: pending, count: entries.count)
        var chain: [Int] = []
        for i in entries.indices {
            let entry = entries[i]
            if !entry.kind.isDelta { kinds[i] = entry.kind.rawValue; continue }
            let base = Int(entry.base)
            if base >= 0, base < i { kinds[i] = kinds[base]; continue }
            // A later base (or none in this pack): down the chain to a known kind or a whole object.
            var j = i
            chain.removeAll(keepingCapacity: true)
            var kind = unresolved
            while true {
                if kinds[j] != pending { kind = kinds[j]; break }
                let link = entries[j]
                if !link.kind.isDelta { kind = link.kind.rawValue; break }
                chain.append(j)
                // A base outside the pack, or a chain longer than the pack (a damaged cycle).
                guard link.base >= 0, chain.count <= entries.count else { break }
                j = Int(link.base)
            }
            for k in chain { kinds[k] = kind }
        }
        return kinds
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Fills `buffer` with the pack's bytes from `offset`; a pack that ends early is an error.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws {
        var done = 0
        while done < buffer.count {
            let got = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if got < 0, errno == EINTR { continue }
            guard got > 0 else {
                throw PackError.io("cannot read \(buffer.count) bytes at \(offset) of \(path): "
                    + (got < 0 ? String(cString: strerror(errno)) : "the file ends early"))
            }
            done += got
        }
    }

    /// The id of the object at `entry`.
    func id(ofEntry entry: Int) -> ObjectID { index.ids[Int(entries[entry].position)] }

    /// Where the data of `entry` must end: where the next object starts (or the trailer).
    func dataEnd(ofEntry entry: Int) -> Int { entry + 1 < entries.count ? entries[entry + 1].offset : size - 20 }

    /// The entry starting exactly at `offset` among the entries before `entry` (`offsets`
    /// sorted): searched backwards in growing steps first, since a delta's base is usually a
    /// few objects before it (a plain binary search over the whole pack was a quarter of the
    /// header reading).
    private static func entry(at offset: Int, before entry: Int, in offsets: [Int]) -> Int32? {
        var high = entry, step = 1
        var low = max(0, entry - 1)
        while low > 0, offsets[low] > offset {
            high = low
            step <<= 1
            low = max(0, entry - step)
        }
        while low < high {
            let mid = (low + high) / 2
            if offsets[mid] < offset { low = mid + 1 } else { high = mid }
        }
        return low < entry && offsets[low] == offset ? Int32(low) : nil
    }

    /// The entry index of `id`, if this pack holds it.
    func entry(of id: ObjectID) -> Int? {
        index.position(of: id).map { Int(entryOfPosition[$0]) }
    }
}
