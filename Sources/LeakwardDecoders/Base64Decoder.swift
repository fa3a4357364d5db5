import LeakwardModel
import LeakwardSupport

/// Decodes base64 where secrets hide in it and rescans the text:
/// - Kubernetes `Secret` manifests: every value under `data:` (`base64[data.KEY]`);
/// - Docker `config.json` `auths.*.auth` and `.npmrc` `_auth` (`user:password`, re-emitted as
///   `username="…" password="…"` so rules see an assignment);
/// - any other run of 40 to 65,536 base64 characters that decodes to printable text, except
///   `data:` URIs (images, fonts, inline source maps).
/// Each decoded value is placed on the line it came from.
public struct Base64Decoder: ContentDecoder {
    public let kind = DecoderKind.base64
    /// Docker and npm credential files, and Kubernetes `Secret` manifests (their `data:` map).
    public var wholeBlobNeed: WholeBlobNeed {
        WholeBlobNeed(byName: { $0.lowercasedName == "config.json" || $0.lowercasedName.hasSuffix("dockercfg") || $0.lowercasedName.hasSuffix(".npmrc") },
                      markers: ["kind: secret", "kind: \"secret\""])
    }
    static let minimumRun = 40
    static let maximumRun = 65_536

    public init() {}

    /// A value decoded from a known place, with its name for the chain.
    struct NamedValue {
        var name: String
        var text: [UInt8]
        var line: Int
    }

    public func decode(_ chunk: Chunk, limits: DecodeLimits) -> Decoded {
        let bytes = chunk.bytes
        guard !chunk.looksBinary, bytes.count >= 12 else { return .none }
        var named: [NamedValue] = []
        let fileName = chunk.lowercasedName
        if fileName == "config.json" || fileName.hasSuffix("dockercfg") || fileName.hasSuffix(".npmrc") {
            named += credentialPairs(bytes)
        }
        if Base64Decoder.holdsSecretKind(bytes) {
            named += kubernetesData(bytes)
        }
        return decoded(chunk, named: named, limits: limits)
    }

    /// Only long runs: a window's blob has neither a credential file's name nor a `kind: Secret`
    /// anywhere (both are `wholeBlobNeed`s), and the search for that marker was a pass over
    /// every window of every history blob.
    public func decode(window chunk: Chunk, limits: DecodeLimits) -> Decoded {
        guard !chunk.looksBinary, chunk.bytes.count >= 12 else { return .none }
        return decoded(chunk, named: [], limits: limits)
    }

    private func decoded(_ chunk: Chunk, named: [NamedValue], limits: DecodeLimits) -> Decoded {
        let bytes = chunk.bytes
        var decoded = Decoded()
        var spent = 0
        func add(_ text: DecodedText, detail: String?) -> Bool {
            spent += text.bytes.count
            guard spent <= limits.remainingBytes else {
                decoded.problems.append(DecodeProblem(chunk, limits.exhausted))
                return false
            }
            var derived = chunk.derived(text.bytes, step: DecodeStep(kind, detail: detail))
            if !text.sources.isEmpty { derived.pieces = text.sources }
            decoded.chunks.append(derived)
            return true
        }
        // Each named value is its own chunk, so the chain names it (`base64[data.DB_PASSWORD]`).
        for value in named {
            var text = DecodedText()
            text.append(value.text, line: value.line)
            guard add(text, detail: value.name) else { return decoded }
        }
        if named.isEmpty {
            let text = longRuns(bytes)
            if !text.isEmpty { _ = add(text, detail: nil) }
        }
        return decoded
    }

    // MARK: - Kubernetes Secret `data:`

    static let secretWord = Array("Secret".utf8)
    static let kindPrefix = Array("kind: ".utf8)

    /// Whether `kind: Secret` or `kind: "Secret"` occurs: one search for the word, whose
    /// capital is rarer than anything in `kind: `, then a look at what surrounds it.
    static func holdsSecretKind(_ bytes: [UInt8]) -> Bool {
        var from = 0
        while let at = ByteSearch.first(secretWord, in: bytes, from: from) {
            if at >= kindPrefix.count, bytes[(at - kindPrefix.count)..<at].elementsEqual(kindPrefix) { return true }
            if at >= kindPrefix.count + 1, bytes[at - 1] == 34, bytes[(at - 1 - kindPrefix.count)..<(at - 1)].elementsEqual(kindPrefix),
               at + secretWord.count < bytes.count, bytes[at + secretWord.count] == 34 { return true }
            from = at + 1
        }
        return false
    }

    /// Values of the `data:` map of each `kind: Secret` document, line by line (flow-style maps are not read).
    func kubernetesData(_ bytes: [UInt8]) -> [NamedValue] {
        var values: [NamedValue] = []
        var dataIndent: Int?
        for (number, line) in Base64Decoder.lines(bytes) {
            let indent = line.prefix(while: { $0 == 32 }).count
            let body = line.dropFirst(indent)
            if body.starts(with: "---".utf8) { dataIndent = nil; continue }
            if let parent = dataIndent {
                if body.isEmpty || body.first == UInt8(ascii: "#") { continue }
                guard indent > parent, let colon = body.firstIndex(of: UInt8(ascii: ":")) else { dataIndent = nil; continue }
                let key = String(decoding: body[body.startIndex..<colon], as: UTF8.self).trimmingQuotes
                var value = body[(colon + 1)...].drop(while: { $0 == 32 })
                while let last = value.last, last == 32 || last == 13 { value = value.dropLast() }
                if value.first == 34 || value.first == 39 { value = value.dropFirst().dropLast() }
                guard let decoded = Base64.decode(value), !decoded.isEmpty, Base64Decoder.isText(decoded) else { continue }
                // `  KEY: <b64>` becomes `  KEY="<text>"`: the value keeps its column.
                let text = [UInt8](repeating: 32, count: indent) + Array("\(key)=\"".utf8) + decoded + [34]
                values.append(NamedValue(name: "data.\(key)", text: text, line: number))
            } else if body.starts(with: "data:".utf8), body.dropFirst(5).allSatisfy({ $0 == 32 || $0 == 13 }) {
                dataIndent = indent
            }
        }
        return values
    }

    // MARK: - Docker and npm `user:password`

    /// `"auth": "…"` (Docker) and `_auth=…` (npm): base64 of `user:password`.
    func credentialPairs(_ bytes: [UInt8]) -> [NamedValue] {
        var values: [NamedValue] = []
        for (number, line) in Base64Decoder.lines(bytes) {
            for key in ["\"auth\"", "_auth"] {
                guard let at = ByteSearch.first(Array(key.utf8), in: Array(line)) else { continue }
                var value = line.dropFirst(at + key.utf8.count).drop(while: { $0 == 32 || $0 == 58 || $0 == 61 || $0 == 34 || $0 == 39 })
                value = value.prefix(while: { Base64.isAlphabet($0) })
                guard value.count >= 4, let decoded = Base64.decode(value), Base64Decoder.isText(decoded),
                      let colon = decoded.firstIndex(of: UInt8(ascii: ":")) else { continue }
                let pair = Array("username=\"".utf8) + decoded[..<colon] + Array("\" password=\"".utf8) + decoded[(colon + 1)...] + [34]
                values.append(NamedValue(name: key == "_auth" ? "_auth" : "auths.auth", text: pair, line: number))
            }
        }
        return values
    }

    // MARK: - Long runs anywhere

    func longRuns(_ bytes: [UInt8]) -> DecodedText {
        var text = DecodedText()
        var line = 1
        var lineCountedTo = 0
        bytes.withUnsafeBufferPointer { buffer in
            Base64Decoder.forEachRun(in: buffer, minimum: Base64Decoder.minimumRun) { run, padded in
                guard run.count <= Base64Decoder.maximumRun, !Base64Decoder.isDataURI(buffer, before: run.lowerBound),
                      Base64Decoder.mixesCase(buffer, padded),
                      let decoded = Base64.decode(UnsafeBufferPointer(rebasing: buffer[padded])),
                      decoded.count >= 16, Base64Decoder.isText(decoded) else { return }
                // Lines are counted only up to runs that decode, so clean text pays one pass.
                for k in lineCountedTo..<run.lowerBound where buffer[k] == 10 { line += 1 }
                lineCountedTo = run.lowerBound
                text.append(decoded, line: line, source: run.lowerBound)
            }
        }
        return text
    }

    /// Calls `body` with every maximal run of at least `minimum` base64 bytes ('=' aside), in
    /// order, and the run with up to two '=' of padding after it.
    ///
    /// A run of 31 bytes or more holds a whole 16-byte block at an offset divisible by 16, so
    /// only those blocks are tested, 16 bytes per step (`ByteSearch.nextRunBlock`), and only
    /// a block of run bytes alone is followed back and forth to its run's ends. Source text has
    /// a space or a bracket every few bytes, so nearly every block fails at once. The probe
    /// search it replaced (`scalarRuns`, still used below 31 bytes) read a seventh of the
    /// bytes, but each probe was a branch mispredicted about half the time: a tenth of a
    /// history scan's matching on Rails.
    static func forEachRun(in buffer: UnsafeBufferPointer<UInt8>, minimum: Int,
                           _ body: (_ run: Range<Int>, _ padded: Range<Int>) -> Void) {
        guard minimum >= 31 else {
            scalarRuns(in: buffer, minimum: minimum, body)
            return
        }
        let n = buffer.count
        Base64.runTable.withUnsafeBufferPointer { table in
            var from = 0
            while let block = ByteSearch.nextRunBlock(in: buffer, from: from) {
                // The maximal run holding the block: the last run's end (a byte outside the
                // alphabet, or its padding) stops the walk back.
                var start = block
                while start > 0, table[Int(buffer[start - 1])] != 0 { start -= 1 }
                var runEnd = block + 16
                while runEnd < n, table[Int(buffer[runEnd])] != 0 { runEnd += 1 }
                // '=' only as trailing padding.
                var end = runEnd
                while end < n, end - runEnd < 2, buffer[end] == 61 { end += 1 }
                if runEnd - start >= minimum { body(start..<runEnd, start..<end) }
                // The next run starts past this one's padding.
                from = end
            }
        }
    }

    /// `forEachRun` for short minimums: probes `minimum` bytes apart.
    static func scalarRuns(in buffer: UnsafeBufferPointer<UInt8>, minimum: Int,
                           _ body: (_ run: Range<Int>, _ padded: Range<Int>) -> Void) {
        let n = buffer.count
        Base64.runTable.withUnsafeBufferPointer { table in
            // Invariant: `i` is 0 or follows a byte that cannot be in a run (or sits on one).
            // A run of at least `minimum` bytes starting at or after `i` covers
            // `i + minimum - 1`, the probe. When the probe is not a run byte, the scan jumps
            // past it without looking at the bytes in between. When it is, the bytes from the
            // probe back to `i` are checked; one outside the alphabet among them moves `i` just
            // past it (the run holding the probe starts there, too short to reach the probe
            // from `i`), so words and identifiers cost a few bytes in forty. Only a run of
            // `minimum` bytes or more is read forward to its end.
            var i = 0
            while i + minimum <= n {
                let probe = i + minimum - 1
                guard table[Int(buffer[probe])] != 0 else { i = probe + 1; continue }
                var start = probe
                while start > i, table[Int(buffer[start - 1])] != 0 { start -= 1 }
                if start > i { i = start; continue }
                var runEnd = probe + 1
                while runEnd < n, table[Int(buffer[runEnd])] != 0 { runEnd += 1 }
                // '=' only as trailing padding.
                var end = runEnd
                while end < n, end - runEnd < 2, buffer[end] == 61 { end += 1 }
                i = end
                body(start..<runEnd, start..<end)
            }
        }
    }

    /// Base64 of text has upper and lower case letters and digits; identifiers, hex hashes and
    /// paths rarely do all three, so most runs are rejected before decoding.
    static func mixesCase(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        // One load and one OR a byte: the three-way compare it replaced mispredicted on every
        // switch between letters and digits, and runs that fail (a hex digest, a snake_case
        // name) are read to their end.
        caseKinds.withUnsafeBufferPointer { kinds in
            var seen: UInt8 = 0
            for i in range {
                seen |= kinds[Int(buffer[i])]
                if seen == 7 { return true }
            }
            return false
        }
    }

    /// 1 for an upper-case letter, 2 for a lower-case one, 4 for a digit (`mixesCase`).
    static let caseKinds: [UInt8] = (0..<256).map { b in b >= 65 && b <= 90 ? 1 : b >= 97 && b <= 122 ? 2 : b >= 48 && b <= 57 ? 4 : 0 }

    /// Whether the run is the payload of a `data:` URI other than plain text: images, fonts and
    /// other media hold no secrets, and JSON payloads are inline source maps, which the
    /// source-map decoder reads with their file names.
    static func isDataURI(_ buffer: UnsafeBufferPointer<UInt8>, before start: Int) -> Bool {
        guard start >= 8, buffer[start - 1] == UInt8(ascii: ",") else { return false }
        let marker = Array("data:".utf8)
        var at = start - marker.count
        while at >= max(0, start - 100) {
            if buffer[at] == 100, buffer[at..<at + marker.count].elementsEqual(marker) {
                return !buffer[(at + marker.count)...].starts(with: "text/plain".utf8)
            }
            at -= 1
        }
        return false
    }

    /// Printable: at least 95% of bytes are tab, newline, carriage return, ASCII printable or UTF-8.
    static func isText(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty else { return false }
        var bad = 0
        for b in bytes where (b < 32 && b != 9 && b != 10 && b != 13) || b == 127 { bad += 1 }
        guard bad * 20 <= bytes.count else { return false }
        return String(validatingUTF8Bytes: bytes) != nil
    }

    /// (1-based line number, line bytes without the newline).
    public static func lines(_ bytes: [UInt8]) -> [(Int, ArraySlice<UInt8>)] {
        var result: [(Int, ArraySlice<UInt8>)] = []
        var start = 0
        var number = 1
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: 10) ?? bytes.count
            result.append((number, bytes[start..<end]))
            number += 1
            start = end + 1
        }
        return result
    }
}

extension String {
    /// Valid UTF-8 only (no replacement characters).
    public init?(validatingUTF8Bytes bytes: [UInt8]) {
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        self = text
    }

    var trimmingQuotes: String {
        var s = Substring(self)
        while let f = s.first, f == "\"" || f == "'" || f == " " { s = s.dropFirst() }
        while let l = s.last, l == "\"" || l == "'" || l == " " { s = s.dropLast() }
        return String(s)
    }
}
