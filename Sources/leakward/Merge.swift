import ArgumentParser
import Foundation
import LeakwardCore

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine JSON scan reports (the shards of one scan) into one report.",
        discussion: """
            One credential per secret across every report, every location kept; the result is \
            incomplete when any input is. `leakward plan --from` reads the merged report. See \
            docs/scale/.

              leakward merge shard-*.json -o all.json

            Exit codes: 0 no findings, 1 findings, 2 usage or fatal error (a report that cannot be \
            read).
            """)

    @Argument(help: "Reports written by `leakward scan --format json`.")
    var reports: [String]

    @Option(name: .shortAndLong, help: "Write the merged report to FILE (default: standard output).")
    var output: String?

    func validate() throws {
        if reports.isEmpty { throw ValidationError("give at least one report") }
    }

    func run() throws {
        var parts: [ScanReport] = []
        for path in reports {
            guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read report \(path)") }
            do {
                parts.append(try SavedReport.read(data, path: path).report)
            } catch {
                throw CLIError("cannot read report: \(error.description)")
            }
        }
        let merged = ScanReport.merging(parts, version: LeakwardVersion.current)
        let writer = JSONReportWriter()
        if let output {
            try AtomicFile.write(to: output) { file in try writer.write(merged) { try file.write($0) } }
        } else {
            var out = BufferedOutput(FileHandle.standardOutput)
            try writer.write(merged) { try out.write($0) }
            try out.flush()
        }
        throw merged.credentials.isEmpty ? LeakwardExit.clean : LeakwardExit.findings
    }
}
