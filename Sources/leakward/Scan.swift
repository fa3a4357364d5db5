import ArgumentParser
import Foundation
import LeakwardCore

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Scan files and directories (honouring .gitignore, always reading .env files).",
        discussion: "Exit codes: 0 no findings, 1 findings, 2 usage or fatal error.")

    @Argument(help: "Files or directories to scan.")
    var paths: [String] = ["."]

    @OptionGroup var scanOptions: ScanOptionGroup
    @OptionGroup var output: OutputOptions

    func run() throws {
        let setup = try ScanSetup(options: scanOptions, roots: paths)
        let report = try setup.run(setup.sources(for: paths), roots: paths, output: output)
        try output.write(report)
        throw output.exitCode(for: report, failOn: setup.config.failOn, failOnError: scanOptions.failOnError)
    }
}
