import LeakwardRules

/// Variable prefixes that front-end frameworks inline into the code they send to browsers.
public struct PublicEnvPrefix: Sendable, Hashable {
    public var prefix: String
    /// The framework that does the inlining, for the evidence sentence.
    public var framework: String

    /// Longest prefixes first, so `NEXT_PUBLIC_` wins over `PUBLIC_` (data: `rules/frameworks/public-config.toml`).
    public static let all: [PublicEnvPrefix] = PublicConfigRules.builtIn.prefixes.map {
        PublicEnvPrefix(prefix: $0.prefix, framework: $0.framework)
    }

    /// The prefix `variable` starts with, if any (case-sensitive: env names are).
    public static func matching(_ variable: String) -> PublicEnvPrefix? {
        all.first { variable.hasPrefix($0.prefix) && variable.count > $0.prefix.count }
    }

    /// The variable without its public prefix: the name a server-side replacement should use.
    public static func serverName(for variable: String) -> String {
        guard let match = matching(variable) else { return variable }
        return String(variable.dropFirst(match.prefix.count))
    }
}
