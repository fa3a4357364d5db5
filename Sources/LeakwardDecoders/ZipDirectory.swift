/// A zip archive's central directory, parsed from memory (zip64 included). Only the directory
/// is trusted for names and sizes; every offset is checked against the buffer.
struct ZipDirectory {
    struct Entry {
        var name: String
        var method: Int
        var flags: Int
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
        var isEncrypted: Bool { flags & 1 != 0 }
    }

    let bytes: [UInt8]
    private(set) var entries: [Entry] = []

    init(_ bytes: [UInt8]) throws(DecodeError) {
        self.bytes = bytes
        guard let end = ZipDirectory.findEndRecord(bytes) else {
            throw .corrupt("no zip end-of-central-directory record (truncated or not a zip)")
        }
        var count = Int(u16(end + 10))
        var size = Int(u32(end + 12))
        var start = Int(u32(end + 16))
        // Zip64: the locator sits just before the end record.
        if (count == 0xFFFF || size == 0xFFFF_FFFF || start == 0xFFFF_FFFF), end >= 20, u32(end - 20) == 0x0706_4B50 {
            let record = Int(clamping: u64(end - 12))
            guard record >= 0, record + 56 <= bytes.count, u32(record) == 0x0606_4B50 else {
                throw .corrupt("zip64 end record points outside the file")
            }
            count = Int(clamping: u64(record + 32))
            size = Int(clamping: u64(record + 40))
            start = Int(clamping: u64(record + 48))
        }
        guard start >= 0, size >= 0, start <= bytes.count, size <= bytes.count - start else {
            throw .corrupt("central directory (\(size) bytes at \(start)) lies outside the \(bytes.count)-byte file")
        }
        var offset = start
        var parsed: [Entry] = []
        while offset + 46 <= start + size, u32(offset) == 0x0201_4B50 {
            let nameLength = Int(u16(offset + 28)), extraLength = Int(u16(offset + 30)), commentLength = Int(u16(offset + 32))
            let nameStart = offset + 46
            guard nameStart + nameLength + extraLength <= bytes.count else { throw .corrupt("central directory entry runs past the end of the file") }
            var entry = Entry(
                name: String(decoding: bytes[nameStart..<nameStart + nameLength], as: UTF8.self),
                method: Int(u16(offset + 10)), flags: Int(u16(offset + 8)), crc32: u32(offset + 16),
                compressedSize: Int(u32(offset + 20)), uncompressedSize: Int(u32(offset + 24)),
                localHeaderOffset: Int(u32(offset + 42)))
            readZip64Extra(into: &entry, extra: nameStart + nameLength..<nameStart + nameLength + extraLength)
            parsed.append(entry)
            offset = nameStart + nameLength + extraLength + commentLength
            // A directory claiming millions of entries still costs only what it really holds.
        }
        if parsed.count < count && count != 0xFFFF {
            throw .corrupt("central directory lists \(parsed.count) of the \(count) members it declares")
        }
        entries = parsed
    }

    /// The bytes of `entry`'s stored or compressed data, after its local header.
    func dataRange(of entry: Entry) throws(DecodeError) -> Range<Int> {
        let local = entry.localHeaderOffset
        guard local >= 0, local + 30 <= bytes.count, u32(local) == 0x0403_4B50 else {
            throw .corrupt("local header at byte \(local) is missing or outside the file")
        }
        let start = local + 30 + Int(u16(local + 26)) + Int(u16(local + 28))
        guard start <= bytes.count, entry.compressedSize <= bytes.count - start else {
            throw .corrupt("declares \(ByteCount(entry.compressedSize)) of data, past the end of the \(ByteCount(bytes.count)) archive")
        }
        return start..<start + entry.compressedSize
    }

    private func readZip64Extra(into entry: inout Entry, extra: Range<Int>) {
        var offset = extra.lowerBound
        while offset + 4 <= extra.upperBound {
            let id = u16(offset), length = Int(u16(offset + 2))
            var field = offset + 4
            let fieldEnd = min(extra.upperBound, field + length)
            if id == 0x0001 {
                func next() -> Int? {
                    guard field + 8 <= fieldEnd else { return nil }
                    defer { field += 8 }
                    return Int(clamping: u64(field))
                }
                if entry.uncompressedSize == 0xFFFF_FFFF, let v = next() { entry.uncompressedSize = v }
                if entry.compressedSize == 0xFFFF_FFFF, let v = next() { entry.compressedSize = v }
                if entry.localHeaderOffset == 0xFFFF_FFFF, let v = next() { entry.localHeaderOffset = v }
            }
            offset += 4 + length
        }
    }

    /// The end-of-central-directory record: searched backwards over the last 64 KB + 22 bytes
    /// (the record plus the longest comment).
    private static func findEndRecord(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 22 else { return nil }
        var offset = bytes.count - 22
        let floor = max(0, bytes.count - 22 - 0xFFFF)
        while offset >= floor {
            if bytes[offset] == 0x50, bytes[offset + 1] == 0x4B, bytes[offset + 2] == 5, bytes[offset + 3] == 6 { return offset }
            offset -= 1
        }
        return nil
    }

    private func u16(_ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
    private func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) | UInt32(u16(at + 2)) << 16 }
    private func u64(_ at: Int) -> UInt64 { UInt64(u32(at)) | UInt64(u32(at + 4)) << 32 }
}
