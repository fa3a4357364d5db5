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
}
