import ArgumentParser

/// `leakward completions bash|zsh|fish`: the completion script ArgumentParser generates.
struct Completions: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completions",
        abstract: "Print a shell completion script.",
        discussion: """
            bash: leakward completions bash > /etc/bash_completion.d/leakward
            zsh:  leakward completions zsh > "${fpath[1]}/_leakward"
            fish: leakward completions fish > ~/.config/fish/completions/leakward.fish
            """)

    @Argument(help: "bash, zsh or fish.")
    var shell: String

    func validate() throws {
        guard CompletionShell(rawValue: shell) != nil else {
            throw ValidationError("unknown shell '\(shell)'; use bash, zsh or fish")
        }
    }

    func run() throws {
        print(LeakwardCommand.completionScript(for: CompletionShell(rawValue: shell)!))
    }
}
