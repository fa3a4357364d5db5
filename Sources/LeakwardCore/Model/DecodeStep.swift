/// One step a decoder took to derive the text a finding was found in: `gzip`, `brotli`,
/// `zip:inner/path.js`, `sourcesContent[src/app.ts]`, `base64`, `ci-log`, `dotenv`.
public struct DecodeStep: Sendable, Hashable, Codable, CustomStringConvertible {
    public var decoder: String
    public var detail: String?

    public init(_ decoder: String, detail: String? = nil) {
        self.decoder = decoder
        self.detail = detail
    }

    public var description: String { detail.map { "\(decoder)[\($0)]" } ?? decoder }
}
