/// Parses TOML text into `TOMLValue`: the one entry point for TOML in Leakward (rule files,
/// `.leakward.toml`, gitleaks configs). The parsing itself is the in-tree `TOMLParser`.
public enum TOMLReader {
    /// The document's top-level table. Errors name the file and the 1-based line.
    public static func parse(_ text: String, path: String) throws -> [String: TOMLValue] {
        do {
            return try TOMLParser.parse(text)
        } catch {
            throw RuleError.syntax(path: path, line: error.line, message: error.message)
        }
    }

    /// The document with the line of every key, for configs whose messages name the line of a
    /// valid but wrong entry (`.leakward.toml`).
    public static func parseDocument(_ text: String, path: String) throws -> TOMLDocument {
        do {
            let (table, keyLines) = try TOMLParser.parseWithKeyLines(text)
            return TOMLDocument(table: table, keyLines: keyLines)
        } catch {
            throw RuleError.syntax(path: path, line: error.line, message: error.message)
        }
    }
}

/// A parsed TOML document and where each key was written, as the parser saw it.
public struct TOMLDocument: Sendable {
    public let table: [String: TOMLValue]
    /// Full dotted key path (a header's, or a key's under its table and inline tables) → 1-based line.
    let keyLines: [[String]: Int]

    /// The line of the key path `wanted`, or of its closest written parent; for a section
    /// written only as dotted keys (`ci.fail_on = ...`), the first line under it; 0 when absent.
    public func line(of wanted: [String]) -> Int {
        for length in stride(from: wanted.count, through: 1, by: -1) {
            if let line = keyLines[Array(wanted.prefix(length))] { return line }
        }
        return keyLines.filter { $0.key.first == wanted.first }.map(\.value).min() ?? 0
    }
}
