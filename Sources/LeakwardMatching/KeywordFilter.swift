import LeakwardSupport

/// A case-insensitive Aho-Corasick automaton over every rule keyword, compiled to a dense DFA
/// over byte classes: one pass over a buffer finds every keyword occurrence, whatever the
/// number of rules.
public struct KeywordFilter: Sendable {
    /// Byte → the offset of its equivalence class within a row (the class times 4; bytes no
    /// keyword uses share class 0).
    private let classOffset: [UInt16]
    private let classCount: Int
    /// Each state's row: `classCount` entries, each the byte offset of the next state's row.
    /// A step is then one load from the byte's column (`table + classOffset[byte]`, worked out
    /// apart from the state) at the state's offset: a state waits on nothing but the load before
    /// it (a state number scaled and sign-extended first cost two more cycles of every step).
    /// Rows of states without outputs come first, breadth-first; those with outputs start at
    /// `terminal`, the power of two at or past the end of the others, so whether any lane reached
    /// one is one OR of the lanes and one compare. Read as `UInt32` (stored as `Int32`: the
    /// table is built and renumbered in place).
    private let next: [Int32]
    /// The byte offset of the first row of a state with outputs (a power of two).
    private let terminal: UInt32
    /// States without outputs (their rows come first).
    private let plainStates: Int
    /// Keywords that end at each state (through failure links too), by state number.
    private let outputs: [[Int32]]
    /// Bytes in the longest keyword.
    private let longestKeyword: Int
    public let keywords: [String]

    public init(keywords: [String]) {
        self.keywords = keywords
        let lowered = keywords.map { Array($0.utf8).map(KeywordFilter.fold) }
        var classes = [UInt8](repeating: 0, count: 256)
        var count = 1
        for byte in Set(lowered.joined()).sorted() {
            classes[Int(byte)] = UInt8(count)
            // Upper-case letters fold onto their lower-case class.
            if byte >= 97 && byte <= 122 { classes[Int(byte - 32)] = UInt8(count) }
            count += 1
        }
        // Trie, in one flat table (`count` entries per state, -1 for no child): an array per
        // state cost an allocation each and a uniqueness check per step, a few milliseconds of
        // every start-up. Reserved once for the most states the keywords can make, so it is
        // never copied while it grows (only the pages used are ever touched).
        var goto = [Int32](repeating: -1, count: count)
        goto.reserveCapacity((lowered.reduce(0) { $0 + $1.count } + 1) * count)
        var out: [[Int32]] = [[]]
        var states = 1
        for (index, word) in lowered.enumerated() where !word.isEmpty {
            var state = 0
            for byte in word {
                let slot = state * count + Int(classes[Int(byte)])
                if goto[slot] < 0 {
                    goto.append(contentsOf: repeatElement(-1, count: count))
                    out.append([])
                    goto[slot] = Int32(states)
                    states += 1
                }
                state = Int(goto[slot])
            }
            out[state].append(Int32(index))
        }
        // Breadth-first failure links, folded into the same table in place: each row becomes
        // complete transitions when its state is dequeued, after its failure state's row (a
        // shorter prefix, so dequeued earlier) already has.
        var fail = [Int](repeating: 0, count: states)
        var queue: [Int] = []
        queue.reserveCapacity(states)
        for c in 0..<count {
            let s = goto[c]
            if s >= 0 { fail[Int(s)] = 0; queue.append(Int(s)) } else { goto[c] = 0 }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]; head += 1
            if !out[fail[state]].isEmpty { out[state] += out[fail[state]] }
            let base = state * count, failBase = fail[state] * count
            for c in 0..<count {
                let s = goto[base + c]
                if s >= 0 {
                    fail[Int(s)] = Int(goto[failBase + c])
                    queue.append(Int(s))
                } else {
                    goto[base + c] = goto[failBase + c]
                }
            }
        }
        // Renumber: the start state first, states with outputs last, each part in breadth-first
        // order (`queue`). Text keeps returning to the shallow states, so their rows, which the
        // scan reads most, then share cache lines and pages instead of lying strewn over the
        // table in the order the keywords were added (the scan waits on these loads).
        let order = [0] + queue.filter { out[$0].isEmpty } + queue.filter { !out[$0].isEmpty }
        var number = [Int32](repeating: 0, count: states)
        for (n, state) in order.enumerated() { number[state] = Int32(n) }
        // In place: each entry becomes its target's new number (times `count`, the row's
        // offset), then the rows move to their new places one cycle of the permutation at a
        // time, carrying one row. A second table as large (over a megabyte with the built-in
        // rules) was fresh memory, zeroed and faulted in page by page before any file is read:
        // about 550 of an empty scan's 2,850 page faults.
        goto.withUnsafeMutableBufferPointer { table in
            for i in table.indices { table[i] = number[Int(table[i])] * Int32(count) }
            var placed = [Bool](repeating: false, count: states)
            var row = [Int32](repeating: 0, count: count)
            for start in 0..<states where !placed[start] {
                // Row `order[n]` goes to row `n`: from `start` along the cycle until it closes.
                for c in 0..<count { row[c] = table[start * count + c] }
                var n = start
                while true {
                    placed[n] = true
                    let from = order[n]
                    if from == start {
                        for c in 0..<count { table[n * count + c] = row[c] }
                        break
                    }
                    for c in 0..<count { table[n * count + c] = table[from * count + c] }
                    n = from
                }
            }
        }
        // Entries become byte offsets of rows, and the rows of states with outputs move up to
        // `terminal` (from the last, so none is overwritten before it moved).
        let plain = order.firstIndex { !out[$0].isEmpty } ?? order.count
        var firstTerminal = 4
        while firstTerminal < plain * count * 4 { firstTerminal <<= 1 }
        let terminalEntry = firstTerminal / 4
        func offset(_ entry: Int32) -> Int32 {
            let n = Int(entry) / count
            return Int32(n < plain ? n * count * 4 : firstTerminal + (n - plain) * count * 4)
        }
        goto.append(contentsOf: repeatElement(0, count: max(0, terminalEntry + (states - plain) * count - goto.count)))
        goto.withUnsafeMutableBufferPointer { table in
            for n in stride(from: states - 1, through: plain, by: -1) {
                let to = terminalEntry + (n - plain) * count
                // Backwards: a row moved by less than its length overlaps itself.
                for c in stride(from: count - 1, through: 0, by: -1) { table[to + c] = offset(table[n * count + c]) }
            }
            for i in 0..<plain * count { table[i] = offset(table[i]) }
        }
        classOffset = classes.map { UInt16($0) * 4 }
        classCount = count
        next = goto
        terminal = UInt32(firstTerminal)
        plainStates = plain
        outputs = order.map { out[$0] }
        longestKeyword = max(1, lowered.map(\.count).max() ?? 1)
    }

    /// Calls `hit(keywordIndex, endOffset)` for every keyword occurrence, in offset order.
    ///
    /// Each byte's step waits on the load of the one before, so a buffer is walked as four
    /// (or, short, two or one) interleaved lanes whose loads overlap. Every lane but the first starts a
    /// keyword's length early and reports only keywords ending in its own part, so nothing is
    /// missed or doubled. The loop only steps the lanes and tests them against `terminal`
    /// with one branch; a lane that reached a keyword is recorded out of line (`LaneHits`), so
    /// the loop keeps its states and pointers in registers (inlining the caller's `hit` into it
    /// spilled them to the stack on every byte). Windows of history blobs (one to a few KB) are
    /// most of the bytes a history scan matches: they get four lanes too.
    public func scan(_ buffer: UnsafeBufferPointer<UInt8>, hit: (Int, Int) -> Void) {
        guard !keywords.isEmpty, let bytes = buffer.baseAddress else { return }
        let n = buffer.count, overlap = longestKeyword - 1
        // Four lanes as soon as each part is longer than the overlap it starts early by and the
        // buffer is a few hundred bytes: the steps wait on loads, so fewer steps a lane win even
        // though the lanes read more bytes in all (on Rails text, 4 lanes beat 2 from about 160
        // bytes on, and 2 beat 1 from about 100).
        let lanes = n >= max(192, 5 * overlap) ? 4 : n >= max(96, 3 * overlap) ? 2 : 1
        classOffset.withUnsafeBufferPointer { columns in
            next.withUnsafeBytes { rows in
                let column = columns.baseAddress!, table = rows.baseAddress!
                let terminal = self.terminal, row = classCount * 4, plain = plainStates
                // Lane k > 0 walks [k*q - overlap, (k+1)*q) (the last lane on to n) and reports
                // only ends past k*q; lane 0 walks [0, q + overlap) and reports ends up to q.
                // One lane walks the whole buffer.
                let q = n / lanes, steps = lanes == 1 ? n : q + overlap
                var found = LaneHits(lanes: lanes, q: q, overlap: overlap, terminal: terminal, row: row, plain: plain)
                var walk = ByteSearch.AutomatonLanes(lanes: lanes, bytes, bytes + (q - overlap), bytes + (2 * q - overlap), bytes + (3 * q - overlap))
                var i = 0
                while i < steps {
                    i = walk.run(table: table, column: column, from: i, steps: steps, terminal: terminal)
                    guard i < steps else { break }
                    found.record(walk.states, at: i)
                    i += 1
                }
                // What the lanes met, in order; then the last lane walks on to the end.
                for lane in 0..<lanes {
                    for packed in found.lane(lane) {
                        for k in outputs[Int(packed >> 40)] { hit(Int(k), Int(packed & 0xFF_FFFF_FFFF)) }
                    }
                }
                guard lanes > 1 else { return }
                let start = (lanes - 1) * q - overlap, end = n - start
                var tail = ByteSearch.AutomatonLanes(lanes: 1, bytes + start)
                tail.states.0 = lanes == 4 ? walk.states.3 : walk.states.1
                i = steps
                while i < end {
                    i = tail.run(table: table, column: column, from: i, steps: end, terminal: terminal)
                    guard i < end else { break }
                    let state = KeywordFilter.state(at: tail.states.0, terminal: terminal, row: row, plain: plain)
                    for k in outputs[state] { hit(Int(k), start + i + 1) }
                    i += 1
                }
            }
        }
    }

    /// The number of the state whose row starts at byte `offset` (its index in `outputs`), rows
    /// being `row` bytes long and the first `plain` states' rows lying below `terminal`.
    static func state(at offset: UInt32, terminal: UInt32, row: Int, plain: Int) -> Int {
        offset < terminal ? Int(offset) / row : plain + Int(offset - terminal) / row
    }

    /// Keyword ends each lane met, in order: its state number in the top 24 bits and the end
    /// offset in the low 40. Arrays are made only for lanes that met one.
    private struct LaneHits {
        var hits: ([UInt64], [UInt64], [UInt64], [UInt64]) = ([], [], [], [])
        // Kept here, not passed to `record`: the loop then keeps fewer values in registers.
        let lanes: Int, q: Int, overlap: Int
        let terminal: UInt32
        let row: Int, plain: Int

        init(lanes: Int, q: Int, overlap: Int, terminal: UInt32, row: Int, plain: Int) {
            (self.lanes, self.q, self.overlap, self.terminal, self.row, self.plain) = (lanes, q, overlap, terminal, row, plain)
        }

        func lane(_ k: Int) -> [UInt64] {
            switch k { case 0: hits.0; case 1: hits.1; case 2: hits.2; default: hits.3 }
        }

        mutating func append(lane k: Int, state: UInt32, end: Int) {
            let number = KeywordFilter.state(at: state, terminal: terminal, row: row, plain: plain)
            let packed = UInt64(number) << 40 | UInt64(end)
            switch k { case 0: hits.0.append(packed); case 1: hits.1.append(packed); case 2: hits.2.append(packed); default: hits.3.append(packed) }
        }

        /// At step `i` lane 0 read byte `i` and lane k > 0 byte `k*q - overlap + i`; each
        /// reports the end after it only inside its own part, `(k*q, (k+1)*q]`.
        @inline(never)
        mutating func record(_ s: (UInt32, UInt32, UInt32, UInt32), at i: Int) {
            if s.0 >= terminal, i + 1 <= q { append(lane: 0, state: s.0, end: i + 1) }
            let ends = (q - overlap + i + 1, 2 * q - overlap + i + 1, 3 * q - overlap + i + 1)
            guard lanes > 1 else { return }
            if s.1 >= terminal, ends.0 > q { append(lane: 1, state: s.1, end: ends.0) }
            guard lanes == 4 else { return }
            if s.2 >= terminal, ends.1 > 2 * q { append(lane: 2, state: s.2, end: ends.1) }
            if s.3 >= terminal, ends.2 > 3 * q { append(lane: 3, state: s.3, end: ends.2) }
        }
    }

    /// Whether any keyword occurs in `text` (used by the rule self-test).
    public func containsAny(_ text: String) -> Bool {
        var found = false
        Array(text.utf8).withUnsafeBufferPointer { buffer in scan(buffer) { _, _ in found = true } }
        return found
    }

    static func fold(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }
}
