/// Text that comes from the scanned content or repository (paths, member and variable names,
/// authors, commit summaries, refs, rule names from a project's config) made inert for the
/// medium it is written to. A file name can hold a newline followed by `::error …` (a GitHub
/// Actions workflow command), `##vso[…]` (Azure Pipelines), an ANSI escape that rewrites the
/// terminal, or Markdown/HTML that turns into a link in a pull-request comment.
public enum InertText {
    /// Control characters, escape sequences, line and paragraph separators and bidirectional
    /// overrides shown as visible escapes (`\n`, `\e`, `\u{202E}`): a name can neither move the
    /// cursor nor start an output line of its own (where a CI runner reads commands).
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isHazard) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard isHazard(scalar) else { out.unicodeScalars.append(scalar); continue }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{1B}": out += "\\e"
            default:
                let hex = String(scalar.value, radix: 16)
                out += scalar.value < 0x100 ? "\\x" + (hex.count < 2 ? "0" + hex : hex) : "\\u{" + hex + "}"
            }
        }
        return out
    }

    /// For running Markdown text: visible, with every character Markdown or HTML gives a
    /// meaning backslash-escaped, so a name cannot become a link, an image, a heading or a tag.
    public static func markdown(_ text: String) -> String {
        var out = ""
        for character in visible(text) {
            if Self.markdownSpecials.contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// A Markdown code span around `text` that `text` cannot close: the fence is one backtick
    /// longer than the longest run inside it (CommonMark), with the padding a leading or
    /// trailing backtick needs. `|` is escaped too, so the span is safe in a table cell.
    public static func codeSpan(_ text: String) -> String {
        let shown = visible(text).replacingOccurrences(of: "|", with: "\\|")
        var longest = 0, run = 0
        for character in shown {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = longest > 0 || shown.isEmpty ? " " : ""
        return fence + pad + shown + pad + fence
    }

    /// For HTML text and attribute values.
    public static func html(_ text: String) -> String {
        var out = ""
        for character in visible(text) {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A path as one shell word: as it is when it holds only safe characters, else in single
    /// quotes (a file named `x; rm -rf ~` must not become a second command when pasted).
    public static func shellQuoted(_ text: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./@%+=:,")
        if !text.isEmpty && text.allSatisfy({ safe.contains($0) }) && !text.hasPrefix("-") { return text }
        return "'" + visible(text).replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// True when a line (after any indentation) would be read as a command by a CI runner:
    /// GitHub Actions `::…`, Azure Pipelines `##vso[…]` / `##[…]`.
    public static func startsCICommand(_ line: Substring) -> Bool {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        return trimmed.hasPrefix("::") || trimmed.hasPrefix("##vso[") || trimmed.hasPrefix("##[")
    }

    private static let markdownSpecials = Set("\\`*_[]<>#|!~&")

    private static func isHazard(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F: true
        case 0x2028, 0x2029: true                  // line and paragraph separators
        case 0x200E, 0x200F, 0x061C: true           // direction marks
        case 0x202A...0x202E, 0x2066...0x2069: true // bidirectional embeddings, overrides, isolates
        default: false
        }
    }
}
