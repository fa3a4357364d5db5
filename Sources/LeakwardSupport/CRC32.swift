import CZlib

/// IEEE CRC-32, as used by the GitHub/npm token checksums and by zip members' trailers: zlib's,
/// the one implementation in the core.
public enum CRC32 {
    public static func checksum(_ bytes: some Collection<UInt8>, seed: UInt32 = 0) -> UInt32 {
        if let crc = bytes.withContiguousStorageIfAvailable({ checksum($0, seed: seed) }) { return crc }
        return Array(bytes).withUnsafeBufferPointer { checksum($0, seed: seed) }
    }

    public static func checksum(_ buffer: UnsafeBufferPointer<UInt8>, seed: UInt32 = 0) -> UInt32 {
        var crc = UInt(seed)
        var offset = 0
        while offset < buffer.count {
            // zlib takes the length as a 32-bit count.
            let n = min(buffer.count - offset, Int(UInt32.max))
            crc = CZlib.crc32(crc, buffer.baseAddress! + offset, UInt32(n))
            offset += n
        }
        return UInt32(truncatingIfNeeded: crc)
    }
}
