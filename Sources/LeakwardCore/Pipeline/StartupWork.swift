import Dispatch
import LeakwardInputs

/// Start-up work that depends on nothing a session reads, begun on another core at once so the
/// session's own serial steps (the rule files parsed, the config found) do not wait for it.
/// Here, with the pipeline, because this is where threads start.
enum StartupWork {
    /// libgit2's set-up, which every lookup of an enclosing repository needs first.
    static func begin() {
        DispatchQueue.global().async { GitRepository.prepareLibrary() }
    }
}
