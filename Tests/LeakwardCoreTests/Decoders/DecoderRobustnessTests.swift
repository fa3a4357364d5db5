import Foundation
import Testing
@testable import LeakwardCore
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardModel
@testable import LeakwardPlan
@testable import LeakwardReporting

/// Hostile bytes must give problems, never a crash: every decoder runs on deterministic
/// mutations (flipped bytes, truncations, splices) of the committed fixtures. A Swift trap
/// here would be a crash of a whole scan in the field.
@Suite struct DecoderRobustnessTests {
    static let artifacts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("testdata/artifacts")

    /// A small deterministic generator (SplitMix64), so a failure reproduces.
    struct Mixer {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
    }

    @Test(arguments: ["app/ci-logs/logs_8812.zip", "app/release/orders-sdk-1.4.2.tgz", "malformed/bad-header.tar",
                      "malformed/evil.zip", "app/.next/static/chunks/pages/_app-5e2b8c1d.js.br",
                      "app/.next/static/chunks/pages/_app-5e2b8c1d.js.map", "app/k8s/secret.yaml", "app/ci-logs/build.log"])
    func mutatedFixturesNeverCrashADecoder(fixture: String) throws {
        let original = try Array(Data(contentsOf: Self.artifacts.appendingPathComponent(fixture)))
        var mixer = Mixer(state: UInt64(original.count))
        var limits = DecodeLimits().forBlob(size: original.count)
        limits.remainingBytes = min(limits.remainingBytes, 4 << 20)
        let names = [FileKind.basename(fixture), "x.zip", "x.tar", "x.gz", "x.br", "x.map", ".env", "job.log"]
        for round in 0..<200 {
            var bytes = original
            switch round % 4 {
            case 0: for _ in 0..<(1 + mixer.below(8)) where !bytes.isEmpty { bytes[mixer.below(bytes.count)] = UInt8(mixer.below(256)) }
            case 1: bytes = Array(bytes.prefix(mixer.below(bytes.count)))
            case 2:
                let at = mixer.below(bytes.count)
                bytes.insert(contentsOf: (0..<mixer.below(64)).map { _ in UInt8(mixer.below(256)) }, at: at)
            default:
                // Big-number fields: write 0xFF runs over headers.
                let at = mixer.below(bytes.count)
                for k in at..<min(bytes.count, at + 1 + mixer.below(12)) { bytes[k] = 0xFF }
            }
            let chunk = Chunk(bytes: bytes, path: names[round % names.count])
            for decoder in Decoders.standard {
                let decoded = decoder.decode(chunk, limits: limits)
                #expect(decoded.byteCount <= limits.remainingBytes + (1 << 16), "\(decoder.kind.rawValue) exceeded its allowance")
            }
        }
    }

    /// A SQLite leaf page whose one record carries `serials` as its header's serial types and
    /// then `body` (a database cut or damaged in a pull request looks like this).
    static func sqlite(serials: [[UInt8]], body: [UInt8], payload: [UInt8]? = nil) -> [UInt8] {
        var bytes = Array("SQLite format 3\0".utf8) + [0x04, 0x00] + [UInt8](repeating: 0, count: 82)
        bytes += [0x0D, 0, 0, 0, 1, 0, 0, 0, 0x01, 0x00]       // table leaf, one cell at offset 256
        bytes += [UInt8](repeating: 0, count: 256 - bytes.count)
        let header = serials.flatMap { $0 }
        let record = [UInt8(header.count + 1)] + header + body
        bytes += (payload ?? [UInt8(record.count)]) + [0x01] + record
        return bytes + [UInt8](repeating: 0, count: 4096 - bytes.count)
    }

    /// The values a damaged database's records claim are bounded by the page: a negative serial
    /// type (a 9-byte varint with its top bit set), a length past `Int.max / 2` and a payload
    /// size near `Int.max` end the record, not the scan; a sound record beside them still reads.
    @Test func damagedSQLiteRecordsNeverTrap() {
        let nine: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        let huge: [UInt8] = [0xBF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        let text = Array("sound-value-of-text-kind".utf8)
        let sound = Self.sqlite(serials: [[UInt8(12 + 2 * text.count + 1)]], body: text)
        #expect(SQLiteValues.text(of: sound).map { String(decoding: $0, as: UTF8.self) } == "sound-value-of-text-kind\n")
        for bytes in [Self.sqlite(serials: [nine], body: text), Self.sqlite(serials: [huge], body: text),
                      Self.sqlite(serials: [[0x2D], nine], body: text),
                      Self.sqlite(serials: [[0x2D]], body: text, payload: nine),
                      Self.sqlite(serials: [[0x2D]], body: text, payload: huge)] {
            _ = SQLiteValues.text(of: bytes)
            let chunk = Chunk(bytes: bytes, path: "app.db")
            _ = StringsDecoder().decode(chunk, limits: DecodeLimits().forBlob(size: bytes.count))
        }
    }
}
