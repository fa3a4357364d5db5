/// One `[[name]]` table of a data file (rules, config checks, rotation playbooks), already
/// checked against the keys its kind knows. Errors name the file and the entry's id.
public struct DataTable: Sendable {
    public let values: [String: TOMLValue]
    /// The entry's `id`, or `#N` when it has none: what an error names.
    public let label: String
    public let path: String

    public subscript(key: String) -> TOMLValue? { values[key] }

    /// A non-empty string value, or a missing-key error naming this entry.
    public func required(_ key: String) throws -> String {
        guard let value = values[key]?.string, !value.isEmpty else {
            throw RuleError.missingKey(path: path, rule: label, key: key)
        }
        return value
    }

    /// The `[[name]]` tables of `text` (the contents of `path`). Any other top-level key, and any
    /// key a table's kind does not know, is an error, so a typo never silently drops an entry.
    /// A file without `[[name]]` tables gives none.
    public static func tables(named name: String, knownKeys: Set<String>,
                              fromTOML text: String, path: String) throws -> [DataTable] {
        let document = try TOMLReader.parse(text, path: path)
        for key in document.keys where key != name {
            throw RuleError.unknownKey(path: path, rule: "file", key: key)
        }
        guard let entries = document[name]?.array else { return [] }
        return try entries.enumerated().map { index, entry in
            guard let table = entry.table else {
                throw RuleError.badValue(path: path, rule: "#\(index + 1)", key: name, message: "expected a table")
            }
            let label = table["id"]?.string ?? "#\(index + 1)"
            for key in table.keys where !knownKeys.contains(key) {
                throw RuleError.unknownKey(path: path, rule: label, key: key)
            }
            return DataTable(values: table, label: label, path: path)
        }
    }
}
