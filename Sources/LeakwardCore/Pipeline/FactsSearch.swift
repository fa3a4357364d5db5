import Dispatch
import Synchronization
import LeakwardPlan

extension ProjectFactsReader {
    /// A reader whose search for variable consumers reads its files on every core: after the
    /// scan this is the one pass over the tree left, and it ran on one thread.
    public static func onEveryCore() -> ProjectFactsReader {
        var reader = ProjectFactsReader()
        reader.runPieces = { count, piece in
            let results = Mutex<[[String: Set<String>]]>([])
            DispatchQueue.concurrentPerform(iterations: count) { index in
                let found = piece(index)
                results.withLock { $0.append(found) }
            }
            return results.withLock { $0 }
        }
        return reader
    }
}
