/// A case-insensitive Aho-Corasick automaton over every rule keyword, compiled to a dense DFA
/// over byte classes: one pass over a buffer finds every keyword occurrence, whatever the
/// number of rules.
public struct KeywordFilter: Sendable {
    /// Byte → equivalence class (bytes no keyword uses share class 0).
    private let byteClass: [UInt8]
    private let classCount: Int
    /// `next[state * classCount + class]` → next state.
    private let next: [Int32]
    /// Keywords that end at each state (through failure links too).
    private let outputs: [[Int32]]
    /// 1 where `outputs` is non-empty: keeps the hot loop off the nested arrays.
    private let isTerminal: [UInt8]
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
        // Trie.
        var goto: [[Int32]] = [[Int32](repeating: -1, count: count)]
        var out: [[Int32]] = [[]]
        for (index, word) in lowered.enumerated() where !word.isEmpty {
            var state = 0
            for byte in word {
                let c = Int(classes[Int(byte)])
                if goto[state][c] < 0 {
                    goto.append([Int32](repeating: -1, count: count))
                    out.append([])
                    goto[state][c] = Int32(goto.count - 1)
                }
                state = Int(goto[state][c])
            }
            out[state].append(Int32(index))
        }
        // Breadth-first failure links, folded into a complete transition table.
        var fail = [Int](repeating: 0, count: goto.count)
        var table = [Int32](repeating: 0, count: goto.count * count)
        var queue: [Int] = []
        for c in 0..<count {
            let s = goto[0][c]
            if s >= 0 { table[c] = s; fail[Int(s)] = 0; queue.append(Int(s)) }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]; head += 1
            out[state] += out[fail[state]]
            for c in 0..<count {
                let s = goto[state][c]
                if s >= 0 {
                    fail[Int(s)] = Int(table[fail[state] * count + c])
                    table[state * count + c] = s
                    queue.append(Int(s))
                } else {
                    table[state * count + c] = table[fail[state] * count + c]
                }
            }
        }
        byteClass = classes
        classCount = count
        next = table
        outputs = out
        isTerminal = out.map { $0.isEmpty ? 0 : 1 }
    }

    /// Calls `hit(keywordIndex, endOffset)` for every keyword occurrence, in offset order.
    public func scan(_ buffer: UnsafeBufferPointer<UInt8>, hit: (Int, Int) -> Void) {
        guard !keywords.isEmpty else { return }
        byteClass.withUnsafeBufferPointer { classes in
            next.withUnsafeBufferPointer { table in
                isTerminal.withUnsafeBufferPointer { terminal in
                    var state = 0
                    let width = classCount
                    for i in 0..<buffer.count {
                        state = Int(table[state * width + Int(classes[Int(buffer[i])])])
                        if terminal[state] != 0 { for k in outputs[state] { hit(Int(k), i + 1) } }
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
