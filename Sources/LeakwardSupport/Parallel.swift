#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// Runs the independent pieces of one phase (segments of a history walk, say) on worker
/// threads; with `ScanPipeline`, the only code that starts threads.
///
/// Each worker makes its own state once (`start`: a repository handle, a reader, memo
/// tables), never shared, then takes pieces in increasing order until none are left; what
/// each worker holds at the end (`finish`) is returned, in no particular order. A worker
/// therefore only ever sees its pieces in order, which lets a history walk skip what an
/// earlier piece of its own already covered.
public enum Parallel {
    public static func run<Worker, Output: Sendable>(pieces: Int, workers: Int, start: @Sendable () -> Worker,
                                              piece: @Sendable (inout Worker, Int) -> Void,
                                              finish: @Sendable (consuming Worker) -> Output,
                                              finished: (@Sendable (Int) -> Void)? = nil) -> [Output] {
        let threads = max(1, min(workers, pieces))
        if threads == 1 {
            var worker = start()
            for index in 0..<pieces {
                piece(&worker, index)
                finished?(index + 1)
            }
            return [finish(worker)]
        }
        let next = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        let outputs = Mutex<[Output]>([])
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            var worker = start()
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < pieces else { break }
                piece(&worker, index)
                if let finished { finished(done.wrappingAdd(1, ordering: .relaxed).newValue) }
            }
            let output = finish(worker)
            outputs.withLock { $0.append(output) }
        }
        return outputs.withLock { $0 }
    }

    /// `side` on a worker thread while `main` runs on the calling thread; both results once
    /// both are done. For two steps that need nothing of each other, one of which stays on the
    /// calling thread (it uses what may not cross threads, or its allocations should stay in
    /// the calling thread's heap). With fewer than two workers, `side` runs first, then `main`.
    public static func beside<Side: Sendable, Main>(workers: Int, _ side: @escaping @Sendable () -> Side,
                                                    while main: () -> Main) -> (side: Side, main: Main) {
        guard workers > 1 else { return (side(), main()) }
        let made = Mutex<Side?>(nil)
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            let value = side()
            made.withLock { $0 = value }
        }
        let mine = main()
        group.wait()
        return (made.withLock { $0! }, mine)
    }

    /// `count` items cut into contiguous pieces: several per worker, so the load balances (the
    /// last piece runs alone while the other workers wait: on the Rails history, with four
    /// pieces per worker, the tree walk's last one took about a second of one core), but none
    /// shorter than `minimumLength` (a piece has a fixed cost); one piece for one worker.
    public static func segments(of count: Int, workers: Int, minimumLength: Int) -> [Range<Int>] {
        let pieces = workers <= 1 ? 1 : max(1, min(workers * 8, count / minimumLength))
        return (0..<pieces).map { count * $0 / pieces..<count * ($0 + 1) / pieces }
    }

    /// `count` items cut into contiguous pieces that shrink as they go: each is a `2 × workers`-th
    /// of what is left, but no shorter than `minimumLength` (a piece has a fixed cost), so the
    /// pieces taken last are short and the workers finish nearly together. With equal pieces
    /// the last one ran alone while the others waited: a sixteenth of each stage of a history
    /// walk at worst. One piece for one worker.
    public static func shrinkingSegments(of count: Int, workers: Int, minimumLength: Int) -> [Range<Int>] {
        guard workers > 1, count > 0 else { return [0..<count] }
        var pieces: [Range<Int>] = []
        var start = 0
        while start < count {
            let rest = count - start
            var length = max(minimumLength, rest / (2 * workers))
            if rest - length < minimumLength { length = rest }   // no short piece left over
            pieces.append(start..<start + length)
            start += length
        }
        return pieces
    }

    /// Tree-shaped work whose pieces are found while it runs (the directories of a walk): each
    /// piece may yield more pieces. Workers take the newest piece first (depth first, so the
    /// pending list stays short), each with its own state made once (`start`); a worker that
    /// finds nothing pending waits while another may still yield more. What each worker holds at
    /// the end (`finish`) is returned in no particular order: the caller orders the results.
    public static func explore<Piece: Sendable, Worker, Output: Sendable>(
        roots: [Piece], workers: Int, start: @Sendable () -> Worker,
        piece: @Sendable (inout Worker, Piece) -> [Piece],
        finish: @Sendable (consuming Worker) -> Output) -> [Output] {
        if workers <= 1 {
            var worker = start()
            var pending = Array(roots.reversed())
            while let next = pending.popLast() { pending += piece(&worker, next).reversed() }
            return [finish(worker)]
        }
        let queue = Mutex(ExploreQueue(pending: Array(roots.reversed())))
        let outputs = Mutex<[Output]>([])
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var worker = start()
            var idle: UInt32 = 0
            while true {
                let (next, isDone): (Piece?, Bool) = queue.withLock { queue in
                    if let next = queue.pending.popLast() {
                        queue.busy += 1
                        return (next, false)
                    }
                    return (nil, queue.busy == 0)
                }
                if isDone { break }
                guard let next else {
                    // Another worker is on a piece that may yield more: wait a little, longer each time.
                    idle = min(idle + 20, 500)
                    usleep(idle)
                    continue
                }
                idle = 0
                let found = piece(&worker, next)
                queue.withLock { queue in
                    queue.pending += found.reversed()
                    queue.busy -= 1
                }
            }
            let output = finish(worker)
            outputs.withLock { $0.append(output) }
        }
        return outputs.withLock { $0 }
    }
}

/// The pieces `Parallel.explore` has found and not handed out yet.
private struct ExploreQueue<Piece> {
    var pending: [Piece]
    /// Pieces taken and not yet finished: while any is, more may come.
    var busy = 0
}

/// Values made the first time they are asked for and then shared by every thread: a slot is
/// filled by whichever thread asks first. Two threads asking at once may both make it; the first
/// one stored is kept and the other dropped, so no thread ever waits for another. For work most
/// runs never need: a rule's regex whose keyword never occurs (`CompiledRules`).
///
/// NOTE: `@unchecked Sendable`: each slot is one atomic word holding a retained reference,
/// written once by compare-and-exchange and only read after that.
public final class FirstUseTable<Value: AnyObject & Sendable>: @unchecked Sendable {
    public let count: Int
    private let slots: UnsafeMutablePointer<Atomic<UInt>>

    public init(count: Int) {
        self.count = count
        slots = .allocate(capacity: max(1, count))
        for index in 0..<count { (slots + index).initialize(to: Atomic<UInt>(0)) }
    }

    deinit {
        for index in 0..<count {
            let bits = (slots + index).pointee.load(ordering: .acquiring)
            if let stored = UnsafeRawPointer(bitPattern: bits) { Unmanaged<Value>.fromOpaque(stored).release() }
        }
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    /// The value of slot `index`, made now by `make` when no thread has stored one yet. A
    /// `make` that throws stores nothing: the next ask tries again.
    public func value(at index: Int, make: () throws -> Value) rethrows -> Value {
        let slot = slots + index
        if let stored = UnsafeRawPointer(bitPattern: slot.pointee.load(ordering: .acquiring)) {
            return Unmanaged<Value>.fromOpaque(stored).takeUnretainedValue()
        }
        let made = try make()
        let bits = UInt(bitPattern: Unmanaged.passRetained(made).toOpaque())
        let (exchanged, original) = slot.pointee.compareExchange(expected: 0, desired: bits, ordering: .acquiringAndReleasing)
        guard !exchanged, let stored = UnsafeRawPointer(bitPattern: original) else { return made }
        Unmanaged<Value>.fromOpaque(UnsafeRawPointer(bitPattern: bits)!).release()
        return Unmanaged<Value>.fromOpaque(stored).takeUnretainedValue()
    }

    /// Whether slot `index` holds a value (tests, timings).
    public func isMade(_ index: Int) -> Bool { slots[index].load(ordering: .acquiring) != 0 }
}
