import ArgumentParser
import Foundation
import LeakwardCore

@main
struct LeakwardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leakward",
        abstract: "Find leaked secrets and dangerous config, and plan their rotation.",
        discussion: """
            Exit codes: 0 no findings, 1 findings, 2 usage or fatal error, 130 interrupted \
            (partial results are still written). Secrets are redacted in every output unless \
            --reveal is given.
            """,
        version: LeakwardVersion.current,
        subcommands: [Scan.self, Git.self, Plan.self, CI.self, Merge.self, BaselineCommand.self, InstallHook.self, Rules.self,
                      Completions.self],
        defaultSubcommand: Scan.self
    )

    /// Maps errors onto the documented exit codes: 0/1 as thrown, everything else 2 with one line.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("leakward: error: \(error.description)\n".utf8))
            Foundation.exit(2)
        } catch let error as SessionError {
            FileHandle.standardError.write(Data("leakward: error: \(error.description)\n".utf8))
            Foundation.exit(2)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}
