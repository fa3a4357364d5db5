import Foundation
import Testing
@testable import LeakwardCore
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardInputs
@testable import LeakwardMatching
@testable import LeakwardModel
@testable import LeakwardPlan
@testable import LeakwardReporting
@testable import LeakwardRules
@testable import LeakwardSupport

/// gzip, zlib, brotli, tar and zip against inputs made with the system's own tools, plus
/// the limits that stop bombs.
@Suite struct ArchiveDecoderTests {
    static let text = Array("line one\nconst key = 'not-a-secret-but-text';\n".utf8)

    /// Runs a shell pipeline and returns its standard output as bytes.
    static func shell(_ script: String, input: [UInt8] = text) throws -> [UInt8] {
        let process = Foundation.Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }

    static func limits() -> DecodeLimits { DecodeLimits().forBlob(size: 1 << 20) }

    /// Pack objects are inflated by libdeflate (`WholeInflater`): the same answers as zlib's
    /// `inflate(exactly:)`, with the stream followed by other bytes as it is in a pack.
    @Test func wholeInflaterAgreesWithZlibOnExactSizes() throws {
        let text = Array(String(repeating: "tree 100644 lib/a.rb\0 some entry text; ", count: 300).utf8)
        let gzip = try Self.shell("gzip -c -n -9", input: text)
        // A gzip member without a file name: a 10-byte header, raw deflate, an 8-byte trailer.
        let stream = Array(gzip.dropFirst(10))
        let whole = try WholeInflater(), zlib = try Inflater(windowBits: Inflater.raw)
        func both(_ size: Int, _ bytes: ArraySlice<UInt8>) -> (whole: [UInt8]?, zlib: [UInt8]?) {
            Array(bytes).withUnsafeBytes { (whole.inflate(exactly: size, from: $0), zlib.inflate(exactly: size, from: $0)) }
        }
        #expect(both(text.count, stream[...]).whole == text)
        #expect(both(text.count, stream[...]).zlib == text)
        for size in [text.count - 1, text.count + 1] {
            let answers = both(size, stream[...])
            #expect(answers.whole == nil && answers.zlib == nil, "\(size)")
        }
        // A stream with content said to be empty is damage to libdeflate (zlib stops at zero bytes).
        #expect(both(0, stream[...]).whole == nil)
        #expect(both(text.count, stream[0..<(stream.count / 3)]).whole == nil)
        let damaged = [UInt8](repeating: 0xFF, count: 64)
        damaged.withUnsafeBytes { #expect(whole.inflate(exactly: 100, from: $0) == nil) }
        // An empty object's stream.
        let empty = Array(try Self.shell("gzip -c -n", input: []).dropFirst(10))
        empty.withUnsafeBytes { #expect(whole.inflate(exactly: 0, from: $0) == []) }
    }

    @Test func gzipInflatesEveryMemberOfAMultiMemberFile() throws {
        let one = try Self.shell("gzip -c -n")
        let two = try Self.shell("gzip -c -n", input: Array("second member\n".utf8))
        let decoded = GzipDecoder().decode(Chunk(bytes: one + two, path: "x.log.gz"), limits: Self.limits())
        #expect(decoded.problems.isEmpty)
        #expect(decoded.chunks.map(\.bytes) == [Self.text + Array("second member\n".utf8)])
        #expect(decoded.chunks.first?.steps == [DecodeStep(.gzip)])
    }

    @Test func zlibIsRecognisedByItsHeaderButPlainTextIsNot() throws {
        let packed = try Self.shell("python3 -c 'import sys,zlib; sys.stdout.buffer.write(zlib.compress(sys.stdin.buffer.read()))'")
        let decoded = GzipDecoder().decode(Chunk(bytes: packed, path: "blob"), limits: Self.limits())
        #expect(decoded.chunks.first?.bytes == Self.text)
        #expect(decoded.chunks.first?.steps == [DecodeStep(.zlib)])
        #expect(GzipDecoder().decode(Chunk(bytes: Array("x^2 + y^2 = z^2, says the notebook".utf8), path: "math.txt"), limits: Self.limits()).chunks.isEmpty)
    }

    @Test func truncatedGzipKeepsWhatInflatedAndSaysSo() throws {
        let big = Array(String(repeating: "The quick brown fox jumps over the lazy dog 0123456789.\n", count: 4000).utf8)
        let packed = try Self.shell("gzip -c -n", input: big)
        let decoded = GzipDecoder().decode(Chunk(bytes: Array(packed.prefix(packed.count / 2)), path: "a.gz"), limits: Self.limits())
        let output = try #require(decoded.chunks.first?.bytes)
        #expect(!output.isEmpty && output.count < big.count)
        #expect(Array(big.prefix(output.count)) == output)
        #expect(decoded.problems.map(\.error.description).first?.contains("truncated") == true)
    }

    @Test func gzipStopsAtTheBlobAllowance() throws {
        let zeros = [UInt8](repeating: 0, count: 4 << 20)
        let packed = try Self.shell("gzip -c -n", input: zeros)
        var limits = DecodeLimits()
        limits.ratioFloorBytes = 1 << 20
        limits.maxRatio = 10
        limits = limits.forBlob(size: packed.count)
        let decoded = GzipDecoder().decode(Chunk(bytes: packed, path: "bomb.gz"), limits: limits)
        #expect(decoded.chunks.first?.bytes.count == 1 << 20)
        #expect(decoded.problems.first?.error.description.contains("ratio limit") == true)
    }

    @Test func brotliIsDecodedByNameOnceAndCorruptionIsReported() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/brotli") else { return }
        let packed = try Self.shell("brotli -c")
        let decoded = BrotliDecoder().decode(Chunk(bytes: packed, path: "dist/app.js.br"), limits: Self.limits())
        let child = try #require(decoded.chunks.first)
        #expect(child.bytes == Self.text)
        // The decoded text keeps the path but is not taken for brotli again.
        #expect(BrotliDecoder().decode(child, limits: Self.limits()).chunks.isEmpty)
        #expect(BrotliDecoder().decode(child, limits: Self.limits()).problems.isEmpty)
        var damaged = packed
        damaged[damaged.count / 2] ^= 0xFF
        damaged.removeLast(2)
        #expect(!BrotliDecoder().decode(Chunk(bytes: damaged, path: "x.br"), limits: Self.limits()).problems.isEmpty)
    }

    @Test func tarMembersGetArchivePathsAndLongNames() throws {
        let long = String(repeating: "deep/", count: 25) + "file.txt"
        let tar = try Self.shell("""
            d=$(mktemp -d); cd $d; mkdir -p $(dirname \(long)); cat > \(long); printf 'b\\n' > short.txt
            tar --format=gnu -cf - \(long) short.txt; rm -rf $d
            """)
        let decoded = TarDecoder().decode(Chunk(bytes: tar, path: "pkg.tar"), limits: Self.limits())
        #expect(decoded.problems.isEmpty)
        #expect(decoded.chunks.map(\.path) == ["pkg.tar!\(long)", "pkg.tar!short.txt"])
        #expect(decoded.chunks.first?.bytes == Self.text)
        #expect(decoded.chunks.first?.steps == [DecodeStep(.tar, detail: long)])
    }

    @Test func zipReadsStoredAndDeflatedMembersThroughTheCentralDirectory() throws {
        let zip = try Self.shell("""
            d=$(mktemp -d); cd $d; mkdir -p inner; cat > inner/file.js; printf 'stored\\n' > s.txt
            zip -q -X -0 a.zip s.txt; zip -q -X -9 a.zip inner/file.js; cat a.zip; rm -rf $d
            """)
        let decoded = ZipDecoder().decode(Chunk(bytes: zip, path: "outer.zip"), limits: Self.limits())
        #expect(decoded.problems.isEmpty)
        #expect(decoded.chunks.map(\.path) == ["outer.zip!s.txt", "outer.zip!inner/file.js"])
        #expect(decoded.chunks.last?.bytes == Self.text)
        #expect(decoded.chunks.last?.steps == [DecodeStep(.zip, detail: "inner/file.js")])
    }

    @Test func zipEntryLimitIsEnforced() throws {
        let zip = try Self.shell("""
            d=$(mktemp -d); cd $d; for i in 1 2 3 4 5; do echo $i > f$i.txt; done; zip -q -X a.zip f*.txt; cat a.zip; rm -rf $d
            """)
        var limits = Self.limits()
        limits.maxEntries = 3
        let decoded = ZipDecoder().decode(Chunk(bytes: zip, path: "many.zip"), limits: limits)
        #expect(decoded.chunks.count == 3)
        #expect(decoded.problems.first?.error.description.contains("3-member limit") == true)
    }

    /// The non-recursive zip bomb: many directory entries sharing one member's data.
    @Test func overlappingZipMembersAreRefused() throws {
        let zip = try Self.shell("""
            python3 -c '
            import io, struct, sys, zipfile
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z: z.writestr("a.txt", "shared data\\n" * 100)
            data = buf.getvalue()
            end = data.rindex(b"PK\\x05\\x06")
            start = struct.unpack("<I", data[end + 16:end + 20])[0]
            entry = data[start:end]
            copy = entry.replace(b"a.txt", b"b.txt")
            cd = entry + copy
            out = data[:start] + cd + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 2, 2, len(cd), start, 0)
            sys.stdout.buffer.write(out)'
            """)
        let decoded = ZipDecoder().decode(Chunk(bytes: zip, path: "overlap.zip"), limits: Self.limits())
        #expect(decoded.chunks.map(\.path) == ["overlap.zip!a.txt"])
        #expect(decoded.problems.map { $0.path(in: "overlap.zip") } == ["overlap.zip!b.txt"])
        #expect(decoded.problems.first?.error.description.contains("overlaps") == true)
    }

    @Test func notAnArchiveIsLeftAlone() {
        let chunk = Chunk(bytes: Array("just text\n".utf8), path: "readme.md")
        for decoder in Decoders.standard {
            let decoded = decoder.decode(chunk, limits: Self.limits())
            #expect(decoded.chunks.isEmpty && decoded.problems.isEmpty, "\(decoder.kind.rawValue)")
        }
    }
}
