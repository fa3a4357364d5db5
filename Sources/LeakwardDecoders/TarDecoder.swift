import LeakwardModel

/// Lists the members of a tar archive (ustar, GNU long names, pax `path`), by its `ustar` magic
/// or, for old v7 archives, a `.tar` name and a valid header checksum. A bad header stops the
/// walk with a recorded problem; the members before it are kept.
public struct TarDecoder: ContentDecoder {
    public let kind = DecoderKind.tar
    public var wholeBlobNeed: WholeBlobNeed { .names(endingIn: [".tar"]) }
    public static let block = 512

    public init() {}

    public func decode(_ chunk: Chunk, limits: DecodeLimits) -> Decoded {
        let bytes = chunk.bytes
        guard bytes.count >= TarDecoder.block else { return .none }
        let hasMagic = bytes[257..<262].elementsEqual("ustar".utf8)
        guard hasMagic || (chunk.nameHasSuffix([".tar"]) && TarDecoder.checksumMatches(bytes, at: 0)) else { return .none }

        var decoded = Decoded()
        var spent = 0
        var offset = 0
        var longName: String?
        var entries = 0
        while offset + TarDecoder.block <= bytes.count {
            let header = offset
            if bytes[header..<header + TarDecoder.block].allSatisfy({ $0 == 0 }) { break }
            guard TarDecoder.checksumMatches(bytes, at: offset) else {
                decoded.problems.append(DecodeProblem(chunk, .corrupt(
                    "bad tar header at byte \(offset) (checksum mismatch); \(entries) member(s) before it were scanned")))
                return decoded
            }
            entries += 1
            if entries > limits.maxEntries {
                decoded.problems.append(DecodeProblem(chunk, .limit(
                    "more than \(limits.maxEntries) members; the rest were not scanned")))
                return decoded
            }
            guard let size = TarDecoder.number(bytes[offset + 124..<offset + 136]) else {
                decoded.problems.append(DecodeProblem(chunk, .corrupt("bad size field in the tar header at byte \(offset)")))
                return decoded
            }
            let type = bytes[offset + 156]
            let dataStart = offset + TarDecoder.block
            let dataEnd = min(bytes.count, dataStart + size)
            let data = bytes[dataStart..<dataEnd]
            offset = dataStart + (size + TarDecoder.block - 1) / TarDecoder.block * TarDecoder.block
            switch type {
            case UInt8(ascii: "L"):  // GNU long name for the next member
                longName = TarDecoder.string(data)
                continue
            case UInt8(ascii: "x"):  // pax extended header: `path=` overrides the next name
                longName = TarDecoder.paxPath(data) ?? longName
                continue
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"):
                break
            default:
                longName = nil
                continue  // directories, links, devices, global headers: no content to scan
            }
            var memberName = longName ?? TarDecoder.headerName(bytes, at: header)
            longName = nil
            if memberName.isEmpty { memberName = "member-\(entries)" }
            if ArchivePath.escapes(memberName) {
                decoded.problems.append(DecodeProblem(chunk, member: memberName, .unsafe(
                    "member path leaves the archive (absolute or ../); scanned in memory, never extracted")))
            }
            if spent + data.count > limits.remainingBytes {
                decoded.problems.append(DecodeProblem(chunk, limits.exhausted))
                return decoded
            }
            spent += data.count
            if !data.isEmpty {
                decoded.chunks.append(chunk.derived(Array(data), step: DecodeStep(kind, detail: memberName), member: memberName))
            }
            if dataEnd < dataStart + size {
                decoded.problems.append(DecodeProblem(chunk, member: memberName, .corrupt(
                    "tar archive is truncated inside this member (\(dataEnd - dataStart) of \(size) bytes); the part present was scanned")))
                return decoded
            }
        }
        return decoded
    }

    /// The header's checksum: the byte sum with the checksum field read as spaces.
    static func checksumMatches(_ bytes: [UInt8], at offset: Int) -> Bool {
        guard offset + block <= bytes.count, let stored = number(bytes[offset + 148..<offset + 156]) else { return false }
        var sum = 0
        for i in offset..<offset + block { sum += (i >= offset + 148 && i < offset + 156) ? 32 : Int(bytes[i]) }
        return sum == stored
    }

    /// An octal field (NUL/space padded), or GNU base-256 when the high bit is set.
    public static func number(_ field: ArraySlice<UInt8>) -> Int? {
        if let first = field.first, first & 0x80 != 0 {
            var value = Int(first & 0x7F)
            for byte in field.dropFirst() {
                guard value < (Int.max >> 8) else { return nil }
                value = value << 8 | Int(byte)
            }
            return value
        }
        var value = 0
        var sawDigit = false
        for byte in field {
            if byte == 0 || byte == 32 { if sawDigit { break } else { continue } }
            guard byte >= 48 && byte <= 55, value < (Int.max >> 3) else { return nil }
            value = value * 8 + Int(byte - 48)
            sawDigit = true
        }
        return value
    }

    public static func string(_ field: ArraySlice<UInt8>) -> String {
        String(decoding: field.prefix(while: { $0 != 0 }), as: UTF8.self)
    }

    /// `prefix/name` of a ustar header.
    static func headerName(_ bytes: [UInt8], at offset: Int) -> String {
        let name = string(bytes[offset..<offset + 100])
        guard bytes[offset + 257..<offset + 262].elementsEqual("ustar".utf8) else { return name }
        let prefix = string(bytes[offset + 345..<offset + 500])
        return prefix.isEmpty ? name : prefix + "/" + name
    }

    /// The `path` record of a pax header (`<length> path=<value>\n`).
    static func paxPath(_ data: ArraySlice<UInt8>) -> String? {
        for record in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let space = record.firstIndex(of: " ") else { continue }
            let field = record[record.index(after: space)...]
            if field.hasPrefix("path=") { return String(field.dropFirst(5)) }
        }
        return nil
    }
}
