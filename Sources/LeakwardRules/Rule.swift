import LeakwardModel

/// One detection rule, exactly as written in `rules/*.toml`.
public struct Rule: Sendable, Hashable {
    /// `provider.kind`, lower-case, stable forever (baselines and allowlists refer to it).
    public var id: String
    public var name: String
    public var category: SecretCategory
    public var provider: String
    public var severity: Severity
    /// PCRE2 pattern; `secretGroup` captures the secret itself.
    public var pattern: String
    public var secretGroup: Int
    /// Literal strings, one of which occurs (case-insensitively) wherever the rule can match.
    public var keywords: [String]
    /// Minimum Shannon entropy (bits per byte) of the secret; 0 disables the gate.
    public var minEntropy: Double
    /// Regexes that, when they match the secret, mark it as not a secret.
    public var allowlist: [String]
    /// Keys meant to ship to browsers: reported at the lowest severity, never as a client leak.
    public var isPublicByDesign: Bool
    /// Test or sandbox keys: reported as `test-key` at low severity.
    public var isTestKey: Bool
    /// The decoder whose output alone the rule reads (`config`: re-emitted config values), or nil.
    public var requiredDecoder: String?
    /// Password hashes (bcrypt, crypt, htpasswd): reported as `password-hash`.
    public var isPasswordHash: Bool = false
    /// Literals written as an environment lookup's default: reported as `hardcoded-fallback`.
    public var isHardcodedFallback: Bool = false
    /// A provider format with no prefix of its own but a fixed shape no name or entropy gives
    /// (a Telegram bot token's `<bot id>:AA…`): judged like a prefixed key in examples, docs and
    /// commit messages, not like a name-and-entropy value (`own_format = true`).
    public var hasOwnFormat: Bool = false
    /// A key issued as a UUID (`PRODIA_API_KEY=<uuid>`): the generic filters' "a UUID is an
    /// identifier" does not drop it (`uuid_value = true`); the name carries the evidence.
    public var isUUIDValue: Bool = false
    /// Signing secrets with no format: known defaults and short values become `weak-secret` findings.
    public var checksWeakness: Bool
    /// The offline check to run on the secret.
    public var validator: ValidatorKind?
    /// Positive examples with the secret marked by ⟦ ⟧.
    public var examples: [String]
    public var negativeExamples: [String]
    /// Where the rule came from (`rules/github.toml`, a gitleaks config...), for messages.
    public var origin: String
    /// Regex the file path must match for the rule to apply (gitleaks `path`); nil: every file.
    public var pathPattern: String?
    /// The file path a path-restricted rule's examples are judged at (`example_path`); it must
    /// match `pathPattern`. Nil: `example.txt`.
    public var examplePath: String?
    /// Conditional allowlists (gitleaks): matches they cover are suppressed.
    public var allowlists: [RuleAllowlist] = []
    /// The most bytes a match can span when it may cross lines and exceed the history scan's
    /// margin (`max_length`; PEM blocks). Nil: the rule's matches stay within the margin.
    public var maxLength: Int?
    /// How far before one of its keywords a match may start, when every match holds a keyword
    /// that starts at most this many bytes in (`keyword_lead`): the regex then runs only from
    /// those few places before each keyword hit instead of across ±256 bytes around it. A
    /// pattern opening with an unanchored name (`[A-Za-z0-9_.-]{0,40}(?:secret|token|…)`) tries
    /// every word start of a window, and that was over half of PCRE2's time on a Rails history.
    /// Nil: a match may start anywhere near a keyword, or hold none. `RuleCheck` checks it on
    /// the rule's examples.
    public var keywordLead: Int?
    /// The other half of a credential pair, as a pattern (`companion`): a key ID that grants
    /// nothing without its secret (an AWS access key ID) is judged by whether a value of this
    /// shape sits within `companionLines` lines of it. Nil: the rule's secret stands alone.
    public var companion: String?
    /// How many lines above and below the match the companion is looked for.
    public var companionLines: Int = 5
    /// The least entropy (bits per byte) a companion value needs (random keys, not words).
    public var companionMinEntropy: Double = 0
    /// Why the secret alone grants nothing: a finding with no companion near it is reported at
    /// info with this note. Nil: a lone match keeps its severity (the pair only joins and raises).
    public var unpairedNote: String?
    /// The severity of a finding with its companion near (`paired_severity`): the pair is a whole
    /// credential even when no rule reads the other half's name. Nil: the rule's severity.
    public var pairedSeverity: Severity?
    /// The rule that reports the other half of the pair (`companion_rule`: an AWS access key ID's
    /// `aws.secret-access-key`): the companion value found beside a match is judged as a match of
    /// that rule, so the secret is a finding of its own even under a name no rule reads
    /// (`Security_key: …` in a README) or above its ID. Nil: the companion only raises the match.
    public var companionRule: String?

    public init(id: String, name: String, category: SecretCategory, provider: String, severity: Severity,
                pattern: String, secretGroup: Int = 1, keywords: [String], minEntropy: Double = 0,
                allowlist: [String] = [], isPublicByDesign: Bool = false, isTestKey: Bool = false,
                checksWeakness: Bool = false, validator: ValidatorKind? = nil, examples: [String] = [],
                negativeExamples: [String] = [], origin: String = "") {
        self.id = id
        self.name = name
        self.category = category
        self.provider = provider
        self.severity = severity
        self.pattern = pattern
        self.secretGroup = secretGroup
        self.keywords = keywords
        self.minEntropy = minEntropy
        self.allowlist = allowlist
        self.isPublicByDesign = isPublicByDesign
        self.isTestKey = isTestKey
        self.checksWeakness = checksWeakness
        self.validator = validator
        self.examples = examples
        self.negativeExamples = negativeExamples
        self.origin = origin
    }
}

/// Offline checks a rule can ask for.
public enum ValidatorKind: String, Sendable, Hashable, CaseIterable {
    /// GitHub `gh?_` tokens: CRC32 of the body, base62, in the last 6 characters.
    case githubChecksum = "github-checksum"
    /// npm `npm_` tokens: same scheme as GitHub.
    case npmChecksum = "npm-checksum"
    /// A JWT: header and payload decode; claims are noted (`role`, `exp`).
    case jwt
    /// A JWT whose `role` claim must be `service_role`.
    case supabaseServiceRole = "supabase-service-role"
    /// A JWT whose `role` claim must be `anon`.
    case supabaseAnon = "supabase-anon"
    /// AWS key id: base32 body of the right length.
    case awsKeyID = "aws-key-id"
    /// PEM / OpenSSH private key block: structure and encryption state.
    case privateKey = "private-key"
    /// PyPI macaroon: decodes and names pypi.org.
    case pypiMacaroon = "pypi-macaroon"
    /// OpenAI keys: `T3BlbkFJ` between two halves.
    case openAIMarker = "openai-marker"
    /// Standard Webhooks secret: base64 of 24 to 64 bytes.
    case standardWebhook = "standard-webhook"
    /// Laravel `base64:` APP_KEY of 16 or 32 bytes.
    case laravelKey = "laravel-key"
    /// A URL whose password part is real (not a placeholder, not a variable).
    case urlPassword = "url-password"
    /// Discord bot token: the first segment is base64 of the bot's numeric snowflake id.
    case discordToken = "discord-token"
    /// AWS SES SMTP password: base64 of 33 bytes whose first byte is the version (0x02 or 0x04).
    case sesSMTPPassword = "ses-smtp-password"
    /// Sentry `sntrys_` org token: embedded base64 JSON naming the org and region.
    case sentryOrgToken = "sentry-org-token"
    /// Clerk `pk_` key: base64 of the Frontend API host followed by `$`.
    case clerkPublishableKey = "clerk-publishable-key"
    /// Zhipu AI (BigModel) key `id.secret`: 32 lower-case hex digits, a dot, 16 base62 characters.
    case zhipuKey = "zhipu-key"
    /// PuTTY `.ppk` key file: the public blob names the header's algorithm; encryption noted.
    case puttyKey = "putty-key"
}
