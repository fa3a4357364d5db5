import TOMLKit

/// Parses TOML text into `TOMLValue`; the only file that imports TOMLKit.
public enum TOMLReader {
    /// The document's top-level table. Errors name the file and line.
    public static func parse(_ text: String, path: String) throws -> [String: TOMLValue] {
        do {
            let table = try TOMLTable(string: text)
            return convert(table)
        } catch let error as TOMLParseError {
            throw RuleError.syntax(path: path, line: error.source.begin.line, message: error.description)
        }
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
