import Dispatch
import Synchronization
import LeakwardPlan

extension ProjectFactsReader {
    /// A reader whose search for variable consumers reads its files on every core: after the
    /// scan this is the one pass over the tree left, and it ran on one thread.
    public static func onEveryCore() -> ProjectFactsReader {
        var reader = ProjectFactsReader()
        reader.runPieces = { count, piece in concurrently(count, piece) }
        reader.runListingPieces = { count, piece in concurrently(count, piece) }
        return reader
    }

    /// What each of `count` pieces returns, in any order.
    private static func concurrently<Part: Sendable>(_ count: Int, _ piece: @Sendable (Int) -> Part) -> [Part] {
        let results = Mutex<[Part]>([])
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let found = piece(index)
            results.withLock { $0.append(found) }
        }
        return results.withLock { $0 }
    }
}
