import Foundation
import LeakwardModel
import LeakwardSupport

/// Turns source maps back into the sources they embed: each `sourcesContent` entry of a `.map`
/// file, or of an inline `//# sourceMappingURL=data:application/json;base64,…` map, becomes a
/// chunk named after its `sources` path, so findings get the original file, line and column.
public struct SourceMapDecoder: ContentDecoder {
    public let kind = DecoderKind.sourceMap
    public var wholeBlobNeed: WholeBlobNeed { .names(endingIn: [".map"], markers: ["sourcemappingurl=data:"]) }
    public var judgesWholeBlob: Bool { true }
    static let inlineMarker = Array("sourceMappingURL=data:".utf8)

    public init() {}

    public func decode(_ chunk: Chunk, limits: DecodeLimits) -> Decoded {
        if chunk.nameHasSuffix([".map"]), chunk.bytes.first(where: { !SourceMapDecoder.isSpace($0) }) == UInt8(ascii: "{") {
            return sources(of: chunk.bytes, in: chunk, steps: chunk.steps, limits: limits)
        }
        guard !chunk.looksBinary, let payload = SourceMapDecoder.inlineMap(in: chunk.bytes) else { return .none }
        guard let json = Base64.decode(payload) else {
            return Decoded(problems: [DecodeProblem(chunk, .corrupt("inline source map is not valid base64"))])
        }
        return sources(of: json, in: chunk, steps: chunk.steps + [DecodeStep(.sourceMappingURL)], limits: limits)
    }

    private func sources(of json: [UInt8], in chunk: Chunk, steps: [DecodeStep], limits: DecodeLimits) -> Decoded {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] else {
            return Decoded(problems: [DecodeProblem(chunk, .corrupt("source map is not valid JSON"))])
        }
        // Index maps (`sections`) nest whole maps.
        var maps = [object]
        if let sections = object["sections"] as? [[String: Any]] { maps += sections.compactMap { $0["map"] as? [String: Any] } }
        var decoded = Decoded()
        var spent = 0
        for map in maps {
            guard let contents = map["sourcesContent"] as? [Any] else { continue }
            let names = map["sources"] as? [Any] ?? []
            for (index, content) in contents.enumerated() {
                guard let text = content as? String, !text.isEmpty else { continue }
                let source = SourceMapDecoder.displayName(index < names.count ? names[index] as? String : nil, index: index)
                let bytes = Array(text.utf8)
                spent += bytes.count
                if spent > limits.remainingBytes {
                    decoded.problems.append(DecodeProblem(chunk, limits.exhausted))
                    return decoded
                }
                decoded.chunks.append(Chunk(bytes: bytes, origin: chunk.origin, members: chunk.members + [source],
                                            steps: steps + [DecodeStep(.sourcesContent, detail: source)]))
            }
        }
        return decoded
    }

    /// `webpack://app/./src/lib/openai.ts` → `src/lib/openai.ts`; bundler prefixes are noise.
    static func displayName(_ source: String?, index: Int) -> String {
        guard var name = source, !name.isEmpty else { return "source-\(index)" }
        for scheme in ["webpack://", "webpack-internal:///", "vite://", "rollup://", "file://"] where name.hasPrefix(scheme) {
            name = String(name.dropFirst(scheme.count))
            // webpack://<project name>/./src/…: drop the project name when a ./ path follows.
            if scheme == "webpack://", let slash = name.firstIndex(of: "/"), name[slash...].hasPrefix("/./") {
                name = String(name[name.index(slash, offsetBy: 3)...])
            }
        }
        while name.hasPrefix("./") { name.removeFirst(2) }
        return name
    }

    /// The base64 payload of an inline source map comment, if the text has one.
    static func inlineMap(in bytes: [UInt8]) -> ArraySlice<UInt8>? {
        // A bundle's own map comment is its last one.
        guard let start = ByteSearch.last(inlineMarker, in: bytes) else { return nil }
        var i = start + inlineMarker.count
        let comma = bytes[i..<min(bytes.count, i + 100)].firstIndex(of: UInt8(ascii: ","))
        guard let comma, bytes[i..<comma].starts(with: "application/json".utf8),
              String(decoding: bytes[i..<comma], as: UTF8.self).hasSuffix(";base64") else { return nil }
        i = comma + 1
        var end = i
        while end < bytes.count, Base64.isAlphabet(bytes[end]) { end += 1 }
        return end > i ? bytes[i..<end] : nil
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 || b == 0xEF || b == 0xBB || b == 0xBF }
}
