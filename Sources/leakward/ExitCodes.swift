import ArgumentParser

/// The CLI's exit codes; they exist only here, never in the core.
enum LeakwardExit {
    static let clean = ExitCode(0)
    static let findings = ExitCode(1)
    static let failure = ExitCode(2)
}
