import LeakwardModel
import LeakwardSupport
/// The printable text inside a binary, like `strings` and `strings -el`: compiled programs
/// (ELF, Mach-O, PE), `.pyc` and `.class` constant pools, `.wasm` data segments, SQLite pages
/// and core dumps keep string literals as plain bytes, so a token compiled into an app is
/// there to read. Only binary chunks no container decoder opens are read (a zip, gzip or tar
/// is opened by its own decoder; compressed media hold no plain text worth the pass).
///
/// Views, each only when it has something (a token's boundary is what a rule needs, and a run
/// of printable bytes often runs on into the next field):
/// - `strings`: the chunk with every byte outside a printable ASCII run of `minimumRun` or more
///   turned into a newline. Same length as the input, so offsets are the binary's own.
/// - `strings[utf-16le]`: the UTF-16LE runs (`t\0o\0k\0`), one per line.
/// - `strings[length-prefixed]`: printable strings that a length byte (or a big-endian 16-bit
///   length) in front of them delimits exactly, one per line: `.pyc` marshal strings
///   (`Z` or `z`, length, bytes, then the next type byte, often a letter; a length of 32 or
///   more is itself printable, so the run starts at the type byte) and Java `.class` constant
///   pools (`CONSTANT_Utf8`: tag, 16-bit length, bytes).
/// - `strings[sqlite]`: the text values of a SQLite database's table and index rows, one per
///   line (a row's columns sit side by side with nothing between them).
///
/// What may match there is narrowed by `FindingFilter`: only rules with a strong format (a
/// checksum, a provider prefix of their own); name-and-entropy rules would fire on every
/// symbol table.
public struct StringsDecoder: ContentDecoder {
    public var kind: DecoderKind { .strings }
    /// Binary blobs are matched whole already (a window of a binary is no text to cut lines from).
    public var wholeBlobNeed: WholeBlobNeed { .none }
    /// Shorter runs are mostly noise; the shortest strong token formats are far longer.
    public static let minimumRun = 8
    /// Bytes of one binary read by the strings pass; past it the rest is reported, not skipped
    /// silently. Keeps a huge core dump from costing more than a big text file.
    public static let maximumInput = 64 * 1024 * 1024

    public init() {}

    public func decode(_ chunk: Chunk, limits: DecodeLimits) -> Decoded {
        guard chunk.steps.last?.decoder != .strings, chunk.looksBinary, !StringsDecoder.isOpenedElsewhere(chunk) else { return .none }
        let count = min(chunk.bytes.count, StringsDecoder.maximumInput)
        guard count <= limits.remainingBytes else {
            return Decoded(problems: [DecodeProblem(chunk, .limit("strings of a binary: \(ByteCount(count)) is over what is left of \(limits.remainingReason)"))])
        }
        var problems: [DecodeProblem] = []
        if chunk.bytes.count > count {
            problems.append(DecodeProblem(chunk, .unsupported("binary larger than \(ByteCount(count)): only its first \(ByteCount(count)) were searched for strings")))
        }
        let (ascii, utf16) = chunk.bytes.withUnsafeBufferPointer { StringsDecoder.runs(in: UnsafeBufferPointer(rebasing: $0[0..<count])) }
        var chunks: [Chunk] = []
        if let ascii { chunks.append(chunk.derived(ascii, step: DecodeStep(.strings))) }
        if !utf16.isEmpty { chunks.append(chunk.derived(utf16, step: DecodeStep(.strings, detail: "utf-16le"))) }
        let prefixed = chunk.bytes.withUnsafeBufferPointer { StringsDecoder.lengthPrefixed(in: UnsafeBufferPointer(rebasing: $0[0..<count])) }
        if !prefixed.isEmpty { chunks.append(chunk.derived(prefixed, step: DecodeStep(.strings, detail: "length-prefixed"))) }
        if let values = SQLiteValues.text(of: chunk.bytes), !values.isEmpty {
            chunks.append(chunk.derived(values, step: DecodeStep(.strings, detail: "sqlite")))
        }
        return Decoded(chunks: chunks, problems: problems)
    }

    /// Containers and compressed formats whose own decoder reads them (or whose bytes are
    /// compressed, so no plain text is in them): judged by magic bytes, then by name.
    static func isOpenedElsewhere(_ chunk: Chunk) -> Bool {
        let bytes = chunk.bytes
        func starts(_ magic: [UInt8]) -> Bool { bytes.count >= magic.count && Array(bytes[0..<magic.count]) == magic }
        if starts([0x1F, 0x8B]) || starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06])
            || starts([0xFD, 0x37, 0x7A, 0x58, 0x5A]) || starts([0x28, 0xB5, 0x2F, 0xFD]) || starts([0x42, 0x5A, 0x68])
            || starts([0x37, 0x7A, 0xBC, 0xAF]) { return true }
        if bytes.count > 262, Array(bytes[257..<262]) == Array("ustar".utf8) { return true }
        let name = chunk.lowercasedName
        guard let dot = name.lastIndex(of: ".") else { return false }
        return StringsDecoder.compressedExtensions.contains(String(name[name.index(after: dot)...]))
    }

    /// Media, fonts and archives: compressed bytes with at most a few metadata strings.
    static let compressedExtensions: Set<String> = [
        "png", "jpg", "jpeg", "gif", "webp", "avif", "heic", "ico", "icns", "bmp", "tif", "tiff", "psd",
        "mp3", "mp4", "m4a", "m4v", "aac", "flac", "ogg", "oga", "opus", "wav", "webm", "mov", "avi", "mkv",
        "woff", "woff2", "ttf", "otf", "eot", "br", "gz", "tgz", "zip", "jar", "apk", "xz", "zst", "bz2", "7z", "rar",
    ]

    @inline(__always)
    static func isPrintable(_ byte: UInt8) -> Bool { byte &- 0x20 < 0x5F || byte == 0x09 }

    /// Shortest length-prefixed string worth a line: shorter ones hold no token.
    static let minimumPrefixed = 16

    /// Where a run's length may sit, relative to the run's first byte, and how many bytes it takes.
    static let lengthPlaces = [(-1, 1), (0, 1), (-2, 2), (-1, 2)]

    /// Printable strings whose length is the byte (or big-endian 16-bit word) in front of
    /// them, one per line. A length sits at a field's edge, so only the starts of printable
    /// runs are tried: the length just before the run, or the run's first byte as the length
    /// (`(` is 40). Inside text every byte would read as a length.
    static func lengthPrefixed(in buffer: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let count = buffer.count
        var out: [UInt8] = []
        var start = 0
        while start < count {
            guard isPrintable(buffer[start]) else {
                start += 1
                continue
            }
            var end = start + 1
            while end < count, isPrintable(buffer[end]) { end += 1 }
            if end - start > minimumPrefixed {
                // (where the length is, how many bytes it takes), the string right after it.
                var delimited = false
                for (offset, width) in lengthPlaces where start + offset >= 0 && start + offset + width < count {
                    let at = start + offset
                    let length = width == 1 ? Int(buffer[at]) : Int(buffer[at]) << 8 | Int(buffer[at + 1])
                    let from = at + width
                    guard length >= minimumPrefixed, length <= 4096, from >= start, from + length <= end else { continue }
                    out += buffer[from..<(from + length)]
                    out.append(10)
                    delimited = true
                    break
                }
                // A little-endian 32-bit length: a Python pickle's strings (`X`, BINUNICODE),
                // as in a committed vector store whose embeddings object keeps its API key. The
                // next opcode is often a letter (`u`, SETITEMS), so only the length ends the key.
                if !delimited, start >= 4 {
                    let length = Int(buffer[start - 4]) | Int(buffer[start - 3]) << 8 | Int(buffer[start - 2]) << 16 | Int(buffer[start - 1]) << 24
                    if length >= minimumPrefixed, length <= 4096, start + length <= end {
                        out += buffer[start..<(start + length)]
                        out.append(10)
                    }
                }
                // A `.pyc` short string whose length is 32 or more: its type byte (`z`, or `Z`
                // interned) and its length are both printable, so the run starts at the type
                // byte (`z3sk-…` is a 51-byte key). Read as well, whatever the tries above found.
                if buffer[start] == UInt8(ascii: "z") || buffer[start] == UInt8(ascii: "Z"), start + 1 < count {
                    let length = Int(buffer[start + 1]), from = start + 2
                    if length >= minimumPrefixed, from + length <= end {
                        out += buffer[from..<(from + length)]
                        out.append(10)
                    }
                }
            }
            start = end
        }
        return out
    }

    /// The ASCII view (nil when no run is long enough) and the UTF-16LE runs.
    /// Every byte of every binary blob in a history passes through here (a tenth of a scan's
    /// time on a repository with many images and jars under names no decoder claims), so runs
    /// are found and copied a run at a time, not a byte at a time.
    static func runs(in buffer: UnsafeBufferPointer<UInt8>) -> (ascii: [UInt8]?, utf16: [UInt8]) {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return (nil, []) }
        let count = buffer.count
        var foundASCII = false
        let ascii = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
            let view = out.baseAddress!
            var index = 0
            while index < count {
                let gap = index
                while index < count, !isPrintable(base[index]) { index += 1 }
                (view + gap).initialize(repeating: 10, count: index - gap)
                let start = index
                while index < count, isPrintable(base[index]) { index += 1 }
                if index - start >= minimumRun {
                    foundASCII = true
                    (view + start).initialize(from: base + start, count: index - start)
                } else {
                    (view + start).initialize(repeating: 10, count: index - start)
                }
            }
            initialized = count
        }
        // A UTF-16LE run is a printable byte then a zero, again and again; it ends at the first
        // pair that is not, and the search goes on one byte after that pair's start.
        var utf16: [UInt8] = []
        var runStart = 0
        var runLength = 0
        func flush() {
            if runLength >= minimumRun {
                utf16.reserveCapacity(utf16.count + runLength + 1)
                for k in 0..<runLength { utf16.append(base[runStart + 2 * k]) }
                utf16.append(10)
            }
            runLength = 0
        }
        var i = 0
        while i + 1 < count {
            if base[i + 1] == 0, isPrintable(base[i]) {
                if runLength == 0 { runStart = i }
                runLength += 1
                i += 2
                continue
            }
            flush()
            i += 1
        }
        flush()
        return (foundASCII ? ascii : nil, utf16)
    }
}

/// The text values of a SQLite 3 database, read from its table and index leaf pages: each
/// cell's record header says where every value starts and how long it is. Values that spill
/// into overflow pages are read as far as the page holds them. Nothing is trusted: every
/// offset and length is checked against the page, so a damaged file yields fewer values.
enum SQLiteValues {
    static let magic = Array("SQLite format 3\0".utf8)

    /// One value per line, or nil when `bytes` is not a SQLite database.
    static func text(of bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 512, Array(bytes[0..<16]) == magic else { return nil }
        var pageSize = Int(bytes[16]) << 8 | Int(bytes[17])
        if pageSize == 1 { pageSize = 65536 }
        guard pageSize >= 512, pageSize & (pageSize - 1) == 0 else { return nil }
        let usable = pageSize - Int(bytes[20])
        guard usable >= 480 else { return nil }
        var out: [UInt8] = []
        var page = 0
        while page * pageSize < bytes.count {
            let base = page * pageSize
            let header = page == 0 ? 100 : 0
            read(page: base, header: base + header, usable: usable, bytes: bytes, into: &out)
            page += 1
        }
        return out
    }

    /// A varint at `offset` (1 to 9 bytes, big-endian groups of 7 bits) and the offset after it.
    static func varint(_ bytes: [UInt8], _ offset: Int, limit: Int) -> (value: Int, next: Int)? {
        var value = 0
        var index = offset
        while index < limit, index - offset < 9 {
            let byte = Int(bytes[index])
            if index - offset == 8 { return (value << 8 | byte, index + 1) }
            value = value << 7 | (byte & 0x7F)
            index += 1
            if byte & 0x80 == 0 { return (value, index) }
        }
        return nil
    }

    static func read(page base: Int, header: Int, usable: Int, bytes: [UInt8], into out: inout [UInt8]) {
        let end = min(base + usable, bytes.count)
        guard header + 8 <= end else { return }
        let kind = bytes[header]
        guard kind == 0x0D || kind == 0x0A else { return }   // table or index leaf
        let cells = Int(bytes[header + 3]) << 8 | Int(bytes[header + 4])
        for cell in 0..<cells {
            let pointer = header + 8 + 2 * cell
            guard pointer + 2 <= end else { return }
            let start = base + (Int(bytes[pointer]) << 8 | Int(bytes[pointer + 1]))
            guard start < end, let payload = varint(bytes, start, limit: end) else { continue }
            var offset = payload.next
            if kind == 0x0D {
                guard let rowid = varint(bytes, offset, limit: end) else { continue }
                offset = rowid.next
            }
            record(at: offset, size: payload.value, limit: end, bytes: bytes, into: &out)
        }
    }

    /// The TEXT (and printable BLOB) values of one record.
    /// Sizes and serial types come from the file: a 9-byte varint can be negative or near
    /// `Int.max`, so each is bounded before it moves an offset (a damaged database in a pull
    /// request must not trap the scan).
    static func record(at start: Int, size: Int, limit: Int, bytes: [UInt8], into out: inout [UInt8]) {
        guard start < limit, size > 0 else { return }
        let recordEnd = size < limit - start ? start + size : limit
        guard let headerSize = varint(bytes, start, limit: recordEnd), headerSize.value > 0,
              headerSize.value <= recordEnd - start else { return }
        let headerEnd = start + headerSize.value
        var cursor = headerSize.next
        var body = headerEnd
        while cursor < headerEnd, let serial = varint(bytes, cursor, limit: headerEnd) {
            cursor = serial.next
            let type = serial.value
            guard type >= 0 else { return }
            let length: Int
            switch type {
            case 0, 8, 9, 10, 11: length = 0
            case 1, 2, 3, 4: length = type
            case 5: length = 6
            case 6, 7: length = 8
            default: length = (type - 12) / 2
            }
            if type >= 13 || (type >= 12 && length >= StringsDecoder.minimumRun) {
                let valueEnd = length < recordEnd - body ? body + length : recordEnd
                if body < valueEnd {
                    let value = bytes[body..<valueEnd]
                    if type & 1 == 1 || value.allSatisfy(StringsDecoder.isPrintable) {
                        out += value.map { $0 == 10 || $0 == 13 ? 32 : $0 }
                        out.append(10)
                    }
                }
            }
            guard length < recordEnd - body else { break }
            body += length
        }
    }
}
