/// The pack parsers on arbitrary bytes, for the fuzz harness (visible inside this package only).
/// Packs come from the repositories being scanned, so every parser here faces hostile input.
package enum PackParsers {
    package static let fuzzTargets = ["git-pack-index", "git-delta", "git-tree"]

    package static func fuzz(_ target: String, _ bytes: [UInt8]) {
        switch target {
        case "git-pack-index":
            bytes.withUnsafeBytes { raw in
                guard let index = try? PackIndex(bytes: raw), let first = index.ids.first else { return }
                _ = index.position(of: first)
            }
        case "git-delta":
            // First byte: how many of the following bytes are the base; the rest is the delta.
            guard let split = bytes.first else { return }
            let base = Array(bytes.dropFirst().prefix(Int(split)))
            let delta = Array(bytes.dropFirst(1 + base.count))
            delta.withUnsafeBytes { raw in
                base.withUnsafeBytes { baseRaw in
                    guard let result = try? Delta.apply(raw, to: baseRaw, limit: 1 << 24), let spans = try? Delta.spans(raw) else { return }
                    _ = DeltaMask(longMatchKeywords: [Array("-----begin".utf8)]).windows(result, spans: spans.spans, baseSize: spans.baseSize)
                }
            }
        case "git-tree":
            _ = GitRepository.parseTree(bytes) { _, _, _ in }
        default:
            break
        }
    }
}
