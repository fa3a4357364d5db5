import LeakwardModel

/// One sighting of a credential with every channel it is exposed through and a sentence that says how.
public struct Exposure: Sendable, Hashable, Codable {
    public var location: Finding.Location
    /// The name the value is assigned to at this place, when visible.
    public var variable: String?
    /// Worst first; never empty.
    public var channels: [ExposureChannel]
    /// Plain English: where the value is and why that exposes it.
    public var evidence: String
    /// For a value in a public-config block: "`define.__KEY__` in `vite.config.ts` is replaced by
    /// Vite…", reused by the credential's client sentence (not saved: derived from the file).
    public var publicReason: String? = nil

    public var worstChannel: ExposureChannel { channels[0] }

    public enum CodingKeys: String, CodingKey { case location, variable, channels, evidence }
}
