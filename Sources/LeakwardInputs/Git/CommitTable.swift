import LeakwardModel
import LeakwardSupport

/// Every commit the packs hold (tree, parents, committer time), read straight from the packs
/// on every worker before the history walk. The commit graph is walked one commit after
/// another (a commit's parents are known only once it is read), and through libgit2 that was
/// the longest one-thread phase of a large history (160,000 commits of Rails: about 3 s of
/// one core). Read here in segments on all workers, the walk becomes lookups.
/// Only what the table is sure of is in it: a commit it cannot read or whose header is not
/// the plain form (`tree`, `parent`…, `author`, `committer … <time> <zone>`) is left to
/// libgit2, which reads it and reports any damage as before.
struct CommitTable: Sendable {
    private var slots = ObjectIDMap<Int32>(capacity: 1)
    private var ids: [ObjectID] = []
    private var trees: [ObjectID] = []
    private var times: [Int64] = []
    /// Commit `s`'s parents are `parentIDs[parentStarts[s]..<parentStarts[s + 1]]`.
    private var parentStarts: [Int32] = [0]
    private var parentIDs: [ObjectID] = []
    /// Each commit's message, slot by slot (kept for matching: see `CommitMessages`).
    private(set) var messages = CommitMessages()
    private var keepsMessages = false

    init() {}

    /// Where commit `id` sits in the table (and in `messages`).
    func slot(of id: ObjectID) -> Int32? { slots[id] }

    var count: Int { trees.count }

    /// The commit `id`, when the table holds it.
    func record(_ id: ObjectID) -> GitRepository.CommitRecord? {
        guard let slot = slots[id] else { return nil }
        let s = Int(slot)
        return GitRepository.CommitRecord(id: id, tree: trees[s],
                                          parents: Array(parentIDs[Int(parentStarts[s])..<Int(parentStarts[s + 1])]),
                                          time: times[s])
    }

    /// Reads every commit of `store` in segments on up to `workers` threads, each with its own
    /// pack reader. An interrupt leaves the table partial (the walk then asks libgit2).
    /// Commits are read in pack order, a window ahead at a time: a pack keeps its commits
    /// together (git writes them first), so one `pread` brings hundreds, where reading them by
    /// id cost an index search and a `pread` each (160,000 on Rails).
    /// `keepsMessages`: also keep every commit's message (for a scan that matches them).
    static func reading(_ store: PackStore, workers: Int, keepsMessages: Bool = false,
                        isCancelled: @escaping @Sendable () -> Bool = { false }) -> CommitTable {
        let commits = store.entries(ofKind: .commit).entries
        let segments = Parallel.segments(of: commits.count, workers: workers, minimumLength: 4096)
        struct Part {
            var reader: PackReader?
            var table: CommitTable
        }
        var parts = Parallel.run(pieces: segments.count, workers: workers, start: {
            var table = CommitTable()
            table.keepsMessages = keepsMessages
            return Part(reader: try? PackReader(store: store, cacheBudget: PackReader.treeCacheBudget), table: table)
        }, piece: { part, segment in
            guard let reader = part.reader else { return }
            for (n, at) in commits[segments[segment]].enumerated() {
                if n & 1023 == 0 && isCancelled() { return }
                guard case .object(let object)? = try? reader.read(pack: Int(at.pack), entry: Int(at.entry), wantsSpans: false,
                                                                   limit: PackReader.objectCap, ahead: PackReader.windowSize),
                      object.kind == .commit else { continue }
                part.table.add(store.packs[Int(at.pack)].id(ofEntry: Int(at.entry)), header: object.bytes)
            }
        }, finish: { $0.table })
        var table = CommitTable()
        table.slots = ObjectIDMap(capacity: parts.reduce(0) { $0 + $1.count })
        table.messages.reserve(bytes: parts.reduce(0) { $0 + $1.messages.byteCount }, messages: parts.reduce(0) { $0 + $1.count })
        // Each part is let go once copied: the messages are not held twice over.
        for i in parts.indices {
            table.append(parts[i])
            parts[i] = CommitTable()
        }
        return table
    }

    private mutating func append(_ other: CommitTable) {
        for s in 0..<other.count {
            let id = other.ids[s]
            guard slots.insert(id, Int32(trees.count)) else { continue }
            ids.append(id)
            trees.append(other.trees[s])
            times.append(other.times[s])
            parentIDs += other.parentIDs[Int(other.parentStarts[s])..<Int(other.parentStarts[s + 1])]
            parentStarts.append(Int32(parentIDs.count))
            if other.keepsMessages { messages.append(slot: s, of: other.messages) }
        }
    }

    /// Adds commit `id` from its raw bytes, when its header is the plain form.
    mutating func add(_ id: ObjectID, header bytes: [UInt8]) {
        guard let parsed = CommitTable.parse(bytes) else { return }
        guard slots.insert(id, Int32(trees.count)) else { return }
        ids.append(id)
        trees.append(parsed.tree)
        times.append(parsed.time)
        parentIDs += parsed.parents
        parentStarts.append(Int32(parentIDs.count))
        if keepsMessages { bytes.withUnsafeBufferPointer { messages.append(messageOf: $0) } }
    }

    /// Tree, parents and committer time of a raw commit; nil unless the header is exactly
    /// `tree <id>`, any `parent <id>` lines, one or more `author …` lines, then
    /// `committer … <seconds> <±hhmm>` (what libgit2 accepts and reads the same way).
    static func parse(_ bytes: [UInt8]) -> (tree: ObjectID, parents: [ObjectID], time: Int64)? {
        bytes.withUnsafeBufferPointer { buffer -> (tree: ObjectID, parents: [ObjectID], time: Int64)? in
            let n = buffer.count
            var i = 0
            func hasPrefix(_ prefix: StaticString) -> Bool {
                let count = prefix.utf8CodeUnitCount
                guard i + count <= n else { return false }
                let p = prefix.utf8Start
                for k in 0..<count where buffer[i + k] != p[k] { return false }
                return true
            }
            /// `<40 hex digits>\n` at `i`, moving past it.
            func id() -> ObjectID? {
                guard i + 41 <= n, buffer[i + 40] == 0x0A,
                      let id = ObjectID(hexDigits: UnsafeBufferPointer(rebasing: buffer[i..<i + 40])) else { return nil }
                i += 41
                return id
            }
            func endOfLine() -> Int? {
                var j = i
                while j < n, buffer[j] != 0x0A { j += 1 }
                return j < n ? j : nil
            }
            guard hasPrefix("tree ") else { return nil }
            i += 5
            guard let tree = id() else { return nil }
            var parents: [ObjectID] = []
            while hasPrefix("parent ") {
                i += 7
                guard let parent = id() else { return nil }
                parents.append(parent)
            }
            guard hasPrefix("author ") else { return nil }
            while hasPrefix("author ") {
                guard let end = endOfLine() else { return nil }
                i = end + 1
            }
            guard hasPrefix("committer "), let end = endOfLine() else { return nil }
            // `… <email> <seconds> <±hhmm>`: from the last `>` of the line.
            var close = end - 1
            while close > i, buffer[close] != UInt8(ascii: ">") { close -= 1 }
            guard close > i else { return nil }
            var j = close + 1
            guard j < end, buffer[j] == 0x20 else { return nil }
            j += 1
            var time: Int64 = 0
            let digits = j
            while j < end, buffer[j] >= 0x30, buffer[j] <= 0x39, j - digits < 18 {
                time = time * 10 + Int64(buffer[j] - 0x30)
                j += 1
            }
            guard j > digits, j + 6 == end, buffer[j] == 0x20, buffer[j + 1] == UInt8(ascii: "+") || buffer[j + 1] == UInt8(ascii: "-") else {
                return nil
            }
            for k in 2..<6 where !(buffer[j + k] >= 0x30 && buffer[j + k] <= 0x39) { return nil }
            return (tree, parents, time)
        }
    }
}
