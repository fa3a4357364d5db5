/// What an offline check said about a candidate.
public enum Validation: String, Sendable, Codable {
    /// A checksum embedded in the token verified.
    case checksumValid = "checksum-valid"
    /// The token decoded into the structure its format promises.
    case structureValid = "structure-valid"
    /// No offline check exists for this format.
    case unchecked
}
