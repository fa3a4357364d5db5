/// Why a rule, rule file or config file was refused. Messages name the file, rule and line.
public enum RuleError: Error, Equatable, CustomStringConvertible {
    case syntax(path: String, line: Int, message: String)
    case missingKey(path: String, rule: String, key: String)
    case badValue(path: String, rule: String, key: String, message: String)
    case unknownKey(path: String, rule: String, key: String)
    case duplicateID(String)
    case pattern(rule: String, message: String)

    public var description: String {
        switch self {
        case .syntax(let path, let line, let message): "\(path):\(line): TOML syntax error: \(message)"
        case .missingKey(let path, let rule, let key): "\(path): rule \(rule): missing required key '\(key)'"
        case .badValue(let path, let rule, let key, let message): "\(path): \(rule): key '\(key)': \(message)"
        case .unknownKey(let path, let rule, let key): "\(path): \(rule): unknown key '\(key)'"
        case .duplicateID(let id): "duplicate rule id '\(id)'"
        case .pattern(let rule, let message): "rule \(rule): pattern does not compile: \(message)"
        }
    }
}
