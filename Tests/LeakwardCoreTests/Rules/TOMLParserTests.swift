import Foundation
import Testing
@testable import LeakwardCore
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardInputs
@testable import LeakwardPlan
@testable import LeakwardReporting
@testable import LeakwardRules
@testable import LeakwardVerification

/// The in-tree TOML 1.0 parser: the features our rule files and gitleaks configs use, strictness
/// (duplicates, redefinitions, malformed values are errors on the right line), and survival of
/// hostile input (fuzz regressions, deep nesting, random and mutated bytes).
@Suite struct TOMLParserTests {
    /// The parser records where each key was written, so a config's message about a valid but
    /// wrong entry names its line (multi-line strings and comments counted, inline tables too).
    @Test func keyLinesComeFromTheParser() throws {
        let text = """
            # comment
            title = \"\"\"
            two
            lines\"\"\"
            [rules]
            disabled = ["a.b"]
            [allowlist.rules]
            "x.y" = ["p"]
            severity.z = "low"
            inline = { one = 1, "t.w.o" = 2 }
            [[entries]]
            name = "first"
            """
        let document = try TOMLReader.parseDocument(text, path: "t.toml")
        #expect(document.line(of: ["title"]) == 2)
        #expect(document.line(of: ["rules"]) == 5)
        #expect(document.line(of: ["rules", "disabled"]) == 6)
        #expect(document.line(of: ["allowlist", "rules", "x.y"]) == 8)
        #expect(document.line(of: ["allowlist", "rules", "missing"]) == 7)
        #expect(document.line(of: ["allowlist", "rules", "severity", "z"]) == 9)
        #expect(document.line(of: ["allowlist", "rules", "inline", "t.w.o"]) == 10)
        #expect(document.line(of: ["entries", "name"]) == 12)
        #expect(document.line(of: ["nowhere"]) == 0)
        #expect(document.table == (try TOMLReader.parse(text, path: "t.toml")))
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func parse(_ text: String) throws -> [String: TOMLValue] {
        try TOMLReader.parse(text, path: "t.toml")
    }

    /// The 1-based line and message of the syntax error `text` gives, or nil when it parses.
    static func failure(_ text: String) -> (line: Int, message: String)? {
        do {
            _ = try TOMLParser.parse(text)
            return nil
        } catch {
            return (error.line, error.message)
        }
    }

    static func tomlFiles(in folder: String) -> [URL] {
        let base = root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
        return names.filter { $0.hasSuffix(".toml") }.sorted().map { base.appendingPathComponent($0) }
    }

    // MARK: - Features

    @Test func documentWithEveryFeature() throws {
        let text = #"""
        # comment line
        title = "Leakward" # trailing comment
        "quoted key" = 1
        'literal key' = 2
        "" = "empty key"
        site."google.com" = true
        a . b . c = 3
        bare-key_1 = 4

        [table]
        list = [
          "one",   # comment inside an array
          'two',
          [1, 2],
          { inline = true, nested.key = "x" },
        ]
        empty = []
        empty_table = {}

        [dotted.header . "with space"]
        x = 1

        [[rule]]
        id = "first"
        [rule.allowlist]
        paths = ['a/**']

        [[rule]]
        id = "second"
        [[rule.allowlists]]
        regexes = ['''x''']
        """#
        let document = try Self.parse(text)
        #expect(document["title"] == .string("Leakward"))
        #expect(document["quoted key"] == .integer(1))
        #expect(document["literal key"] == .integer(2))
        #expect(document[""] == .string("empty key"))
        #expect(document["site"] == .table(["google.com": .boolean(true)]))
        #expect(document["a"] == .table(["b": .table(["c": .integer(3)])]))
        #expect(document["bare-key_1"] == .integer(4))
        #expect(document["table"] == .table([
            "list": .array([
                .string("one"), .string("two"), .array([.integer(1), .integer(2)]),
                .table(["inline": .boolean(true), "nested": .table(["key": .string("x")])]),
            ]),
            "empty": .array([]),
            "empty_table": .table([:]),
        ]))
        #expect(document["dotted"] == .table(["header": .table(["with space": .table(["x": .integer(1)])])]))
        #expect(document["rule"] == .array([
            .table(["id": .string("first"), "allowlist": .table(["paths": .array([.string("a/**")])])]),
            .table(["id": .string("second"), "allowlists": .array([.table(["regexes": .array([.string("x")])])])]),
        ]))
    }

    @Test func basicStringEscapes() throws {
        let document = try Self.parse(#"s = "tab\tnl\nquote\"back\\ \b\f\r é \u00E9 \U0001F600 \u0041""#)
        #expect(document["s"] == .string("tab\tnl\nquote\"back\\ \u{8}\u{C}\r é é 😀 A"))
    }

    @Test func literalStringsKeepBackslashes() throws {
        let document = try Self.parse(#"re = '(?i)\bAKIA[0-9A-Z]{16}\b'"#)
        #expect(document["re"] == .string(#"(?i)\bAKIA[0-9A-Z]{16}\b"#))
    }

    @Test func multiLineLiteralStringsAsUsedForRegexes() throws {
        let text = "a = '''(?:x|'y')\\d+'''\nb = '''\nfirst\n  second\n'''\nc = ''''quoted''''\nd = '''two'' '''"
        let document = try Self.parse(text)
        #expect(document["a"] == .string(#"(?:x|'y')\d+"#))
        #expect(document["b"] == .string("first\n  second\n"))  // the newline after ''' is dropped
        #expect(document["c"] == .string("'quoted'"))
        #expect(document["d"] == .string("two'' "))
    }

    @Test func multiLineBasicStrings() throws {
        let text = "a = \"\"\"\nRoses\tare \"red\"\n\"\"\"\nb = \"\"\"one \\\n     two \\\n\n   three\"\"\"\nc = \"\"\"\"\"x\"\"\"\"\"\nd = \"\"\"trailing \\   \n  end\"\"\""
        let document = try Self.parse(text)
        #expect(document["a"] == .string("Roses\tare \"red\"\n"))
        #expect(document["b"] == .string("one two three"))
        #expect(document["c"] == .string("\"\"x\"\""))
        #expect(document["d"] == .string("trailing end"))
    }

    @Test func windowsLineEndings() throws {
        let document = try Self.parse("a = 1\r\n# c\r\nb = '''\r\nx\r\ny'''\r\n[t]\r\nc = [\r\n 1,\r\n]\r\n")
        #expect(document == ["a": .integer(1), "b": .string("x\ny"), "t": .table(["c": .array([.integer(1)])])])
    }

    @Test func integers() throws {
        let document = try Self.parse("""
        a = 42
        b = +17
        c = -0
        d = 1_000_000
        e = 0xDEAD_beef
        f = 0o755
        g = 0b1101_0101
        h = 9223372036854775807
        i = -9223372036854775808
        j = 0
        """)
        #expect(document["a"] == .integer(42))
        #expect(document["b"] == .integer(17))
        #expect(document["c"] == .integer(0))
        #expect(document["d"] == .integer(1_000_000))
        #expect(document["e"] == .integer(0xDEADBEEF))
        #expect(document["f"] == .integer(0o755))
        #expect(document["g"] == .integer(0b1101_0101))
        #expect(document["h"] == .integer(Int.max))
        #expect(document["i"] == .integer(Int.min))
        #expect(document["j"] == .integer(0))
    }

    @Test func floats() throws {
        let document = try Self.parse("""
        a = 3.5
        b = -0.01
        c = 5e+22
        d = 1E6
        e = 6.626e-34
        f = 224_617.445_991
        g = inf
        h = -inf
        i = nan
        j = 0.0
        k = 1e0_1
        """)
        #expect(document["a"] == .float(3.5))
        #expect(document["b"] == .float(-0.01))
        #expect(document["c"] == .float(5e22))
        #expect(document["d"] == .float(1e6))
        #expect(document["e"] == .float(6.626e-34))
        #expect(document["f"] == .float(224_617.445_991))
        #expect(document["g"] == .float(.infinity))
        #expect(document["h"] == .float(-.infinity))
        #expect(document["i"]?.number?.isNaN == true)
        #expect(document["j"] == .float(0))
        #expect(document["k"] == .float(1e1))
    }

    @Test(arguments: [
        "a = 01", "a = 1__0", "a = _1", "a = 1_", "a = +0x10", "a = 0x", "a = 0xG", "a = 0o8", "a = 0b2",
        "a = 9223372036854775808", "a = -9223372036854775809", "a = 0x8000000000000000", "a = 1.", "a = .5",
        "a = 1.e5", "a = 1e", "a = 1e+", "a = 1._5", "a = 03.14", "a = infinity", "a = +nan_", "a = 1 2",
        "a = 0_1", "a = --1", "a = 1.5.2", "a = 0X10", "a = 1_000.", "a = TRUE", "a = tru", "a = 1979-02-30",
        "a = 1979-13-01", "a = 25:00:00", "a = 1979-05-27T07:32", "a = 1979-05-27T07:32:00+7:00", "a = 07:32:00.",
    ])
    func malformedValuesAreRejected(text: String) {
        #expect(Self.failure(text)?.line == 1, "\(text) should be rejected")
    }

    @Test func datesAndTimesAreKeptAsText() throws {
        let document = try Self.parse("""
        odt1 = 1979-05-27T07:32:00Z
        odt2 = 1979-05-27T00:32:00.999999-07:00
        odt3 = 1979-05-27 07:32:00+01:30
        ldt = 1979-05-27T07:32:00
        ld = 2024-02-29
        lt = 00:32:00.5
        list = [1979-05-27, 07:32:00]
        """)
        #expect(document["odt1"] == .string("1979-05-27T07:32:00Z"))
        #expect(document["odt2"] == .string("1979-05-27T00:32:00.999999-07:00"))
        #expect(document["odt3"] == .string("1979-05-27 07:32:00+01:30"))
        #expect(document["ldt"] == .string("1979-05-27T07:32:00"))
        #expect(document["ld"] == .string("2024-02-29"))
        #expect(document["lt"] == .string("00:32:00.5"))
        #expect(document["list"] == .array([.string("1979-05-27"), .string("07:32:00")]))
    }

    @Test func tablesMayBeDefinedAfterTheirSubtablesAndExtendedThroughDottedTables() throws {
        let document = try Self.parse("""
        [x.y.z]
        a = 1
        [x]
        b = 2
        [fruit]
        apple.color = "red"
        [fruit.apple.texture]
        smooth = true
        [[products]]
        name = "hammer"
        [products.meta]
        sku = 1
        [[products]]
        name = "nail"
        """)
        #expect(document["x"] == .table(["y": .table(["z": .table(["a": .integer(1)])]), "b": .integer(2)]))
        #expect(document["fruit"] == .table(["apple": .table(["color": .string("red"), "texture": .table(["smooth": .boolean(true)])])]))
        #expect(document["products"] == .array([
            .table(["name": .string("hammer"), "meta": .table(["sku": .integer(1)])]),
            .table(["name": .string("nail")]),
        ]))
    }

    // MARK: - Errors and their lines

    @Test(arguments: [
        ("a = 1\nb = 2\na = 3", 3, "duplicate key 'a'"),
        ("[t]\nx = 1\n\n[t]\ny = 2", 4, "table [t] is already defined"),
        ("[t]\nx = 1\n[t.x]\n", 3, "key 't.x' already has a value"),
        ("[fruit]\napple.color = 'red'\n[fruit.apple]\n", 3, "already defined by dotted keys"),
        ("[a.b.c]\nz = 9\n[a]\nb.c.t = 1\n", 4, "extends 'b.c'"),
        ("a = {x = 1}\n[a]\n", 2, "key 'a' already has a value"),
        ("a = {x = 1}\n[a.b]\n", 2, "'a' is a value"),
        ("a = {x = 1}\na.y = 2\n", 2, "extends 'a'"),
        ("a = [1]\n[[a]]\n", 2, "key 'a' already has a value"),
        ("[[a]]\n[a]\n", 2, "already an array of tables"),
        ("[a]\n[[a]]\n", 2, "already defined as a table"),
        ("x = {a = 1, a = 2}", 1, "duplicate key 'a'"),
        ("x = {a.b = 1, a = 2}", 1, "duplicate key 'a'"),
        ("a.b = 1\na = 2\n", 2, "duplicate key 'a'"),
        ("\n\nname = \"unterminated\nnext = 1", 3, "unterminated string"),
        ("ok = 1\npattern = '''never closed\n\n\n", 2, "unterminated multi-line string"),
        ("s = \"\"\"x\n\n\"\"\"\"\"\"", 3, "too many quotes"),
        ("a = 1\nb = \"bad \\x escape\"", 2, "unknown escape \\'x'"),
        ("a = \"\\uD800\"", 1, "not a Unicode scalar value"),
        ("a = \"\\u12\"", 1, "needs 4 hex digits"),
        ("a = 1\n\nkey without equals\n", 3, "expected '=' after a key"),
        ("a = 1 b = 2", 1, "expected the end of the line"),
        ("a =\nb = 1", 1, "expected a value"),
        ("a = [1, 2\nb = 3", 2, "expected ',' or ']'"),
        ("a = [1,,2]", 1, "expected a value"),
        ("a = {x = 1,}", 1, "expected a key"),
        ("a = {x = 1\n}", 1, "expected ',' or '}'"),
        ("[a\nb = 1", 1, "expected ']'"),
        ("[[a]\n", 1, "expected ']'"),
        ("[]\n", 1, "expected a key"),
        ("a.\"\"\"b\"\"\" = 1", 1, "multi-line string cannot be a key"),
        ("a = 1 # bell \u{7} in comment", 1, "control character U+0007 in a comment"),
        ("a = \"nul \u{0} inside\"", 1, "control character U+0000"),
        ("a = 1\rb = 2", 1, "expected the end of the line"),
        ("\n\n\n= 1", 4, "expected a key"),
    ] as [(String, Int, String)])
    func errorsNameTheirLine(text: String, line: Int, message: String) {
        let failure = Self.failure(text)
        #expect(failure?.line == line, "\(text.debugDescription): \(String(describing: failure))")
        #expect(failure?.message.contains(message) == true, "\(text.debugDescription): \(String(describing: failure))")
    }

    @Test func readerReportsSyntaxErrorsAsRuleErrors() {
        #expect(throws: RuleError.syntax(path: "rules/x.toml", line: 2, message: "duplicate key 'id'")) {
            try TOMLReader.parse("id = 'a'\nid = 'b'", path: "rules/x.toml")
        }
    }

    // MARK: - Hostile input

    /// The inputs that made TOMLKit's bundled toml++ abort the process now give a clean syntax error.
    @Test func fuzzRegressionsGiveSyntaxErrors() throws {
        let files = Self.root.appendingPathComponent("testdata/fuzz/regressions")
        let cases: [(String, Int)] = [("project-config-crash.toml", 4), ("toml-parse-key-assert.toml", 4)]
        for (name, line) in cases {
            let text = try String(contentsOf: files.appendingPathComponent(name), encoding: .utf8)
            let error = #expect(throws: RuleError.self) { try ProjectConfig.parse(text, path: name) }
            guard case .syntax(let path, let errorLine, _) = error else {
                Issue.record("\(name): expected a syntax error, got \(String(describing: error))")
                continue
            }
            #expect(path == name)
            #expect(errorLine == line, "\(name): \(String(describing: error))")
            #expect(throws: RuleError.self) { try RuleFile.rules(fromTOML: text, path: name) }
        }
    }

    @Test func nestingIsBounded() {
        let limit = TOMLParser.maxDepth
        // At the limit: accepted.
        let deepest = "a = " + String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(Self.failure(deepest) == nil)
        // Far past the limit, arrays, inline tables and mixtures stop with an error instead of the stack.
        let hostile = [
            "a = " + String(repeating: "[", count: 100_000),
            "a = " + String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1),
            "a = " + String(repeating: "{b = ", count: 50_000),
            "a = " + String(repeating: "[{b = ", count: 50_000),
            String(repeating: "a.", count: 10_000) + "b = 1",
            "[" + String(repeating: "a.", count: 10_000) + "b]",
            "x = [" + String(repeating: "{a = [", count: 40) + "1" + String(repeating: "]}", count: 40) + "]",
        ]
        for text in hostile {
            let failure = Self.failure(text)
            #expect(failure?.line == 1, "\(text.prefix(40))…: \(String(describing: failure))")
            #expect(failure?.message.contains("\(limit)") == true, "\(String(describing: failure))")
        }
    }

    @Test func longInputsStayLinear() throws {
        // Many array-of-tables entries and long strings must not go quadratic or recurse.
        let rules = String(repeating: "[[rule]]\nid = 'x'\npattern = '''\\d+'''\n", count: 20_000)
        #expect(try Self.parse(rules)["rule"]?.array?.count == 20_000)
        let long = "s = '''" + String(repeating: "a", count: 1_000_000) + "'''"
        #expect(try Self.parse(long)["s"]?.string?.count == 1_000_000)
    }

    /// Random bytes and mutations of our own rule files: every input either parses (and reads back
    /// the same when written out again) or fails with a line inside the input; none traps. Deterministic (seeded) so a failure reproduces.
    @Test func randomAndMutatedInputsNeverCrash() throws {
        var seeds = try Self.tomlFiles(in: "rules").map { Array(try String(contentsOf: $0, encoding: .utf8).utf8) }
        seeds.append(Array("a = [1, {b = \"\\u00E9\"}, '''x''', 1979-05-27T07:32:00Z]\n[[t.u]]\nv.w = 0x1_F\n".utf8))
        try #require(!seeds.isEmpty)
        let alphabet = Array("[]{}=,.\"'#\\\n\r\t _-+:0123456789abcxyzeEinfu".utf8) + [0x00, 0x7F, 0xC3, 0xA9, 0xFF]
        var random = SplitMix64(seed: 0x1EAC_3A2D)
        var accepted = 0, rejected = 0
        for round in 0..<4_000 {
            var bytes: [UInt8]
            if round % 10 == 0 {
                bytes = (0..<random.below(200)).map { _ in random.below(4) == 0 ? UInt8(truncatingIfNeeded: random.next()) : alphabet[random.below(alphabet.count)] }
            } else {
                bytes = seeds[random.below(seeds.count)]
                for _ in 0...random.below(8) where !bytes.isEmpty {
                    let at = random.below(bytes.count)
                    switch random.below(5) {
                    case 0: bytes[at] = alphabet[random.below(alphabet.count)]
                    case 1: bytes.insert(alphabet[random.below(alphabet.count)], at: at)
                    case 2: bytes.removeSubrange(at..<min(bytes.count, at + 1 + random.below(16)))
                    case 3: bytes.removeSubrange(at...)
                    default:
                        let donor = seeds[random.below(seeds.count)]
                        let from = random.below(donor.count)
                        bytes.insert(contentsOf: donor[from..<min(donor.count, from + random.below(64))], at: at)
                    }
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            if let failure = Self.failure(text) {
                rejected += 1
                let lines = text.utf8.count { $0 == 0x0A } + 1
                #expect((1...lines).contains(failure.line), "line \(failure.line) outside 1...\(lines) for round \(round)")
            } else {
                accepted += 1
                // What parsed reads back the same once written out again.
                if let document = try? TOMLParser.parse(text), !Self.containsNaN(.table(document)) {
                    #expect(try TOMLParser.parse(Self.emit(document)) == document, "round \(round)")
                }
            }
        }
        // Both paths were exercised: mutations keep some files valid and break others.
        #expect(accepted > 100 && rejected > 100, "accepted \(accepted), rejected \(rejected)")
    }

    // MARK: - Real files

    /// Every TOML file the project ships or keeps as fixtures parses, and re-reads to the same
    /// values when written back as TOML. (The commit before TOMLKit's removal proved these files
    /// gave exactly the values TOMLKit gave.)
    @Test func projectFilesParseAndRoundTrip() throws {
        let files = Self.tomlFiles(in: "rules") + Self.tomlFiles(in: "testdata/fuzz/rules-toml")
            + Self.tomlFiles(in: "testdata/fuzz/project-config") + Self.tomlFiles(in: "testdata/fuzz/gitleaks-config")
            + [Self.root.appendingPathComponent(".leakward.toml")]
        #expect(files.count > 10)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let document = try TOMLParser.parse(text)
            #expect(!document.isEmpty, "\(file.lastPathComponent)")
            #expect(try TOMLParser.parse(Self.emit(document)) == document, "\(file.lastPathComponent)")
        }
    }

    /// A gitleaks config (the seed of the gitleaks-config fuzz target) reads as gitleaks means it.
    @Test func gitleaksConfigShapes() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("testdata/fuzz/gitleaks-config/gitleaks.toml"), encoding: .utf8)
        let document = try Self.parse(text)
        #expect(document["extend"] == .table(["useDefault": .boolean(true), "disabledRules": .array([.string("generic-api-key")])]))
        let rule = try #require(document["rules"]?.array?.first?.table)
        #expect(rule["regex"] == .string(#"(?i)\b(acme_[a-z0-9]{32})(?:['"\s;]|$)"#))
        #expect(rule["secretGroup"] == .integer(1))
        #expect(rule["entropy"] == .float(3.5))
        let allowlist = try #require(rule["allowlists"]?.array?.first?.table)
        #expect(allowlist["paths"] == .array([.string("(?:^|/)testdata/"), .string(#"fixtures/.*\.json"#)]))
        #expect(document["allowlist"]?.table?["regexes"] == .array([.string("^placeholder$")]))
    }

    @Test func featureDocumentsRoundTrip() throws {
        let documents = [
            "a = '''(?:x|'y')\\d+'''\nb = '''\nfirst\n  second\n'''\nc = ''''quoted''''",
            "a = \"\"\"\nRoses\tare \"red\"\n\"\"\"\nb = \"\"\"one \\\n     two \\\n\n   three\"\"\"",
            #"s = "tab\tnl\nquote\"back\\ \b\f\r é \u00E9 \U0001F600 \u007F""#,
            "a = 42\nb = +17\nc = -0\nd = 1_000_000\ne = 0xDEAD_beef\nf = 0o755\ng = 0b1101\nh = -9223372036854775808",
            "a = 3.5\nb = -0.01\nc = 5e+22\nd = 1E6\ne = 6.626e-34\nf = 224_617.445_991\ng = inf\nh = -inf\ni = 1e300",
            "[x.y.z]\na = 1\n[x]\nb = 2\n[fruit]\napple.color = 'red'\n[fruit.apple.texture]\nsmooth = true",
            "[[p]]\nn = 'h'\n[p.meta]\nsku = 1\n[[p]]\nn = 'n'\nl = [1, [2, 3], {a.b = 1}, [], {}]\n\"\" = 1\n\"a\\\"b\" = 2",
            "d = 1979-05-27T07:32:00Z\nt = 07:32:00",
        ]
        for text in documents {
            let document = try TOMLParser.parse(text)
            #expect(try TOMLParser.parse(Self.emit(document)) == document, "\(text.debugDescription)")
        }
    }

    static func containsNaN(_ value: TOMLValue) -> Bool {
        switch value {
        case .float(let number): number.isNaN
        case .array(let items): items.contains(where: containsNaN)
        case .table(let table): table.values.contains(where: containsNaN)
        default: false
        }
    }

    /// Writes a document back as TOML: every value inline, every string a basic string with escapes.
    static func emit(_ document: [String: TOMLValue]) -> String {
        func string(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                    let digits = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        func value(_ item: TOMLValue) -> String {
            switch item {
            case .string(let text): string(text)
            case .integer(let number): "\(number)"
            case .float(let number): number.isNaN ? "nan" : "\(number)"
            case .boolean(let flag): "\(flag)"
            case .array(let items): "[" + items.map(value).joined(separator: ", ") + "]"
            case .table(let table): "{" + table.sorted { $0.key < $1.key }.map { string($0.key) + " = " + value($0.value) }.joined(separator: ", ") + "}"
            }
        }
        return document.sorted { $0.key < $1.key }.map { string($0.key) + " = " + value($0.value) + "\n" }.joined()
    }
}

/// A small seeded generator so the property test reproduces exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in 0..<bound (bound > 0).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
}
