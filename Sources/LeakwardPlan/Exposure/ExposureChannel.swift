/// How a secret can be reached by someone who should not have it, most exposed first.
/// The order is the one of `docs/exposure.md`; `rank` 1 is the worst.
public enum ExposureChannel: String, Sendable, Codable, CaseIterable, Comparable {
    /// Shipped to browsers: build output, bundles and their `.gz`/`.br` twins, source maps, inline page data.
    case clientBundle = "client-bundle"
    /// Assigned to a variable that a framework inlines into client code (`NEXT_PUBLIC_`, `VITE_`...).
    case publicEnvPrefix = "public-env-prefix"
    /// A literal in code that runs in the browser (`'use client'`, `components/`, `*.vue`...).
    case clientSource = "client-source"
    /// Placed in an LLM prompt, system message or tool description: prompt injection can make
    /// the model repeat it to any user, so it counts with the client channels.
    case llmPrompt = "llm-prompt"
    /// In git and still in HEAD.
    case committed
    /// Removed from HEAD but still reachable in history.
    case historyOnly = "history-only"
    /// Printed in a CI log.
    case ciLog = "ci-log"
    /// Baked into a container or deploy config (Dockerfile `ENV`/`ARG`, compose, Kubernetes).
    case containerConfig = "container-config"
    /// In a framework's server build output (`.next/server`, `.output/server`): deployed with
    /// the server, never sent to browsers.
    case serverBundle = "server-bundle"
    /// A file outside any git repository: Leakward cannot tell whether it is shared.
    case unversionedFile = "unversioned-file"
    /// An untracked or git-ignored file on this machine.
    case localOnly = "local-only"

    /// 1 (worst) to 11.
    public var rank: Int { ExposureChannel.allCases.firstIndex(of: self)! + 1 }

    /// Channels through which the value reaches every visitor's browser.
    public var reachesClient: Bool { self == .clientBundle || self == .publicEnvPrefix || self == .clientSource || self == .llmPrompt }

    /// Severity steps added to the credential's own severity (the combination rule of docs/exposure.md).
    public var severityAdjustment: Int {
        switch self {
        case .clientBundle, .publicEnvPrefix, .clientSource, .llmPrompt, .committed, .historyOnly: 1
        case .ciLog, .containerConfig, .serverBundle, .unversionedFile: 0
        case .localOnly: -2
        }
    }

    /// A short human label.
    public var title: String {
        switch self {
        case .clientBundle: "client bundle"
        case .publicEnvPrefix: "public env prefix"
        case .clientSource: "client source"
        case .llmPrompt: "LLM prompt"
        case .committed: "committed (in HEAD)"
        case .historyOnly: "git history only"
        case .ciLog: "CI log"
        case .containerConfig: "container/deploy config"
        case .serverBundle: "server build output"
        case .unversionedFile: "file outside git"
        case .localOnly: "local file only"
        }
    }

    public static func < (lhs: ExposureChannel, rhs: ExposureChannel) -> Bool { lhs.rank < rhs.rank }
}
