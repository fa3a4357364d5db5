import Foundation
import LeakwardCore

/// `--verbose` timings: one line per step under the progress line's phase it belongs to, wall
/// and CPU seconds side by side (CPU is the whole process's: about twice the wall time when
/// both cores of two are busy, the wall time when one is idle) and the busiest thread's CPU
/// (near CPU: the step ran on one core; the least wall it can take on a quiet machine), then
/// the total.
struct TimingsTable {
    let timings: ScanTimings

    init(_ timings: ScanTimings) { self.timings = timings }

    static func phaseName(_ phase: ScanProgress.Phase?) -> String {
        switch phase {
        case nil: "setup"
        case .listing: "listing"
        case .walkingHistory: "walking history"
        case .matching: "matching"
        case .provenance: "provenance"
        case .writing: "writing"
        }
    }

    var text: String {
        func seconds(_ value: Double) -> String { String(format: "%7.2f", value) }
        func padded(_ text: String, _ width: Int) -> String { text.count >= width ? text : text + String(repeating: " ", count: width - text.count) }
        let workers = timings.workers.map { ", \($0) workers" } ?? ""
        var lines = ["timings (seconds; CPU: the whole process's meanwhile; busiest: its busiest thread's\(workers)):",
                     "  \(padded("phase", 16)) \(padded("step", 24)) \(padded("   wall", 7)) \(padded("    CPU", 7)) \(padded("busiest", 7))"]
        var shown: ScanProgress.Phase?? = .none
        for step in timings.steps {
            let phase = shown.map { $0 == step.phase } == true ? "" : TimingsTable.phaseName(step.phase)
            shown = .some(step.phase)
            var line = "  \(padded(phase, 16)) \(padded(step.name, 24)) \(seconds(step.wall)) \(seconds(step.cpu)) \(seconds(step.busiest))"
            if let note = step.note { line += "  \(note)" }
            lines.append(line)
        }
        let now = ScanTimings.Mark.now()
        lines.append("  \(padded("total", 41)) \(seconds(now.wall - timings.started.wall)) \(seconds(now.cpu)) \(seconds(now.busiest(since: timings.started)))")
        // Each step at least its busiest thread's CPU, at most its CPU spread over every worker.
        let cores = Double(max(1, timings.workers ?? 1))
        let least = timings.steps.reduce(0) { $0 + max($1.busiest, $1.cpu / cores) }
        lines.append("  (on an otherwise idle machine at least \(String(format: "%.2f", least)) s of wall: each step's busiest thread or its CPU over \(Int(cores)) cores)")
        return lines.joined(separator: "\n") + "\n"
    }
}
