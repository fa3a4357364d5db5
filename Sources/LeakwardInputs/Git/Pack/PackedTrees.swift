#if canImport(Glibc)
import Glibc
#endif
import LeakwardSupport

/// The stored (deflated) bytes of every tree the packs hold, copied out of them once, in pack
/// order, for a history walk. The walk reads trees by id in no pack order, and a `pread` per
/// object (1.5 million on a Rails history, each a system call and a page-cache lookup for about
/// 120 bytes) was a seventh of its CPU. Trees are a small part of a pack (Rails: 93 MB of 380)
/// but interleaved with blobs, so mapping the pack instead kept most of it resident. Shared
/// read-only by every worker of the walk and let go once its last stage is walked, before that
/// stage's merge, where the walk's memory peaks (the scan's peak comes later, in provenance). Packs whose trees would take more than `budget` bytes are not copied
/// (their trees are read with `pread` as before); an entry whose bytes could not be read is
/// simply not held here.
final class PackedTrees: Sendable {
    /// The copied bytes, a part per piece of the pack order (each copied by one worker).
    private let parts: [CopiedBytes?]
    /// Per pack, per entry, a `UInt64`: 0 when not held, else where its stored bytes start:
    /// `(part + 1) << 40 | offset` in that part. They run to `PackFile.dataEnd(ofEntry:)`.
    private let places: [CopiedBytes?]
    /// How many bytes are held.
    let byteCount: Int

    /// At most this many bytes are copied (a pack's trees above it are read from the pack).
    static let budget = 160 << 20
    /// A gap of blobs between two trees shorter than this is read along with them: one
    /// `pread` instead of two.
    static let gapLimit = 16 << 10
    static let readSize = 1 << 20

    /// The trees of `store`, copied on up to `workers` threads in pieces of at least
    /// `segmentLength` trees; nil when they would take more than `budget` bytes, or there are none.
    init?(store: PackStore, workers: Int, budget: Int = PackedTrees.budget, segmentLength: Int = 4096) {
        let trees = store.entries(ofKind: .tree).entries   // pack by pack, in offset order
        var total = 0
        for tree in trees {
            let file = store.packs[Int(tree.pack)]
            total += file.dataEnd(ofEntry: Int(tree.entry)) - file.entries[Int(tree.entry)].dataOffset
        }
        guard !trees.isEmpty, total <= budget else { return nil }
        let segments = Parallel.segments(of: trees.count, workers: workers, minimumLength: segmentLength)
        let copied = Parallel.run(pieces: segments.count, workers: workers,
                                  start: { [(piece: Int, bytes: CopiedBytes?, starts: [Int])]() }, piece: { done, piece in
            done.append(PackedTrees.copy(trees[segments[piece]], of: store, piece: piece))
        }, finish: { $0 }).flatMap { $0 }.sorted { $0.piece < $1.piece }
        let places = store.packs.map { CopiedBytes(count: $0.entries.count * 8) }   // zero-filled
        for (n, part) in copied.enumerated() {
            for (k, start) in part.starts.enumerated() where start >= 0 {
                let tree = trees[segments[part.piece].lowerBound + k]
                places[Int(tree.pack)]?.bytes.storeBytes(of: UInt64(n + 1) << 40 | UInt64(start),
                                                          toByteOffset: Int(tree.entry) * 8, as: UInt64.self)
            }
        }
        parts = copied.map(\.bytes)
        self.places = places
        byteCount = parts.reduce(0) { $0 + ($1?.count ?? 0) }
    }

    /// Copies the stored bytes of `trees` (in pack order), reading runs of nearby trees with
    /// one `pread` each; a run that cannot be read leaves its trees out. `starts`: per tree,
    /// where its bytes start in `bytes`, or -1.
    private static func copy(_ trees: ArraySlice<(pack: Int32, entry: Int32)>, of store: PackStore,
                             piece: Int) -> (piece: Int, bytes: CopiedBytes?, starts: [Int]) {
        var starts = [Int](repeating: -1, count: trees.count)
        let total = trees.reduce(0) { total, tree in
            let file = store.packs[Int(tree.pack)]
            return total + file.dataEnd(ofEntry: Int(tree.entry)) - file.entries[Int(tree.entry)].dataOffset
        }
        guard let out = CopiedBytes(count: total) else { return (piece, nil, starts) }
        var filled = 0
        var buffer = [UInt8](repeating: 0, count: readSize)
        let first = trees.startIndex
        var i = first
        while i < trees.endIndex {
            let file = store.packs[Int(trees[i].pack)]
            let runStart = file.entries[Int(trees[i].entry)].dataOffset
            var runEnd = file.dataEnd(ofEntry: Int(trees[i].entry))
            var j = i + 1
            while j < trees.endIndex, trees[j].pack == trees[i].pack {
                let start = file.entries[Int(trees[j].entry)].dataOffset, end = file.dataEnd(ofEntry: Int(trees[j].entry))
                guard start - runEnd <= gapLimit, end - runStart <= readSize else { break }
                runEnd = end
                j += 1
            }
            let run = runEnd - runStart
            if run > buffer.count { buffer = [UInt8](repeating: 0, count: run) }   // one tree larger than the buffer
            let read = buffer.withUnsafeMutableBytes { (try? file.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<run]), at: runStart)) != nil }
            if read {
                buffer.withUnsafeBytes { source in
                    for k in i..<j {
                        let entry = Int(trees[k].entry)
                        let start = file.entries[entry].dataOffset - runStart, end = file.dataEnd(ofEntry: entry) - runStart
                        starts[k - first] = filled
                        (out.bytes.baseAddress! + filled).copyMemory(from: source.baseAddress! + start, byteCount: end - start)
                        filled += end - start
                    }
                }
            }
            if buffer.count > readSize { buffer = [UInt8](repeating: 0, count: readSize) }
            i = j
        }
        return (piece, out, starts)
    }

    /// Calls `body` with the stored bytes of `entry` of pack `pack` (`count` of them, from its
    /// data offset), or returns nil when they are not held here.
    func withStored<T>(pack: Int, entry: Int, count: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T? {
        guard pack < places.count, let table = places[pack] else { return nil }
        let place = table.bytes.load(fromByteOffset: entry * 8, as: UInt64.self)
        guard place != 0 else { return nil }
        let part = Int(place >> 40) - 1, start = Int(place & 0xFF_FFFF_FFFF)
        guard let bytes = parts[part] else { return nil }
        return try body(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes.bytes)[start..<start + count]))
    }
}

/// Bytes in an anonymous mapping of their own (zero-filled), unmapped when let go. A heap block this large
/// may stay in the process after it is freed, and did: with the copied trees in the heap, the
/// scan's peak (in provenance, long after the walk) rose by their size.
///
/// NOTE: `@unchecked Sendable`: written only by the worker that made it, before it is shared;
/// only read after that.
final class CopiedBytes: @unchecked Sendable {
    let bytes: UnsafeMutableRawBufferPointer
    var count: Int { bytes.count }

    /// Room for `count` bytes (more than zero); nil when the system refuses the mapping.
    init?(count: Int) {
        guard count > 0, let base = mmap(nil, count, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              base != MAP_FAILED else { return nil }
        bytes = UnsafeMutableRawBufferPointer(start: base, count: count)
    }

    deinit { munmap(bytes.baseAddress, bytes.count) }
}
