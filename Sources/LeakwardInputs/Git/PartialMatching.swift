import LeakwardDecoders
import LeakwardModel
import LeakwardRules

/// Which history blobs may be matched only where they changed since their base (`DeltaMask`):
/// the one policy, built once per scan from the rules and the decoders and handed to every
/// history source. A blob is matched whole when a decoder reads it whole (by its name, or a
/// marker in its text: each decoder's `WholeBlobNeed`), when it holds a keyword of a rule whose
/// matches may be longer than `margin`, or always when such a rule has no keyword.
public struct PartialMatching: Sendable {
    /// Bytes kept on each side of every change: the longest match of an ordinary rule plus
    /// the context its regex reads around it.
    public static let margin = 512

    /// False: every blob is matched whole.
    public let isEnabled: Bool
    /// Lower-case text that makes a blob be matched whole wherever it sits: the keywords of
    /// rules that may match more than `margin` bytes, and the decoders' markers.
    public let wholeBlobKeywords: [[UInt8]]
    private let needs: [WholeBlobNeed]

    /// `longMatchKeywords` nil: a rule that may match across more than `margin` bytes has no
    /// keyword, so no blob may be matched in part.
    public init(longMatchKeywords: [String]?, decoders: [any ContentDecoder]) {
        isEnabled = longMatchKeywords != nil
        needs = decoders.map(\.wholeBlobNeed)
        wholeBlobKeywords = ((longMatchKeywords ?? []) + needs.flatMap(\.markers)).map { Array($0.lowercased().utf8) }
    }

    public init(rules: RuleSet, decoders: [any ContentDecoder]) {
        self.init(longMatchKeywords: rules.longMatchKeywords(beyond: PartialMatching.margin), decoders: decoders)
    }

    /// Every blob matched whole (`--full-blobs`).
    public static let off = PartialMatching(longMatchKeywords: nil, decoders: [])

    /// The standard decoders with no long-match rule: what a history source uses unless told.
    public static var standard: PartialMatching { PartialMatching(longMatchKeywords: [], decoders: Decoders.standard) }

    /// Whether a blob at `path` may be matched only where it changed: no decoder reads a blob
    /// of that name whole.
    public func suits(path: String) -> Bool {
        guard isEnabled else { return false }
        let named = Chunk(bytes: [], path: path)
        return !needs.contains { $0.byName(named) }
    }
}
