import TOMLKit

/// Parses TOML text into `TOMLValue` with the in-tree `TOMLParser`.
public enum TOMLReader {
    /// The document's top-level table. Errors name the file and line.
    public static func parse(_ text: String, path: String) throws -> [String: TOMLValue] {
        do {
            return try TOMLParser.parse(text)
        } catch {
            throw RuleError.syntax(path: path, line: error.line, message: error.message)
        }
    }

    /// Temporary: the former TOMLKit reading, kept for one commit so a test can prove the new
    /// parser gives the same values on every rule file. Removed with the TOMLKit dependency.
    static func parseWithTOMLKit(_ text: String) throws -> [String: TOMLValue] {
        convert(try TOMLTable(string: text))
    }

    private static func convert(_ table: TOMLTable) -> [String: TOMLValue] {
        var out: [String: TOMLValue] = [:]
        for key in table.keys {
            if let value = table[key], let converted = convert(value) { out[key] = converted }
        }
        return out
    }

    private static func convert(_ value: TOMLValueConvertible) -> TOMLValue? {
        if let v = value.string { return .string(v) }
        if let v = value.bool { return .boolean(v) }
        if let v = value.int { return .integer(v) }
        if let v = value.double { return .float(v) }
        if let v = value.table { return .table(convert(v)) }
        if let v = value.array { return .array(v.compactMap { convert($0) }) }
        return nil
    }
}
