/// The lines of a text, split at its "\n" bytes with a line's trailing "\r" dropped.
///
/// Splitting a `String` by `Character` misses every line break of a CRLF file: "\r\n" is one
/// Character, not "\n", so a Windows-saved config file read as a single line and only its
/// first key was seen. Walking Characters also dominated the history scan of repositories
/// whose large YAML files change in every commit.
public enum TextLines {
    public static func split(_ text: String, omittingEmpty: Bool = false) -> [Substring] {
        var lines: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var index = start
        func take(upTo end: String.Index) {
            var last = end
            if last > start, utf8[utf8.index(before: last)] == 13 { last = utf8.index(before: last) }
            if omittingEmpty && last == start { return }
            lines.append(text[start..<last])
        }
        while index != utf8.endIndex {
            if utf8[index] == 10 {
                take(upTo: index)
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        take(upTo: utf8.endIndex)
        return lines
    }
}
