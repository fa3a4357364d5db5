import Testing
@testable import LeakwardDecoders
@testable import LeakwardSupport

/// The central directory parser on archives built byte by byte, hostile ones included.
@Suite struct ZipDirectoryTests {
    static func u16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    static func u32(_ v: Int) -> [UInt8] { u16(v & 0xFFFF) + u16(v >> 16 & 0xFFFF) }

    /// A zip of stored members; `declared` overrides the member count in the end record and
    /// `flags` the general-purpose flags.
    static func zip(_ members: [(name: String, data: [UInt8])], declared: Int? = nil, flags: Int = 0) -> [UInt8] {
        var out: [UInt8] = [], central: [UInt8] = []
        for member in members {
            let name = Array(member.name.utf8), crc = Int(CRC32.checksum(member.data)), offset = out.count
            let sizes = u32(crc) + u32(member.data.count) + u32(member.data.count) + u16(name.count) + u16(0)
            out += u32(0x0403_4B50) + u16(20) + u16(flags) + u16(0) + u16(0) + u16(0) + sizes + name + member.data
            central += u32(0x0201_4B50) + u16(20) + u16(20) + u16(flags) + u16(0) + u16(0) + u16(0) + sizes
                + u16(0) + u16(0) + u16(0) + u32(0) + u32(offset) + name
        }
        let start = out.count
        out += central
        let count = declared ?? members.count
        out += u32(0x0605_4B50) + u16(0) + u16(0) + u16(count) + u16(count) + u32(central.count) + u32(start) + u16(0)
        return out
    }

    @Test func readsNamesSizesChecksumsAndDataRanges() throws {
        let bytes = Self.zip([("a.txt", Array("alpha\n".utf8)), ("dir/b.env", Array("KEY=1\n".utf8))])
        let directory = try ZipDirectory(bytes)
        #expect(directory.entries.map(\.name) == ["a.txt", "dir/b.env"])
        let b = directory.entries[1]
        #expect(b.method == 0 && b.uncompressedSize == 6 && b.compressedSize == 6 && !b.isEncrypted)
        #expect(b.crc32 == CRC32.checksum(Array("KEY=1\n".utf8)))
        #expect(Array(bytes[try directory.dataRange(of: b)]) == Array("KEY=1\n".utf8))
    }

    @Test func refusesWhatDoesNotAddUp() throws {
        let good = Self.zip([("a.txt", Array("alpha\n".utf8))])
        #expect(throws: DecodeError.self) { try ZipDirectory(Array(good.prefix(good.count - 10))) }
        #expect(throws: DecodeError.self) { try ZipDirectory(Self.zip([("a.txt", [1, 2, 3])], declared: 3)) }
        #expect(throws: DecodeError.self) { try ZipDirectory(Array("not a zip at all".utf8)) }
        // A member whose local header offset points past the file.
        var directory = try ZipDirectory(good)
        var entry = directory.entries[0]
        entry.localHeaderOffset = good.count + 100
        #expect(throws: DecodeError.self) { try directory.dataRange(of: entry) }
        entry = directory.entries[0]
        entry.compressedSize = good.count
        #expect(throws: DecodeError.self) { try directory.dataRange(of: entry) }
        directory = try ZipDirectory(Self.zip([("s.txt", [1])], flags: 1))
        #expect(directory.entries.first?.isEncrypted == true)
    }
}
