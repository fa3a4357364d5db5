import Foundation
import LeakwardCore

/// The live progress line on stderr: phase, inputs done of total, MB/s and ETA. Only used when
/// stderr is a terminal; `ProgressThrottle` calls `show` a few times a second, never concurrently.
struct ProgressDisplay: Sendable {
    let usesColor: Bool
    private let started = Date()

    init(usesColor: Bool) { self.usesColor = usesColor }

    func show(_ progress: ScanProgress) {
        let elapsed = max(Date().timeIntervalSince(started), 0.001)
        let rate = Double(progress.bytes) / 1_048_576 / elapsed
        var line = "\(progress.phase) \(progress.done)/\(progress.total)"
        if progress.total > 0 { line += " (\(progress.done * 100 / progress.total)%)" }
        line += String(format: "  %.1f MB/s", rate)
        if progress.done > 0, progress.total > progress.done, elapsed > 1 {
            line += "  ETA " + Self.duration(elapsed * Double(progress.total - progress.done) / Double(progress.done))
        }
        let text = usesColor ? "\u{1B}[2m\(line)\u{1B}[0m" : line
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
    }

    /// Clears the line so the report starts on a clean terminal.
    func finish() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }
}
