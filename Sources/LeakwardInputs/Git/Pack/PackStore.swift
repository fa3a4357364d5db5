#if canImport(Glibc)
import Glibc
#endif
import LeakwardDecoders
import LeakwardModel

/// Every pack of a repository's object database, mapped and indexed once, shared by all
/// workers. Objects it does not hold (loose objects, alternates, thin-pack deltas) are read
/// through libgit2.
final class PackStore: Sendable {
    let packs: [PackFile]
    /// Packs that could not be read, with the reason (their objects fall back to libgit2).
    let problems: [String]

    /// Opens `objects/pack/*.idx` under `objectsDirectory`, reading a large pack's headers on
    /// up to `workers` threads.
    init(objectsDirectory: String, workers: Int = 1) {
        var packs: [PackFile] = []
        var problems: [String] = []
        let directory = objectsDirectory + "/pack"
        for name in PackStore.names(in: directory) where name.hasSuffix(".idx") {
            let stem = directory + "/" + name.dropLast(4)
            do {
                packs.append(try PackFile(packPath: stem + ".pack", indexPath: stem + ".idx", workers: workers))
            } catch {
                problems.append("\(stem).pack: \(error)")
            }
        }
        self.packs = packs
        self.problems = problems
    }

    /// Where `id` lives: pack number and entry, or nil when no pack holds it.
    func locate(_ id: ObjectID) -> (pack: Int, entry: Int)? {
        for number in packs.indices {
            if let entry = packs[number].entry(of: id) { return (number, entry) }
        }
        return nil
    }

    /// Ids of every object of `kind` (commits, blobs) the packs hold, a delta counted as the
    /// kind of the whole object at the root of its chain. Deltas on a base outside their pack
    /// (thin packs, rare on disk) are returned in `unknown`, for the caller to ask libgit2.
    func objectIDs(ofKind kind: PackObjectKind) -> (ids: [ObjectID], unknown: [ObjectID]) {
        let found = entries(ofKind: kind)
        return (found.entries.map { packs[Int($0.pack)].id(ofEntry: Int($0.entry)) }, found.unknown)
    }

    /// Where every object of `kind` sits (pack number and entry), pack by pack in offset
    /// order, so reading them in this order reads each pack forwards; deltas on a base
    /// outside their pack are returned by id in `unknown`, as in `objectIDs(ofKind:)`.
    func entries(ofKind kind: PackObjectKind) -> (entries: [(pack: Int32, entry: Int32)], unknown: [ObjectID]) {
        var found: [(pack: Int32, entry: Int32)] = [], unknown: [ObjectID] = []
        let wanted = kind.rawValue, unresolved = PackFile.unresolvedKind
        for (number, pack) in packs.enumerated() {
            pack.kinds.withUnsafeBufferPointer { kinds in
                for i in kinds.indices {
                    if kinds[i] == wanted { found.append((Int32(number), Int32(i))) } else if kinds[i] == unresolved { unknown.append(pack.id(ofEntry: i)) }
                }
            }
        }
        return (found, unknown)
    }

    /// A rank for every entry of every pack, `ranks[pack][entry]`: pack by pack, each delta
    /// tree depth first from its whole object, so every object ranks after its base.
    func rebuildRanks() -> [[Int32]] {
        var next: Int32 = 0
        return packs.map { pack in
            let entries = pack.entries
            // Children lists as one array: `first[i]` starts the children of entry i in `children`.
            var first = [Int32](repeating: 0, count: entries.count + 1)
            for entry in entries where entry.base >= 0 { first[Int(entry.base) + 1] += 1 }
            for i in 0..<entries.count { first[i + 1] += first[i] }
            var fill = first
            var children = [Int32](repeating: 0, count: Int(first[entries.count]))
            for (i, entry) in entries.enumerated() where entry.base >= 0 {
                children[Int(fill[Int(entry.base)])] = Int32(i)
                fill[Int(entry.base)] += 1
            }
            var rank = [Int32](repeating: 0, count: entries.count)
            var stack: [Int32] = []
            for root in entries.indices where entries[root].base < 0 {
                stack.append(Int32(root))
                while let top = stack.popLast() {
                    let i = Int(top)
                    rank[i] = next
                    next += 1
                    var c = Int(first[i + 1])
                    while c > Int(first[i]) { c -= 1; stack.append(children[c]) }
                }
            }
            return rank
        }
    }

    private static func names(in directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            names.append(name)
        }
        return names.sorted()
    }
}

/// One worker's way into the packs: inflates objects, applies deltas, and keeps recently
/// rebuilt objects that are bases of others so a delta chain is rebuilt once, not per blob.
final class PackReader {
    let store: PackStore
    /// Raw deflate: each object's two-byte zlib header is checked and skipped here, so no time
    /// goes to the Adler-32 trailer (the pack has its own checksum).
    private let inflater: WholeInflater
    /// Rebuilt objects that are bases of others, by pack number and offset.
    private var cache = RecentObjects()
    private var cacheOrder: [Int] = []
    private var oldest = 0
    private var cacheBytes = 0
    /// Bytes of rebuilt bases kept per worker reading blobs.
    static let blobCacheBudget = 32 << 20
    /// Trees are small and their chains short: walks over them keep less.
    static let treeCacheBudget = 12 << 20
    private let cacheBudget: Int
    /// The stored (compressed) bytes are read with `pread` into this reader's window, never
    /// through the mapping: a mapped page read counts in the resident set until released, and
    /// releasing and faulting pages back cost a tenth of a Rails history scan's CPU. The page
    /// cache holds the file either way. `window` holds `windowCount` bytes of pack
    /// `windowPack` from offset `windowStart`: at least `readAhead` bytes are read, so small
    /// neighbours (tree deltas, a delta after its base) often come with one read. More would
    /// be copied for nothing: on a Rails history reads with 256 KiB ahead hit no more often.
    /// Objects read by id (`rebuilt`: trees in the history walks, commits) are read exactly:
    /// they come in no pack order, and 8 KiB ahead copied 7 GB out of the page cache for the
    /// 0.19 GB a Rails walk needs (1.5 M reads instead of 0.87 M cost less than the copying).
    private var window: [UInt8]
    private var windowPack = -1
    private var windowStart = 0
    private var windowCount = 0
    static let windowSize = 256 << 10
    static let readAhead = 8 << 10

    /// The packs' trees copied into memory for a history walk (`PackedTrees`), read from there
    /// instead of with `pread`.
    let packedTrees: PackedTrees?

    init(store: PackStore, cacheBudget: Int = PackReader.blobCacheBudget, packedTrees: PackedTrees? = nil) throws {
        self.store = store
        self.cacheBudget = cacheBudget
        self.packedTrees = packedTrees
        inflater = try WholeInflater()
        window = [UInt8](repeating: 0, count: PackReader.windowSize)
    }

    /// No object this reader rebuilds (a blob, a base, a tree) may be larger: past it, libgit2 reads.
    static let objectCap = 1 << 30

    /// The stored data of `item`: its zlib stream, which must inflate to exactly `item.size`.
    /// Deflate expands at most 1032:1, so a size the stream's room in the pack cannot hold is
    /// refused before anything is allocated.
    private func inflate(_ file: PackFile, pack: Int, entry: Int, ahead: Int) throws -> [UInt8] {
        let item = file.entries[entry]
        let room = file.dataEnd(ofEntry: entry) - item.dataOffset
        guard item.size <= PackReader.objectCap, item.size <= room * 1032 + 64 else {
            throw PackError.malformed("object at \(item.offset) of \(file.path) claims \(item.size) bytes from \(room) stored")
        }
        if let packedTrees, let bytes = try packedTrees.withStored(pack: pack, entry: entry, count: room, { input in
            try inflate(input, size: item.size, at: item.dataOffset, of: file)
        }) {
            return bytes
        }
        return try stored(pack, file, from: item.dataOffset, to: item.dataOffset + room, ahead: ahead) { input in
            try inflate(input, size: item.size, at: item.dataOffset, of: file)
        }
    }

    /// Calls `body` with bytes `start..<end` of pack `pack`: from the window when it holds
    /// them, else read (into the window from `start` when they fit, else on their own).
    private func stored<T>(_ pack: Int, _ file: PackFile, from start: Int, to end: Int, ahead: Int,
                           _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        if pack == windowPack, start >= windowStart, end <= windowStart + windowCount {
            return try window.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[(start - windowStart)..<(end - windowStart)])) }
        }
        if end - start > PackReader.windowSize {
            var bytes = [UInt8](repeating: 0, count: end - start)
            try bytes.withUnsafeMutableBytes { try file.read(into: $0, at: start) }
            return try bytes.withUnsafeBytes(body)
        }
        let count = min(max(end - start, ahead), file.size - start)
        windowPack = -1
        try window.withUnsafeMutableBytes { try file.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<count]), at: start) }
        (windowPack, windowStart, windowCount) = (pack, start, count)
        return try window.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<(end - start)])) }
    }

    /// The `size` bytes of the zlib stream `input` (read from `offset` of `file`).
    private func inflate(_ input: UnsafeRawBufferPointer, size: Int, at offset: Int, of file: PackFile) throws -> [UInt8] {
        guard input.count >= 2 else { throw PackError.malformed("object data runs past the end of \(file.path)") }
        let cmf = input[0], flg = input[1]
        guard cmf & 0x0F == 8, (Int(cmf) << 8 | Int(flg)) % 31 == 0, flg & 0x20 == 0 else {
            throw PackError.malformed("object data at \(offset) of \(file.path) is not a zlib stream")
        }
        guard let bytes = inflater.inflate(exactly: size, from: UnsafeRawBufferPointer(rebasing: input[2...])) else {
            throw PackError.malformed("object data at \(offset) of \(file.path) does not inflate to its \(size) bytes")
        }
        return bytes
    }

    /// A blob rebuilt, plus what its delta copied and inserted when its base is in the same pack.
    struct Rebuilt {
        var bytes: [UInt8]
        var kind: PackObjectKind
        /// The object this one is a delta of (asked for with its spans, else nil), the delta's
        /// instructions and the base's size.
        var base: ObjectID?
        var spans: [Delta.Span]
        var baseSize = 0
    }

    enum Outcome {
        case object(Rebuilt)
        /// Bigger than the limit: never rebuilt.
        case tooLarge(Int)
    }

    /// The object at `entry` of pack `pack`, with its delta spans when `wantsSpans`.
    /// Object `id` rebuilt whole, when a pack holds it, it fits `limit` and this reader can
    /// read it; nil otherwise (libgit2 then reads it and reports any damage).
    func rebuilt(_ id: ObjectID, limit: Int = PackReader.objectCap) -> Rebuilt? {
        guard let (pack, entry) = store.locate(id),
              case .object(let object)? = try? read(pack: pack, entry: entry, wantsSpans: false, limit: limit, ahead: 0) else { return nil }
        return object
    }

    func read(pack: Int, entry: Int, wantsSpans: Bool, limit: Int, ahead: Int = PackReader.readAhead) throws -> Outcome {
        let file = store.packs[pack]
        let item = file.entries[entry]
        guard item.kind.isDelta else {
            if item.size > limit { return .tooLarge(item.size) }
            let whole = try object(pack: pack, entry: entry, ahead: ahead)
            return .object(Rebuilt(bytes: whole.bytes, kind: whole.kind, base: nil, spans: []))
        }
        guard item.base >= 0 else { throw PackError.malformed("delta base of \(file.id(ofEntry: entry)) is not in \(file.path)") }
        // Rebuilt already, as a link of another object's chain: kept, since it is a base. A
        // history walk meets one in eight of its trees this way (a Rails history: 108,000 of
        // 885,000 tree reads), and inflated and applied each a second time.
        if !wantsSpans, file.isBase[entry], let hit = cache[pack << 40 | item.offset] {
            if hit.bytes.count > limit { return .tooLarge(hit.bytes.count) }
            return .object(Rebuilt(bytes: hit.bytes, kind: hit.kind, base: nil, spans: []))
        }
        let delta = try inflate(file, pack: pack, entry: entry, ahead: ahead)
        let resultSize = try delta.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws in try Delta.resultSize(raw) }
        if resultSize > limit { return .tooLarge(resultSize) }
        let base = try object(pack: pack, entry: Int(item.base), ahead: ahead)
        let (bytes, spans) = try delta.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws -> ([UInt8], [Delta.Span]) in
            let bytes = try base.bytes.withUnsafeBytes { (baseRaw: UnsafeRawBufferPointer) throws in try Delta.apply(raw, to: baseRaw, limit: limit) }
            return (bytes, wantsSpans ? try Delta.spans(raw).spans : [])
        }
        if file.isBase[entry] { remember(pack << 40 | item.offset, bytes, kind: base.kind) }
        // The base's id only with the spans, where it is compared with the planned base: looked
        // up for every delta tree of a history walk, it was a cache miss each for nothing.
        return .object(Rebuilt(bytes: bytes, kind: base.kind, base: wantsSpans ? file.id(ofEntry: Int(item.base)) : nil, spans: spans,
                               baseSize: base.bytes.count))
    }

    /// Content and kind of any object, from the cache when it was rebuilt lately. The chain of
    /// bases is walked down to a cached or whole object, then rebuilt upwards.
    private func object(pack: Int, entry: Int, ahead: Int) throws -> (bytes: [UInt8], kind: PackObjectKind) {
        let file = store.packs[pack]
        var chain: [Int] = []
        var current = entry
        var start: (bytes: [UInt8], kind: PackObjectKind)?
        while start == nil {
            let key = pack << 40 | file.entries[current].offset
            if let hit = cache[key] {
                start = hit
                break
            }
            let item = file.entries[current]
            if item.kind.isDelta {
                guard item.base >= 0 else { throw PackError.malformed("delta base of \(file.id(ofEntry: current)) is not in \(file.path)") }
                chain.append(current)
                guard chain.count <= 10_000 else { throw PackError.malformed("delta chain of \(file.id(ofEntry: current)) does not end") }
                current = Int(item.base)
            } else {
                start = (try inflate(file, pack: pack, entry: current, ahead: ahead), item.kind)
                if file.isBase[current] { remember(pack << 40 | item.offset, start!.bytes, kind: item.kind) }
            }
        }
        var (bytes, kind) = start!
        for link in chain.reversed() {
            let item = file.entries[link]
            let delta = try inflate(file, pack: pack, entry: link, ahead: ahead)
            bytes = try delta.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws in
                try bytes.withUnsafeBytes { (baseRaw: UnsafeRawBufferPointer) throws in try Delta.apply(raw, to: baseRaw, limit: PackReader.objectCap) }
            }
            if file.isBase[link] { remember(pack << 40 | item.offset, bytes, kind: kind) }
        }
        return (bytes, kind)
    }

    /// Keeps a rebuilt object, dropping the oldest ones beyond the budget.
    private func remember(_ key: Int, _ bytes: [UInt8], kind: PackObjectKind) {
        guard bytes.count <= cacheBudget / 4, !cache.contains(key) else { return }
        cache.insert(key, (bytes, kind))
        cacheOrder.append(key)
        cacheBytes += bytes.count
        // Oldest out, by a moving start index: removing from the front would shift the whole
        // queue on every eviction, and small trees make it long.
        while cacheBytes > cacheBudget, oldest < cacheOrder.count {
            cacheBytes -= cache.remove(cacheOrder[oldest])?.bytes.count ?? 0
            oldest += 1
        }
        if oldest > 1024, oldest * 2 > cacheOrder.count {
            cacheOrder.removeFirst(oldest)
            oldest = 0
        }
    }
}
