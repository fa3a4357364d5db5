/// What a finding means for its owner, beyond which rule matched.
public enum FindingKind: String, Sendable, Codable {
    /// A live-looking credential.
    case secret
    /// A signing secret that is a known default or too short to resist guessing.
    case weakSecret = "weak-secret"
    /// A test or sandbox key: low risk, still reported.
    case testKey = "test-key"
    /// A key meant to ship to browsers (publishable keys, anon keys, DSNs).
    case publicByDesign = "public-by-design"
}
