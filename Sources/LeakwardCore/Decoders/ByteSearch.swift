#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Substring search over bytes with libc's vectorised `memchr` for the first byte and `memcmp`
/// for the rest, so decoders that look for a marker cost little on chunks without it.
/// (`memmem` is a GNU extension the Glibc module does not export.)
enum ByteSearch {
    /// Offset of the first `needle` at or after `from`.
    static func first(_ needle: [UInt8], in haystack: [UInt8], from: Int = 0) -> Int? {
        guard from < haystack.count, !needle.isEmpty else { return nil }
        return haystack.withUnsafeBytes { hay in
            needle.withUnsafeBytes { pin in
                let base = hay.baseAddress!
                var at = from
                let lastStart = hay.count - pin.count
                while at <= lastStart {
                    guard let found = memchr(base + at, Int32(needle[0]), lastStart - at + 1) else { return nil }
                    let offset = UnsafeRawPointer(found) - base
                    if memcmp(found, pin.baseAddress!, pin.count) == 0 { return offset }
                    at = offset + 1
                }
                return nil
            }
        }
    }

    /// Offset of the last `needle`.
    static func last(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        var found: Int?
        var from = 0
        while let next = first(needle, in: haystack, from: from) {
            found = next
            from = next + 1
        }
        return found
    }

    /// Whether `byte` occurs at all (`memchr`).
    static func contains(_ byte: UInt8, in haystack: [UInt8]) -> Bool {
        haystack.withUnsafeBytes { !$0.isEmpty && memchr($0.baseAddress!, Int32(byte), $0.count) != nil }
    }
}
