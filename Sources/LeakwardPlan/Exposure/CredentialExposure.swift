import LeakwardModel

/// Everything known about how exposed one credential is: its role, every sighting with its
/// channels, the worst channel, and the exposure window.
public struct CredentialExposure: Sendable, Hashable {
    public var credential: Credential
    public var role: SecretRole
    /// Worst channel first, then by location.
    public var exposures: [Exposure]
    public var worstChannel: ExposureChannel
    /// A server-only secret that reaches browsers through a bundle, a public prefix or client code.
    public var isClientExposed: Bool
    /// How it reaches the client, in one sentence (set when `isClientExposed`).
    public var clientEvidence: String?
    /// For a client-exposed secret: whether a built bundle holds the value, or the verdict
    /// rests on names and locations (a public prefix, client code) with no bundle to show it.
    public var clientProof: ClientProof? = nil
    /// The earliest commit that holds the secret: the exposure window starts there.
    public var firstSeen: CommitInfo?
    /// Still in HEAD or in the working tree (false when only history holds it).
    public var isStillPresent: Bool
    /// The findings' notes (weak-secret reasons, JWT claims), deduplicated.
    public var notes: [String]
    /// Where an LLM prompt carries it ("`app/api/chat/route.ts` line 10"), when one does.
    public var promptPlace: String? = nil
    /// For a key file: the encrypted file beside it the key was shown to open (Rails'
    /// `credentials.yml.enc`): the key is real, and everything in that file leaked with it.
    public var opens: EncryptedSibling? = nil

    /// Every channel of every sighting, worst first.
    public var channels: [ExposureChannel] { Array(Set(exposures.flatMap(\.channels))).sorted() }
}

/// What a "reached the browser" verdict rests on.
public enum ClientProof: String, Sendable, Hashable, Codable {
    /// The value was found in client build output (a bundle, its `.gz`/`.br` twin, a source map).
    case bundle
    /// Inferred from a public prefix, a public-config block or client source: no bundle holds it.
    case inferred
}
