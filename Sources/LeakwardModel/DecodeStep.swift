/// The decoders and the steps they record. Raw values are what reports print, so they stay
/// stable: `zip`, `sourcesContent`, `ci-log`…
public enum DecoderKind: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case gzip, zlib, brotli, zip, tar
    /// The source-map decoder as a whole (its problems are recorded under this name); its
    /// steps are `sourceMappingURL` and `sourcesContent`.
    case sourceMap = "sourcemap"
    /// An inline source map read from a `sourceMappingURL=data:` comment.
    case sourceMappingURL
    /// One `sourcesContent` entry of a source map (the member is its `sources` name).
    case sourcesContent
    case ciLog = "ci-log"
    case dotenv, base64, percent
    /// Structured config and credential-file values re-emitted with their keys.
    case config
    case jsEscape = "js-escape"
    /// Printable runs of a binary (`StringsDecoder`): only strong token formats match there.
    case strings

    public var description: String { rawValue }

    /// Decompressors: after one, a file name loses its compression suffix (`app.js.gz` is `app.js`).
    public var isDecompressor: Bool { self == .gzip || self == .zlib || self == .brotli }

    /// Steps that open a member, so the name decoders judge changes.
    public var opensMember: Bool { self == .zip || self == .tar || self == .sourcesContent }

    /// Steps whose output exists only inside shipped browser artifacts.
    public var readsBundles: Bool { self == .sourcesContent || self == .sourceMappingURL || self == .sourceMap }

    /// Decoders that re-spell a token already seen raw (`%3D` for `=`).
    public var isReencoding: Bool { self == .percent || self == .jsEscape }
}

/// One step a decoder took to derive the text a finding was found in: `gzip`, `brotli`,
/// `zip[inner/path.js]`, `sourcesContent[src/app.ts]`, `base64`, `ci-log`, `dotenv[NAME]`.
public struct DecodeStep: Sendable, Hashable, Codable, CustomStringConvertible {
    public var decoder: DecoderKind
    public var detail: String?

    public init(_ decoder: DecoderKind, detail: String? = nil) {
        self.decoder = decoder
        self.detail = detail
    }

    public var description: String { detail.map { "\(decoder)[\($0)]" } ?? decoder.rawValue }
}
