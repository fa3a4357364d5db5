/// A case-insensitive Aho-Corasick automaton over every rule keyword, compiled to a dense DFA
/// over byte classes: one pass over a buffer finds every keyword occurrence, whatever the
/// number of rules.
public struct KeywordFilter: Sendable {
    /// Byte → equivalence class (bytes no keyword uses share class 0).
    private let byteClass: [UInt8]
    private let classCount: Int
    /// `next[state + class]` → next state. States are stored premultiplied by `classCount`
    /// (state n is `n * classCount`), and numbered so those with outputs come last: the hot
    /// loop is one add and one load per byte, and one compare says whether a keyword ended.
    private let next: [Int32]
    /// The first premultiplied state with outputs.
    private let firstTerminal: Int32
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
        byteClass = classes
        classCount = count
        next = goto
        firstTerminal = Int32(order.firstIndex { !out[$0].isEmpty } ?? order.count) * Int32(count)
        outputs = order.map { out[$0] }
        longestKeyword = max(1, lowered.map(\.count).max() ?? 1)
    }

    /// Calls `hit(keywordIndex, endOffset)` for every keyword occurrence, in offset order.
    ///
    /// Each byte's step waits on the load of the one before, so a buffer is walked as four
    /// (or, short, two) interleaved lanes whose loads overlap. Every lane but the first starts a
    /// keyword's length early and reports only keywords ending in its own part, so nothing is
    /// missed or doubled. The loop only steps the lanes and tests them against `firstTerminal`
    /// with one branch; a lane that reached a keyword is recorded out of line (`LaneHits`), so
    /// the loop keeps its states and pointers in registers (inlining the caller's `hit` into it
    /// spilled them to the stack on every byte). Windows of history blobs (one to a few KB) are
    /// most of the bytes a history scan matches: they get four lanes too.
    public func scan(_ buffer: UnsafeBufferPointer<UInt8>, hit: (Int, Int) -> Void) {
        guard !keywords.isEmpty, let bytes = buffer.baseAddress else { return }
        let n = buffer.count, overlap = longestKeyword - 1
        let lanes = n >= 1024 && overlap < n / 16 ? 4 : n >= 256 && overlap < n / 8 ? 2 : 1
        byteClass.withUnsafeBufferPointer { classes in
            next.withUnsafeBufferPointer { table in
                let classes = classes.baseAddress!, table = table.baseAddress!
                let terminal = firstTerminal, width = Int32(classCount)
                @inline(__always) func step(_ state: Int32, _ byte: UInt8) -> Int32 {
                    table[Int(state &+ Int32(truncatingIfNeeded: classes[Int(byte)]))]
                }
                // Lane k > 0 walks [k*q - overlap, (k+1)*q) (the last lane on to n) and reports
                // only ends past k*q; lane 0 walks [0, q + overlap) and reports ends up to q.
                let q = n / lanes, steps = q + overlap
                var found = LaneHits(lanes: lanes, q: q, overlap: overlap, terminal: terminal, width: width)
                var s: (Int32, Int32, Int32, Int32) = (0, 0, 0, 0)
                switch lanes {
                case 4:
                    let p0 = bytes, p1 = bytes + (q - overlap), p2 = bytes + (2 * q - overlap), p3 = bytes + (3 * q - overlap)
                    var i = 0
                    while i < steps {
                        s.0 = step(s.0, p0[i]); s.1 = step(s.1, p1[i]); s.2 = step(s.2, p2[i]); s.3 = step(s.3, p3[i])
                        if s.0 >= terminal || s.1 >= terminal || s.2 >= terminal || s.3 >= terminal {
                            found.record(s, at: i)
                        }
                        i &+= 1
                    }
                case 2:
                    let p0 = bytes, p1 = bytes + (q - overlap)
                    var i = 0
                    while i < steps {
                        s.0 = step(s.0, p0[i]); s.1 = step(s.1, p1[i])
                        if s.0 >= terminal || s.1 >= terminal {
                            found.record(s, at: i)
                        }
                        i &+= 1
                    }
                default:
                    break
                }
                // What the lanes met, in order; then the last lane walks on to the end (the
                // whole buffer, for one lane), reporting as it goes.
                for lane in 0..<lanes {
                    for packed in found.lane(lane) {
                        for k in outputs[Int(packed >> 40)] { hit(Int(k), Int(packed & 0xFF_FFFF_FFFF)) }
                    }
                }
                var state = lanes == 4 ? s.3 : lanes == 2 ? s.1 : 0
                var i = lanes == 1 ? 0 : (lanes - 1) * q - overlap + steps
                while i < n {
                    state = step(state, bytes[i])
                    if state >= terminal { for k in outputs[Int(state / width)] { hit(Int(k), i + 1) } }
                    i &+= 1
                }
            }
        }
    }

    /// Keyword ends each lane met, in order: its state number in the top 24 bits and the end
    /// offset in the low 40. Arrays are made only for lanes that met one.
    private struct LaneHits {
        var hits: ([UInt64], [UInt64], [UInt64], [UInt64]) = ([], [], [], [])
        // Kept here, not passed to `record`: the loop then keeps fewer values in registers.
        let lanes: Int, q: Int, overlap: Int
        let terminal: Int32, width: Int32

        init(lanes: Int, q: Int, overlap: Int, terminal: Int32, width: Int32) {
            (self.lanes, self.q, self.overlap, self.terminal, self.width) = (lanes, q, overlap, terminal, width)
        }

        func lane(_ k: Int) -> [UInt64] {
            switch k { case 0: hits.0; case 1: hits.1; case 2: hits.2; default: hits.3 }
        }

        mutating func append(lane k: Int, state: Int32, end: Int) {
            let packed = UInt64(UInt32(bitPattern: state)) << 40 | UInt64(end)
            switch k { case 0: hits.0.append(packed); case 1: hits.1.append(packed); case 2: hits.2.append(packed); default: hits.3.append(packed) }
        }

        /// At step `i` lane 0 read byte `i` and lane k > 0 byte `k*q - overlap + i`; each
        /// reports the end after it only inside its own part, `(k*q, (k+1)*q]`.
        @inline(never)
        mutating func record(_ s: (Int32, Int32, Int32, Int32), at i: Int) {
            if s.0 >= terminal, i + 1 <= q { append(lane: 0, state: s.0 / width, end: i + 1) }
            let ends = (q - overlap + i + 1, 2 * q - overlap + i + 1, 3 * q - overlap + i + 1)
            if s.1 >= terminal, ends.0 > q { append(lane: 1, state: s.1 / width, end: ends.0) }
            guard lanes == 4 else { return }
            if s.2 >= terminal, ends.1 > 2 * q { append(lane: 2, state: s.2 / width, end: ends.1) }
            if s.3 >= terminal, ends.2 > 3 * q { append(lane: 3, state: s.3 / width, end: ends.2) }
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
