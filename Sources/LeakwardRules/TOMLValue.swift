/// A parsed TOML value as plain Swift data: what `TOMLReader.parse` hands every reader of
/// rules and configs (only the in-tree `TOMLParser`, internal to this module, reads the syntax).
public indirect enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case array([TOMLValue])
    case table([String: TOMLValue])

    public var string: String? { if case .string(let v) = self { v } else { nil } }
    public var bool: Bool? { if case .boolean(let v) = self { v } else { nil } }
    public var int: Int? { if case .integer(let v) = self { v } else { nil } }
    public var number: Double? {
        switch self {
        case .integer(let v): Double(v)
        case .float(let v): v
        default: nil
        }
    }
    public var array: [TOMLValue]? { if case .array(let v) = self { v } else { nil } }
    public var table: [String: TOMLValue]? { if case .table(let v) = self { v } else { nil } }
    public var strings: [String]? { array?.compactMap(\.string) }
}
