import LeakwardSupport
import LeakwardModel

/// Reads zip-family archives (`.zip .jar .whl .apk .vsix .nupkg`, GitHub Actions log downloads)
/// from memory through their central directory: stored and deflated members only, never
/// written to disk. Hostile archives are reported, not obeyed: `../` names, sizes past the end
/// of the file, members that overlap (the non-recursive zip bomb) and members that inflate
/// beyond their declared size.
public struct ZipDecoder: ContentDecoder {
    public let kind = DecoderKind.zip
    public var wholeBlobNeed: WholeBlobNeed { .names(endingIn: ZipDecoder.familySuffixes) }
    static let familySuffixes = [".zip", ".jar", ".war", ".ear", ".whl", ".apk", ".aar", ".vsix", ".nupkg", ".xpi", ".crx"]

    public init() {}

    public func decode(_ chunk: Chunk, limits: DecodeLimits) -> Decoded {
        let bytes = chunk.bytes
        let hasMagic = bytes.count >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4B
            && ((bytes[2] == 3 && bytes[3] == 4) || (bytes[2] == 5 && bytes[3] == 6))
        guard hasMagic || chunk.nameHasSuffix(ZipDecoder.familySuffixes) else { return .none }
        let directory: ZipDirectory
        do throws(DecodeError) {
            directory = try ZipDirectory(bytes)
        } catch {
            return Decoded(problems: [DecodeProblem(chunk, error)])
        }
        var decoded = Decoded()
        var spent = 0
        var claimed: [Range<Int>] = []
        for (index, entry) in directory.entries.enumerated() {
            if index >= limits.maxEntries {
                decoded.problems.append(DecodeProblem(chunk, .limit(
                    "\(directory.entries.count) members is over the \(limits.maxEntries)-member limit; the rest were not scanned")))
                break
            }
            if entry.name.hasSuffix("/") { continue }
            func report(_ error: DecodeError) { decoded.problems.append(DecodeProblem(chunk, member: entry.name, error)) }
            if ArchivePath.escapes(entry.name) {
                report(.unsafe("member path leaves the archive (absolute or ../); scanned in memory, never extracted"))
            }
            if entry.isEncrypted { report(.unsupported("encrypted member not scanned")); continue }
            guard entry.method == 0 || entry.method == 8 else {
                report(.unsupported("compression method \(entry.method) not supported; member not scanned"))
                continue
            }
            let data: Range<Int>
            do throws(DecodeError) {
                data = try directory.dataRange(of: entry)
            } catch {
                report(error)
                continue
            }
            if claimed.contains(where: { $0.overlaps(data) }) {
                report(.unsafe("member data overlaps another member (a zip bomb pattern); not scanned"))
                continue
            }
            claimed.append(data)
            let allowance = limits.remainingBytes - spent
            if entry.uncompressedSize > allowance {
                // The rest of a bomb would be refused one by one: stop at the first.
                let rest = directory.entries.count - index - 1
                report(.limit("declares \(ByteCount(entry.uncompressedSize)) uncompressed, over what is left of \(limits.remainingReason); "
                    + "decoding of this file stopped here (\(rest) more member\(rest == 1 ? "" : "s") not scanned)"))
                break
            }
            var output: [UInt8] = []
            var problem: DecodeError?
            if entry.method == 0 {
                output = Array(bytes[data.lowerBound..<min(data.upperBound, data.lowerBound + entry.uncompressedSize)])
            } else {
                problem = ZipDecoder.inflate(bytes, data, into: &output, cap: min(allowance, entry.uncompressedSize + 1))
                if output.count > entry.uncompressedSize {
                    output.removeLast(output.count - entry.uncompressedSize)
                    problem = .unsafe("inflates beyond its declared \(ByteCount(entry.uncompressedSize)); stopped there")
                }
            }
            if problem == nil, output.count == entry.uncompressedSize, CRC32.checksum(output) != entry.crc32 {
                problem = .corrupt("CRC-32 mismatch: the member is damaged; scanned as read")
            }
            spent += output.count
            if let problem { report(problem) }
            if !output.isEmpty {
                decoded.chunks.append(chunk.derived(output, step: DecodeStep(kind, detail: entry.name), member: entry.name))
            }
        }
        return decoded
    }

    public static func inflate(_ bytes: [UInt8], _ range: Range<Int>, into output: inout [UInt8], cap: Int) -> DecodeError? {
        do throws(DecodeError) {
            let inflater = try Inflater(windowBits: Inflater.raw)
            let (ending, _) = bytes.withUnsafeBufferPointer { all in
                inflater.inflate(UnsafeBufferPointer(rebasing: all[range]), into: &output, cap: cap)
            }
            switch ending {
            case .streamEnd, .capped: return nil
            case .truncated: return .corrupt("deflate data is truncated after \(ByteCount(output.count)); the part before was scanned")
            case .corrupt(let message): return .corrupt("deflate data is damaged (\(message)); the part before was scanned")
            }
        } catch {
            return error
        }
    }

}
