#if canImport(Glibc)
import Glibc
#endif
import LeakwardModel

/// The raw messages of the commits the commit table read (160,000 on Rails, about 25 MB), kept
/// for the matching workers: without them every commit was found, read and inflated a second
/// time just for its message (0.85 s of CPU on Rails). One flat byte array with one start per
/// commit, in the table's order; looked up through the commit graph's index, so no second id
/// table is kept.
struct CommitMessages: Sendable {
    /// Message `s` is `bytes[starts[s]..<starts[s + 1]]`.
    private var starts: [UInt32] = [0]
    private var bytes: [UInt8] = []
    /// The message slot of each graph node, or -1 (a commit the table did not hold).
    private var slotOfNode: [Int32] = []

    init() {}

    var count: Int { starts.count - 1 }

    /// Adds the next slot's message: the message part of the raw commit `commit`. A message that
    /// would take the store past 4 GiB is kept empty (an empty message is read from the pack again).
    mutating func append(messageOf commit: UnsafeBufferPointer<UInt8>) {
        let range = CommitMessages.messageRange(commit)
        if bytes.count + range.count <= Int(UInt32.max) {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: commit[range]))
        }
        starts.append(UInt32(bytes.count))
    }

    /// Adds slot `s` of `other` as the next slot.
    mutating func append(slot s: Int, of other: CommitMessages) {
        let range = Int(other.starts[s])..<Int(other.starts[s + 1])
        if bytes.count + range.count <= Int(UInt32.max) { bytes += other.bytes[range] }
        starts.append(UInt32(bytes.count))
    }

    mutating func reserve(bytes count: Int, messages: Int) {
        bytes.reserveCapacity(count)
        starts.reserveCapacity(messages + 1)
    }

    var byteCount: Int { bytes.count }

    /// Ties the messages to `graph`'s nodes (`slot(of:)` names each commit's slot here).
    mutating func index(_ graph: CommitGraph, slot: (ObjectID) -> Int32?) {
        slotOfNode = graph.nodes.map { slot($0.id) ?? -1 }
    }

    /// The message of commit `id` (node `graph.index[id]`); nil when it was not kept or is
    /// empty (the caller then reads the commit itself).
    func message(ofNode node: Int) -> ArraySlice<UInt8>? {
        guard node >= 0, node < slotOfNode.count else { return nil }
        let s = Int(slotOfNode[node])
        guard s >= 0 else { return nil }
        let range = Int(starts[s])..<Int(starts[s + 1])
        return range.isEmpty ? nil : bytes[range]
    }

    /// Where a raw commit's message lies: after the headers' first blank line, up to any NUL
    /// (as libgit2 gives it); empty when there is no blank line.
    static func messageRange(_ commit: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        guard let base = commit.baseAddress else { return 0..<0 }
        let n = commit.count
        var i = 0
        while i + 1 < n {
            guard let found = memchr(base + i, 10, n - i - 1) else { return n..<n }
            i = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            if commit[i + 1] == 10 { break }
            i += 1
        }
        guard i + 1 < n else { return n..<n }
        let start = i + 2
        let end = start < n ? (memchr(base + start, 0, n - start).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? n) : n
        return start..<end
    }
}

/// A history source's `CommitMessages`, shared with its readers and let go when matching is
/// over: provenance, where a history scan's memory peaks, has no use for them (25 MB on Rails).
final class KeptMessages: @unchecked Sendable {
    /// Read by the matching workers; written again only by `release()`, which the source calls
    /// when it attributes findings, after matching and its rescans have finished.
    private(set) var messages: CommitMessages

    init(_ messages: CommitMessages = CommitMessages()) {
        self.messages = messages
    }

    func release() {
        messages = CommitMessages()
    }
}
