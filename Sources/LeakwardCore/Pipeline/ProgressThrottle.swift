import Dispatch
import Synchronization
import LeakwardModel

/// Passes a scan's progress on at most once per interval, one call at a time: workers report
/// after every blob, and a terminal needs no more than a few redraws a second.
public final class ProgressThrottle: Sendable {
    private let interval: UInt64
    private let lastReport = Atomic<UInt64>(0)
    private let lastPhase = Atomic<Int>(-1)
    private let serial = Mutex<Void>(())
    private let handler: @Sendable (ScanProgress) -> Void

    /// `interval` in seconds; `handler` is never called concurrently with itself.
    public init(interval: Double, handler: @escaping @Sendable (ScanProgress) -> Void) {
        self.interval = UInt64(max(0, interval) * 1_000_000_000)
        self.handler = handler
    }

    /// Cheap when throttled: one clock read and two atomic loads. The first report of a new
    /// phase always passes, so a long phase never shows the last line of the one before.
    public func report(_ progress: ScanProgress) {
        let now = DispatchTime.now().uptimeNanoseconds
        let phase = progress.phase.rawValue
        if lastPhase.load(ordering: .relaxed) != phase {
            serial.withLock { _ in
                lastPhase.store(phase, ordering: .relaxed)
                lastReport.store(now, ordering: .relaxed)
                handler(progress)
            }
            return
        }
        let last = lastReport.load(ordering: .relaxed)
        guard now &- last >= interval,
              lastReport.compareExchange(expected: last, desired: now, ordering: .relaxed).exchanged else { return }
        serial.withLock { _ in handler(progress) }
    }
}
