#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The lines of a text, split at its "\n" bytes with a line's trailing "\r" dropped.
///
/// Splitting a `String` by `Character` misses every line break of a CRLF file: "\r\n" is one
/// Character, not "\n", so a Windows-saved config file read as a single line and only its
/// first key was seen. Walking Characters (and then UTF-8 indices one by one) also dominated
/// the history scan of repositories whose large YAML files change in every commit, so line
/// breaks are found with `memchr` and lines cut by byte offset.
public enum TextLines {
    public static func split(_ text: String, omittingEmpty: Bool = false) -> [Substring] {
        var text = text
        let bounds = text.withUTF8 { lineBounds(in: $0) }
        let utf8 = text.utf8
        var lines: [Substring] = []
        lines.reserveCapacity(bounds.count)
        for (start, end) in bounds where !(omittingEmpty && start == end) {
            // Offsets at "\n" and "\r" bytes are scalar boundaries, so these are valid indices.
            lines.append(text[utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: end)])
        }
        return lines
    }

    /// Each line's byte range (start, end) in `buffer`, its "\n" and trailing "\r" left out:
    /// one range more than there are "\n" bytes, as `split` gives.
    public static func lineBounds(in buffer: UnsafeBufferPointer<UInt8>) -> [(start: Int, end: Int)] {
        var bounds: [(start: Int, end: Int)] = []
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return [(0, 0)] }
        let count = buffer.count
        var start = 0
        func take(upTo end: Int) {
            bounds.append((start, end > start && base[end - 1] == 13 ? end - 1 : end))
        }
        while start < count, let hit = memchr(base + start, 10, count - start) {
            let end = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            take(upTo: end)
            start = end + 1
        }
        take(upTo: count)
        return bounds
    }
}
