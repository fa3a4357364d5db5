#if canImport(Glibc)
import Glibc
#endif

/// Where a scan's time went, step by step (`--verbose`): each step's wall seconds and the
/// CPU seconds the whole process spent meanwhile (every thread, so a step on two busy cores
/// shows about twice its wall time, and one on one core about its wall time: the gap is an
/// idle core). Each step sits under the progress line's phase it is part of, so the two tell
/// the same story. A value carried with the report (never written into it); nothing global.
///
/// On a loaded machine wall seconds stretch, so each step also has the CPU seconds of its
/// busiest thread (Linux `schedstat`): the least wall time the step can take. A step whose
/// busiest thread did nearly all its CPU ran on one core, whatever the load.
public struct ScanTimings: Sendable {
    public struct Step: Sendable, Equatable {
        public var name: String
        /// The progress line's phase this step belongs to; nil: before the line's first phase
        /// (reading rules and config, compiling them).
        public var phase: ScanProgress.Phase?
        public var wall: Double
        public var cpu: Double
        /// CPU seconds of the thread that worked most during the step (0 where unknown).
        public var busiest: Double = 0
        /// What the step handled, for a person ("453,324 inputs, 186 MB/s").
        public var note: String?
    }

    /// A moment: the monotonic clock and the process's CPU clock, in seconds, and each
    /// thread's CPU nanoseconds so far.
    public struct Mark: Sendable {
        public var wall: Double
        public var cpu: Double
        public var threads: [Int32: UInt64] = [:]

        public static func now() -> Mark {
            var time = timespec()
            clock_gettime(CLOCK_MONOTONIC, &time)
            let wall = Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
            return Mark(wall: wall, cpu: Double(time.tv_sec) + Double(time.tv_nsec) / 1e9, threads: threadTimes())
        }

        /// The CPU seconds of the thread that ran most since `earlier`.
        public func busiest(since earlier: Mark) -> Double {
            var most: UInt64 = 0
            for (thread, time) in threads { most = max(most, time &- min(time, earlier.threads[thread] ?? 0)) }
            return Double(most) / 1e9
        }

        /// Each thread's time on a CPU (`/proc/self/task/*/schedstat`, first field, in
        /// nanoseconds); empty where the system does not say.
        static func threadTimes() -> [Int32: UInt64] {
            var times: [Int32: UInt64] = [:]
            guard let directory = opendir("/proc/self/task") else { return times }
            defer { closedir(directory) }
            var buffer = [UInt8](repeating: 0, count: 64)
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                guard let thread = Int32(name) else { continue }
                let file = open("/proc/self/task/\(name)/schedstat", O_RDONLY)
                guard file >= 0 else { continue }
                let count = buffer.withUnsafeMutableBytes { read(file, $0.baseAddress, 64) }
                close(file)
                guard count > 0 else { continue }
                var value: UInt64 = 0
                for byte in buffer[..<count] {
                    guard byte >= 48 && byte <= 57 else { break }
                    value = value &* 10 &+ UInt64(byte - 48)
                }
                times[thread] = value
            }
            return times
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
        let step = Step(name: name, phase: phase, wall: now.wall - last.wall, cpu: now.cpu - last.cpu,
                        busiest: now.busiest(since: last), note: note)
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
