import ArgumentParser
import Foundation
import LeakwardCore

/// `leakward baseline create|update`: record today's findings so CI reports only new ones.
struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Record current findings as accepted, so --baseline reports only new ones.",
        discussion: """
            The file holds keyed fingerprints of rule and secret, never the secret, plus the rule, \
            the path where it was first seen and a note for people. Moving lines or files does not \
            change it; commit it and pass it to scan, git or ci with --baseline FILE.
            """,
        subcommands: [Create.self, Update.self])

    static let defaultFile = ".leakward-baseline.json"

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Write a new baseline of the current findings.")

        @Argument(help: "Files or directories to scan.")
        var paths: [String] = ["."]

        @Option(name: .shortAndLong, help: "Baseline file to write.")
        var output: String = BaselineCommand.defaultFile

        @Flag(help: "Replace an existing baseline (its notes are lost; `baseline update` keeps them).")
        var force = false

        @OptionGroup var scanOptions: ScanOptionGroup
        @OptionGroup var history: HistoryOption

        func run() throws {
            if !force && FileManager.default.fileExists(atPath: output) {
                throw CLIError("\(output) exists; run `leakward baseline update -o \(output)` to refresh it, or add --force to start over")
            }
            let findings = try BaselineCommand.currentFindings(paths: paths, options: scanOptions, history: history)
            let baseline = Baseline.create(from: findings)
            try AtomicFile.write(baseline.serialized(), to: output)
            print("\(output): \(baseline.entries.count) accepted secret(s) from \(findings.count) finding(s)")
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Add new findings to a baseline and drop entries no longer found; notes are kept.")

        @Argument(help: "Files or directories to scan.")
        var paths: [String] = ["."]

        @Option(name: .shortAndLong, help: "Baseline file to update.")
        var output: String = BaselineCommand.defaultFile

        @Flag(name: .customLong("no-prune"), help: "Keep entries that are no longer found.")
        var noPrune = false

        @OptionGroup var scanOptions: ScanOptionGroup
        @OptionGroup var history: HistoryOption

        func run() throws {
            var baseline = try ScanSession.loadBaseline(output)
            let findings = try BaselineCommand.currentFindings(paths: paths, options: scanOptions, history: history)
            let change = baseline.update(with: findings, prune: !noPrune)
            if change.added > 0 || change.removed > 0 {
                try AtomicFile.write(baseline.serialized(), to: output)
            }
            print("\(output): \(baseline.entries.count) entries (\(change.added) added, \(change.removed) removed)")
        }
    }

    /// Every finding of a scan, without applying any baseline.
    static func currentFindings(paths: [String], options: ScanOptionGroup, history: HistoryOption) throws -> [Finding] {
        let setup = try ScanSetup(options: options, roots: paths)
        let report = try setup.run(setup.session.sources(for: paths, includesHistory: !history.noGit, includesUnreachable: !history.reachableOnly,
                                                       ignorePolicy: history.ignorePolicy), roots: paths)
        for issue in report.errors where issue.level == .error {
            FileHandle.standardError.write(Data("leakward: warning: \(InertText.visible(issue.path)): \(issue.stage): \(InertText.visible(issue.reason))\n".utf8))
        }
        return report.findings
    }
}
