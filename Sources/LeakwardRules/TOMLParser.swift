import LeakwardModel

/// A strict TOML 1.0 parser over UTF-8 bytes; `TOMLReader` is its only caller.
///
/// In-tree because Leakward reads TOML from the repositories it scans (`.leakward.toml`,
/// `.gitleaks.toml`): the parser must survive hostile input. It never traps: every index is
/// bounds-checked, numbers are range-checked, nesting is bounded by `maxDepth`, and every
/// failure is a `Failure` carrying the 1-based line it was found on.
///
/// Offset and local date-times, dates and times are validated and kept as their text
/// (`TOMLValue` has no date case). Multi-line strings normalise CRLF to LF.
struct TOMLParser {
    /// Deepest nesting of tables, arrays and inline tables accepted, and most parts in a key.
    static let maxDepth = 64

    /// Why the text is not TOML, and the 1-based line where that was found.
    struct Failure: Error, Equatable {
        let line: Int
        let message: String
    }

    /// The document's top-level table.
    static func parse(_ text: String) throws(Failure) -> [String: TOMLValue] {
        var parser = TOMLParser(bytes: Array(text.utf8))
        return try parser.document()
    }

    /// The top-level table and the line each key and table header was first written on (full
    /// dotted path → 1-based line), so messages about a valid document can name lines too.
    static func parseWithKeyLines(_ text: String) throws(Failure) -> (table: [String: TOMLValue], keyLines: [[String]: Int]) {
        var parser = TOMLParser(bytes: Array(text.utf8))
        let table = try parser.document()
        return (table, parser.keyLines)
    }

    // MARK: - Document tree while parsing

    /// A table under construction. How it came to exist decides what may still extend it:
    /// a `[header]` may define an implicit table once; dotted keys may only extend tables they created.
    private final class Table {
        enum Origin { case implicit, header, dotted }
        var origin: Origin
        var entries: [String: Node] = [:]

        init(_ origin: Origin) { self.origin = origin }

        var value: [String: TOMLValue] {
            entries.mapValues { node in
                switch node {
                case .value(let value): value
                case .table(let table): .table(table.value)
                case .tableArray(let tables): .array(tables.map { .table($0.value) })
                }
            }
        }
    }

    /// Values (including arrays and inline tables) are closed; tables and arrays of tables stay open.
    private enum Node {
        case value(TOMLValue)
        case table(Table)
        case tableArray([Table])
    }

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    /// The key path of the table being filled: the last header's, plus the keys of the inline
    /// tables being read.
    private var path: [String] = []
    /// Where each key and table header was first written.
    private var keyLines: [[String]: Int] = [:]

    private mutating func note(_ key: [String], line: Int) {
        if keyLines[key] == nil { keyLines[key] = line }
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }  // UTF-8 byte order mark
    }

    // MARK: - Document

    private mutating func document() throws(Failure) -> [String: TOMLValue] {
        let root = Table(.header)
        var current = root
        var currentDepth = 0
        while true {
            try skipTrivia()
            guard let byte = peek() else { break }
            if byte == UInt8(ascii: "[") {
                let isArray = peek(1) == UInt8(ascii: "[")
                index += isArray ? 2 : 1
                skipSpaces()
                let headerLine = line
                let key = try key()
                skipSpaces()
                try expect("]", context: isArray ? "to close the array-of-tables header" : "to close the table header")
                if isArray { try expect("]", context: "to close the array-of-tables header") }
                current = isArray ? try appendTable(key, in: root, line: headerLine) : try openTable(key, in: root, line: headerLine)
                currentDepth = key.count
                path = key
                note(key, line: headerLine)
            } else {
                try keyValue(into: current, depth: currentDepth)
            }
            try expectLineEnd()
        }
        return root.value
    }

    /// `key = value` into `table`: dotted keys create (and may only extend) dotted tables.
    private mutating func keyValue(into table: Table, depth: Int) throws(Failure) {
        let keyLine = line
        let key = try key()
        skipSpaces()
        try expect("=", context: "after a key")
        skipSpaces()
        let outer = path
        path += key
        note(path, line: keyLine)
        let value = try value(depth: depth + key.count)
        path = outer
        try insert(value, at: key, in: table, line: keyLine)
    }

    private func insert(_ value: TOMLValue, at key: [String], in table: Table, line: Int) throws(Failure) {
        guard let last = key.last else { throw Failure(line: line, message: "empty key") }
        var target = table
        for (position, part) in key.dropLast().enumerated() {
            switch target.entries[part] {
            case nil:
                let created = Table(.dotted)
                target.entries[part] = .table(created)
                target = created
            case .table(let existing) where existing.origin != .header:
                existing.origin = .dotted
                target = existing
            default:
                throw Failure(line: line, message: "dotted key '\(Self.dotted(key))' extends '\(Self.dotted(key.prefix(position + 1)))', which is already defined")
            }
        }
        guard target.entries[last] == nil else {
            throw Failure(line: line, message: "duplicate key '\(Self.dotted(key))'")
        }
        target.entries[last] = .value(value)
    }

    /// `[a.b.c]`: intermediate tables are created implicitly; the last one may be defined once.
    private func openTable(_ key: [String], in root: Table, line: Int) throws(Failure) -> Table {
        let (parent, last) = try parentTable(of: key, in: root, line: line)
        switch parent.entries[last] {
        case nil:
            let created = Table(.header)
            parent.entries[last] = .table(created)
            return created
        case .table(let existing) where existing.origin == .implicit:
            existing.origin = .header
            return existing
        case .table(let existing):
            let how = existing.origin == .dotted ? "by dotted keys" : "above"
            throw Failure(line: line, message: "table [\(Self.dotted(key))] is already defined \(how)")
        case .tableArray:
            throw Failure(line: line, message: "[\(Self.dotted(key))] is already an array of tables")
        case .value:
            throw Failure(line: line, message: "key '\(Self.dotted(key))' already has a value")
        }
    }

    /// `[[a.b.c]]`: appends a table to the array of tables at `key`.
    private func appendTable(_ key: [String], in root: Table, line: Int) throws(Failure) -> Table {
        let (parent, last) = try parentTable(of: key, in: root, line: line)
        let created = Table(.header)
        switch parent.entries[last] {
        case nil:
            parent.entries[last] = .tableArray([created])
        case .tableArray(var tables):
            parent.entries[last] = nil  // drop the dictionary's reference so the append does not copy
            tables.append(created)
            parent.entries[last] = .tableArray(tables)
        case .table:
            throw Failure(line: line, message: "[[\(Self.dotted(key))]] is already defined as a table")
        case .value:
            throw Failure(line: line, message: "key '\(Self.dotted(key))' already has a value")
        }
        return created
    }

    /// Walks a header's key to the table holding its last part; arrays of tables lead into their last element.
    private func parentTable(of key: [String], in root: Table, line: Int) throws(Failure) -> (Table, String) {
        guard let last = key.last else { throw Failure(line: line, message: "empty table header") }
        var target = root
        for (position, part) in key.dropLast().enumerated() {
            switch target.entries[part] {
            case nil:
                let created = Table(.implicit)
                target.entries[part] = .table(created)
                target = created
            case .table(let existing):
                target = existing
            case .tableArray(let tables):
                guard let lastTable = tables.last else { throw Failure(line: line, message: "empty array of tables") }
                target = lastTable
            case .value:
                throw Failure(line: line, message: "'\(Self.dotted(key.prefix(position + 1)))' is a value, not a table")
            }
        }
        return (target, last)
    }

    // MARK: - Keys

    /// A possibly dotted key: bare, "basic" or 'literal' parts separated by dots.
    private mutating func key() throws(Failure) -> [String] {
        var parts: [String] = []
        while true {
            skipSpaces()
            parts.append(try simpleKey())
            guard parts.count <= Self.maxDepth else {
                throw Failure(line: line, message: "key has more than \(Self.maxDepth) parts")
            }
            skipSpaces()
            guard peek() == UInt8(ascii: ".") else { return parts }
            index += 1
        }
    }

    private mutating func simpleKey() throws(Failure) -> String {
        switch peek() {
        case UInt8(ascii: "\""):
            if peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\"") {
                throw Failure(line: line, message: "a multi-line string cannot be a key")
            }
            return try basicString()
        case UInt8(ascii: "'"):
            if peek(1) == UInt8(ascii: "'"), peek(2) == UInt8(ascii: "'") {
                throw Failure(line: line, message: "a multi-line string cannot be a key")
            }
            return try literalString()
        default:
            let start = index
            while let byte = peek(), Self.isBareKeyByte(byte) { index += 1 }
            guard index > start else { throw Failure(line: line, message: "expected a key, found \(describeNext())") }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
    }

    // MARK: - Values

    /// A value `depth` levels below the document's top-level table (`a = 1` is at depth 1).
    private mutating func value(depth: Int) throws(Failure) -> TOMLValue {
        guard let byte = peek() else { throw Failure(line: line, message: "expected a value, found end of file") }
        switch byte {
        case UInt8(ascii: "\""):
            if peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\"") { return .string(try multiLineBasicString()) }
            return .string(try basicString())
        case UInt8(ascii: "'"):
            if peek(1) == UInt8(ascii: "'"), peek(2) == UInt8(ascii: "'") { return .string(try multiLineLiteralString()) }
            return .string(try literalString())
        case UInt8(ascii: "["):
            return try array(depth: depth)
        case UInt8(ascii: "{"):
            return try inlineTable(depth: depth)
        case UInt8(ascii: "t"):
            try keyword("true")
            return .boolean(true)
        case UInt8(ascii: "f"):
            try keyword("false")
            return .boolean(false)
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "i"), UInt8(ascii: "n"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try numberOrDate()
        default:
            throw Failure(line: line, message: "expected a value, found \(describeNext())")
        }
    }

    private mutating func keyword(_ word: String) throws(Failure) {
        guard bytes[index...].starts(with: word.utf8) else {
            throw Failure(line: line, message: "expected a value, found \(describeNext())")
        }
        index += word.utf8.count
    }

    private mutating func array(depth: Int) throws(Failure) -> TOMLValue {
        guard depth <= Self.maxDepth else { throw Failure(line: line, message: "nested deeper than \(Self.maxDepth) levels") }
        index += 1  // [
        var items: [TOMLValue] = []
        while true {
            try skipTrivia()
            if peek() == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            items.append(try value(depth: depth + 1))
            try skipTrivia()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(items)
            default: throw Failure(line: line, message: "expected ',' or ']' in an array, found \(describeNext())")
            }
        }
    }

    /// `{ a = 1, b.c = 2 }`: one line, no trailing comma, closed once written.
    private mutating func inlineTable(depth: Int) throws(Failure) -> TOMLValue {
        guard depth <= Self.maxDepth else { throw Failure(line: line, message: "nested deeper than \(Self.maxDepth) levels") }
        index += 1  // {
        let table = Table(.header)
        skipSpaces()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return .table([:])
        }
        while true {
            try keyValue(into: table, depth: depth)
            skipSpaces()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return .table(table.value)
            default: throw Failure(line: line, message: "expected ',' or '}' in an inline table, found \(describeNext())")
            }
        }
    }

    // MARK: - Strings

    /// `"..."` with escapes, on one line.
    private mutating func basicString() throws(Failure) -> String {
        index += 1  // "
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else { throw Failure(line: line, message: "unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                try escape(into: &out)
            case 0x0A, 0x0D:
                throw Failure(line: line, message: "unterminated string (newline before the closing quote)")
            default:
                try checkStringByte(byte)
                out.append(byte)
                index += 1
            }
        }
    }

    /// `'...'` taken as written, on one line.
    private mutating func literalString() throws(Failure) -> String {
        index += 1  // '
        let start = index
        while true {
            guard let byte = peek() else { throw Failure(line: line, message: "unterminated string") }
            switch byte {
            case UInt8(ascii: "'"):
                index += 1
                return String(decoding: bytes[start..<index - 1], as: UTF8.self)
            case 0x0A, 0x0D:
                throw Failure(line: line, message: "unterminated string (newline before the closing quote)")
            default:
                try checkStringByte(byte)
                index += 1
            }
        }
    }

    /// `"""..."""`: escapes, a backslash at the end of a line trims the following whitespace.
    private mutating func multiLineBasicString() throws(Failure) -> String {
        let startLine = line
        index += 3
        skipFirstNewline()
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else {
                throw Failure(line: startLine, message: "unterminated multi-line string")
            }
            switch byte {
            case UInt8(ascii: "\""):
                if try closingQuotes(UInt8(ascii: "\""), into: &out) { return String(decoding: out, as: UTF8.self) }
            case UInt8(ascii: "\\"):
                index += 1
                if lineEndingBackslash() { continue }
                try escape(into: &out)
            default:
                try multiLineByte(byte, into: &out)
            }
        }
    }

    /// `'''...'''` taken as written (the usual home of regexes).
    private mutating func multiLineLiteralString() throws(Failure) -> String {
        let startLine = line
        index += 3
        skipFirstNewline()
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else {
                throw Failure(line: startLine, message: "unterminated multi-line string")
            }
            if byte == UInt8(ascii: "'") {
                if try closingQuotes(UInt8(ascii: "'"), into: &out) { return String(decoding: out, as: UTF8.self) }
            } else {
                try multiLineByte(byte, into: &out)
            }
        }
    }

    /// A newline right after the opening delimiter is not part of the string.
    private mutating func skipFirstNewline() {
        if peek() == 0x0A {
            index += 1
            line += 1
        } else if peek() == 0x0D, peek(1) == 0x0A {
            index += 2
            line += 1
        }
    }

    /// A run of quotes inside a multi-line string: fewer than three are content; three to five
    /// close the string, the extra one or two being content.
    private mutating func closingQuotes(_ quote: UInt8, into out: inout [UInt8]) throws(Failure) -> Bool {
        var run = 0
        while peek() == quote {
            run += 1
            index += 1
        }
        if run < 3 {
            out.append(contentsOf: repeatElement(quote, count: run))
            return false
        }
        guard run <= 5 else { throw Failure(line: line, message: "too many quotes closing a multi-line string") }
        out.append(contentsOf: repeatElement(quote, count: run - 3))
        return true
    }

    /// After a backslash: if only whitespace follows on the line, skips it and all following
    /// whitespace and newlines.
    private mutating func lineEndingBackslash() -> Bool {
        var probe = index
        while probe < bytes.count, bytes[probe] == 0x20 || bytes[probe] == 0x09 { probe += 1 }
        let isLineEnd = probe < bytes.count && (bytes[probe] == 0x0A || (bytes[probe] == 0x0D && probe + 1 < bytes.count && bytes[probe + 1] == 0x0A))
        guard isLineEnd else { return false }
        index = probe
        while let byte = peek() {
            if byte == 0x20 || byte == 0x09 {
                index += 1
            } else if byte == 0x0A {
                index += 1
                line += 1
            } else if byte == 0x0D, peek(1) == 0x0A {
                index += 2
                line += 1
            } else {
                break
            }
        }
        return true
    }

    private mutating func multiLineByte(_ byte: UInt8, into out: inout [UInt8]) throws(Failure) {
        switch byte {
        case 0x0A:
            out.append(0x0A)
            index += 1
            line += 1
        case 0x0D:
            guard peek(1) == 0x0A else { throw Failure(line: line, message: "carriage return without a line feed in a string") }
            out.append(0x0A)
            index += 2
            line += 1
        default:
            try checkStringByte(byte)
            out.append(byte)
            index += 1
        }
    }

    /// Control characters other than tab are not allowed raw in strings or comments.
    private func checkStringByte(_ byte: UInt8) throws(Failure) {
        if (byte < 0x20 && byte != 0x09) || byte == 0x7F {
            throw Failure(line: line, message: "control character U+\(Self.hex(UInt32(byte), width: 4)) must be escaped")
        }
    }

    /// The escape after a backslash: \b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX.
    private mutating func escape(into out: inout [UInt8]) throws(Failure) {
        guard let byte = peek() else { throw Failure(line: line, message: "unterminated string") }
        index += 1
        let simple: UInt8? = switch byte {
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "t"): 0x09
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "\""): 0x22
        case UInt8(ascii: "\\"): 0x5C
        default: nil
        }
        if let simple {
            out.append(simple)
            return
        }
        let digits = byte == UInt8(ascii: "u") ? 4 : byte == UInt8(ascii: "U") ? 8 : 0
        guard digits > 0 else {
            throw Failure(line: line, message: "unknown escape \\\(Self.describe(byte))")
        }
        var code: UInt32 = 0
        for _ in 0..<digits {
            guard let digit = peek().flatMap(Self.hexValue) else {
                throw Failure(line: line, message: "\\\(Character(Unicode.Scalar(byte))) needs \(digits) hex digits")
            }
            code = code << 4 | UInt32(digit)
            index += 1
        }
        guard let scalar = Unicode.Scalar(code) else {
            throw Failure(line: line, message: "U+\(Self.hex(code, width: 4)) is not a Unicode scalar value")
        }
        out.append(contentsOf: String(Character(scalar)).utf8)
    }

    // MARK: - Numbers and dates

    /// Integers, floats, and date/time values (kept as text). All start with a sign, digit, `inf` or `nan`.
    private mutating func numberOrDate() throws(Failure) -> TOMLValue {
        var end = tokenEnd(from: index)
        // A space may separate date and time: "1979-05-27 07:32:00Z".
        if end - index == 10, Self.isFullDate(bytes[index..<end]), end + 3 < bytes.count, bytes[end] == 0x20,
           Self.isDigit(bytes[end + 1]), Self.isDigit(bytes[end + 2]), bytes[end + 3] == UInt8(ascii: ":") {
            end = tokenEnd(from: end + 1)
        }
        let token = bytes[index..<end]
        let tokenLine = line
        index = end
        if let date = Self.dateTime(token) { return .string(date) }
        if let number = Self.number(token) { return number }
        let shown = token.count <= 40 ? "'\(String(decoding: token, as: UTF8.self))'" : "a \(token.count)-byte token"
        throw Failure(line: tokenLine, message: "invalid number or date \(shown)")
    }

    private func tokenEnd(from start: Int) -> Int {
        var end = start
        while end < bytes.count, Self.isTokenByte(bytes[end]) { end += 1 }
        return end
    }

    private static func number(_ token: ArraySlice<UInt8>) -> TOMLValue? {
        var body = token
        var negative = false
        let hasSign = body.first == UInt8(ascii: "+") || body.first == UInt8(ascii: "-")
        if hasSign {
            negative = body.first == UInt8(ascii: "-")
            body = body.dropFirst()
        }
        if body.elementsEqual("inf".utf8) { return .float(negative ? -.infinity : .infinity) }
        if body.elementsEqual("nan".utf8) { return .float(.nan) }
        if body.count > 2, body.first == UInt8(ascii: "0") {
            let radix: Int? = switch body.dropFirst().first {
            case UInt8(ascii: "x"): 16
            case UInt8(ascii: "o"): 8
            case UInt8(ascii: "b"): 2
            default: nil
            }
            if let radix {
                guard !hasSign, let digits = underscoredDigits(body.dropFirst(2), radix: radix) else { return nil }
                return Int(digits, radix: radix).map(TOMLValue.integer)
            }
        }
        // Decimal: integer part without leading zeros, then optional fraction and exponent.
        var rest = body[...]
        let integerEnd = rest.firstIndex { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") } ?? rest.endIndex
        guard let integerDigits = underscoredDigits(rest[..<integerEnd], radix: 10),
              integerDigits == "0" || !integerDigits.hasPrefix("0") else { return nil }
        rest = rest[integerEnd...]
        let sign = negative ? "-" : ""
        if rest.isEmpty { return Int(sign + integerDigits).map(TOMLValue.integer) }
        var text = sign + integerDigits
        if rest.first == UInt8(ascii: ".") {
            let fractionEnd = rest.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) ?? rest.endIndex
            guard let fraction = underscoredDigits(rest[rest.index(after: rest.startIndex)..<fractionEnd], radix: 10) else { return nil }
            text += "." + fraction
            rest = rest[fractionEnd...]
        }
        if let marker = rest.first {
            guard marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E") else { return nil }
            var exponent = rest.dropFirst()
            var exponentSign = ""
            if exponent.first == UInt8(ascii: "+") || exponent.first == UInt8(ascii: "-") {
                exponentSign = exponent.first == UInt8(ascii: "-") ? "-" : ""
                exponent = exponent.dropFirst()
            }
            guard let digits = underscoredDigits(exponent, radix: 10) else { return nil }
            text += "e" + exponentSign + digits
        }
        return Double(text).map(TOMLValue.float)
    }

    /// Digits in `radix` with single underscores only between digits; nil otherwise.
    private static func underscoredDigits(_ slice: ArraySlice<UInt8>, radix: Int) -> String? {
        guard let first = slice.first, let last = slice.last, first != UInt8(ascii: "_"), last != UInt8(ascii: "_") else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var previousUnderscore = false
        for byte in slice {
            if byte == UInt8(ascii: "_") {
                if previousUnderscore { return nil }
                previousUnderscore = true
                continue
            }
            guard let value = hexValue(byte), Int(value) < radix else { return nil }
            previousUnderscore = false
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A date, time, local or offset date-time, validated and returned as written.
    private static func dateTime(_ token: ArraySlice<UInt8>) -> String? {
        let text = String(decoding: token, as: UTF8.self)
        let start = token.startIndex
        if token.count >= 8, token[start + 2] == UInt8(ascii: ":") {
            return isTime(token) ? text : nil
        }
        guard token.count >= 10, isFullDate(token[start..<start + 10]) else { return nil }
        if token.count == 10 { return text }
        let separator = token[start + 10]
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == 0x20 else { return nil }
        var time = token[(start + 11)...]
        if let last = time.last, last == UInt8(ascii: "Z") || last == UInt8(ascii: "z") {
            time = time.dropLast()
        } else if time.count > 8, let signIndex = time.dropFirst(8).firstIndex(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }) {
            let offset = time[(signIndex + 1)...]
            guard offset.count == 5, offset[offset.startIndex + 2] == UInt8(ascii: ":"),
                  let hours = twoDigits(offset, at: offset.startIndex), hours <= 23,
                  let minutes = twoDigits(offset, at: offset.startIndex + 3), minutes <= 59 else { return nil }
            time = time[..<signIndex]
        }
        return isTime(time) ? text : nil
    }

    /// HH:MM:SS with an optional fraction.
    private static func isTime(_ token: ArraySlice<UInt8>) -> Bool {
        let start = token.startIndex
        guard token.count >= 8, token[start + 2] == UInt8(ascii: ":"), token[start + 5] == UInt8(ascii: ":"),
              let hours = twoDigits(token, at: start), hours <= 23,
              let minutes = twoDigits(token, at: start + 3), minutes <= 59,
              let seconds = twoDigits(token, at: start + 6), seconds <= 60 else { return false }
        if token.count == 8 { return true }
        let fraction = token[(start + 8)...]
        return fraction.first == UInt8(ascii: ".") && fraction.count > 1 && fraction.dropFirst().allSatisfy(isDigit)
    }

    /// YYYY-MM-DD naming a real day.
    private static func isFullDate(_ token: ArraySlice<UInt8>) -> Bool {
        let start = token.startIndex
        guard token.count == 10, token[start + 4] == UInt8(ascii: "-"), token[start + 7] == UInt8(ascii: "-"),
              let century = twoDigits(token, at: start), let yearInCentury = twoDigits(token, at: start + 2),
              let month = twoDigits(token, at: start + 5), (1...12).contains(month),
              let day = twoDigits(token, at: start + 8), day >= 1 else { return false }
        let year = century * 100 + yearInCentury
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }

    private static func twoDigits(_ token: ArraySlice<UInt8>, at position: Int) -> Int? {
        guard position >= token.startIndex, position + 1 < token.endIndex,
              isDigit(token[position]), isDigit(token[position + 1]) else { return nil }
        return Int(token[position] - 0x30) * 10 + Int(token[position + 1] - 0x30)
    }

    // MARK: - Whitespace, comments, line ends

    private func peek(_ offset: Int = 0) -> UInt8? {
        let position = index + offset
        return position < bytes.count ? bytes[position] : nil
    }

    private mutating func skipSpaces() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 { index += 1 }
    }

    /// Whitespace, comments and newlines (between statements and inside arrays).
    private mutating func skipTrivia() throws(Failure) {
        while true {
            skipSpaces()
            switch peek() {
            case UInt8(ascii: "#"): try comment()
            case 0x0A:
                index += 1
                line += 1
            case 0x0D where peek(1) == 0x0A:
                index += 2
                line += 1
            default: return
            }
        }
    }

    /// `# ...` up to (not including) the end of the line.
    private mutating func comment() throws(Failure) {
        index += 1
        while let byte = peek(), byte != 0x0A {
            if byte == 0x0D, peek(1) == 0x0A { return }
            if (byte < 0x20 && byte != 0x09) || byte == 0x7F {
                throw Failure(line: line, message: "control character U+\(Self.hex(UInt32(byte), width: 4)) in a comment")
            }
            index += 1
        }
    }

    /// After a statement: optional spaces and comment, then a newline or the end of the file.
    private mutating func expectLineEnd() throws(Failure) {
        skipSpaces()
        if peek() == UInt8(ascii: "#") { try comment() }
        switch peek() {
        case nil: return
        case 0x0A:
            index += 1
            line += 1
        case 0x0D where peek(1) == 0x0A:
            index += 2
            line += 1
        default:
            throw Failure(line: line, message: "expected the end of the line, found \(describeNext())")
        }
    }

    private mutating func expect(_ character: Unicode.Scalar, context: String) throws(Failure) {
        guard peek() == UInt8(ascii: character) else {
            throw Failure(line: line, message: "expected '\(character)' \(context), found \(describeNext())")
        }
        index += 1
    }

    // MARK: - Bytes

    /// The next character for an error message: one character only, so a message never echoes a value.
    private func describeNext() -> String {
        guard let byte = peek() else { return "end of file" }
        if byte == 0x0A || (byte == 0x0D && peek(1) == 0x0A) { return "end of line" }
        if byte == 0x0D { return "a carriage return without a line feed" }
        return Self.describe(byte)
    }

    private static func describe(_ byte: UInt8) -> String {
        if byte > 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        if byte == 0x20 { return "' '" }
        if byte >= 0x80 { return "a non-ASCII character" }
        return "byte 0x\(hex(UInt32(byte), width: 2))"
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func dotted<Parts: Collection<String>>(_ parts: Parts) -> String {
        parts.map { part in
            part.utf8.allSatisfy(isBareKeyByte) && !part.isEmpty ? part : "\"\(part)\""
        }.joined(separator: ".")
    }

    private static func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "-"): true
        default: false
        }
    }

    /// Bytes that can belong to a number or date token.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        isBareKeyByte(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - 0x30
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - 0x57
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - 0x37
        default: nil
        }
    }
}
