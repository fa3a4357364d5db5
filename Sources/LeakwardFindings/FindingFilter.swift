import LeakwardMatching
import LeakwardModel
import LeakwardRules
import LeakwardSupport

/// Judges candidates: drops placeholders, references, allow-listed and low-entropy values, runs
/// the offline checks, and turns what remains into findings. Immutable and shared by all workers.
public struct FindingFilter: Sendable {
    public let rules: CompiledRules
    /// Regexes from the project config that allow a secret wherever it appears.
    public let globalAllowlist: [Regex]
    /// Inline markers that allow the findings on their line or the next one.
    static let allowMarkers = ["leakward:allow", "gitleaks:allow", "pragma: allowlist secret", "nosec"]
    static let allowMarkerBytes = allowMarkers.map { Array($0.utf8) }
    static let allowWord = Array("allow".utf8), nosecWord = Array("nosec".utf8)

    /// Per rule index: whether the rule's secrets carry a literal prefix of their own (`ghp_`,
    /// `sk_live_`, `SG.`), read from its examples. Rules without one are judged by name and
    /// entropy alone, and are quiet outside production code.
    let hasOwnPrefix: [Bool]

    /// Per rule index: the path regex it is restricted to (gitleaks `path`), if any.
    let pathRestrictions: [Regex?]
    /// Per rule index: its conditional allowlists, compiled.
    let conditionalAllowlists: [[CompiledAllowlist]]

    /// Per rule index: the other half of a credential pair it is judged beside (`companion`), compiled.
    let companions: [Regex?]
    /// The rules that have a companion: their findings depend on text lines away, so a history
    /// window holding one sends its blob to be matched whole (`BlobScan`).
    public let pairedRuleIDs: Set<String>
    /// Per rule index: the index of the rule that reports its companion value (`companion_rule`),
    /// nil when it names none or that rule is not in the set (removed by the config).
    let companionRules: [Int?]

    /// Root (as given) → its place under the gitleaks config's directory, for path regexes.
    public var allowlistBases: [String: String] = [:]

    public init(rules: CompiledRules, globalAllowlist: [String] = []) throws {
        self.rules = rules
        self.globalAllowlist = try globalAllowlist.map { try Regex($0) }
        do {
            pathRestrictions = try rules.ruleSet.rules.map { rule in try rule.pathPattern.map { try Regex($0) } }
            conditionalAllowlists = try rules.ruleSet.rules.map { rule in try rule.allowlists.map(CompiledAllowlist.init) }
            companions = try rules.ruleSet.rules.map { rule in try rule.companion.map { try Regex($0) } }
            hasOwnPrefix = rules.ruleSet.rules.map(FindingFilter.hasOwnPrefix)
            binaryRules = zip(rules.ruleSet.rules, hasOwnPrefix).map { FindingFilter.matchesInBinaries($0, hasOwnPrefix: $1) }
        } catch let error as MatchError {
            throw RuleError.pattern(rule: "allowlist", message: error.description)
        }
        pairedRuleIDs = Set(rules.ruleSet.rules.filter { $0.companion != nil }.map(\.id))
        let indexByID = Dictionary(rules.ruleSet.rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        companionRules = rules.ruleSet.rules.map { rule in rule.companionRule.flatMap { indexByID[$0] } }
    }

    /// Whether every positive example's secret starts with one of the rule's keywords of three
    /// or more characters (`ghp_`, `sk_live_`, `xoxb-`): the provider's own prefix, not a name.
    /// Also when the pattern's secret group starts with literal text every example starts
    /// with (`re_` in `(re_[A-Za-z0-9]{8}_…)`, a rule keyed on the name `resend`), and for a
    /// rule whose fixed shape is its format (`own_format`: a Telegram token's `<id>:AA…`).
    static func hasOwnPrefix(_ rule: Rule) -> Bool {
        if rule.hasOwnFormat { return true }
        let secrets = rule.examples.flatMap { MarkedText.marked(in: $0) }.map { $0.lowercased() }
        guard !secrets.isEmpty else { return false }
        let literal = capturedLiteralPrefix(rule.pattern).lowercased()
        if literal.count >= 3, !encodingPrefixes.contains(literal), secrets.allSatisfy({ $0.hasPrefix(literal) }) { return true }
        // A JWT's `eyJhbGci` keyword is its encoding's start, not a provider's prefix.
        let prefixes = rule.keywords.map { $0.lowercased() }.filter { keyword in
            keyword.count >= 3 && !keyword.hasPrefix("eyj")
        }
        guard !prefixes.isEmpty else { return false }
        return secrets.allSatisfy { secret in prefixes.contains { secret.hasPrefix($0) } }
    }

    /// Whether `offset` lies in a comment: on a comment line (`LiteralValue.isInComment`) or, for
    /// a value with no format of its own (`blocks`), inside a C-like `/* … */` block opened on an
    /// earlier line (`CompiledChecks.isCommentedOut`), where sample payloads sit under an
    /// "Example …" line with no `*` starting theirs (bolt-js's event types). A provider-shaped
    /// value there is more often code commented out whole (a JSX `{/* <video src="…?sig=…"> */}`
    /// keeps its SAS URL), so those are asked of their own line only, as before. Not in minified
    /// bundles or on lines past 1,000 bytes, which keep comments that ship, as `isInComment` says.
    static func isInComment(_ offset: Int, in buffer: UnsafeBufferPointer<UInt8>, path: String, blocks: Bool) -> Bool {
        if LiteralValue.isInComment(offset, in: buffer, path: path) { return true }
        guard blocks, !path.lowercased().contains(".min."), line(around: offset..<offset, in: buffer).count <= 1000 else { return false }
        return CompiledChecks.isCommentedOut(offset, in: buffer, path: path)
    }

    /// Whether `origin` is a commit's message.
    static func isCommitMessage(_ origin: Origin) -> Bool {
        if case .commitMessage = origin { return true }
        return false
    }

    /// Literal starts every value of a kind shares, not a provider's prefix: a URL scheme, a
    /// JWT's `{"` in base64, Laravel's `base64:`.
    static let encodingPrefixes: Set<String> = ["http", "https", "eyj", "base64"]

    /// The literal text the pattern's first capture group starts with, up to the first class,
    /// group, alternation or quantifier (a quantified last character is dropped); "" when the
    /// group starts with anything else.
    static func capturedLiteralPrefix(_ pattern: String) -> String {
        // By Unicode scalar, not Character: this runs over every rule at every start, and the
        // pattern syntax it reads is ASCII.
        let chars = Array(pattern.unicodeScalars)
        func isWordLike(_ c: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_" || c == "-"
        }
        var i = 0
        while i < chars.count {
            switch chars[i] {
            case "\\": i += 2; continue
            case "[":
                i += 1
                if i < chars.count, chars[i] == "^" { i += 1 }
                if i < chars.count, chars[i] == "]" { i += 1 }
                while i < chars.count, chars[i] != "]" { i += chars[i] == "\\" ? 2 : 1 }
            case "(" where i + 1 < chars.count && chars[i + 1] != "?":
                var literal = String.UnicodeScalarView()
                i += 1
                while i < chars.count {
                    let c = chars[i]
                    if isWordLike(c) { literal.append(c); i += 1; continue }
                    if c == "\\", i + 1 < chars.count, "._-/:".unicodeScalars.contains(chars[i + 1]) { literal.append(chars[i + 1]); i += 2; continue }
                    break
                }
                if i < chars.count, "?*{".unicodeScalars.contains(chars[i]), !literal.isEmpty { literal.removeLast() }
                return String(literal)
            default: break
            }
            i += 1
        }
        return ""
    }

    /// Per rule index: whether it may match a binary's strings (`StringsDecoder`): a provider
    /// prefix of its own or an offline check, and not generic, weak-secret or config-value.
    public let binaryRules: [Bool]

    static func matchesInBinaries(_ rule: Rule, hasOwnPrefix: Bool) -> Bool {
        rule.category != .generic && !rule.checksWeakness && rule.requiredDecoder == nil && (hasOwnPrefix || isChecksummed(rule))
    }

    /// Whether the rule's tokens are checked offline (a checksum or a parsed structure), so a
    /// match is a token even with no name around it: the rules allowed in a binary's strings.
    static func isChecksummed(_ rule: Rule) -> Bool {
        guard let validator = rule.validator else { return false }
        return validator != .urlPassword && validator != .laravelKey
    }

    /// A `RuleAllowlist` with its regexes compiled.
    struct CompiledAllowlist: Sendable {
        let regexes: [Regex]
        let target: RuleAllowlist.Target
        let paths: [Regex]
        let stopwords: [String]
        let requiresAll: Bool

        init(_ allowlist: RuleAllowlist) throws {
            regexes = try allowlist.regexes.map { try Regex($0) }
            target = allowlist.target
            paths = try allowlist.paths.map { try Regex($0) }
            stopwords = allowlist.stopwords
            requiresAll = allowlist.requiresAll
        }

        func allows(_ candidate: Candidate, in buffer: UnsafeBufferPointer<UInt8>, context: Context, scratch: MatchScratch) -> Bool {
            var checks: [Bool] = []
            if !regexes.isEmpty {
                let range: Range<Int>
                switch target {
                case .secret: range = candidate.secret
                case .match: range = candidate.match
                case .line: range = FindingFilter.line(around: candidate.match, in: buffer)
                }
                let text = UnsafeBufferPointer(rebasing: buffer[range])
                checks.append(regexes.contains { (try? $0.firstMatch(in: text, from: 0, scratch: scratch)) != nil })
            }
            if !paths.isEmpty { checks.append(paths.contains { FindingFilter.pathMatches($0, context, scratch: scratch) }) }
            if !stopwords.isEmpty {
                let secret = String(decoding: UnsafeBufferPointer(rebasing: buffer[candidate.secret]), as: UTF8.self).lowercased()
                checks.append(stopwords.contains { secret.contains($0) })
            }
            guard !checks.isEmpty else { return false }
            return requiresAll ? checks.allSatisfy { $0 } : checks.contains(true)
        }
    }

    /// Matches a path regex (gitleaks `path`, an allowlist's `paths`) the way gitleaks does:
    /// against the file's path relative to the scanned root or repository, as written, so
    /// `^src/` means the root's `src/` and never `lib/src/`. A member of an archive or source
    /// map is also judged by its own name inside its container.
    static func pathMatches(_ regex: Regex, _ context: Context, scratch: MatchScratch) -> Bool {
        ([context.allowlistBase + context.origin.path] + context.members).contains { path in
            Array(path.utf8).withUnsafeBufferPointer { (try? regex.firstMatch(in: $0, from: 0, scratch: scratch)) != nil }
        }
    }

    /// The line holding `range` (bounded to 4 KB each side, as minified files have huge lines).
    public static func line(around range: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var start = range.lowerBound
        while start > 0, range.lowerBound - start < 4096, buffer[start - 1] != 10 { start -= 1 }
        var end = range.upperBound
        while end < buffer.count, end - range.upperBound < 4096, buffer[end] != 10 { end += 1 }
        return start..<end
    }

    /// The outcome for one candidate.
    public enum Verdict {
        case finding(Finding)
        /// Matched but allowed by config or by a rule allowlist: counted, not reported.
        case suppressed
        /// Allowed by a `leakward:allow` (or `gitleaks:allow`, `pragma: allowlist secret`)
        /// comment: counted, not reported, but kept so a gate can list the allows a change adds.
        case allowedInline(Finding)
        case dropped
    }

    /// Where the buffer came from, for the finding's location and file-kind decisions.
    public struct Context {
        public var origin: Origin
        public var members: [String]
        public var decoders: [DecodeStep]
        public var isUntracked: Bool?
        /// The innermost name (a member's, else the file's path): file kinds judge it.
        public var innermostPath: String
        /// `.env.example` and friends: meant to be committed, so real-looking values get a note.
        public var isTemplateFile: Bool
        /// Where the origin's root sits under the gitleaks config's directory (`src/` when
        /// `scan src/` runs in a repository whose config is at the top): path regexes are
        /// written relative to that directory, so they see `src/` + the path.
        public var allowlistBase = ""
        /// For text decoded from pieces of a whole text (a percent-decoded URL, a decoded base64
        /// run): that text, where a comment or an allow marker around the piece's source is.
        public var enclosing: Chunk.Enclosing?

        public init(origin: Origin, members: [String] = [], decoders: [DecodeStep] = [], isUntracked: Bool? = nil) {
            self.origin = origin
            self.members = members
            self.decoders = decoders
            self.isUntracked = isUntracked
            self.innermostPath = members.last ?? origin.path
            self.isTemplateFile = FileKind.isTemplate(path: innermostPath)
        }

        /// A file at `path` relative to the current directory (tests).
        public init(path: String, decoders: [DecodeStep] = [], isUntracked: Bool? = nil) {
            self.init(origin: .file(root: ".", path: path), decoders: decoders, isUntracked: isUntracked)
        }

        /// The folders and names from the file down to the innermost member, for judgements
        /// by folder (test and docs folders): structure joined for a substring test only.
        var folderPath: String { ([origin.path] + members).joined(separator: "/") }
    }

    public func judge(_ candidate: Candidate, in buffer: UnsafeBufferPointer<UInt8>, context: Context,
                      lines: inout LineIndex?, scratch: MatchScratch) -> Verdict {
        var context = context
        if !allowlistBases.isEmpty { context.allowlistBase = allowlistBases[context.origin.root] ?? "" }
        let rule = rules.rule(at: candidate.ruleIndex)
        if let restriction = pathRestrictions[candidate.ruleIndex],
           !FindingFilter.pathMatches(restriction, context, scratch: scratch) { return .dropped }
        if let required = rule.requiredDecoder, context.decoders.last?.decoder.rawValue != required { return .dropped }
        // In a binary's strings, a name and some entropy mean nothing (symbol tables are full of
        // both): only rules whose tokens carry a prefix of their own or a checksum match there.
        let inBinary = context.decoders.contains { $0.decoder == .strings }
        if inBinary, !binaryRules[candidate.ruleIndex] { return .dropped }
        let secret = Array(buffer[candidate.secret])
        let secretBuffer = UnsafeBufferPointer(rebasing: buffer[candidate.secret])
        var kind: FindingKind = rule.isPublicByDesign ? .publicByDesign
            : rule.isTestKey ? .testKey : rule.isHardcodedFallback ? .hardcodedFallback
            : rule.isPasswordHash ? .passwordHash : .secret
        var severity = rule.severity
        var notes: [String] = []
        var validation = Validation.unchecked

        if let validator = rule.validator {
            let verdict = OfflineCheck.verdict(validator, secret: secret)
            guard verdict.isPlausible else { return .dropped }
            // In a binary the check must pass, not only not fail: a library's
            // `-----BEGIN RSA PRIVATE KEY-----` constant is no key.
            if inBinary, verdict.validation == .unchecked { return .dropped }
            validation = verdict.validation
            notes += verdict.notes
            if let override = verdict.kind { kind = override }
        }
        if rule.checksWeakness, let reason = WeakSecret.reason(for: secret) {
            // A placeholder (`<your-secret>`) is no value at all; a known default (`keyboard cat`)
            // is one, and a weak one. In a template or a test it is reported at info (below).
            // In a template, a placeholder word is the blank to fill in (`changeme` as a template's value),
            // even one that is also a known default.
            if (context.isTemplateFile || !WeakSecret.isKnownDefault(secret)) && Placeholder.reason(for: secret) != nil { return .dropped }
            kind = .weakSecret
            notes.append("weak: \(reason)")
        } else {
            // A checksum, or a key block that parsed, outweighs the look of the text (real
            // OpenSSH keys hold long runs of `A`).
            let isVerified = validation == .checksumValid || (rule.category == .privateKey && validation == .structureValid)
            if !isVerified, Placeholder.reason(for: secret) != nil { return .dropped }
            // `sk-TheresAlwaysMoneyInTheBananaStand` in an `.env.example`: a provider's prefix and
            // then a phrase in capitalised words, someone's joke or stand-in where the key goes. A
            // generated key's letters and digits fall by chance; none reads as words.
            if !isVerified, hasOwnPrefix[candidate.ruleIndex], ValueSignals.bundled.isWordPhraseAfterPrefix(secret) { return .dropped }
            if rule.minEntropy > 0, Entropy.bitsPerByte(secret) < Self.entropyFloor(rule.minEntropy, for: secret) { return .dropped }
        }
        if Placeholder.isInsideDataURI(candidate.match.lowerBound, in: buffer) { return .dropped }
        // A value, not code: identifiers, member chains, calls and keywords are never secrets.
        let formatless = rule.category == .generic || rule.checksWeakness || !secret.contains(where: LiteralValue.isDigit)
        if LiteralValue.codeReason(secret: candidate.secret, in: buffer, path: context.innermostPath, formatless: formatless) != nil {
            return .dropped
        }
        // `SECRET_KEY_BASE = "action_dispatch.secret_key_base"`, `SECRET_KEY = 'AWS_SECRET_ACCESS_KEY'`:
        // a quoted key name (the name a value is looked up by), not a key; `PREFERRED_AUTH_KEY =
        // 'spec.preferredAuthentication'`, `credentials: 'google_oauth2.Credentials'` (a type named in a
        // string): a field path or a qualified name, words joined by dots.
        // A connection URL's password sits in the URL's userinfo, where no name is looked up: one
        // run of letters there (`mongodb://app:<letters alone>@dsNNNNNN.mlab.com`) is a password
        // whatever its case; words joined by `_` or `.` (`TU_PASSWORD_RAILWAY`) still name the slot.
        if formatless, rule.validator != .urlPassword || secret.contains(95) || secret.contains(46),
           !WeakSecret.isKnownDefault(secret),
           LiteralValue.isQuotedName(secret) || LiteralValue.isMemberChain(secret) { return .dropped }
        // `ENCRYPTION_KEY = 'bolt_mcp_secure_storage_v1'` (a web client's localStorage slot): a
        // versioned name, under any rule that reads the value by its name alone.
        if !hasOwnPrefix[candidate.ruleIndex], LiteralValue.isVersionedName(secret) { return .dropped }
        let variable = VariableName.assigned(to: candidate, in: buffer)
        // `config.secret_key_base = "secret_key_base"`: a value spelling its own name is a stand-in.
        // `n8n_basic_auth_password: "n8n_password"`: its name's words again, in order, the same.
        if formatless, let variable, !WeakSecret.isKnownDefault(secret),
           LiteralValue.spellsName(secret, of: variable) || LiteralValue.repeatsNameWords(secret, of: variable) { return .dropped }
        if rule.category == .generic, rule.id.hasPrefix("generic.") {
            if FileKind.isLockfile(path: context.innermostPath) { return .dropped }
            if VariableName.isChecksumAnnotation(candidate, in: buffer) { return .dropped }
            if Placeholder.genericReason(for: secret, variable: variable, acceptsUUID: rule.isUUIDValue) != nil { return .dropped }
        }
        // `process.env.EXTERNAL_AUTH_MODE || "introspect"`, `process.env.PORTKEY_MODEL_PREF ?? "gpt-4o"`:
        // the variable's name holds a credential's word (`AUTH`, `portKEY`) but ends in a setting's,
        // so the fallback is that setting's default.
        if kind == .hardcodedFallback,
           Placeholder.namesSetting(fallbackOf: UnsafeBufferPointer(rebasing: buffer[candidate.match.lowerBound..<candidate.secret.lowerBound])) {
            return .dropped
        }
        // Where it sits: a comment in source code is documentation, whatever the file, except a
        // credential that proves its own shape (a provider prefix, a checksum, a parsed JWT or key
        // block) commented out in production code: `// const char *token = "eyJ…"` is still in
        // the repository, and still the live key it was before the `//`.
        // Decoded text keeps only the decoded value on its line: whether that line is a comment or
        // documentation is asked of the text it was decoded from, at the piece's source.
        var place = LocationContext.of(origin: context.origin, members: context.members)
        // A program named like a test that tests nothing (`test_azure.py` at a project's top,
        // calling a live API with its author's key) is the program it is, not a test suite's
        // fixture (`[scratch_scripts]` of locations.toml). Asked of the whole file: a window of a
        // history blob that says so is matched whole again (`BlobScan`).
        // One that talks only to a server on this machine (`sdk/python/test.py` posting to
        // `http://localhost:9380` with its instance's API key) tries the developer's own instance:
        // its values are that instance's, and it stays a test.
        if place == .test, context.members.isEmpty, LocationCatalog.bundled.isScratchScript(context.innermostPath, text: buffer) {
            if LocationCatalog.bundled.talksOnlyToLocalServers(buffer), !FindingFilter.namesRemoteIssuer(secret) {
                notes.append(ScratchScriptSignals.localNote)
            } else {
                place = .production
                notes.append(ScratchScriptSignals.note)
            }
        }
        // A Rust source file keeps its unit tests in a `#[cfg(test)] mod tests { … }` block
        // (`[test_modules]`): a license check's test JWTs there are the test's, not the program's.
        if place == .production, context.members.isEmpty,
           LocationCatalog.bundled.testModules.contains(candidate.secret.lowerBound, in: buffer, path: context.innermostPath) {
            place = .test
            notes.append(TestModuleSignals.note)
        }
        let source = context.enclosing.flatMap { enclosing in enclosing.sourceOffset(of: candidate.secret.lowerBound).map { (enclosing, $0) } }
        let enclosingSays = source.map { enclosing, offset in
            enclosing.bytes.withUnsafeBufferPointer { text in
                (documentation: LiteralValue.isInEmbeddedDocumentation(offset, in: text, path: context.innermostPath),
                 comment: FindingFilter.isInComment(offset, in: text, path: context.innermostPath, blocks: formatless),
                 allowed: hasAllowMarker(near: offset..<offset, in: text))
            }
        }
        if LiteralValue.isInEmbeddedDocumentation(candidate.secret.lowerBound, in: buffer, path: context.innermostPath)
            || enclosingSays?.documentation == true {
            place = .documentation
        } else if FindingFilter.isInComment(candidate.secret.lowerBound, in: buffer, path: context.innermostPath, blocks: formatless)
                    || enclosingSays?.comment == true {
            // A session cookie or an app's signing key has a shape but no issuer (as below): its
            // shape does not make a commented-out sample (a callback URL in a comment) a live key.
            let provesShape = validation == .checksumValid || validation == .structureValid
                || (hasOwnPrefix[candidate.ruleIndex] && rule.category != .session)
            // `#     DEEPGRAM_API_KEY='<40 hex>',` in a program: a provider's key under the
            // provider's own name, assigned on a commented-out line, is code commented out with
            // the key in it (a `setenv(…)` block a developer switched off), not a comment's sample;
            // a sample there is a placeholder, dropped above. The name is its format here, as in
            // a template.
            // So is a generic rule's value under a name that says whose API key it is
            // (`# openai.api_key = '<32 hex>'`, `#     RIME_API_KEY='…',` in a commented-out
            // `vocode.setenv(…)` block): the name is a provider's, not a placeholder's
            // (`[provider_key_names]` of values.toml).
            let namesItsProvider = kind == .secret && variable.map { variable in
                (rule.provider != "Generic" && ![.generic, .session, .privateKey, .database].contains(rule.category))
                    || (rule.category == .generic && ValueSignals.bundled.namesProviderKey(variable))
            } == true
            // Password hashes are excluded: API docs show `password_digest # => "$2a$…"` in comments.
            if place == .production, provesShape || namesItsProvider, kind != .weakSecret, kind != .passwordHash {
                notes.append("commented out, still in the repository")
            } else {
                place = .documentation
            }
        }
        // A hash named as a sample (`DUMMY_HASH` for timing-safe comparisons) protects nothing.
        if kind == .passwordHash, let name = variable?.lowercased(),
           ["dummy", "fake", "example", "sample", "mock", "placeholder"].contains(where: { name.contains($0) }) { return .dropped }
        // A weak value inside a message (`'cookieParser("secret") required'`) is a string's text,
        // not a setting.
        if kind == .weakSecret,
           LiteralValue.isInStringLiteral(candidate.match.lowerBound, in: buffer, path: context.innermostPath) { return .dropped }
        // A weak sample value in docs, tests, fixtures, examples or templates illustrates; it
        // configures nothing, so it is visible at info with the reason and fails no CI by default
        // (the same holds below for every value with no format check in those places).
        if kind == .weakSecret, context.isTemplateFile, !place.isQuiet, severity > .info {
            severity = .info
            notes.append("in a template file: a weak sample value there is reported at info")
        }
        if rules.isAllowlisted(rule: candidate.ruleIndex, secret: secretBuffer, scratch: scratch) { return .dropped }
        // A Kubernetes Secret's `data:` is base64 (`RABBITMQ_DEFAULT_PASS: Z3Vlc3Q=`, `POSTGRES_PASSWORD:
        // cGFzc3dvcmQ=`): the text it encodes (`guest`, `password`) is a value the rule drops when
        // written plainly, a default; encoded, it is shown at info with the reason (below). Decoded
        // only when a formatless value is judged, not for every candidate.
        func encodedDefault() -> String? {
            guard rule.category == .generic, let decoded = Self.printableBase64(secret, minimumLength: 4),
                  decoded.withUnsafeBufferPointer({ rules.isAllowlisted(rule: candidate.ruleIndex, secret: $0, scratch: scratch) })
            else { return nil }
            return "base64 of a default the rule drops when written plainly"
        }
        if globalAllowlist.contains(where: { (try? $0.firstMatch(in: secretBuffer, from: 0, scratch: scratch)) != nil }) {
            return .suppressed
        }
        let isAllowedInline = hasAllowMarker(near: candidate.match, in: buffer) || enclosingSays?.allowed == true
        if conditionalAllowlists[candidate.ruleIndex].contains(where: {
            $0.allows(candidate, in: buffer, context: context, scratch: scratch)
        }) { return .suppressed }

        switch kind {
        case .publicByDesign: severity = .info
        case .testKey: severity = min(severity, .low)
        default: break
        }
        if context.isTemplateFile { notes.append("in a template file that is meant to be committed") }
        // Where it sits: a finding with no format of its own (a name and some entropy) outside
        // production code is an illustration until shown otherwise; it stays visible at info.
        let hasFormatCheck = validation == .checksumValid || validation == .structureValid
        // An app's own signing key (Laravel `APP_KEY`, a Rails master key, a session secret) and a
        // password hash have a shape but no issuer: the shape says nothing about whose it is, so
        // in a test app, seed data or a README they are samples like any name-and-entropy value.
        // So is a key block whose body is not a key (base64 of prose in documentation). An env
        // template is the exception for app keys: it is copied as it is, so a key generated into
        // `.env.example` becomes every deployment's key.
        // A provider's token under the provider's name, at the provider's exact length, in a
        // template (`TOGETHER_API_KEY=<64 hex>` in `.example.env`) is a key someone pasted: a
        // template's samples are empty, placeholders or low-entropy stand-ins, which were dropped
        // above. The name and the length are its format there.
        // App signing keys are left out: a template's `AUTH_SECRET=<openssl rand>` is as often
        // the sample the README tells you to regenerate as a deployment's key.
        let isPastedInTemplate = context.isTemplateFile && (place == .example || place == .production)
            && ![.generic, .privateKey, .session].contains(rule.category)
            && rule.provider != "Generic" && kind != .weakSecret && kind != .passwordHash
            // A JWT whose claims name no issuer (a Supabase key with no `iss`/`ref`) failed its own format check.
            && !(validation == .unchecked && [.jwt, .supabaseServiceRole, .supabaseAnon].contains(rule.validator))
            // A secret the user chooses (a webhook signing secret, a mail password) can be a
            // stand-in phrase or a typed sample (`my-webhook-secret`, `email-server-password`): the
            // template's sample, judged below like any formatless value.
            && (hasOwnPrefix[candidate.ruleIndex]
                || valueReason(secret, rule: rule, match: candidate.match, in: buffer, context: context, variable: variable,
                        secretStart: candidate.secret.lowerBound) == nil)
        // A connection URL to a managed database's host (`…neon.tech`, `…upstash.io`) in a
        // template is the same: the service made the host and the password, someone pasted both.
        // A host that is itself a placeholder (`db.abcdefghijklmnop.supabase.co`, `your-project.neon.tech`)
        // is the template's example, not a pasted connection.
        let connectionHost = ValueSignals.host(ofConnection: String(decoding: UnsafeBufferPointer(rebasing: buffer[candidate.match]), as: UTF8.self))
        // So is one in a test, fixture or example (an integration test's `MongoClients.create(
        // "mongodb+srv://…@cluster0.….mongodb.net")`): a test's own database is a container on
        // localhost; a managed service's host means the test ran against someone's real cluster.
        // Not documentation, whose URLs are written to be read.
        // ADO.NET and ODBC strings (`Server=tcp:….database.windows.net;…;Password=…`) name their
        // host as well as URLs do.
        let isPastedConnection = (rule.validator == .urlPassword || rule.category == .database)
            && ((context.isTemplateFile && (place == .example || place == .production))
                || [.test, .fixture, .example].contains(place))
            && connectionHost.map(ValueSignals.bundled.isHostedDatabase) == true
            && connectionHost.map { Placeholder.reason(for: Array($0.utf8)) == nil } == true
            // `Username=myuser;Password=mypassword` on a managed host in a test's README: sample
            // words alone are the sample's typed password, not a pasted connection's (the
            // service's console never generates them). A person's own weak password there
            // (`Vectortest123` on a real Tair instance) is still a pasted connection.
            && !ValueSignals.bundled.isSampleWords(secret)
        // A random-looking value under a credential's name in an env template (`DISCORD_CLIENT_SECRET=`
        // 32 random characters, `KV_REST_API_TOKEN=…`, `AUTH_GITHUB_SECRET=<40 hex>` in
        // `.env.example`) is a third party's credential someone pasted, like a provider's token
        // above: a template's own samples are empty, placeholders, stand-in phrases or weak, all
        // judged before this (on the real-world panel every such value was a pasted key). App
        // signing keys stay out, as above.
        let isPastedGenericInTemplate = context.isTemplateFile && (place == .example || place == .production)
            && rule.category == .generic && kind == .secret && secret.count >= 20 && !hasFormatCheck
            && valueReason(secret, rule: rule, match: candidate.match, in: buffer, context: context, variable: variable,
                        secretStart: candidate.secret.lowerBound) == nil
        if isPastedGenericInTemplate { notes.append("a random value under a credential's name in a template: a pasted key, not a sample") }
        // An example's own `.env` (`examples/voice-bot/.env`, no template suffix) is the file the
        // example runs with, not text that illustrates one: whoever commits it commits the keys
        // they ran the example with (on the real-world panel, beside real OpenAI and Deepgram
        // keys). A random value under a credential's name there keeps its severity, as in a
        // template; its samples are placeholders, stand-ins or weak, all judged before this.
        let isGenericInExampleEnvFile = place == .example && !context.isTemplateFile
            && FileKind.isEnvFile(path: context.innermostPath)
            && rule.category == .generic && kind == .secret && secret.count >= 20 && !hasFormatCheck
            && valueReason(secret, rule: rule, match: candidate.match, in: buffer, context: context, variable: variable,
                        secretStart: candidate.secret.lowerBound) == nil
        if isGenericInExampleEnvFile { notes.append("a random value under a credential's name in an example's own .env: the key it ran with") }
        // A generated signing secret in an env template (`AUTH_SECRET=` 32 random hex or 44 base64
        // characters, `openssl rand` output, in `.env.example`): someone's own key, pasted under the
        // template's "generate one with openssl rand" line (on the real-world panel, in pull
        // requests' versions of the template). The template's own sample, the version in HEAD's
        // tree, is judged after provenance (`TemplateSigningKeys`).
        let isGeneratedSigningKeyInTemplate = context.isTemplateFile && FileKind.isEnvFile(path: context.innermostPath)
            && (place == .example || place == .production) && rule.category == .session && kind == .secret
            && !hasFormatCheck && secret.count >= WeakSecret.minimumLength
            && valueReason(secret, rule: rule, match: candidate.match, in: buffer, context: context, variable: variable,
                        secretStart: candidate.secret.lowerBound) == nil
        if isGeneratedSigningKeyInTemplate { notes.append(TemplateSigningKeys.note) }
        // A provider's key under the provider's own name in documentation or an example
        // (`MISTRAL_API_KEY = "<32>"` in a cookbook's notebook, `CLOUDFLARE_API_KEY=<37 hex>` in a
        // notes file, `--glm_key '<id>.<secret>'` in a README's command): the rule's name and
        // shape are its format there, as in a template. A sample in those places is a
        // placeholder, a stand-in or weak (all judged before this), or introduced as one ("e.g.",
        // judged below). Tests and fixtures keep their fixtures' values at info (a test sets
        // `ENV["MANDRILL_INGRESS_API_KEY"]` to a made-up key), and so does a commit message.
        // One half of a pair (an AWS secret access key) is left to the pair's judgement: the docs
        // of S3-compatible stores print sample key pairs under AWS's names (Ceph's `radosgw` guide).
        let isPairHalf = companions[candidate.ruleIndex] != nil || companionRules.contains(candidate.ruleIndex)
        let isProviderKeyInProse = (place == .documentation || place == .example) && !FindingFilter.isCommitMessage(context.origin)
            && rule.provider != "Generic" && ![.generic, .session, .privateKey, .database].contains(rule.category)
            && kind == .secret && !hasFormatCheck && !hasOwnPrefix[candidate.ruleIndex] && !isPairHalf && rule.validator != .urlPassword
            && !(validation == .unchecked && [.jwt, .supabaseServiceRole, .supabaseAnon].contains(rule.validator))
            && valueReason(secret, rule: rule, match: candidate.match, in: buffer, context: context, variable: variable,
                        secretStart: candidate.secret.lowerBound) == nil
        if isProviderKeyInProse { notes.append("a provider's key under its provider's name in \(place.phrase): its name and shape are its format") }
        // So is a generic rule's random value under a name that says whose API key it is in
        // documentation (`baidu_wenxin_api_key: "<24 random>"` pasted into a README's config
        // sample, `ANTHROPIC_API_KEY=…` in a setup guide): the name is a provider's
        // (`[provider_key_names]` of values.toml), and a sample there is a placeholder, a stand-in
        // or weak, all judged before this. Tests, fixtures and commit messages keep their values
        // at info, as above.
        // Documentation only: an example's assets hold client keys published by design (an Expo
        // kernel manifest's `amplitudeApiKey`), and a saved web page's variables are its publisher's.
        let isNamedProviderKeyInProse = place == .documentation && !FindingFilter.isCommitMessage(context.origin)
            && !FileKind.isWebPage(path: context.innermostPath)
            && rule.category == .generic && kind == .secret && !hasFormatCheck && secret.count >= 20
            && variable.map(ValueSignals.bundled.namesProviderKey) == true && !ValueSignals.bundled.spellsSample(secret)
            && valueReason(secret, rule: rule, match: candidate.match, in: buffer, context: context, variable: variable,
                        secretStart: candidate.secret.lowerBound) == nil
        if isNamedProviderKeyInProse { notes.append("a key under a name that says whose API key it is, in \(place.phrase): its name is its format") }
        // A provider's rule with no kind of its own (category generic) whose shape is the
        // provider's (RapidAPI's `…msh…jsn…`) has a format; a generic rule's value has none.
        let isGenericValue = rule.category == .generic && !(rule.provider != "Generic" && hasOwnPrefix[candidate.ruleIndex])
        let isFormatless = kind == .weakSecret || kind == .passwordHash
            || (isGenericValue && !isPastedGenericInTemplate && !isNamedProviderKeyInProse && !isGenericInExampleEnvFile)
            || (rule.category == .session && place != .example) || (rule.validator == .urlPassword && !isPastedConnection)
            || (!hasFormatCheck && !isPastedInTemplate && !isPastedGenericInTemplate && !isGeneratedSigningKeyInTemplate
                && !isGenericInExampleEnvFile
                && !isProviderKeyInProse && !isNamedProviderKeyInProse && !isPastedConnection
                && (!hasOwnPrefix[candidate.ruleIndex] || rule.category == .privateKey || rule.validator == .privateKey))
        // A key block that failed its check (`made up: n ≠ p·q` in a mock service account) is
        // judged like a bare key block: its `-----BEGIN` armour is no provider's prefix.
        // A config value's evidence is its key and its file: in a template, test or doc that is a
        // sample, not a configuration.
        if place.isQuiet, rule.requiredDecoder != nil { return .dropped }
        if place.isQuiet, isFormatless, severity > .info {
            severity = .info
            notes.append("in \(place.phrase): a value with no format check there is reported at info")
        } else if place == .vendored, validation != .checksumValid, severity > .info {
            // A dependency's test keys, sample keys and mock values are its publisher's: the
            // project can neither rotate nor remove them. Only a verified checksum says more.
            severity = .info
            notes.append("in \(place.phrase): reported at info unless a checksum verifies it")
        } else if isFormatless, severity > .info,
                  let reason = valueReason(secret, rule: rule, match: candidate.match, in: buffer, context: context,
                        variable: variable, secretStart: candidate.secret.lowerBound) ?? encodedDefault() {
            // What the value says about itself (`rules/context/values.toml`): a stand-in phrase,
            // a framework's development key, a password for a local database.
            severity = .info
            notes.append("\(reason): reported at info")
        }
        // A webhook signing secret in a test beside a signature it made (`v1,<base64>` of Standard
        // Webhooks, `v1=<hex>` of Stripe): the key of the test's fixed vector, which the test
        // checks its verifier against (an SDK's own webhook tests). Its prefix says whose scheme
        // it is, not whose deployment: a deployment's secret is never written beside its output.
        if rule.category == .webhook, place == .test || place == .fixture, severity > .info,
           let reason = ValueSignals.bundled.signatureVectorReason(around: candidate.match, in: buffer) {
            severity = .info
            notes.append("\(reason): reported at info")
        }
        // In documentation, a value the prose introduces as a sample ("Note your API key (e.g.
        // `AIza…`)") illustrates the step, whatever its format: it is shown at info with the reason.
        if place == .documentation, severity > .info,
           let reason = ValueSignals.bundled.documentedSampleReason(at: candidate.secret.lowerBound, in: buffer) {
            severity = .info
            notes.append("\(reason): reported at info")
        }
        // `throw new AuthenticationError("… Expected format: 'e2b_' followed by a hex string (e.g., 'e2b_…')")`:
        // a value inside a message's text that the same text introduces as a sample is the
        // message's example, in code as in documentation. The marker must lie inside the string
        // too: `example: "<key>"` or a `# e.g.` comment before a literal is no message's prose.
        if place != .documentation, severity > .info,
           let found = ValueSignals.bundled.sampleMarker(before: candidate.secret.lowerBound, in: buffer),
           LiteralValue.isInStringLiteral(found.offset, in: buffer, path: context.innermostPath),
           LiteralValue.isInStringLiteral(candidate.secret.lowerBound, in: buffer, path: context.innermostPath),
           !buffer[found.offset..<candidate.secret.lowerBound].contains(10) {
            severity = .info
            notes.append("a sample a message's text introduces as one (\(String(decoding: found.marker, as: UTF8.self))): reported at info")
        }
        // An installed application's OAuth client secret (gemini-cli's, the Cloud SDK's), beside
        // its client ID: the vendor ships both in the app, so every copy of the app holds them.
        // Only the client secret: a refresh token beside the same client is a user's credential.
        if severity > .info, secret.starts(with: Array("GOCSPX-".utf8))
            || variable.map({ $0.lowercased().filter { $0.isLetter }.contains("clientsecret") }) == true,
           let reason = ValueSignals.bundled.publishedClientReason(around: candidate.match, in: buffer) {
            severity = .info
            kind = .publicByDesign
            notes.append("\(reason): reported at info")
        }
        // A value a framework's template publishes for every project built on it (RuoYi-Vue-Plus's
        // API-encryption RSA pair, whose front-end half goes to the browser; SnailJob's default
        // client token; a demo SSO server's client secret; the seeded admin's bcrypt hash): every
        // derived project holds it, so it is no leak of anyone's, whatever its format. Matched by
        // SHA-256 (`[published_secrets]` of values.toml), so the data names no secret.
        if severity > .info, let reason = ValueSignals.bundled.publishedSecretReason(for: secret)
            ?? ValueSignals.bundled.publicAddressReason(for: secret) {
            severity = .info
            kind = .publicByDesign
            notes.append("\(reason): reported at info")
        }
        // A Google API key in a saved copy of a site's page (an agent run's `html_3.html` naming its
        // canonical address): the site's browser key, in the markup every visitor gets.
        if severity > .info, ValueSignals.bundled.servedPageProviderRules.contains(rule.id),
           let reason = ValueSignals.bundled.servedPageReason(in: buffer) {
            severity = .info
            kind = .publicByDesign
            notes.append("\(reason): reported at info")
        }
        // `# This uses a public READ-ONLY Weaviate API key` above a demo cluster's key: the
        // operator published it for everyone. Formatless values only: a provider's own format
        // says more than a comment.
        if severity > .info, rule.category == .generic, !hasFormatCheck, !hasOwnPrefix[candidate.ruleIndex],
           let reason = ValueSignals.bundled.declaredPublicReason(around: candidate.match, in: buffer) {
            severity = .info
            kind = .publicByDesign
            notes.append("\(reason): reported at info")
        }
        // A Segment source's write key in program code (`writeKey: process.env.SEGMENT_WRITE_KEY ||
        // "…"` in a package's telemetry client): it only sends events, and the code hands it to
        // every install. A deployment's key in its environment file is not program code and
        // keeps its severity; a key with a format of its own says more than its name.
        if severity > .info, !hasFormatCheck, !hasOwnPrefix[candidate.ruleIndex],
           SourceLanguage(path: context.innermostPath) != nil,
           let reason = ValueSignals.bundled.writeOnlyKeyReason(variable: variable, around: candidate.match, in: buffer) {
            severity = .info
            kind = .publicByDesign
            notes.append("\(reason): reported at info")
        }
        // `apiKey` beside `appId` and `indexName` (a docs site's DocSearch widget): the search-only
        // key the site sends from every browser. Not a key with a prefix
        // or checksum of its own, whose format names what it is.
        if severity > .info, !hasFormatCheck, !hasOwnPrefix[candidate.ruleIndex],
           let reason = ValueSignals.bundled.searchOnlyKeyReason(variable: variable, around: candidate.match, in: buffer) {
            severity = .info
            kind = .publicByDesign
            notes.append("\(reason): reported at info")
        }
        // `aws_appsync_apiKey` in Amplify's generated `aws-exports.json` beside the GraphQL
        // endpoint: the client configuration the web app loads in every browser. Formatless only.
        if severity > .info, !hasFormatCheck, !hasOwnPrefix[candidate.ruleIndex],
           let reason = ValueSignals.bundled.browserConfigReason(variable: variable, around: candidate.match, in: buffer) {
            severity = .info
            kind = .publicByDesign
            notes.append("\(reason): reported at info")
        }
        // `Authorization: Basic <base64 of id:secret>` whose client ID is a published installed
        // app's (Life360's mobile app, which every Life360 integration sends as it is): the app's
        // OAuth client, not the project's credential. The user's own login is a finding of its own.
        if severity > .info, let decoded = Self.printableBase64(secret),
           let reason = ValueSignals.bundled.publishedBasicClientReason(decoded) {
            severity = .info
            kind = .publicByDesign
            notes.append("\(reason): reported at info")
        }
        // `…/photo.jpg?token=eyJ…`: a CDN's signature for one public file, not an account's token.
        if rule.category == .generic, severity > .info,
           let reason = ValueSignals.bundled.signedMediaReason(at: candidate.secret.lowerBound, in: buffer) {
            severity = .info
            notes.append("\(reason): reported at info")
        }
        // mkcert's `localhost-key.pem` beside `localhost.pem`, committed with a local HTTPS dev
        // server or OAuth callback: a key for this machine's own name guards no one's server.
        if rule.category == .privateKey, severity > .info,
           let reason = ValueSignals.bundled.localTLSKeyReason(path: context.innermostPath) {
            severity = .info
            notes.append("\(reason): reported at info")
        }
        // `{"id": "multi_turn_base_20", "result": ["[authenticate_twitter(…, password=\"…\")]"]}`:
        // a line of an eval run's output file, what a model wrote for a benchmark's made-up task.
        // Formatless values only: a provider's key there (a prompt's real key echoed back) keeps
        // its severity.
        if rule.category == .generic, severity > .info, !hasFormatCheck, !hasOwnPrefix[candidate.ruleIndex],
           let reason = ValueSignals.bundled.modelOutputReason(at: candidate.secret.lowerBound, in: buffer, path: context.innermostPath) {
            severity = .info
            notes.append("\(reason): reported at info")
        }
        // One half of a pair (an AWS access key ID) grants nothing alone: beside its other half
        // it is that credential's name; alone it is visible at info with the reason, when the
        // rule gives one (`unpaired_note`); a rule without keeps a lone match's severity.
        var pairedWith: (value: [UInt8], offset: Int)?
        if let companion = companions[candidate.ruleIndex] {
            pairedWith = FindingFilter.companion(of: candidate.match, in: buffer, pattern: companion, rule: rule, scratch: scratch)
            if pairedWith == nil, let note = rule.unpairedNote, severity > .info {
                severity = .info
                notes.append("\(note): reported at info")
            } else if pairedWith != nil, let paired = rule.pairedSeverity, severity == rule.severity {
                // Only where nothing lowered it (a test, a vendored file, a template's sample).
                severity = max(severity, paired)
            }
        }
        if lines == nil { lines = LineIndex(buffer) }
        let position = lines!.position(of: candidate.secret.lowerBound)
        let utf16Column = FindingFilter.utf16Column(of: candidate.secret.lowerBound, byteColumn: position.column, in: buffer)
        var location = Finding.Location(origin: context.origin, members: context.members, line: position.line, column: position.column,
                                        offset: candidate.secret.lowerBound, decoders: context.decoders,
                                        isUntracked: context.isUntracked)
        location.utf16Column = utf16Column
        var finding = Finding(
            ruleID: rule.id, ruleName: rule.name, category: rule.category, provider: rule.provider,
            severity: severity, kind: kind, validation: validation, secret: SecretValue(secret),
            location: location, variable: variable, notes: notes, matchLength: candidate.match.count)
        if rule.validator == .urlPassword { finding.connectionURL = SecretValue(Array(buffer[candidate.match])) }
        if let pairedWith {
            finding.pairedWith = SHA256.hex(of: pairedWith.value)
            let line = lines!.position(of: pairedWith.offset).line
            notes.append("beside its other half (\(Redaction.preview(of: pairedWith.value)), line \(line)): one credential")
            finding.notes = notes
        }
        return isAllowedInline ? .allowedInline(finding) : .finding(finding)
    }

    /// The other half of the pair beside `candidate`'s match (the value that paired it, as
    /// `judge` found it) as a match of the rule that reports that half (`companion_rule`), to be
    /// judged like any match of it: an AWS secret access key under a name no rule reads
    /// (`Security_key: …` beside `Access_key: AKIA…` in a README) or above its ID is a finding of
    /// its own, and the ID joins its credential. Nil when the rule names no companion rule or no
    /// companion is near.
    public func companionCandidate(of candidate: Candidate, in buffer: UnsafeBufferPointer<UInt8>,
                                   scratch: MatchScratch) -> Candidate? {
        guard let reporter = companionRules[candidate.ruleIndex], let pattern = companions[candidate.ruleIndex],
              let found = FindingFilter.companion(of: candidate.match, in: buffer, pattern: pattern,
                                                  rule: rules.rule(at: candidate.ruleIndex), scratch: scratch) else { return nil }
        let range = found.offset..<(found.offset + found.value.count)
        return Candidate(ruleIndex: reporter, match: range, secret: range)
    }

    /// The first value of the companion's shape within `rule.companionLines` lines above or below
    /// `match` (each line read up to 4 KB, as minified files have huge lines), other than the
    /// match itself, that is no placeholder, holds upper- and lower-case letters and a digit (a
    /// random key, not a hex digest or a word) and has the companion's entropy, with its offset;
    /// nil when none.
    static func companion(of match: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>, pattern: Regex, rule: Rule,
                          scratch: MatchScratch) -> (value: [UInt8], offset: Int)? {
        var start = line(around: match, in: buffer).lowerBound
        for _ in 0..<rule.companionLines where start > 0 {
            start = line(around: (start - 1)..<(start - 1), in: buffer).lowerBound
        }
        var end = line(around: match, in: buffer).upperBound
        for _ in 0..<rule.companionLines where end < buffer.count {
            end = line(around: (end + 1)..<(end + 1), in: buffer).upperBound
        }
        var from = start
        while from < end, let found = try? pattern.firstMatch(in: buffer, from: from, latestStart: end - 1, scratch: scratch),
              let range = found.count > 1 ? (found[1] ?? found[0]) : found[0] {
            from = max(range.upperBound, (found[0]?.lowerBound ?? range.lowerBound) + 1)
            guard range.upperBound <= end, !range.overlaps(match) else { continue }
            let value = Array(buffer[range])
            let isMixed = value.contains(where: { (65...90).contains($0) }) && value.contains(where: { (97...122).contains($0) })
                && value.contains(where: LiteralValue.isDigit)
            guard isMixed, Placeholder.reason(for: value) == nil,
                  Entropy.bitsPerByte(value) >= rule.companionMinEntropy else { continue }
            return (value, range.lowerBound)
        }
        return nil
    }

    /// The text `secret` encodes when it is padded base64 (a length that is a multiple of 4) of
    /// 6 or more printable ASCII characters, else nil. Random text of that length passes by
    /// chance with odds below (95/256)^6 ≈ 0.3%, and then only a stand-in phrase is asked of it.
    static func printableBase64(_ secret: [UInt8], minimumLength: Int = 6) -> [UInt8]? {
        guard secret.count >= 8, secret.count % 4 == 0, let decoded = Base64.decode(secret), decoded.count >= minimumLength,
              decoded.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        return decoded
    }

    /// Why a formatless value is no deployed credential by what it says about itself, or nil.
    /// A development key or a local database counts only outside production configuration (a
    /// marked key in `.env.production` is still the production key); a stand-in phrase anywhere.
    func valueReason(_ secret: [UInt8], rule: Rule, match: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>,
                     context: Context, variable: String? = nil, secretStart: Int? = nil) -> String? {
        let signals = ValueSignals.bundled
        if rule.isPasswordHash, let reason = signals.testVectorReason(around: match, in: buffer)
            ?? signals.publishedPlaintextReason(around: match, in: buffer) { return reason }
        if let reason = signals.standInReason(for: secret) { return reason }
        // `openai.api_key = 'sk-<14 letters and digits>'`: a provider's prefix and too few characters for
        // its keys under a name saying whose key it is, a leaked key with its middle deleted.
        if let reason = signals.cutShortKeyReason(for: secret, variable: variable) { return reason }
        if let reason = signals.encryptedReason(for: secret) { return reason }
        if let reason = signals.hashedSampleReason(for: secret) { return reason }
        // `cross-env NODE_ENV=testing … API_KEY=<value> jest` in a package.json script: the key a
        // test run starts its own local server with.
        if let reason = signals.testRunReason(around: match, in: buffer) { return reason }
        // `"authorization": "Basic …"` beside `"referer": "https://gemini.google.com/"`, a client
        // secret in a request sent as `okhttp/…`: a client written to talk like a site's page or an
        // app sends what that front end sends every visitor or install.
        if rule.category == .generic, let reason = signals.frontEndReason(for: secret, around: match, in: buffer) { return reason }
        // A web client's built bundle copied into the project under another name (`code2.js`
        // opening with webpack's `/*! For license information please see cib.bundle.js.LICENSE.txt */`):
        // the keys there are the bundled client's (a site's public subscription key), not the project's.
        if let reason = signals.builtBundleReason(in: buffer) { return reason }
        // A saved copy of a site's page (an agent run's `html_3.html`, naming
        // `https://www.ebookers.ch/…` as its canonical address): its page state's keys and tokens
        // are the site's, handed to every visitor.
        if let reason = signals.servedPageReason(in: buffer) { return reason }
        // A copy of a service's OpenAPI description (a plugin's `openapi.json` of GitHub's REST API):
        // a formatless value in it is the description's sample of a field, deep below `examples`.
        if rule.category == .generic, let reason = signals.apiDescriptionReason(in: buffer) { return reason }
        // A Kubernetes Secret's `data:` is base64: `ZG9jc2dwdC1kZXYt…` is the phrase it encodes
        // (`docsgpt-dev-jwt-secret-change-me`), and a stand-in there is one here.
        if let decoded = Self.printableBase64(secret), let reason = signals.standInReason(for: decoded) {
            return "base64 of a stand-in: \(reason)"
        }
        // `mongo-password: bW9uZ28tcGFzc3dvcmQ=` in a Kubernetes Secret: base64 of its own key's
        // name, the stand-in a generator wrote (spelled out plainly it is no value at all).
        if let decoded = Self.printableBase64(secret), let variable, LiteralValue.spellsName(decoded, of: variable) {
            return "base64 of its own name (\(variable)), a stand-in"
        }
        // `connect_to_postgres(host='hh-pgsql-public.ebi.ac.uk', user='reader', password='…')`:
        // the read-only login a public database's operator prints in its documentation.
        if rule.category == .database || rule.category == .generic,
           let reason = signals.publicDatabaseReason(around: match, in: buffer) { return reason }
        if rule.category == .database || rule.category == .generic,
           let reason = signals.equalNameReason(for: secret, connection: String(decoding: UnsafeBufferPointer(rebasing: buffer[match]), as: UTF8.self), in: buffer) {
            return reason
        }
        var reason = signals.developmentKeyReason(for: secret, provider: rule.provider, match: match, in: buffer)
        if reason == nil, rule.category == .database,
           let host = ValueSignals.host(ofConnection: String(decoding: UnsafeBufferPointer(rebasing: buffer[match]), as: UTF8.self)) {
            reason = signals.localHostReason(for: host)
            // `mongodb+srv://myDatabaseUser:<password>@cluster0.example.mongodb.net/` (MongoDB's
            // documentation sample, a form field's placeholder): a placeholder label inside a
            // provider's domain is the slot for the reader's own cluster, and makes the whole URL
            // a sample, whatever its password looks like. IANA's documentation domains
            // (`db.example.com`) stand for a real remote host, as in tests of verification.
            let documentationDomains = ["example.com", "example.org", "example.net"]
            if reason == nil, !documentationDomains.contains(where: { host.lowercased() == $0 || host.lowercased().hasSuffix("." + $0) }),
               let why = Placeholder.reason(for: Array(host.utf8)), why.hasPrefix("placeholder") {
                reason = "the host is a \(why): a sample connection"
            }
        }
        // `minioadmin:minioadmin@minio:9000/bucket` under a generic name: credentials for a
        // compose service, like a local database URL.
        if reason == nil, rule.category == .generic, let host = ValueSignals.host(ofUserinfo: secret) {
            reason = signals.localHostReason(for: host)
        }
        if reason == nil, rule.category == .database || rule.category == .generic {
            reason = signals.repeatedNameReason(for: secret, in: buffer)
                ?? signals.projectNameReason(for: secret, folders: context.folderPath.split(separator: "/").dropLast().map(String.init))
        }
        // `${PGADMIN_DEFAULT_PASSWORD:-<random>}` in a developer's compose file: the value the
        // local stack runs with while nobody sets the variable, which is how a deployment sets
        // its own. Production compose files are judged below like any production configuration.
        // A JWT secret set to `self-hosting`, a NextAuth secret to the stack's password, in a compose file: a signing
        // secret too weak to be generated (WeakSecret), typed for the stack the file starts. A
        // compose file named for production is production configuration, judged below.
        if reason == nil, rule.checksWeakness, LocationCatalog.bundled.production.isCompose(context.innermostPath),
           let weak = WeakSecret.reason(for: secret) {
            reason = "a weak secret in a compose file (\(weak)): the value its local stack was typed with"
        }
        if reason == nil, let at = secretStart, FindingFilter.isParameterDefault(at: at, in: buffer),
           LocationCatalog.bundled.production.isCompose(context.innermostPath) {
            reason = "a compose file's local default (${VAR:-default}): deployments set the variable"
        }
        // `jwt-secret-key: ${JWT_SECRET:…}` in a Spring profile (a project name and 666), `${SESSION_SECRET:-…}`
        // in a config file: a weak signing secret written as a placeholder's default is the
        // application's typed fallback for a developer's run (too short or too plain to be
        // anyone's generated key); a deployment sets the variable. A random default (a key
        // pasted there) keeps its severity, and so does any default in production configuration
        // (judged below) or in program code, where the literal is what the program runs with.
        if reason == nil, rule.checksWeakness, WeakSecret.reason(for: secret) != nil, let at = secretStart,
           SourceLanguage(path: context.innermostPath) == nil, FindingFilter.isPlaceholderDefault(at: at, in: buffer) {
            reason = "a weak default of a ${VAR:default} placeholder in configuration: the application's typed fallback, deployments set the variable"
        }
        // A typed sample value in configuration (env, compose, properties, CI YAML). In program
        // code a weak literal is what the program runs with (`|| "password123"`): it stays, but
        // a vendor's documented default (`73@TuGraph`) is public in code too: the program connects
        // to a local install of that vendor's product, and anyone can read the docs.
        if reason == nil {
            let inCode = SourceLanguage(path: context.innermostPath) != nil
            reason = inCode ? signals.vendorSampleReason(for: secret) : signals.weakReason(for: secret)
        }
        // The stack's own names with a counter (`One@123456` beside `container_name: one-api`,
        // `k3str4` beside `POSTGRES_USER: kestra`), in configuration too; a Kubernetes Secret's
        // base64 (`c3Rvcm0xMjM=`) is judged by the text it encodes. A value decoded in pieces
        // (an unescaped string) is judged against the text it was decoded from.
        let isTypedConfig = (rule.category == .database || rule.category == .generic) && SourceLanguage(path: context.innermostPath) == nil
        // With `stackOnly`, only a password of the stack's own names (`stack_names_everywhere`).
        func typedReason(stackOnly: Bool) -> String? {
            func typed(_ text: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> String? {
                if let reason = signals.stackNameReason(for: secret, line: line, in: text, stackOnly: stackOnly) { return reason }
                // `cm9vdA==` (`root`): a short word is weak only as itself, so four characters do.
                guard let decoded = Self.printableBase64(secret, minimumLength: 4),
                      let reason = (stackOnly ? nil : signals.weakReason(for: decoded))
                        ?? signals.stackNameReason(for: decoded, line: line, in: text, stackOnly: stackOnly) else { return nil }
                return "base64 of a typed value: \(reason)"
            }
            if let enclosing = context.enclosing, let source = enclosing.sourceOffset(of: secretStart ?? match.lowerBound) {
                return enclosing.bytes.withUnsafeBufferPointer { text in
                    source < text.count ? typed(text, FindingFilter.line(around: source..<source, in: text)) : nil
                }
            }
            return typed(buffer, FindingFilter.line(around: match, in: buffer))
        }
        if reason == nil, isTypedConfig { reason = typedReason(stackOnly: false) }
        guard let reason else { return nil }
        guard LocationCatalog.bundled.production.isProductionConfig(context.innermostPath, text: buffer) else { return reason }
        // Production configuration runs with what it says, weak or not, except a password of the
        // stack's own names, which whoever reads the file knows (`stack_names_everywhere`).
        if signals.weak.stackNamesEverywhere, isTypedConfig, let stack = typedReason(stackOnly: true) { return stack }
        return nil
    }

    /// The entropy a rule's `min_entropy` asks of `secret`, or less for long hex. Hex carries at
    /// most 4 bits a character, so the 3.7 a generic rule asks of any value drops random hex
    /// by chance: about half of 40-digit values (`secrets.token_hex(20)`, a GitHub OAuth app's
    /// client secret), a quarter of 48 and one in twenty of 64 (`openssl rand -hex 32`, a SearXNG
    /// `secret_key` on the panel at 3.58). For hex digits alone, in one case, letters and digits
    /// both, 40 long or more, the floor is `4 - 28/length` (3.30 at 40, 3.56 at 64), which random
    /// hex falls under about once in 700. Typed hex (`deadbeef…`, counting runs) repeats and
    /// stays under it.
    static func entropyFloor(_ minimum: Double, for secret: [UInt8]) -> Double {
        guard secret.count >= 40 else { return minimum }
        let isDigit: (UInt8) -> Bool = { $0 >= 48 && $0 <= 57 }
        let lower = secret.allSatisfy { isDigit($0) || (97...102).contains($0) }
        let upper = secret.allSatisfy { isDigit($0) || (65...70).contains($0) }
        guard lower || upper, secret.contains(where: isDigit), !secret.allSatisfy(isDigit) else { return minimum }
        return min(minimum, 4 - 28 / Double(secret.count))
    }

    /// Whether `secret` is a JWT whose claims name a remote URL (an `iss` of
    /// `https://….supabase.co/auth/v1`): a hosted service's token, wherever it is sent.
    static func namesRemoteIssuer(_ secret: [UInt8]) -> Bool {
        guard secret.starts(with: Array("eyJ".utf8)) else { return false }
        let parts = secret.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count >= 2, let payload = Base64.decode(parts[1]) else { return false }
        return LocationCatalog.bundled.namesRemoteHost(payload)
    }

    /// Whether the value at `start` is the default of a placeholder, Spring's `${NAME:default}`
    /// or a shell's `${NAME:-default}` / `${NAME-default}`.
    static func isPlaceholderDefault(at start: Int, in buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        if isParameterDefault(at: start, in: buffer) { return true }
        guard start >= 4, start <= buffer.count, buffer[start - 1] == UInt8(ascii: ":") else { return false }
        var i = start - 1
        while i > 0, start - i < 128, LiteralValue.isLetter(buffer[i - 1]) || LiteralValue.isDigit(buffer[i - 1])
                || buffer[i - 1] == 95 || buffer[i - 1] == 46 || buffer[i - 1] == 45 {
            i -= 1
        }
        return i >= 2 && i < start - 1 && buffer[i - 1] == UInt8(ascii: "{") && buffer[i - 2] == UInt8(ascii: "$")
    }

    /// Whether the value at `offset` is the default of a shell-style parameter reference,
    /// `${NAME:-default}` or `${NAME-default}` (compose files and shell scripts).
    /// A rule whose value class takes `-` may start the value at the operator's `-`: skipped.
    static func isParameterDefault(at start: Int, in buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        var offset = start
        if offset >= 1, offset < buffer.count, buffer[offset] == UInt8(ascii: "-"), buffer[offset - 1] == UInt8(ascii: ":") { offset += 1 }
        guard offset >= 4, offset <= buffer.count, buffer[offset - 1] == UInt8(ascii: "-") else { return false }
        var i = offset - 1
        if buffer[i - 1] == UInt8(ascii: ":") { i -= 1 }
        var start = i
        while start > 0, i - start < 128, LiteralValue.isLetter(buffer[start - 1]) || LiteralValue.isDigit(buffer[start - 1]) || buffer[start - 1] == 95 {
            start -= 1
        }
        return start >= 2 && start < i && buffer[start - 1] == UInt8(ascii: "{") && buffer[start - 2] == UInt8(ascii: "$")
    }

    /// The 1-based column of `offset` in UTF-16 code units (what GitHub's SARIF viewer
    /// counts), from the bytes between the line start and `offset`; nil when every one is
    /// ASCII, so the byte column is already right. Malformed UTF-8 counts a unit per byte.
    public static func utf16Column(of offset: Int, byteColumn: Int, in buffer: UnsafeBufferPointer<UInt8>) -> Int? {
        let start = offset - (byteColumn - 1)
        guard start >= 0, buffer[start..<offset].contains(where: { $0 >= 0x80 }) else { return nil }
        var units = 0
        for byte in buffer[start..<offset] {
            switch byte {
            case 0x80..<0xC0: continue              // continuation byte
            case 0xF0...: units += 2                // four-byte sequence: a surrogate pair
            default: units += 1
            }
        }
        return units + 1
    }

    /// Looks for an allow marker on the match's line or the line before (bounded, so a
    /// megabyte-long minified line costs no more than a short one).
    func hasAllowMarker(near match: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        let limit = 4096
        var lineStart = match.lowerBound
        while lineStart > 0, match.lowerBound - lineStart < limit, buffer[lineStart - 1] != 10 { lineStart -= 1 }
        var previousStart = max(0, lineStart - 1)
        while previousStart > 0, lineStart - previousStart < limit, buffer[previousStart - 1] != 10 { previousStart -= 1 }
        var lineEnd = match.upperBound
        while lineEnd < buffer.count, lineEnd - match.upperBound < limit, buffer[lineEnd] != 10 { lineEnd += 1 }
        let lines = UnsafeBufferPointer(rebasing: buffer[previousStart..<lineEnd])
        // ASCII lines (nearly all) are searched as bytes, with the same answers (see
        // `ByteSearch.asciiContains`), and no String is made for them.
        if !lines.contains(where: { $0 >= 0x80 }) {
            func has(_ needle: [UInt8]) -> Bool { needle.withUnsafeBufferPointer { ByteSearch.contains($0, in: lines) } }
            guard has(FindingFilter.allowWord) || has(FindingFilter.nosecWord) else { return false }
            return FindingFilter.allowMarkerBytes.contains(where: has)
        }
        let text = String(decoding: lines, as: UTF8.self)
        guard text.contains("allow") || text.contains("nosec") else { return false }
        return FindingFilter.allowMarkers.contains { text.contains($0) }
    }
}
