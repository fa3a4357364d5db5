import Foundation
import LeakwardModel
import LeakwardSupport

/// Whether a candidate's secret is a literal value (a string literal, a config or env value, a
/// URL part, an argument) or code that only sits where a value could: an identifier, a member
/// chain (`Rails.application.secret_key_base`), a call, a language keyword (`nil`, `None`), a
/// type annotation (`JWT_SECRET: str`). Judged from the bytes around the secret on its line and
/// the file's language, never from our own examples' shapes.
public enum LiteralValue {
    /// Why the secret at `range` is code rather than a value, or nil when it is a value.
    /// `formatless`: the rule's secret has no format of its own (generic and signing-secret
    /// rules), so an unquoted word in source code is read as the identifier it is there.
    public static func codeReason(secret range: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>,
                                  path: String, formatless: Bool) -> String? {
        let secret = Array(buffer[range])
        let text = String(decoding: secret, as: UTF8.self)
        if keywords.contains(text) { return "a language keyword (\(text))" }
        if containsInterpolation(secret) { return "an interpolation" }
        let before = range.lowerBound > 0 ? buffer[range.lowerBound - 1] : 10
        let after = range.upperBound < buffer.count ? buffer[range.upperBound] : 10
        // `NEXTAUTH_SECRET: /copilot/${COPILOT_APPLICATION_NAME}/…/secrets/NEXTAUTH_SECRET` (an AWS
        // Copilot manifest naming the SSM parameter that holds the secret): an unquoted value's
        // class stops at the brace and leaves `/copilot/$`, whose text goes on as an interpolation.
        if let last = secret.last, last == 36 || last == 35, after == 123 { return "an interpolation" }
        let quoted = isQuote(before) || (before == 92 && range.lowerBound > 1 && isQuote(buffer[range.lowerBound - 2]))
        if let tag = referenceTag(before: range.lowerBound, secret: secret, in: buffer) { return "a YAML tag's reference (!\(tag))" }
        if isFilePath(secret) { return "a file path (where the secret is read from)" }
        if formatless, quoted, namesSecretStoreEntry(range, in: buffer, path: path) {
            return "the name of a secret store's entry a Terraform block reads or makes"
        }
        if isAfterAnchoredName(range.lowerBound, in: buffer) { return "a regular expression matching a setting's line" }
        if formatless, isConcatenation(secret) { return "a string concatenation" }
        if formatless, quoted, isBetweenLiterals(range, in: buffer) { return "the text between two string literals" }
        // `input_cost_per_token: 3.75E-08` (a model price list): a decimal number, not a value
        // anyone generates as a secret. Plain digit runs are judged as weak values instead.
        // A keyword argument's value in code quoted by a config file keeps its comma
        // (`approximate_summary_tokens=1_024,` in a release note's YAML block).
        var bare = secret[...]
        while let last = bare.last, last == 44 || last == 59 { bare = bare.dropLast() }
        if formatless, isDecimalNumber(Array(bare)) { return "a decimal number" }
        if quoted { return nil }
        if after == UInt8(ascii: "(") { return "a call" }
        // Program code inside a config file's block text (a CloudFormation template's inline
        // Lambda source under `ZipFile: |`, a release note's sample): `boto3.client('secretsmanager')`,
        // `generate_password()`, `event['SecretId']`, `Secret.from_env_var("HF_API_TOKEN"),`
        // read as `name = value` lines.
        if formatless, let shape = codeExpressionShape(Array(bare)) { return shape }
        if before == UInt8(ascii: "@") || before == UInt8(ascii: ":") && range.lowerBound > 1 && buffer[range.lowerBound - 2] == UInt8(ascii: ":") {
            return "a variable or constant reference"
        }
        if isMemberChain(secret) { return "a member access chain" }
        if formatless, isTypeAnnotation(text) { return "a type annotation (\(text))" }
        guard formatless, let language = SourceLanguage(path: path), startsLikeIdentifier(secret) else { return nil }
        let line = FindingFilter.line(around: range, in: buffer)
        let prefix = UnsafeBufferPointer(rebasing: buffer[line.lowerBound..<range.lowerBound])
        switch language.state(before: prefix) {
        case .code: return typeNames.contains(text) ? "a type name (\(text))" : "an identifier in \(language.name) code"
        case .string, .comment: return nil
        }
    }

    /// Whether the value at `start` follows a name that a regular expression's `^` anchors
    /// (`sed -i '/^NEXTAUTH_SECRET=/d' /etc/environment`, `grep -q '^JWT_SECRET=' .env`): a
    /// script finding or deleting the setting's line, whose pattern's rest (`/d`, the sed
    /// command) is not the setting's value. An assignment never starts with `^`.
    static func isAfterAnchoredName(_ start: Int, in buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = start - 1
        guard i >= 0, buffer[i] == UInt8(ascii: "=") || buffer[i] == UInt8(ascii: ":") else { return false }
        i -= 1
        let end = i
        while i >= 0, isLetter(buffer[i]) || isDigit(buffer[i]) || buffer[i] == 95 || buffer[i] == 46 || buffer[i] == 45 { i -= 1 }
        return i < end && i >= 0 && buffer[i] == UInt8(ascii: "^")
    }

    /// YAML tags that make a value a reference to something stored elsewhere: Home Assistant's and
    /// ESPHome's `!secret name` (an entry of `secrets.yaml`), `!env_var NAME`, `!include file`,
    /// `!input name` (a blueprint's input), CloudFormation's `!Ref`, `!Sub`, `!GetAtt`, `!ImportValue`.
    /// A core tag (`!!str abc123`) still writes a literal.
    static let referenceTags: Set<String> = ["secret", "env_var", "include", "input", "Ref", "Sub", "GetAtt", "ImportValue", "FindInMap"]

    /// The reference tag written right before the value (`password: !secret mqtt_password`), or
    /// the value itself when it is the tag (a rule that took `!secret` as the value).
    static func referenceTag(before start: Int, secret: [UInt8], in buffer: UnsafeBufferPointer<UInt8>) -> String? {
        func isTagByte(_ byte: UInt8) -> Bool { isLetter(byte) || isDigit(byte) || byte == 95 }
        if secret.first == UInt8(ascii: "!"), secret.count > 1, secret.dropFirst().allSatisfy(isTagByte) {
            let tag = String(decoding: secret.dropFirst(), as: UTF8.self)
            return referenceTags.contains(tag) ? tag : nil
        }
        var i = start - 1
        while i >= 0, buffer[i] == 32 || buffer[i] == 9 { i -= 1 }
        guard i < start - 1 else { return nil }
        let end = i + 1
        while i >= 0, isTagByte(buffer[i]) { i -= 1 }
        guard i >= 0, i + 1 < end, buffer[i] == UInt8(ascii: "!"), i == 0 || buffer[i - 1] != UInt8(ascii: "!") else { return nil }
        let tag = String(decoding: UnsafeBufferPointer(rebasing: buffer[(i + 1)..<end]), as: UTF8.self)
        return referenceTags.contains(tag) ? tag : nil
    }

    /// A path to the file a secret is read from (`AUTHELIA_…_PASSWORD_FILE=/run/secrets/smtp_password`,
    /// `password_file: ~/.config/app/token`): absolute, home- or dot-relative, two folders deep or
    /// more, every part a name in one case (a random value's `/`-separated pieces mix cases).
    static func isFilePath(_ secret: [UInt8]) -> Bool {
        let text = String(decoding: secret, as: UTF8.self)
        guard text.hasPrefix("/") || text.hasPrefix("~/") || text.hasPrefix("./") else { return false }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard parts.count >= 2, parts.allSatisfy({ !$0.isEmpty }) else { return false }
        return parts.allSatisfy { part in
            part.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "_.-".unicodeScalars.contains($0) }
                && !(part.contains(where: { $0.isUppercase }) && part.contains(where: { $0.isLowercase }))
        }
    }

    /// `"JWT_SECRET=": f"JWT_SECRET={secrets.token_urlsafe(48)}"`: a rule reading `"…"` after
    /// the name captures `: f`, the code between the closing quote of one literal and the
    /// opening quote of the next. True when the quote before the secret is preceded on its line
    /// by an odd number of the same quote (so it closes a string) and the secret starts with
    /// punctuation or holds a space, as operators and separators do and values rarely.
    static func isBetweenLiterals(_ range: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard range.lowerBound > 0, let first = range.isEmpty ? nil : buffer[range.lowerBound] else { return false }
        let isWordByte = isLetter(first) || isDigit(first) || first == 95 || first >= 0x80
        guard !isWordByte || buffer[range].contains(32) else { return false }
        let quote = buffer[range.lowerBound - 1]
        // An escaped quote (`\"` in a notebook's JSON) is counted by another lexer: not judged.
        guard range.lowerBound < 2 || buffer[range.lowerBound - 2] != 92 else { return false }
        let line = FindingFilter.line(around: range, in: buffer)
        var count = 0, i = line.lowerBound
        while i < range.lowerBound - 1 {
            if buffer[i] == 92 { i += 2; continue }
            if buffer[i] == quote { count += 1 }
            i += 1
        }
        return count % 2 == 1
    }

    /// Whether `offset` lies in a comment of a source file (`#`, `//`, `/*` on its line), or on
    /// a YAML or shell comment line.
    public static func isInComment(_ offset: Int, in buffer: UnsafeBufferPointer<UInt8>, path: String) -> Bool {
        let line = FindingFilter.line(around: offset..<offset, in: buffer)
        let prefix = UnsafeBufferPointer(rebasing: buffer[line.lowerBound..<offset])
        let lower = path.lowercased()
        // Minified bundles keep comments that ship (licence banners, config blobs): not docs.
        if lower.contains(".min.") || line.count > 1000 { return false }
        if let language = SourceLanguage(path: path) { return language.state(before: prefix) == .comment }
        guard [".yml", ".yaml", ".sh", ".bash", ".zsh", ".tt", ".toml", ".ini", ".cfg", ".conf"].contains(where: { lower.hasSuffix($0) })
                || FileKind.basename(lower) == "dockerfile" else { return false }
        let first = prefix.first(where: { $0 != 32 && $0 != 9 })
        return first == UInt8(ascii: "#")
    }

    /// Whether `offset` lies in documentation a file carries inside itself: a Python docstring
    /// (the triple-quoted string opening a module, class or function body, where
    /// `>>> app.config[...]` examples live) or an HTML `<pre>`/`<code>` block (a guide's code
    /// sample, like express-session's `secret: "keyboard cat"`).
    public static func isInEmbeddedDocumentation(_ offset: Int, in buffer: UnsafeBufferPointer<UInt8>, path: String) -> Bool {
        let lower = path.lowercased()
        // A FastAPI route's `openapi_extra={"x-codeSamples": [{"source": textwrap.dedent("""…""")}]}`
        // is an API description written in Python: its samples are as much documentation.
        if lower.hasSuffix(".py") || lower.hasSuffix(".pyi") { return isInPythonDocstring(offset, in: buffer) || isInOpenAPIExample(offset, in: buffer) }
        if lower.hasSuffix(".html") || lower.hasSuffix(".htm") { return isInHTMLCodeBlock(offset, in: buffer) }
        if [".js", ".mjs", ".cjs"].contains(where: { lower.hasSuffix($0) }), isInCompiledMDXCodeBlock(offset, in: buffer) { return true }
        return isInOpenAPIExample(offset, in: buffer)
    }

    /// How compiled MDX opens a code block's element: `(0,a.kt)("code",{parentName:"pre",…},'…')`
    /// (Docusaurus 2's built pages), `mdx("code", { parentName: "pre", … }, "…")` (MDX 1); the
    /// text is the string after the props.
    static let compiledMDXCodeMarkers: [[UInt8]] = ["parentName:\"pre\"", "parentName: \"pre\""].map { Array($0.utf8) }
    /// MDX 2 and 3 (Docusaurus 3): `(0,s.jsx)(n.code,{className:"language-yaml",children:'…'})`,
    /// the text the string under `children:` inside the props.
    static let compiledJSXCodeMarker = Array(".code,{".utf8)
    static let compiledJSXChildren = Array("children:".utf8)

    /// Whether `offset` lies in the text of a code block of a compiled MDX page (a docs site's
    /// built chunk, `assets/js/19b672e0.6aee3ce8.js` on a `gh-pages` branch): the page's code
    /// sample, documentation as its `.md` source was. The string argument that follows the code
    /// element's props, on the same line within 2 KiB, must hold `offset` with no closing quote
    /// before it.
    static func isInCompiledMDXCodeBlock(_ offset: Int, in buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard offset <= buffer.count else { return false }
        var start = offset
        while start > 0, offset - start < 2048, buffer[start - 1] != 10 { start -= 1 }
        let before = UnsafeBufferPointer(rebasing: buffer[start..<offset])
        var best: Int?
        for marker in compiledMDXCodeMarkers {
            var i = before.count - marker.count
            while i >= 0 {
                if before[i] == marker[0], marker.indices.allSatisfy({ before[i + $0] == marker[$0] }) { best = max(best ?? i, i); break }
                i -= 1
            }
        }
        func lastIndex(of needle: [UInt8], in text: UnsafeBufferPointer<UInt8>, before end: Int) -> Int? {
            var i = end - needle.count
            while i >= 0 {
                if text[i] == needle[0], needle.indices.allSatisfy({ text[i + $0] == needle[$0] }) { return i }
                i -= 1
            }
            return nil
        }
        var i: Int
        if let jsx = lastIndex(of: compiledJSXCodeMarker, in: before, before: before.count), jsx > (best ?? -1),
           let children = lastIndex(of: compiledJSXChildren, in: before, before: before.count), children > jsx,
           !before[jsx..<children].contains(UInt8(ascii: "}")) {
            // `children:` of the code element's own props, then its string.
            i = children + compiledJSXChildren.count
        } else {
            guard let found = best else { return false }
            // Past the props' closing brace and the comma to the string's opening quote.
            i = found
            while i < before.count, before[i] != UInt8(ascii: "}") { i += 1 }
            i += 1
            while i < before.count, before[i] == 32 || before[i] == UInt8(ascii: ",") { i += 1 }
        }
        guard i < before.count, let quote = Optional(before[i]),
              quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "`") else { return false }
        i += 1
        while i < before.count {
            if before[i] == UInt8(ascii: "\\") { i += 2; continue }
            if before[i] == quote { return false }
            i += 1
        }
        return true
    }

    /// Attributes of a Terraform block that name a secret store's entry (`secret = "supabase-url"`
    /// in a `google_secret_manager_secret_version` data source, `secret_id` of an
    /// `aws_secretsmanager_secret`), never hold its value.
    static let secretStoreNameKeys: Set<String> = ["secret", "secret_id", "secret_name", "name"]

    /// Whether the quoted value at `range` in a Terraform file is an attribute of `secretStoreNameKeys`
    /// inside a `data` or `resource` block whose type names a secret (`data
    /// "google_secret_manager_secret_version" "x" {`, `resource "aws_secretsmanager_secret"`): the
    /// store's entry named, which the block reads or makes; the value lives in the store. The block
    /// opens at a line's start within 32 lines above, with no other block opened between. A
    /// `secret_string` or `secret_data` attribute holds the value itself and is not one of these.
    static func namesSecretStoreEntry(_ range: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>, path: String) -> Bool {
        let lower = path.lowercased()
        guard lower.hasSuffix(".tf") || lower.hasSuffix(".hcl") || lower.hasSuffix(".tofu") else { return false }
        var start = range.lowerBound
        while start > 0, buffer[start - 1] != 10 { start -= 1 }
        let line = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<range.lowerBound]), as: UTF8.self)
        guard let equals = line.firstIndex(of: "=") else { return false }
        let key = line[..<equals].trimmingCharacters(in: .whitespaces)
        guard secretStoreNameKeys.contains(key) else { return false }
        var lineEnd = start
        for _ in 0..<32 where lineEnd > 0 {
            var lineStart = lineEnd - 1
            while lineStart > 0, buffer[lineStart - 1] != 10 { lineStart -= 1 }
            let above = String(decoding: UnsafeBufferPointer(rebasing: buffer[lineStart..<(lineEnd - 1)]), as: UTF8.self)
            if above.hasPrefix("data \"") || above.hasPrefix("resource \"") {
                let type = above.split(separator: "\"").dropFirst().first.map { $0.lowercased() } ?? ""
                return type.contains("secret")
            }
            if above.hasPrefix("}") { return false }
            lineEnd = lineStart
        }
        return false
    }

    /// What an OpenAPI/Swagger description says near its top.
    static let apiDescriptionMarkers: [[UInt8]] = ["\"openapi\"", "openapi:", "\"swagger\"", "swagger:"].map { Array($0.utf8) }

    /// Keys under which an API description (OpenAPI/Swagger, JSON Schema) shows sample data, and
    /// the code samples Redoc renders beside an operation (`x-codeSamples`, older `x-code-samples`:
    /// a client call written with a sample password or key).
    static let exampleKeys: [[UInt8]] = ["example:", "examples:", "x-example:", "\"example\":", "\"examples\":",
                                          "x-codeSamples:", "\"x-codeSamples\":", "x-code-samples:", "\"x-code-samples\":"].map { Array($0.utf8) }

    /// Whether `offset` lies in an API description's sample: its line's key, or the key of one of
    /// the lines it is nested under (YAML or pretty-printed JSON by indentation, read back at
    /// most 40 lines, 500 in a file that says `openapi`/`swagger` in its first 4 KiB: GitHub's
    /// description nests a pull request's sample repository 357 lines below its
    /// `"examples": {`, with `"temp_clone_token": "ABTL…"` deep inside), is
    /// `example`/`examples`. Also inside a comment, as swagger-jsdoc writes the description
    /// (` *             example:` above ` *               refreshToken: eyJ…`). What such a sample
    /// holds is rendered into the API's documentation for every reader.
    static func isInOpenAPIExample(_ offset: Int, in buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard offset < buffer.count else { return false }
        // The start of the line holding `offset`.
        var lineStart = offset
        while lineStart > 0, buffer[lineStart - 1] != 10 { lineStart -= 1 }
        /// Where a line's text starts past its indentation and any comment marker (`*`, `#`, `//`),
        /// as a column, and that text's first bytes; nil for a blank line.
        func content(from start: Int) -> (column: Int, at: Int)? {
            var i = start
            while i < buffer.count, buffer[i] == 32 || buffer[i] == 9 || buffer[i] == 42 || buffer[i] == 35 || buffer[i] == 47 {
                i += 1
            }
            guard i < buffer.count, buffer[i] != 10, buffer[i] != 13 else { return nil }
            return (i - start, i)
        }
        func isExampleKey(at i: Int) -> Bool {
            exampleKeys.contains { key in
                i + key.count <= buffer.count && key.indices.allSatisfy { buffer[i + $0] == key[$0] }
            }
        }
        guard let own = content(from: lineStart) else { return false }
        if isExampleKey(at: own.at) { return true }
        var indent = own.column
        var start = lineStart, lines = 0
        // Far back only in a file that says it is an API description near its top.
        let head = UnsafeBufferPointer(rebasing: buffer[0..<min(buffer.count, 4096)])
        let limit = apiDescriptionMarkers.contains { marker in marker.withUnsafeBufferPointer { ByteSearch.contains($0, in: head) } } ? 500 : 40
        while start > 0, lines < limit, indent > 0 {
            var previous = start - 1
            while previous > 0, buffer[previous - 1] != 10 { previous -= 1 }
            start = previous
            lines += 1
            guard let line = content(from: start), line.column < indent else { continue }
            if isExampleKey(at: line.at) { return true }
            indent = line.column
        }
        return false
    }

    /// Reads the file up to `offset` with just enough Python lexing (comments, one-line and
    /// triple-quoted strings) to know whether `offset` is inside a docstring: a triple-quoted
    /// string that starts its line and follows a line ending in `:` (a `def`/`class` header)
    /// or comes before any code (the module's). Bounded to the first 2 MiB.
    static func isInPythonDocstring(_ offset: Int, in buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard offset < buffer.count, offset < 2 << 20 else { return false }
        let hash = UInt8(ascii: "#"), newline: UInt8 = 10, backslash: UInt8 = 92
        var i = 0
        var lastCode: UInt8? = nil
        var lineIsBlank = true
        while i < offset {
            let byte = buffer[i]
            if byte == newline { lineIsBlank = true; i += 1; continue }
            if byte == 32 || byte == 9 || byte == 13 { i += 1; continue }
            if byte == hash {
                while i < offset, buffer[i] != newline { i += 1 }
                continue
            }
            if byte == 34 || byte == 39 {
                let isTriple = i + 2 < buffer.count && buffer[i + 1] == byte && buffer[i + 2] == byte
                if isTriple {
                    let isDocstring = lineIsBlank && (lastCode == nil || lastCode == UInt8(ascii: ":"))
                    var j = i + 3
                    while j + 2 < buffer.count, !(buffer[j] == byte && buffer[j + 1] == byte && buffer[j + 2] == byte) {
                        j += buffer[j] == backslash ? 2 : 1
                    }
                    if offset < j { return isDocstring }
                    i = j + 3
                } else {
                    var j = i + 1
                    while j < buffer.count, buffer[j] != byte, buffer[j] != newline { j += buffer[j] == backslash ? 2 : 1 }
                    if offset <= j { return false }
                    i = j + 1
                }
                lastCode = byte
                lineIsBlank = false
                continue
            }
            lastCode = byte
            lineIsBlank = false
            i += 1
        }
        return false
    }

    /// Whether the last `<pre` or `<code` before `offset` (within 256 KiB) is still open.
    static func isInHTMLCodeBlock(_ offset: Int, in buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = max(0, offset - (256 << 10))
        let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<offset]), as: UTF8.self).lowercased()
        func last(_ tags: [String]) -> String.Index? {
            tags.compactMap { text.range(of: $0, options: .backwards)?.lowerBound }.max()
        }
        guard let open = last(["<pre>", "<pre ", "<code>", "<code "]) else { return false }
        guard let close = last(["</pre>", "</code>"]) else { return true }
        return open > close
    }

    /// Whether `offset` lies inside a string literal on its line, by the file's language; by
    /// quotes alone for a blob with no path (one no commit holds), whose language is unknown.
    public static func isInStringLiteral(_ offset: Int, in buffer: UnsafeBufferPointer<UInt8>, path: String) -> Bool {
        guard let language = SourceLanguage(path: path) ?? (path.isEmpty ? .quotesOnly : nil) else { return false }
        let line = FindingFilter.line(around: offset..<offset, in: buffer)
        return language.state(before: UnsafeBufferPointer(rebasing: buffer[line.lowerBound..<offset])) == .string
    }

    public static let keywords: Set<String> = [
        "nil", "null", "NULL", "Null", "None", "undefined", "true", "false", "True", "False", "TRUE", "FALSE",
        "nullptr", "NaN", "void", "Nothing", "nothing", "empty", "blank", "none",
    ]
    static let typeNames: Set<String> = [
        "str", "string", "String", "bytes", "int", "Int", "bool", "Bool", "SecretStr", "Optional", "any", "unknown",
        "object", "Object", "char", "text", "varchar",
    ]

    /// `Optional[str]`, `str|None`, `List[SecretStr]`: a type written where a value could be
    /// (settings classes and their documentation), in any file.
    static func isTypeAnnotation(_ text: String) -> Bool {
        let head = text.prefix(while: { $0.isLetter })
        guard let next = text.dropFirst(head.count).first, next == "[" || next == "|" else { return false }
        return typeNames.contains(String(head)) || genericTypeNames.contains(String(head))
    }
    static let genericTypeNames: Set<String> = ["Optional", "List", "Dict", "Union", "Annotated", "Literal", "Sequence", "Mapping"]

    static func isQuote(_ byte: UInt8) -> Bool { byte == 34 || byte == 39 || byte == 96 }

    /// `${…}`, `#{…}`, `{{…}}`, `<%= … %>`, `%(…)s`: the value is built from something else.
    static func containsInterpolation(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 2 else { return false }
        for i in 0..<(bytes.count - 1) {
            let a = bytes[i], b = bytes[i + 1]
            if (a == 36 || a == 35) && b == 123 { return true }  // ${ #{
            if a == 123 && b == 123 { return true }  // {{
            if a == 60 && b == 37 { return true }  // <%
        }
        return false
    }

    static func startsLikeIdentifier(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first else { return false }
        return isLetter(first) || first == 95 || first == 36
    }

    public static func isLetter(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }
    public static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    /// Words a key's own name is made of: a value built from them names a secret rather than being one.
    static let secretNameWords: Set<String> = ["secret", "key", "token", "password", "passwd", "pass", "credential", "credentials", "auth", "apikey"]

    /// `AWS_SECRET_ACCESS_KEY`, `AWSSecretKey`, `aws_secret_access_key`: the name a secret is
    /// looked up by (an environment variable, a config or response field), written as a value.
    /// ALL_CAPS_SNAKE of two words or more, digit-free CamelCase of two words or more, or
    /// lower_snake of two words or more ending in a secret's name word; random text of letters
    /// alone alternates case and breaks into one-letter runs instead.
    public static func isQuotedName(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 6, bytes.count <= 64 else { return false }
        if isHeaderName(bytes) { return true }
        guard bytes.allSatisfy({ isLetter($0) || isDigit($0) || $0 == 95 }) else { return false }
        let words = bytes.split(separator: 95)
        // `google_oauth2_credentials`, `AWS_S3_SECRET_KEY`: a word may end in a version (one or
        // two digits); digits anywhere else are random text's.
        guard words.allSatisfy(isWordWithVersion) else { return false }
        if words.count >= 2, words.allSatisfy({ $0.count >= 2 }) {
            if bytes.allSatisfy({ !(97...122).contains($0) }) { return true }
            if bytes.allSatisfy({ !(65...90).contains($0) }) {
                return secretNameWords.contains(String(decoding: words.last!, as: UTF8.self))
            }
            return false
        }
        guard words.count == 1, !bytes.contains(where: isDigit) else { return false }
        return camelCaseWords(bytes).map { $0.count >= 2 } ?? false
    }

    /// `bolt_mcp_secure_storage_v1`, `chat_history_cache_v2`: three lower-case words of letters
    /// or more and a version word last (`v` and one or two digits), the versioned name of a
    /// storage slot, cache or schema, written where a key goes (a client's localStorage
    /// "encryption key"). A generated key has no `_v1` end; a typed one is words alone.
    /// Asked under any rule that reads a value by its name alone (no prefix of its own).
    public static func isVersionedName(_ bytes: [UInt8]) -> Bool {
        guard bytes.count <= 64, bytes.allSatisfy({ (97...122).contains($0) || isDigit($0) || $0 == 95 }) else { return false }
        let words = bytes.split(separator: 95, omittingEmptySubsequences: false)
        guard words.count >= 4, let last = words.last, last.count >= 2, last.count <= 3, last.first == UInt8(ascii: "v"),
              last.dropFirst().allSatisfy(isDigit) else { return false }
        return words.dropLast().allSatisfy { $0.count >= 2 && $0.allSatisfy(isLetter) }
    }

    /// A word of letters, then at most two digits (`oauth2`, `s3`, `v1`).
    static func isWordWithVersion(_ word: ArraySlice<UInt8>) -> Bool {
        let digits = word.reversed().prefix(while: isDigit).count
        let letters = word.dropLast(digits)
        return digits <= 2 && !letters.isEmpty && letters.allSatisfy(isLetter) && word.count >= 2
    }

    /// Last words that make a kebab-case value the name of a place a value goes, not the value.
    static let placeNameWords: Set<String> = ["header", "field", "cookie", "param"]

    /// `x-amz-security-token`, `X-Api-Key`, `server-side-encryption-header`: an HTTP header or
    /// field name written as a value (a constant naming the header a key is sent in). Three
    /// words or more joined by `-`, each letters with at most a two-digit version, one case per
    /// word, and either the `x-` of an extension header or a last word naming a header or field.
    /// A stand-in phrase (`my-secret-key`) is not one: it is judged as a stand-in.
    static func isHeaderName(_ bytes: [UInt8]) -> Bool {
        let words = bytes.split(separator: 45, omittingEmptySubsequences: false)
        guard words.count >= 3 else { return false }
        let lowered = words.map { String(decoding: $0, as: UTF8.self).lowercased() }
        let isExtension = lowered[0] == "x"
        guard isExtension || placeNameWords.contains(lowered[lowered.count - 1]) else { return false }
        return words.enumerated().allSatisfy { index, word in
            if index == 0, isExtension { return true }
            guard isWordWithVersion(word) else { return false }
            let letters = word.filter(isLetter)
            let lower = letters.allSatisfy { $0 >= 97 }, upper = letters.allSatisfy { $0 <= 90 }
            let capitalised = letters.first.map { $0 <= 90 } == true && letters.dropFirst().allSatisfy { $0 >= 97 }
            return lower || upper || capitalised
        }
    }

    /// Whether `secret` spells the last part of the name it is assigned to, ignoring case and
    /// separators (`secret_key_base` for `config.secret_key_base`, `SessionSecret` for `SESSION_SECRET`).
    public static func spellsName(_ secret: [UInt8], of variable: String) -> Bool {
        let fold: (Substring.UTF8View) -> [UInt8] = { bytes in
            bytes.filter { isLetter($0) || isDigit($0) }.map { $0 | 0x20 }
        }
        let last = variable.split(whereSeparator: { ".[]'\"".contains($0) }).last ?? Substring(variable)
        let name = fold(last.utf8)
        return name.count >= 6 && fold(String(decoding: secret, as: UTF8.self)[...].utf8) == name
    }

    /// `n8n_basic_auth_password: "n8n_password"`, `DB_PASSWORD=db-password`: a value of two words
    /// or more, each a word of its own variable's name in the name's order (words split at `_`,
    /// `-`, `.` and camelCase, compared lower-cased), is the name written again, a stand-in.
    public static func repeatsNameWords(_ secret: [UInt8], of variable: String) -> Bool {
        let last = variable.split(whereSeparator: { ".[]'\"".contains($0) }).last ?? Substring(variable)
        guard let value = nameWords(secret), value.count >= 2, value.reduce(0, { $0 + $1.count }) >= 6,
              let name = nameWords(Array(last.utf8)) else { return false }
        var rest = name[...]
        for word in value {
            guard let found = rest.firstIndex(of: word) else { return false }
            rest = rest[(found + 1)...]
        }
        return true
    }

    /// The words of an identifier, lower-cased: split at `_`, `-` and `.` and where a capital
    /// follows a lower-case letter; nil when anything but ASCII letters, digits and those
    /// separators is in it.
    static func nameWords(_ bytes: [UInt8]) -> [[UInt8]]? {
        var words: [[UInt8]] = []
        var current: [UInt8] = []
        var previousWasLower = false
        for byte in bytes {
            if byte == 95 || byte == 45 || byte == 46 {
                if !current.isEmpty { words.append(current); current = [] }
                previousWasLower = false
                continue
            }
            guard isLetter(byte) || isDigit(byte) else { return nil }
            if (65...90).contains(byte), previousWasLower, !current.isEmpty {
                words.append(current)
                current = []
            }
            previousWasLower = (97...122).contains(byte)
            current.append(byte | (isLetter(byte) ? 0x20 : 0))
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// The words of a digit-free CamelCase name (`AWSSecretKey` → AWS, Secret, Key), or nil when
    /// the text does not split into capitalised words of two letters or more and acronyms.
    static func camelCaseWords(_ bytes: [UInt8]) -> [ArraySlice<UInt8>]? {
        let isUpper: (UInt8) -> Bool = { (65...90).contains($0) }
        var words: [ArraySlice<UInt8>] = []
        var i = 0
        while i < bytes.count {
            let start = i
            var uppers = 0
            while i < bytes.count, isUpper(bytes[i]) { uppers += 1; i += 1 }
            if uppers >= 2, i < bytes.count {
                // An acronym ends where the next capitalised word starts (`AWSSecret`).
                i -= 1
                uppers -= 1
                words.append(bytes[start..<i])
                continue
            }
            if uppers >= 2 { words.append(bytes[start..<i]); continue }
            var lowers = 0
            while i < bytes.count, !isUpper(bytes[i]) { lowers += 1; i += 1 }
            // A word is two lower-case letters or more, after a capital (`Key`) or not (`aws`
            // in `awsSecretKey`).
            guard lowers >= 2 else { return nil }
            words.append(bytes[start..<i])
        }
        return words
    }

    /// `a.b`, `Rails.application.secret_key_base`, `app.credentials.old_secret_key_base`:
    /// identifiers made of words joined by dots. Random tokens with dots (JWTs, `SG.` keys) have
    /// digits and case changes that words do not.
    /// `"token=" + self.token + "&format=json"` read from the first literal's closing quote to
    /// the next literal's opening quote: `+` at both ends around a member chain or a snake_case
    /// name is the code joining two literals. Base64 can hold `+` but never `.` or `_`, so a key
    /// that starts and ends with `+` is not taken for one.
    static func isConcatenation(_ bytes: [UInt8]) -> Bool {
        let plus = UInt8(ascii: "+")
        guard bytes.count >= 4, bytes.first == plus, bytes.last == plus else { return false }
        let inner = Array(bytes.dropFirst().dropLast().drop(while: { $0 == 32 }).reversed().drop(while: { $0 == 32 }).reversed())
        if isMemberChain(inner) { return true }
        return startsLikeIdentifier(inner) && inner.contains(95)
            && inner.allSatisfy { isLetter($0) || isDigit($0) || $0 == 95 || $0 == 36 }
    }

    /// `3.75E-08`, `0.5`, `-1.5e3`, `1_024`: a decimal number with a point, an exponent or
    /// digit separators (groups of three after `_`).
    static func isDecimalNumber(_ bytes: [UInt8]) -> Bool {
        var i = 0
        if i < bytes.count, bytes[i] == 43 || bytes[i] == 45 { i += 1 }
        let intStart = i
        while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        guard i > intStart else { return false }
        var marked = false
        if i - intStart <= 3, i < bytes.count, bytes[i] == 95 {
            while i + 3 < bytes.count, bytes[i] == 95, bytes[(i + 1)...(i + 3)].allSatisfy(isDigit) { i += 4; marked = true }
            return marked && i == bytes.count
        }
        if i < bytes.count, bytes[i] == 46 {
            i += 1
            let fraction = i
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            guard i > fraction else { return false }
            marked = true
        }
        if i < bytes.count, bytes[i] == 69 || bytes[i] == 101 {
            i += 1
            if i < bytes.count, bytes[i] == 43 || bytes[i] == 45 { i += 1 }
            let exponent = i
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            guard i > exponent else { return false }
            marked = true
        }
        return marked && i == bytes.count
    }

    /// Why an unquoted value is a code expression (`CodeExpression`): a call or a subscript.
    static func codeExpressionShape(_ bytes: [UInt8]) -> String? { CodeExpression.shape(bytes) }

    public static func isMemberChain(_ bytes: [UInt8]) -> Bool {
        let segments = bytes.split(separator: 46, omittingEmptySubsequences: false)
        guard segments.count >= 2 else { return false }
        return segments.allSatisfy(isIdentifierOfWords)
    }

    /// One name of a member chain: an identifier whose digits come only at its end (`v2`,
    /// `sha256`) and whose case changes rarely (camelCase words, not random letters).
    static func isIdentifierOfWords(_ segment: ArraySlice<UInt8>) -> Bool {
        // Shared with the config decoder, which reads code in a config file's blocks the same way.
        CodeExpression.isNameOfWords(segment)
    }
}

/// A source language, by file extension, with just enough lexing to tell whether a line's
/// position is in code, inside a string literal or inside a comment.
public struct SourceLanguage: Sendable {
    public let name: String
    let lineComments: [[UInt8]]
    let quotes: [UInt8]

    /// No comments, every quote: for text whose language is unknown.
    static let quotesOnly = SourceLanguage(name: "text", lineComments: [], quotes: Array("\"'`".utf8))

    public init(name: String, lineComments: [[UInt8]], quotes: [UInt8]) {
        self.name = name
        self.lineComments = lineComments
        self.quotes = quotes
    }

    public init?(path: String) {
        let name = FileKind.basename(path).lowercased()
        guard let dot = name.lastIndex(of: ".") else { return nil }
        let ext = String(name[name.index(after: dot)...])
        guard let spec = SourceLanguage.byExtension[ext] else { return nil }
        self.name = spec.name
        lineComments = spec.comments.map { Array($0.utf8) }
        quotes = Array(spec.quotes.utf8)
    }

    private static let cLike = (comments: ["//", "/*"], quotes: "\"'`")
    static let byExtension: [String: (name: String, comments: [String], quotes: String)] = {
        var table: [String: (name: String, comments: [String], quotes: String)] = [:]
        for ext in ["js", "jsx", "mjs", "cjs", "ts", "tsx", "mts", "cts", "vue", "svelte"] { table[ext] = ("JavaScript", cLike.comments, cLike.quotes) }
        for ext in ["go"] { table[ext] = ("Go", cLike.comments, cLike.quotes) }
        // `ino`, `pde`: Arduino sketches (C++), a device's firmware.
        for ext in ["java", "kt", "kts", "scala", "groovy", "gradle", "cs", "swift", "rs", "c", "h", "cc", "cpp", "hpp", "m", "dart", "ino", "pde"] {
            table[ext] = ("C-family", cLike.comments, "\"'")
        }
        for ext in ["php"] { table[ext] = ("PHP", cLike.comments + ["#"], "\"'") }
        for ext in ["rb", "rake", "gemspec"] { table[ext] = ("Ruby", ["#"], "\"'`") }
        for ext in ["py", "pyi"] { table[ext] = ("Python", ["#"], "\"'") }
        for ext in ["ex", "exs"] { table[ext] = ("Elixir", ["#"], "\"'") }
        return table
    }()

    enum State { case code, string, comment }

    /// Whether the end of `prefix` (the start of a line up to a position) is in code, in a
    /// string or in a comment. One line only: a multi-line string or block comment opened on
    /// an earlier line is not seen (a heredoc's text reads as code, which only matters for
    /// rules without a format of their own).
    func state(before prefix: UnsafeBufferPointer<UInt8>) -> State {
        var open: UInt8? = nil
        var i = 0
        let n = prefix.count
        // A line that starts a comment (after indentation) is a comment throughout.
        var start = 0
        while start < n, prefix[start] == 32 || prefix[start] == 9 { start += 1 }
        if start < n, prefix[start] == UInt8(ascii: "*") { return .comment }
        while i < n {
            let byte = prefix[i]
            if let quote = open {
                if byte == 92 { i += 2; continue }
                if byte == quote { open = nil }
            } else if quotes.contains(byte) {
                open = byte
            } else if lineComments.contains(where: { comment in
                i + comment.count <= n && prefix[i..<(i + comment.count)].elementsEqual(comment)
            }) {
                return .comment
            }
            i += 1
        }
        return open == nil ? .code : .string
    }
}
