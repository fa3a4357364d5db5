#if canImport(Glibc)
import Glibc
#endif

/// Where a scan's time went, step by step (`--verbose`): each step's wall seconds and the
/// CPU seconds the whole process spent meanwhile (every thread, so a step on two busy cores
/// shows about twice its wall time, and one on one core about its wall time: the gap is an
/// idle core). Each step sits under the progress line's phase it is part of, so the two tell
/// the same story. A value carried with the report (never written into it); nothing global.
public struct ScanTimings: Sendable {
    public struct Step: Sendable, Equatable {
        public var name: String
        /// The progress line's phase this step belongs to; nil: before the line's first phase
        /// (reading rules and config, compiling them).
        public var phase: ScanProgress.Phase?
        public var wall: Double
        public var cpu: Double
        /// What the step handled, for a person ("453,324 inputs, 186 MB/s").
        public var note: String?
    }

    /// A moment: the monotonic clock and the process's CPU clock, in seconds.
    public struct Mark: Sendable {
        public var wall: Double
        public var cpu: Double

        public static func now() -> Mark {
            var time = timespec()
            clock_gettime(CLOCK_MONOTONIC, &time)
            let wall = Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
            return Mark(wall: wall, cpu: Double(time.tv_sec) + Double(time.tv_nsec) / 1e9)
        }
    }

    public private(set) var steps: [Step] = []
    /// Where the next `lap` starts.
    public private(set) var last: Mark
    /// When the first step started (for the total).
    public private(set) var started: Mark
    /// Matching workers, when known.
    public var workers: Int?

    public init() {
        last = .now()
        started = last
    }

    /// Records the step that ran since the last lap (or since this value was made or
    /// `restart`ed), and starts the next one now.
    @discardableResult
    public mutating func lap(_ name: String, phase: ScanProgress.Phase?, note: String? = nil) -> Step {
        let now = Mark.now()
        let step = Step(name: name, phase: phase, wall: now.wall - last.wall, cpu: now.cpu - last.cpu, note: note)
        steps.append(step)
        last = now
        return step
    }

    /// Sets the last step's note (when it needs the step's own wall time: a rate).
    public mutating func noteLast(_ note: (Step) -> String) {
        guard let step = steps.last else { return }
        steps[steps.count - 1].note = note(step)
    }

    /// The next lap starts now (what ran since the last one is not counted).
    public mutating func restart() { last = .now() }

    /// Another part's steps after these (a source's planning, the pipeline's phases).
    public mutating func append(_ other: ScanTimings) { steps += other.steps }

    public mutating func append(_ step: Step) { steps.append(step) }

    /// Another part's steps before these (the CLI's setup before the session's steps).
    public mutating func prepend(_ other: ScanTimings) {
        steps = other.steps + steps
        started = other.started
    }
}
