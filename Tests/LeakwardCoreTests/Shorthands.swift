@testable import LeakwardCore
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardInputs
@testable import LeakwardModel
@testable import LeakwardReporting
@testable import LeakwardRules

/// Test shorthands for places: a display-style path is split into an origin and members here,
/// in tests only (the core never parses a path back).
extension Origin {
    /// `app/src/x.ts` under a known test root (`app`, `/work/app`) or `.`; a history blob when `isHistory`.
    static func shorthand(_ path: String, isHistory: Bool = false) -> Origin {
        var root = ".", relative = path
        for known in ["/work/app", "app"] where path.hasPrefix(known + "/") {
            root = known
            relative = String(path.dropFirst(known.count + 1))
            break
        }
        return isHistory ? .history(root: root, path: relative) : .file(root: root, path: relative)
    }
}

extension Finding.Location {
    /// A place given as `file!member!member` (test shorthand).
    init(path: String, line: Int, column: Int, offset: Int, decoders: [DecodeStep] = [], commit: CommitInfo? = nil,
         blob: ObjectID? = nil, isUntracked: Bool? = nil) {
        let parts = path.split(separator: "!", omittingEmptySubsequences: false).map(String.init)
        self.init(origin: .shorthand(parts[0], isHistory: commit != nil || blob != nil), members: Array(parts.dropFirst()),
                  line: line, column: column, offset: offset, decoders: decoders, commit: commit, blob: blob,
                  isUntracked: isUntracked)
    }

    /// The display path (read), or a new working-tree place (written).
    var path: String {
        get { displayPath }
        set { origin = .file(root: ".", path: newValue); members = [] }
    }
}

extension Chunk {
    var path: String { origin.displayPath(members: members) }
}

extension DecodeProblem {
    /// The problem's members under a container named `container`.
    func path(in container: String) -> String { ([container] + members).joined(separator: "!") }
}

extension ObjectID {
    /// An id from a short hex seed, padded with zeros (`abc` → `abc000…`).
    static func fake(_ seed: String) -> ObjectID {
        ObjectID(hex: seed.padding(toLength: 40, withPad: "0", startingAt: 0))!
    }
}
