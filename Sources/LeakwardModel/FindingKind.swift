/// What a finding means for its owner, beyond which rule matched.
public enum FindingKind: String, Sendable, Codable, CaseIterable {
    /// A live-looking credential.
    case secret
    /// A signing secret that is a known default or too short to resist guessing.
    case weakSecret = "weak-secret"
    /// A test or sandbox key: low risk, still reported.
    case testKey = "test-key"
    /// A key meant to ship to browsers (publishable keys, anon keys, DSNs).
    case publicByDesign = "public-by-design"
    /// A literal written as the default of an environment lookup (`process.env.X || "…"`):
    /// the code runs with it wherever the variable is unset.
    case hardcodedFallback = "hardcoded-fallback"
    /// A password hash (an `.htpasswd` or shadow line, a users table in a dump): crackable
    /// offline, so the password behind it is changed and the hash treated as public.
    case passwordHash = "password-hash"

    // Config problems found by `rules/checks/*.toml`: not credentials, but the ways one leaks at run time.
    /// A secret literal or a server-only env variable inside an LLM prompt, system message or tool description.
    case secretInPrompt = "secret-in-prompt"
    /// Code that logs a secret, the whole environment, auth headers or a full auth/model request.
    case logsSecret = "logs-secret"
    /// A CI workflow that prints secrets.
    case ciEchoesSecret = "ci-echoes-secret"
    /// A CI job that runs a pull request's code while secrets are available.
    case ciUnsafeTrigger = "ci-unsafe-trigger"
    /// Certificate verification turned off.
    case tlsVerificationOff = "tls-verification-off"
    /// A plain `http://` app, API, callback or webhook URL in production config.
    case httpURLInProduction = "http-url-in-production"
    /// A session or auth cookie that can be read by scripts or sent over plain HTTP.
    case insecureCookie = "insecure-cookie"
    /// Any origin allowed together with credentials.
    case corsWildcardCredentials = "cors-wildcard-credentials"
    /// Debug or development mode in a production env file or config.
    case debugInProduction = "debug-in-production"
    /// An env file committed to git.
    case envFileTracked = "env-file-tracked"
    /// A source map served with the build.
    case sourceMapShipped = "source-map-shipped"

    /// True for the kinds config checks report: they are not grouped into credentials.
    public var isConfigProblem: Bool {
        switch self {
        case .secret, .weakSecret, .testKey, .publicByDesign, .hardcodedFallback, .passwordHash: false
        default: true
        }
    }
}
