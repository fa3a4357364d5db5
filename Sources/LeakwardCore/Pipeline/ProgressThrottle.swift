import Dispatch
import Synchronization

/// Passes a scan's progress on at most once per interval, one call at a time: workers report
/// after every blob, and a terminal needs no more than a few redraws a second.
public final class ProgressThrottle: Sendable {
    private let interval: UInt64
    private let lastReport = Atomic<UInt64>(0)
    private let serial = Mutex<Void>(())
    private let handler: @Sendable (ScanProgress) -> Void

    /// `interval` in seconds; `handler` is never called concurrently with itself.
    public init(interval: Double, handler: @escaping @Sendable (ScanProgress) -> Void) {
        self.interval = UInt64(max(0, interval) * 1_000_000_000)
        self.handler = handler
    }

    /// Cheap when throttled: one clock read and one atomic load.
    public func report(_ progress: ScanProgress) {
        let now = DispatchTime.now().uptimeNanoseconds
        let last = lastReport.load(ordering: .relaxed)
        guard now &- last >= interval,
              lastReport.compareExchange(expected: last, desired: now, ordering: .relaxed).exchanged else { return }
        serial.withLock { _ in handler(progress) }
    }
}
