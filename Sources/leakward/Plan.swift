import ArgumentParser
import Foundation
import LeakwardCore

struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Write the rotation plan: every credential, most exposed first, with the steps to rotate it.",
        discussion: """
            Scans PATH (or reads a saved `leakward scan --format json` report with --from), works \
            out how exposed each credential is (client bundle, public env prefix, client code, git, \
            CI logs, deploy config, local files) and prints a Markdown checklist, JSON with \
            --format json, or one HTML page with --format html.

            Exit codes: 0 nothing to act on (at most public-by-design or test keys), 1 credentials \
            or config problems to act on, 2 error, 130 interrupted.
            """)

    @Argument(help: "Files or directories to scan (ignored with --from).")
    var paths: [String] = []

    @Option(help: "Build the plan from a saved `leakward scan --format json` report instead of scanning (the report holds what the plan needs: the same plan from any directory).")
    var from: String?

    /// The plan formats `--format` takes.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case markdown, md, json, html
    }

    @Option(name: .shortAndLong, help: "Plan format (html: one self-contained page).")
    var format: Format = .markdown

    @Option(name: .shortAndLong, help: "Write the plan to this file instead of standard output.")
    var output: String?

    @Flag(help: "Put raw secrets in the git filter-repo replace file. Never use this in CI logs.")
    var reveal = false

    @Option(help: "Keep progress in this JSON file (fingerprints and step ids, never secrets): ticks carry over to the regenerated plan, credentials no longer found are marked gone.")
    var state: String?

    @Option(help: "Tick a step, as FINGERPRINT/STEP or K1/STEP (repeatable; needs --state).")
    var tick: [String] = []

    @OptionGroup var scanOptions: ScanOptionGroup
    @OptionGroup var failOnError: FailOnErrorOption
    @OptionGroup var history: HistoryOption

    @OptionGroup var verifyOptions: VerifyOptions

    func validate() throws {
        if from != nil && !paths.isEmpty { throw ValidationError("give either PATH or --from, not both") }
        if from != nil && reveal { throw ValidationError("--reveal needs a fresh scan: saved reports never hold raw secrets") }
        if !tick.isEmpty && state == nil { throw ValidationError("--tick needs --state FILE to keep the tick") }
        for text in tick where PlanState.Tick(text) == nil {
            throw ValidationError("bad --tick '\(text)': use FINGERPRINT/STEP (sha256:abc123def456/revoke) or K1/revoke")
        }
    }

    func run() throws {
        let input = try from.map(planInput(fromReport:)) ?? planInput(scanning: paths.isEmpty ? ["."] : paths)
        let playbooks: PlaybookCatalog
        do {
            playbooks = try PlaybookCatalog.builtIn()
        } catch let error as RuleError {
            throw CLIError(error.description)
        }
        var plan = RotationPlanner(playbooks: playbooks, revealsSecrets: reveal).plan(input)
        plan.unscannedInputs = input.unscannedInputs
        if plan.unscannedInputs > 0 {
            FileHandle.standardError.write(Data("leakward: \(ScanIssue.unscannedPhrase(plan.unscannedInputs)); the plan covers only the rest (`leakward scan` lists them)\n".utf8))
        }
        plan.isVerified = verifyOptions.verify || verifyOptions.verifyDatabases
        if let state { try carryProgress(in: &plan, statePath: state) }
        let writer: any PlanWriter = switch format {
        case .json: JSONPlanWriter()
        case .html: HTMLPlanWriter()
        case .markdown, .md: MarkdownPlanWriter()
        }
        let text = try writer.render(plan)
        if let output {
            try AtomicFile.write(text, to: output)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        if !plan.isComplete && from == nil { throw ExitCode(Interruption.exitCode) }
        if failOnError.failOnError && plan.unscannedInputs > 0 { throw LeakwardExit.failure }
        let needsAction = plan.items.contains { $0.urgency.tier != .low } || !plan.configProblems.isEmpty
        throw needsAction ? LeakwardExit.findings : LeakwardExit.clean
    }

    /// Applies the saved ticks (plus `--tick` and boxes ticked in the previous Markdown plan at
    /// `-o`) and writes the state back.
    func carryProgress(in plan: inout RotationPlan, statePath: String) throws {
        var previous = PlanState()
        if FileManager.default.fileExists(atPath: statePath) {
            do {
                previous = try JSONDecoder().decode(PlanState.self, from: Data(contentsOf: URL(fileURLWithPath: statePath)))
            } catch {
                throw CLIError("cannot read plan state \(statePath): \(error.localizedDescription)")
            }
            guard previous.schema == PlanState.schemaVersion else {
                throw CLIError("\(statePath) is a \(previous.schema) state; this leakward reads \(PlanState.schemaVersion)")
            }
        }
        var ticks = tick.compactMap(PlanState.Tick.init)
        if let output, format == .markdown || format == .md, let text = try? String(contentsOfFile: output, encoding: .utf8) {
            ticks += PlanState.ticks(inMarkdown: text)
        }
        let next = previous.apply(to: &plan, ticks: ticks)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(String(decoding: try encoder.encode(next), as: UTF8.self) + "\n", to: statePath)
    }

    /// A fresh scan, built exactly as `scan` builds it, so `plan` sees the same inputs.
    func planInput(scanning roots: [String]) throws -> RotationPlanner.Input {
        let setup = try ScanSetup(options: scanOptions, roots: roots)
        var listings: [TreeListing]? = []
        let report = try setup.run(setup.session.sources(for: roots, includesHistory: !history.noGit, includesUnreachable: !history.reachableOnly,
                                                       ignorePolicy: history.ignorePolicy), roots: roots, listings: &listings)
        let facts = ProjectFactsReader.onEveryCore().gather(roots: roots, findings: report.findings, listings: listings ?? [])
        var input = RotationPlanner.Input(version: LeakwardVersion.current, source: "scan", roots: roots,
                                          findings: report.findings, facts: facts, isComplete: report.isComplete,
                                          verifications: try verifyOptions.results(for: report.findings))
        input.unscannedInputs = report.unscannedInputs
        return input
    }

    /// A saved report: findings decode without their raw values; the project facts come from the
    /// report itself, never from the current directory, so the plan is the same from anywhere.
    func planInput(fromReport path: String) throws -> RotationPlanner.Input {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read report \(path)") }
        let saved: SavedReport
        do {
            saved = try SavedReport.read(data, path: path)
        } catch {
            throw CLIError(error.description)
        }
        let report = saved.report
        if saved.project == nil {
            FileHandle.standardError.write(Data("leakward: note: \(path) holds no project facts (written by an older leakward or by merge); exposure is judged from the findings alone\n".utf8))
        }
        let facts = saved.project ?? ProjectFacts(roots: report.roots)
        var input = RotationPlanner.Input(version: LeakwardVersion.current, source: "report", roots: report.roots,
                                          findings: report.findings, facts: facts, isComplete: report.isComplete)
        input.unscannedInputs = report.unscannedInputs
        return input
    }
}
