/// Judges candidates: drops placeholders, references, allow-listed and low-entropy values, runs
/// the offline checks, and turns what remains into findings. Immutable and shared by all workers.
public struct FindingFilter: Sendable {
    public let rules: CompiledRules
    /// Regexes from the project config that allow a secret wherever it appears.
    let globalAllowlist: [Regex]
    /// Inline markers that allow the findings on their line or the next one.
    static let allowMarkers = ["leakward:allow", "gitleaks:allow", "pragma: allowlist secret", "nosec"]

    public init(rules: CompiledRules, globalAllowlist: [String] = []) throws {
        self.rules = rules
        self.globalAllowlist = try globalAllowlist.map { try Regex($0) }
    }

    /// The outcome for one candidate.
    public enum Verdict {
        case finding(Finding)
        /// Matched but allowed inline, by config or by a rule allowlist: counted, not reported.
        case suppressed
        case dropped
    }

    /// Where the buffer came from, for the finding's location and file-kind decisions.
    public struct Context {
        public var path: String
        public var decoders: [DecodeStep]
        public var isUntracked: Bool?
        /// `.env.example` and friends: meant to be committed, so real-looking values get a note.
        public var isTemplateFile: Bool

        public init(path: String, decoders: [DecodeStep] = [], isUntracked: Bool? = nil) {
            self.path = path
            self.decoders = decoders
            self.isUntracked = isUntracked
            self.isTemplateFile = FileKind.isTemplate(path: path)
        }
    }

    public func judge(_ candidate: Candidate, in buffer: UnsafeBufferPointer<UInt8>, context: Context,
                      lines: inout LineIndex?, scratch: MatchScratch) -> Verdict {
        let rule = rules.rule(at: candidate.ruleIndex)
        let secret = Array(buffer[candidate.secret])
        let secretBuffer = UnsafeBufferPointer(rebasing: buffer[candidate.secret])
        var kind: FindingKind = rule.isPublicByDesign ? .publicByDesign : (rule.isTestKey ? .testKey : .secret)
        var severity = rule.severity
        var notes: [String] = []
        var validation = Validation.unchecked

        if let validator = rule.validator {
            let verdict = OfflineCheck.verdict(validator, secret: secret)
            guard verdict.isPlausible else { return .dropped }
            validation = verdict.validation
            notes += verdict.notes
            if let override = verdict.kind { kind = override }
        }
        if rule.checksWeakness, let reason = WeakSecret.reason(for: secret) {
            // A weak value in a template is the template's sample, not a configured secret.
            if context.isTemplateFile || (!WeakSecret.isKnownDefault(secret) && Placeholder.reason(for: secret) != nil) {
                return .dropped
            }
            kind = .weakSecret
            notes.append("weak: \(reason)")
        } else {
            // A checksum, or a key block that parsed, outweighs the look of the text (real
            // OpenSSH keys hold long runs of `A`).
            let isVerified = validation == .checksumValid || (rule.category == .privateKey && validation == .structureValid)
            if !isVerified, Placeholder.reason(for: secret) != nil { return .dropped }
            if rule.minEntropy > 0, Entropy.bitsPerByte(secret) < rule.minEntropy { return .dropped }
        }
        if Placeholder.isInsideDataURI(candidate.match.lowerBound, in: buffer) { return .dropped }
        let variable = VariableName.assigned(to: candidate, in: buffer)
        if rule.category == .generic {
            if FileKind.isLockfile(path: context.path) { return .dropped }
            if Placeholder.genericReason(for: secret, variable: variable) != nil { return .dropped }
        }
        if kind == .weakSecret, !WeakSecret.applies(toPath: context.path) { return .dropped }
        if rules.isAllowlisted(rule: candidate.ruleIndex, secret: secretBuffer, scratch: scratch) { return .dropped }
        if globalAllowlist.contains(where: { (try? $0.firstMatch(in: secretBuffer, from: 0, scratch: scratch)) != nil }) {
            return .suppressed
        }
        if hasAllowMarker(near: candidate.match, in: buffer) { return .suppressed }

        switch kind {
        case .publicByDesign: severity = .info
        case .testKey: severity = min(severity, .low)
        case .weakSecret, .secret: break
        }
        if context.isTemplateFile { notes.append("in a template file that is meant to be committed") }
        if lines == nil { lines = LineIndex(buffer) }
        let position = lines!.position(of: candidate.secret.lowerBound)
        let location = Finding.Location(path: context.path, line: position.line, column: position.column,
                                        offset: candidate.secret.lowerBound, decoders: context.decoders,
                                        isUntracked: context.isUntracked)
        return .finding(Finding(
            ruleID: rule.id, ruleName: rule.name, category: rule.category, provider: rule.provider,
            severity: severity, kind: kind, validation: validation, secret: SecretValue(secret),
            location: location, variable: variable, notes: notes, matchLength: candidate.match.count))
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
        let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[previousStart..<lineEnd]), as: UTF8.self)
        guard text.contains("allow") || text.contains("nosec") else { return false }
        return FindingFilter.allowMarkers.contains { text.contains($0) }
    }
}
