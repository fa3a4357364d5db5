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

    /// `count` items cut into contiguous pieces: a few per worker, so the load balances, but
    /// none shorter than `minimumLength` (a piece has a fixed cost); one piece for one worker.
    public static func segments(of count: Int, workers: Int, minimumLength: Int) -> [Range<Int>] {
        let pieces = workers <= 1 ? 1 : max(1, min(workers * 4, count / minimumLength))
        return (0..<pieces).map { count * $0 / pieces..<count * ($0 + 1) / pieces }
    }
}
