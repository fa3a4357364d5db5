import LeakwardSupport

/// What the walk needs from a `package.json`: the names of its dependencies (all four kinds)
/// and its script commands, read by one pass over the bytes. A monorepo walk meets a
/// package.json in every package; parsing each whole with Foundation's JSONSerialization (every
/// value boxed) was about a third of the walk's own listing time, for two fields.
///
/// The pass still checks the whole document the way a JSON parser does (one top-level
/// object, strings, numbers, literals, nesting, nothing after it), so a damaged file is
/// refused (nil) exactly as before, and a key given twice keeps its last value.
public struct PackageManifest: Sendable, Equatable {
    public var dependencies: Set<String> = []
    public var scripts: [String] = []

    static let dependencyKeys: Set<[UInt8]> = Set(["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"].map { Array($0.utf8) })
    static let scriptsKey = Array("scripts".utf8)

    /// The manifest in `bytes`, or nil when they are not one JSON object.
    public init?(bytes: [UInt8]) {
        guard let manifest = bytes.withUnsafeBufferPointer({ buffer -> PackageManifest? in
            var reader = Reader(buffer: buffer)
            return reader.document()
        }) else { return nil }
        self = manifest
    }

    init() {}

    /// A recursive-descent reader that skips every value but the ones asked for.
    private struct Reader {
        let buffer: UnsafeBufferPointer<UInt8>
        var at = 0
        /// Nesting kept within bounds: a hostile file cannot exhaust the stack.
        var depth = 0
        static let maxDepth = 512

        init(buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }

        mutating func document() -> PackageManifest? {
            // A UTF-8 byte-order mark is read past, as JSONSerialization does.
            if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { at = 3 }
            skipSpace()
            guard peek() == UInt8(ascii: "{") else { return nil }
            at += 1
            // Each field's last occurrence wins, as in a dictionary.
            var tables: [[UInt8]: Set<String>] = [:]
            var scripts: [String]?
            skipSpace()
            if peek() == UInt8(ascii: "}") {
                at += 1
            } else {
                while true {
                    skipSpace()
                    guard let key = string(keeping: true) else { return nil }
                    skipSpace()
                    guard peek() == UInt8(ascii: ":") else { return nil }
                    at += 1
                    skipSpace()
                    if PackageManifest.dependencyKeys.contains(key.bytes) {
                        guard let table = object(keepingKeys: true, keepingValues: false) else { return nil }
                        tables[key.bytes] = table.isObject ? Set(table.keys) : []
                    } else if key.bytes == PackageManifest.scriptsKey {
                        guard let table = object(keepingKeys: true, keepingValues: true) else { return nil }
                        // A script named twice keeps its last command, as in a dictionary.
                        var commands: [String: String] = [:]
                        for (name, command) in table.values { commands[name] = command }
                        scripts = table.isObject ? Array(commands.values) : []
                    } else {
                        guard skipValue() else { return nil }
                    }
                    skipSpace()
                    guard let next = peek() else { return nil }
                    at += 1
                    if next == UInt8(ascii: "}") { break }
                    guard next == UInt8(ascii: ",") else { return nil }
                    if closesAfterComma(UInt8(ascii: "}")) { break }
                }
            }
            skipSpace()
            guard at == buffer.count else { return nil }
            var manifest = PackageManifest()
            for table in tables.values { manifest.dependencies.formUnion(table) }
            manifest.scripts = scripts ?? []
            return manifest
        }

        /// A value that may be an object: its keys and its string values when asked; any
        /// other value is skipped (and is no object).
        /// `values` pairs each string value with its key.
        mutating func object(keepingKeys: Bool, keepingValues: Bool) -> (isObject: Bool, keys: [String], values: [(String, String)])? {
            guard peek() == UInt8(ascii: "{") else { return skipValue() ? (false, [], []) : nil }
            at += 1
            var keys: [String] = [], values: [(String, String)] = []
            skipSpace()
            if peek() == UInt8(ascii: "}") {
                at += 1
                return (true, keys, values)
            }
            while true {
                skipSpace()
                guard let key = string(keeping: keepingKeys) else { return nil }
                if keepingKeys { keys.append(key.text) }
                skipSpace()
                guard peek() == UInt8(ascii: ":") else { return nil }
                at += 1
                skipSpace()
                if keepingValues, peek() == UInt8(ascii: "\"") {
                    guard let value = string(keeping: true) else { return nil }
                    values.append((key.text, value.text))
                } else {
                    guard skipValue() else { return nil }
                }
                skipSpace()
                guard let next = peek() else { return nil }
                at += 1
                if next == UInt8(ascii: "}") { return (true, keys, values) }
                guard next == UInt8(ascii: ",") else { return nil }
                if closesAfterComma(UInt8(ascii: "}")) { return (true, keys, values) }
            }
        }

        /// Foundation's parser takes a comma before the closing bracket (`{"a":1,}`), so this one
        /// does too: true (and past it) when `close` follows.
        mutating func closesAfterComma(_ close: UInt8) -> Bool {
            skipSpace()
            guard peek() == close else { return false }
            at += 1
            return true
        }

        func peek() -> UInt8? { at < buffer.count ? buffer[at] : nil }

        mutating func skipSpace() {
            while at < buffer.count {
                switch buffer[at] {
                case 0x20, 0x09, 0x0A, 0x0D: at += 1
                default: return
                }
            }
        }

        /// Any JSON value, checked and passed over.
        mutating func skipValue() -> Bool {
            guard let first = peek() else { return false }
            switch first {
            case UInt8(ascii: "\""):
                return string(keeping: false) != nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard depth < Reader.maxDepth else { return false }
                depth += 1
                defer { depth -= 1 }
                let close = first == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                at += 1
                skipSpace()
                if peek() == close {
                    at += 1
                    return true
                }
                while true {
                    skipSpace()
                    if first == UInt8(ascii: "{") {
                        guard string(keeping: false) != nil else { return false }
                        skipSpace()
                        guard peek() == UInt8(ascii: ":") else { return false }
                        at += 1
                        skipSpace()
                    }
                    guard skipValue() else { return false }
                    skipSpace()
                    guard let next = peek() else { return false }
                    at += 1
                    if next == close { return true }
                    guard next == UInt8(ascii: ",") else { return false }
                    if closesAfterComma(close) { return true }
                }
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return number()
            }
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard at + count <= buffer.count else { return false }
            for i in 0..<count where buffer[at + i] != word.utf8Start[i] { return false }
            at += count
            return true
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
        mutating func number() -> Bool {
            func digits() -> Int {
                let start = at
                while at < buffer.count, buffer[at] >= 0x30, buffer[at] <= 0x39 { at += 1 }
                return at - start
            }
            if peek() == UInt8(ascii: "-") { at += 1 }
            guard let lead = peek(), lead >= 0x30, lead <= 0x39 else { return false }
            if lead == 0x30 { at += 1 } else { _ = digits() }
            if peek() == UInt8(ascii: ".") {
                at += 1
                guard digits() > 0 else { return false }
            }
            if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
                at += 1
                if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { at += 1 }
                guard digits() > 0 else { return false }
            }
            return true
        }

        /// A string at `at`: its raw bytes and, when `keeping`, its text with escapes decoded.
        mutating func string(keeping: Bool) -> (bytes: [UInt8], text: String)? {
            guard peek() == UInt8(ascii: "\"") else { return nil }
            at += 1
            let start = at
            var hasEscape = false
            while at < buffer.count {
                let byte = buffer[at]
                if byte == UInt8(ascii: "\"") { break }
                if byte < 0x20 { return nil }
                if byte == UInt8(ascii: "\\") {
                    hasEscape = true
                    at += 2
                    continue
                }
                at += 1
            }
            guard at < buffer.count else { return nil }
            let raw = UnsafeBufferPointer(rebasing: buffer[start..<at])
            at += 1
            // Text that is not UTF-8 is refused, as JSONSerialization refuses it.
            guard validUTF8(raw) else { return nil }
            guard hasEscape else { return keeping ? (Array(raw), String(decoding: raw, as: UTF8.self)) : ([], "") }
            guard let decoded = PackageManifest.unescape(raw) else { return nil }
            return (Array(decoded.utf8), decoded)
        }

        func validUTF8(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
            if raw.allSatisfy({ $0 < 0x80 }) { return true }
            var iterator = raw.makeIterator()
            var decoder = UTF8()
            while true {
                switch decoder.decode(&iterator) {
                case .scalarValue: continue
                case .emptyInput: return true
                case .error: return false
                }
            }
        }
    }

    /// The text of a JSON string's inside with its escapes decoded; nil when one is malformed.
    static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String? {
        var scalars = String.UnicodeScalarView()
        var i = 0
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= raw.count else { return nil }
            var value: UInt32 = 0
            for byte in raw[at..<at + 4] {
                guard let digit = HexDigit.value(byte) else { return nil }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        var plain: [UInt8] = []
        func flush() {
            guard !plain.isEmpty else { return }
            scalars.append(contentsOf: String(decoding: plain, as: UTF8.self).unicodeScalars)
            plain.removeAll(keepingCapacity: true)
        }
        while i < raw.count {
            let byte = raw[i]
            guard byte == UInt8(ascii: "\\") else {
                plain.append(byte)
                i += 1
                continue
            }
            guard i + 1 < raw.count else { return nil }
            let escape = raw[i + 1]
            i += 2
            var scalar: Unicode.Scalar?
            switch escape {
            case UInt8(ascii: "\""): scalar = "\""
            case UInt8(ascii: "\\"): scalar = "\\"
            case UInt8(ascii: "/"): scalar = "/"
            case UInt8(ascii: "b"): scalar = "\u{08}"
            case UInt8(ascii: "f"): scalar = "\u{0C}"
            case UInt8(ascii: "n"): scalar = "\n"
            case UInt8(ascii: "r"): scalar = "\r"
            case UInt8(ascii: "t"): scalar = "\t"
            case UInt8(ascii: "u"):
                guard let unit = hex4(i) else { return nil }
                i += 4
                if (0xD800...0xDBFF).contains(unit) {
                    // A high surrogate must be followed by an escaped low one.
                    guard i + 6 <= raw.count, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u"),
                          let low = hex4(i + 2), (0xDC00...0xDFFF).contains(low) else { return nil }
                    i += 6
                    scalar = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                } else {
                    guard !(0xDC00...0xDFFF).contains(unit) else { return nil }
                    scalar = Unicode.Scalar(unit)
                }
            default: return nil
            }
            guard let scalar else { return nil }
            flush()
            scalars.append(scalar)
        }
        flush()
        return String(scalars)
    }
}
