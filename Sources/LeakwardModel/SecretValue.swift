import LeakwardSupport

/// A raw secret. It redacts itself wherever it is printed, so it cannot reach a log by accident;
/// only `revealed` gives the bytes back: reports written with `--reveal`, and `--verify` sending a key to its own provider.
public struct SecretValue: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public init(_ text: String) { self.bytes = Array(text.utf8) }

    public var revealed: String { String(decoding: bytes, as: UTF8.self) }
    public var sha256: String { SHA256.hex(of: bytes) }
    public var description: String { Redaction.preview(of: bytes) }
    public var debugDescription: String { "SecretValue(\(description))" }
}
