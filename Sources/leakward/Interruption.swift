import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT/SIGTERM into a flag the scan polls, so an interrupted scan still writes what it
/// found (marked incomplete) and exits 130. A second signal exits at once.
///
/// NOTE: `@unchecked Sendable` because the dispatch sources are only retained, never touched
/// after `init`; the shared state is the atomic flag.
final class Interruption: @unchecked Sendable {
    private final class Flag: Sendable {
        let raised = Atomic<Bool>(false)
    }

    private let flag = Flag()
    private let sources: [any DispatchSourceSignal]

    init() {
        let flag = self.flag
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if flag.raised.exchange(true, ordering: .relaxed) { Foundation.exit(Interruption.exitCode) }
                FileHandle.standardError.write(Data("leakward: interrupted; writing partial results (interrupt again to quit now)\n".utf8))
            }
            source.resume()
            return source
        }
    }

    var isInterrupted: Bool { flag.raised.load(ordering: .relaxed) }

    /// The exit code of an interrupted run, by shell convention 128 + SIGINT.
    static let exitCode: Int32 = 130
}
