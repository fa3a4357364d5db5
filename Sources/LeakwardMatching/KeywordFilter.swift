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
        let table = goto
        // Renumber: the start state first, states with outputs last.
        let order = [0] + (1..<states).filter { out[$0].isEmpty } + (1..<states).filter { !out[$0].isEmpty }
        var number = [Int32](repeating: 0, count: states)
        for (n, state) in order.enumerated() { number[state] = Int32(n) }
        var renumbered = [Int32](repeating: 0, count: table.count)
        for (n, state) in order.enumerated() {
            for c in 0..<count { renumbered[n * count + c] = number[Int(table[state * count + c])] * Int32(count) }
        }
        byteClass = classes
        classCount = count
        next = renumbered
        firstTerminal = Int32(order.firstIndex { !out[$0].isEmpty } ?? order.count) * Int32(count)
        outputs = order.map { out[$0] }
        longestKeyword = max(1, lowered.map(\.count).max() ?? 1)
    }

    /// Calls `hit(keywordIndex, endOffset)` for every keyword occurrence, in offset order.
    ///
    /// Each byte's step waits on the load of the one before, so a buffer is walked as two or
    /// four interleaved lanes whose loads overlap. Every lane but the first starts a keyword's
    /// length early and reports only keywords ending in its own part, so nothing is missed or
    /// doubled.
    public func scan(_ buffer: UnsafeBufferPointer<UInt8>, hit: (Int, Int) -> Void) {
        guard !keywords.isEmpty, let bytes = buffer.baseAddress else { return }
        byteClass.withUnsafeBufferPointer { classes in
            next.withUnsafeBufferPointer { table in
                let classes = classes.baseAddress!, table = table.baseAddress!
                let terminal = firstTerminal, width = Int32(classCount)
                @inline(__always) func step(_ state: Int32, _ byte: UInt8) -> Int32 {
                    table[Int(state &+ Int32(truncatingIfNeeded: classes[Int(byte)]))]
                }
                let n = buffer.count, overlap = longestKeyword - 1
                if n >= 4096, overlap < n / 16 {
                    // Four lanes; lane k walks [k*q - overlap, (k+1)*q) and reports only ends past k*q.
                    let q = n / 4
                    let b1 = q - overlap, b2 = 2 * q - overlap, b3 = 3 * q - overlap
                    var s0: Int32 = 0, s1: Int32 = 0, s2: Int32 = 0, s3: Int32 = 0
                    var late1: [(keyword: Int32, end: Int)] = [], late2 = late1, late3 = late1
                    for i in 0..<q {
                        s0 = step(s0, bytes[i])
                        s1 = step(s1, bytes[b1 + i])
                        s2 = step(s2, bytes[b2 + i])
                        s3 = step(s3, bytes[b3 + i])
                        if s0 >= terminal { for k in outputs[Int(s0 / width)] { hit(Int(k), i + 1) } }
                        if s1 >= terminal, b1 + i >= q { for k in outputs[Int(s1 / width)] { late1.append((k, b1 + i + 1)) } }
                        if s2 >= terminal, b2 + i >= 2 * q { for k in outputs[Int(s2 / width)] { late2.append((k, b2 + i + 1)) } }
                        if s3 >= terminal, b3 + i >= 3 * q { for k in outputs[Int(s3 / width)] { late3.append((k, b3 + i + 1)) } }
                    }
                    for i in (b1 + q)..<(2 * q) {
                        s1 = step(s1, bytes[i])
                        if s1 >= terminal { for k in outputs[Int(s1 / width)] { late1.append((k, i + 1)) } }
                    }
                    for i in (b2 + q)..<(3 * q) {
                        s2 = step(s2, bytes[i])
                        if s2 >= terminal { for k in outputs[Int(s2 / width)] { late2.append((k, i + 1)) } }
                    }
                    for i in (b3 + q)..<n {
                        s3 = step(s3, bytes[i])
                        if s3 >= terminal { for k in outputs[Int(s3 / width)] { late3.append((k, i + 1)) } }
                    }
                    for (k, end) in late1 + late2 + late3 { hit(Int(k), end) }
                } else if n >= 256, overlap < n / 8 {
                    // Two lanes, the second starting `overlap` bytes early.
                    let middle = n / 2
                    let second = middle - overlap
                    var a: Int32 = 0, b: Int32 = 0
                    var late: [(keyword: Int32, end: Int)] = []
                    for i in 0..<middle {
                        a = step(a, bytes[i])
                        b = step(b, bytes[second + i])
                        if a >= terminal { for k in outputs[Int(a / width)] { hit(Int(k), i + 1) } }
                        if b >= terminal, second + i >= middle {
                            for k in outputs[Int(b / width)] { late.append((k, second + i + 1)) }
                        }
                    }
                    for i in (second + middle)..<n {
                        b = step(b, bytes[i])
                        if b >= terminal { for k in outputs[Int(b / width)] { late.append((k, i + 1)) } }
                    }
                    for (k, end) in late { hit(Int(k), end) }
                } else {
                    var state: Int32 = 0
                    for i in 0..<n {
                        state = step(state, bytes[i])
                        if state >= terminal { for k in outputs[Int(state / width)] { hit(Int(k), i + 1) } }
                    }
                }
            }
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
