import Foundation
import LeakwardCore

/// The live progress line on stderr: which phase the scan is in (listing inputs, walking the
/// history, matching, provenance, writing), with real MB/s and one ETA while matching. Only
/// used when stderr is a terminal; `ProgressThrottle` calls `show` a few times a second (and at
/// every change of phase), never concurrently.
struct ProgressDisplay: Sendable {
    let usesColor: Bool

    init(usesColor: Bool) { self.usesColor = usesColor }

    func show(_ progress: ScanProgress) {
        let text = usesColor ? "\u{1B}[2m\(Self.line(progress))\u{1B}[0m" : Self.line(progress)
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
    }

    static func line(_ progress: ScanProgress) -> String {
        switch progress.phase {
        case .listing:
            return "listing inputs…"
        case .walkingHistory:
            // No total yet: the commits are still being read (the trees come next).
            if progress.total == 0 { return progress.done == 0 ? "walking history: reading commits…" : "walking history: \(progress.done) commits read…" }
            return progress.done == 0 ? "walking history: trees of \(progress.total) commits…"
                : "walking history: trees of \(progress.done)/\(progress.total) commits"
        case .matching:
            var line = "matching \(progress.done)/\(progress.total)"
            if progress.total > 0 { line += " (\(progress.done * 100 / progress.total)%)" }
            let megabytes = Double(progress.bytes) / 1_048_576
            line += progress.totalBytes > 0 ? String(format: "  %.1f of %.1f MB", megabytes, Double(progress.totalBytes) / 1_048_576)
                : String(format: "  %.1f MB", megabytes)
            if progress.seconds >= 0.5 { line += String(format: "  %.1f MB/s", megabytes / progress.seconds) }
            if progress.rescanTotal > 0 {
                line += "  rescanning \(progress.rescanDone)/\(progress.rescanTotal)"
                // The one ETA goes on at the rescans' own rate (blobs known so far).
                if progress.rescanDone > 0, progress.rescanTotal > progress.rescanDone, progress.rescanSeconds > 1 {
                    line += "  ETA " + duration(progress.rescanSeconds * Double(progress.rescanTotal - progress.rescanDone) / Double(progress.rescanDone))
                }
            } else if progress.done > 0, progress.total > progress.done, progress.seconds > 1 {
                line += "  ETA " + duration(progress.seconds * Double(progress.total - progress.done) / Double(progress.done))
            }
            return line
        case .provenance:
            return "provenance: first commits of \(progress.total) findings…"
        case .writing:
            return "writing the report…"
        }
    }

    /// Clears the line so the report starts on a clean terminal.
    func finish() { Self.clear() }

    static func clear() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }
}
