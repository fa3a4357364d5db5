import Foundation
import LeakwardModel
import LeakwardSupport

/// Reads the values of structured config files with their keys: YAML (block and flow mappings,
/// `- KEY=value` lists, plain, quoted and block scalars), INI / `.cnf` / `.cfg` / `.conf`, Java
/// properties, TOML and XML (element text, attributes, `<add key="…" value="…"/>` pairs). A
/// plain `POSTGRES_PASSWORD: s3cr3t-pw` has no quotes for a regex to hold on to; here it
/// becomes `config-value: POSTGRES_PASSWORD = "s3cr3t-pw"` at its own line, in one chunk with step `config`,
/// where quoted-assignment rules see it and `generic.config-value` (`decoder = "config"`, a
/// rule for this text only) judges short passwords a regex over raw text could not.
/// Only entries whose key names a secret are re-emitted; references (`${X}`, `{{ x }}`,
/// `<%= … %>`) are skipped. Line by line, so it runs on a history blob's changed windows too.
public struct ConfigValueDecoder: ContentDecoder {
    public let kind = DecoderKind.config
    /// Read line by line, except Rails' key files (`master.key`, `credentials/<env>.key`: the
    /// whole file is the value).
    public var wholeBlobNeed: WholeBlobNeed {
        WholeBlobNeed(byName: { $0.lowercasedName == "master.key" || ConfigValueDecoder.isRailsEnvironmentKey($0) })
    }

    /// `config/credentials/production.key`: a per-environment Rails key, read whole as
    /// `master.key` is (its name alone, `production.key`, says nothing; its folder does).
    static func isRailsEnvironmentKey(_ chunk: Chunk) -> Bool {
        chunk.lowercasedName.hasSuffix(".key") && RailsKeyFile.isKeyFile(chunk.members.last ?? chunk.origin.path)
    }

    public init() {}

    public enum Format: Equatable { case yaml, ini, properties, toml, xml, json, pgpass, netrc, gitCredentials, spaced, phpDefine, wholeFile(String) }

    public static func format(of fileName: String) -> Format? { format(ofLowercased: fileName.lowercased()) }

    /// `format(of:)` for a name already lowercased (a chunk's `lowercasedName`).
    static func format(ofLowercased name: String) -> Format? {
        // Most files are source code: their extension alone says no (no name below ends in one).
        if let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")), !FileKind.isEnvFile(path: name),
           sourceExtensions.contains(Substring(name[name.utf8.index(after: dot)...])) { return nil }
        // Credential files by name: each read for what it is (see docs/credential-files.md).
        switch name {
        case ".pgpass", "pgpass.conf": return .pgpass
        case ".netrc", "_netrc": return .netrc
        case ".git-credentials": return .gitCredentials
        case ".msmtprc", "msmtprc", ".esmtprc", ".muttrc", "muttrc", ".fetchmailrc": return .spaced
        case "wp-config.php", "wp-config-sample.php", "settings.php", "config.inc.php", "localsettings.php", "settings.py",
             "local_settings.py", "database.php": return .phpDefine
        case "master.key": return .wholeFile("RAILS_MASTER_KEY")
        case "sftp-config.json", ".ftpconfig", ".remote-sync.json", "sftp.json", "appsettings.json", "config.json",
             "credentials.json", "secrets.json", ".vscode-sftp.json", "deployment.json", "dbeaver-data-sources.json",
             "data-sources.json", "robo3t.json", "robomongo.json", "3t.json":
            return .json
        default: break
        }
        if name.hasPrefix("appsettings.") && name.hasSuffix(".json") { return .json }
        // Translations (`Messages_ja.properties`, `config_zh_CN.properties`): prose, not configuration.
        if name.hasSuffix(".properties"), isLocalisationBundle(name) { return nil }
        if name.hasSuffix(".tfstate") || name.hasSuffix(".tfstate.backup") { return .json }
        if name.hasSuffix(".tfvars") || FileKind.isEnvFile(path: name) { return .ini }
        if name.hasSuffix(".yml") || name.hasSuffix(".yaml") { return .yaml }
        if name.hasSuffix(".properties") { return .properties }
        if name.hasSuffix(".toml") { return .toml }
        if name.hasSuffix(".xml") || name.hasSuffix(".config") || name.hasSuffix(".csproj") || name.hasSuffix(".plist") { return .xml }
        if name.hasSuffix(".ini") || name.hasSuffix(".cfg") || name.hasSuffix(".cnf") || name.hasSuffix(".conf")
            || name == ".my.cnf" || name == ".s3cfg" || name == ".boto" || name == "credentials" || name == ".pypirc"
            || name == ".npmrc" || name == ".esmtprc" || name == ".msmtprc" || name == ".gitconfig" { return .ini }
        return nil
    }

    /// Extensions of files that are never read as configuration here.
    static let sourceExtensions: Set<Substring> = ["js", "ts", "tsx", "jsx", "mjs", "cjs", "mts", "cts", "md", "mdx", "css", "scss",
                                                   "html", "svelte", "vue", "snap", "map", "svg", "png", "rb", "go", "rs", "java"]

    /// `Messages.properties`, `LocalizationBundle_ru.properties`, `config_pt_BR.properties`: a
    /// message bundle (by its name) or a translation (a locale suffix on the stem).
    static func isLocalisationBundle(_ name: String) -> Bool {
        let stem = String(name.dropLast(".properties".count))
        if ["messages", "localizationbundle", "localisationbundle", "strings"].contains(where: { stem.hasPrefix($0) }) { return true }
        let parts = stem.split(separator: "_")
        guard parts.count >= 2 else { return false }
        let isLanguage: (Substring) -> Bool = { $0.count == 2 && $0.allSatisfy { $0.isLetter } }
        if parts.count >= 3, isLanguage(parts[parts.count - 2]), isLanguage(parts[parts.count - 1]) { return true }
        return isLanguage(parts[parts.count - 1]) && !["db", "ci", "qa", "ui", "io"].contains(String(parts[parts.count - 1]))
    }

    /// One key and its value, with the line the value starts on.
    public struct Entry: Equatable {
        public var key: String
        public var value: String
        public var line: Int
    }

    /// Only configuration and credential files by name (source code, nearly every history blob, is not).
    public func mayDecode(at place: Chunk) -> Bool { format(at: place) != nil }

    private func format(at chunk: Chunk) -> Format? {
        guard chunk.steps.last?.decoder != kind else { return nil }
        return ConfigValueDecoder.format(ofLowercased: chunk.lowercasedName)
            ?? (ConfigValueDecoder.isRailsEnvironmentKey(chunk) ? .wholeFile("RAILS_MASTER_KEY") : nil)
    }

    public func decode(_ chunk: Chunk, limits: DecodeLimits) -> Decoded {
        guard let format = format(at: chunk), !chunk.looksBinary else { return .none }
        if ConfigValueDecoder.keysComeFromText(format) {
            // Each entry comes from one line: only lines that may name a secret can give one, and
            // most config files have none that is a literal. Parsed whole only when one does
            // (and only then made a String: most JSON and YAML files are never decoded).
            guard ConfigValueDecoder.mayNameSecret(chunk.bytes) else { return .none }
        }
        let source = String(decoding: chunk.bytes, as: UTF8.self)
        // Entries come one per line, so lines whose text cannot hold the key's words are not
        // parsed: a lock file or a Helm values file changed in every commit of a history has
        // tens of thousands of lines, a few of which name a secret or an account.
        let fromText = ConfigValueDecoder.keysComeFromText(format)
        let bounds = fromText ? chunk.bytes.withUnsafeBufferPointer { TextLines.lineBounds(in: $0) } : []
        func lines(mayHold parts: [[UInt8]]) -> [Bool]? {
            guard fromText else { return nil }
            return chunk.bytes.withUnsafeBufferPointer { ConfigValueDecoder.linesThatMayHold(parts, in: $0, bounds: bounds) }
        }
        let secretLines = lines(mayHold: ConfigValueDecoder.secretNamePartBytes)
        let entries: [Entry] = ConfigValueDecoder.entries(source, format: format, onlyLines: secretLines)
            .flatMap(ConfigValueDecoder.listedSecrets)
            .filter { ConfigValueDecoder.namesSecret($0.key) && ConfigValueDecoder.isLiteral($0.value) }
        guard !entries.isEmpty else { return .none }
        // The account and database names set beside them, so a password repeating one
        // (`MYSQL_USER=docker`, `MYSQL_PASSWORD=docker@123`) can be told a sample (`ValueSignals`).
        // A name may be written with a reference in it (`image: "${REGISTRY:-docker.io}/justsong/one-api"`):
        // its words still name the stack, and no rule reads a name.
        let names: [Entry] = ConfigValueDecoder.entries(source, format: format, onlyLines: lines(mayHold: ConfigValueDecoder.accountNamePartBytes))
            .filter { (ConfigValueDecoder.namesAccount($0.key) || ConfigValueDecoder.namesApplication($0.key))
                && !$0.value.isEmpty && $0.value.count <= 512 }
        var text = DecodedText()
        for entry in (entries + names).sorted(by: { $0.line < $1.line }) {
            let marker = ConfigValueDecoder.namesAccount(entry.key) || ConfigValueDecoder.namesApplication(entry.key)
                ? ConfigValueDecoder.nameMarker : ConfigValueDecoder.marker
            let value = entry.value.replacingOccurrences(of: "\"", with: "\\\"")
            text.append(Array("\(marker)\(entry.key) = \"\(value)\"".utf8), line: entry.line)
        }
        guard text.bytes.count <= limits.remainingBytes else {
            return Decoded(problems: [DecodeProblem(chunk, limits.exhausted)])
        }
        return Decoded(chunks: [chunk.derived(text.bytes, step: DecodeStep(kind))])
    }

    /// Formats whose keys are the text's own words (not made up, as `pgpass[user]@host.password` is).
    static func keysComeFromText(_ format: Format) -> Bool {
        switch format {
        case .yaml, .ini, .properties, .toml, .xml, .json, .phpDefine: true
        default: false
        }
    }

    /// False only when no key of the text can name a secret (`namesSecret`): the text is ASCII
    /// (so a lowercased key holds exactly its letters) and none of `secretNameParts` occurs in
    /// it in any case. Most YAML and JSON files then cost one pass over their bytes, not a parse.
    static func mayNameSecret(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { mayNameSecret($0) }
    }

    static func mayNameSecret(_ line: Substring) -> Bool {
        var line = line
        return line.withUTF8 { mayNameSecret($0) }
    }

    static func mayNameSecret(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        mayHold(secretNamePartBytes, in: buffer)
    }

    /// False only when no key of the line can name an account (`namesAccount`) or an application's
    /// ID (`namesApplication`): as `mayNameSecret`, for the words of `accountLastWords` (`userId`
    /// holds `user`) and an application ID's spellings.
    static func mayNameAccount(_ line: Substring) -> Bool {
        var line = line
        return line.withUTF8 { mayHold(accountNamePartBytes, in: $0) }
    }

    /// Letters only (`nextOccurrence` folds case by `| 0x20`): `app` for an application's ID
    /// (`ALGOLIA_APP_ID`, `applicationId`).
    static let accountNamePartBytes: [[UInt8]] = ["user", "name", "db", "database", "image", "app"].map { Array($0.utf8) }

    /// `mayHold` for every line of `buffer` at once (index 0 is line 1; `bounds` from
    /// `TextLines.lineBounds`). One pass per word over the whole buffer, not one per word and
    /// line: asked line by line, it took a third of the history scan of a repository whose
    /// big YAML and JSON files change in most commits. The words are letters, so a match never
    /// spans a line break.
    static func linesThatMayHold(_ parts: [[UInt8]], in buffer: UnsafeBufferPointer<UInt8>, bounds: [(start: Int, end: Int)]) -> [Bool] {
        var marks = [Bool](repeating: false, count: bounds.count)
        guard let base = buffer.baseAddress, !bounds.isEmpty else { return marks }
        let count = buffer.count
        func line(at offset: Int) -> Int {
            var low = 0
            var high = bounds.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if bounds[middle].start <= offset { low = middle } else { high = middle - 1 }
            }
            return low
        }
        // Marks the line of `offset` and says where the next line starts (a marked line needs no
        // second look).
        func mark(_ offset: Int) -> Int {
            let index = line(at: offset)
            marks[index] = true
            return index + 1 < bounds.count ? bounds[index + 1].start : count
        }
        // A line with any byte whose high bit is set is not ASCII: the parse decides.
        var i = 0
        while i < count {
            if i + 8 <= count, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            i = base[i] & 0x80 != 0 ? mark(i) : i + 1
        }
        for part in parts {
            for upper in [false, true] {
                var at = 0
                while let found = nextOccurrence(of: part, upper: upper, in: base, count: count, from: at) { at = mark(found) }
            }
        }
        return marks
    }

    /// Where `part` (lowercase letters) next occurs from `at`, its first letter in the given case
    /// and the rest in any: memchr for the first letter, then the rest folded (for letters,
    /// `| 0x20` folds exactly what can match).
    @inline(__always)
    static func nextOccurrence(of part: [UInt8], upper: Bool, in base: UnsafePointer<UInt8>, count: Int, from start: Int) -> Int? {
        let first = upper ? part[0] - 32 : part[0]
        var at = start
        while at + part.count <= count, let hit = memchr(base + at, Int32(first), count - at - part.count + 1) {
            let found = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            var same = true
            for k in 1..<part.count where base[found + k] | 0x20 != part[k] { same = false; break }
            if same { return found }
            at = found + 1
        }
        return nil
    }

    /// Whether `buffer` is not ASCII or holds one of `parts` (lowercase ASCII) in any case.
    static func mayHold(_ parts: [[UInt8]], in buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = buffer.baseAddress else { return false }
        let count = buffer.count
        // Any byte with the high bit set: not ASCII, so the parse decides.
        var word: UInt64 = 0
        var i = 0
        while i + 8 <= count {
            word |= UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            i += 8
        }
        while i < count { word |= UInt64(buffer[i]); i += 1 }
        if word & 0x8080_8080_8080_8080 != 0 { return true }
        for part in parts {
            for upper in [false, true] where nextOccurrence(of: part, upper: upper, in: base, count: count, from: 0) != nil {
                return true
            }
        }
        return false
    }

    static let secretNamePartBytes: [[UInt8]] = secretNameParts.map { Array($0.utf8) }

    /// Starts every re-emitted line: the keyword of the rules that read config values only, so
    /// their regexes run on this text and nowhere else.
    public static let marker = "config-value: "
    /// Starts a re-emitted account or database name (`config-name: MYSQL_USER = "docker"`):
    /// no rule reads it as a secret; the filter compares passwords with it.
    public static let nameMarker = "config-name: "

    /// Last words of a key whose value names an account or a database (`DB_USER`, `MYSQL_DATABASE`),
    /// or the stack itself (a compose service's `image`, a manifest's `namespace`): the names a
    /// typed default password is made of (`ValueSignals.stackNameReason`).
    static let accountLastWords: Set<String> = ["user", "username", "database", "db", "dbname", "name", "image", "namespace"]

    /// A key naming an account or a database, and nothing secret. `userId` (a JDBC connection's
    /// account in MyBatis's and Flyway's XML) is one too.
    static func namesAccount(_ key: String) -> Bool {
        guard !holdsSecretPart(key.lowercased()) else { return false }
        let words = snakeCased(key).lowercased().split(whereSeparator: { "_-. []/".contains($0) })
        if words.suffix(2).elementsEqual(["user", "id"]) { return true }
        return words.last.map { accountLastWords.contains(String($0)) } ?? false
    }

    /// A key naming a client application's ID (`ALGOLIA_APP_ID`, `appId`, `applicationId`), and
    /// nothing secret: carried beside the secrets like an account's name, so the filter sees a
    /// search client's configuration (an application ID and an index name beside its key,
    /// `ValueSignals.searchOnlyKeyReason`) in a config file's values too (an Antora build's
    /// `<ALGOLIA_API_KEY>` between its `<ALGOLIA_APP_ID>` and `<ALGOLIA_INDEX_NAME>` in a
    /// `pom.xml`), where only the key's line would otherwise be left. No rule reads it.
    static func namesApplication(_ key: String) -> Bool {
        guard !holdsSecretPart(key.lowercased()) else { return false }
        let words = snakeCased(key).lowercased().split(whereSeparator: { "_-. []/".contains($0) })
        if words.suffix(2).elementsEqual(["app", "id"]) || words.suffix(2).elementsEqual(["application", "id"]) { return true }
        return words.last.map { $0 == "appid" || $0 == "applicationid" } ?? false
    }

    static let secretNameParts = ["pass", "pwd", "secret", "token", "key", "credential", "auth"]

    /// Whether a lowercased key holds one of `secretNameParts`: by bytes when it is ASCII
    /// (asked for every key of every config file), else as Foundation compares strings.
    static func holdsSecretPart(_ lower: String) -> Bool {
        guard lower.utf8.allSatisfy({ $0 < 0x80 }) else { return secretNameParts.contains { lower.contains($0) } }
        let bytes = Array(lower.utf8)
        return secretNamePartBytes.contains { part in
            bytes.count >= part.count && (0...(bytes.count - part.count)).contains { bytes[$0..<$0 + part.count].elementsEqual(part) }
        }
    }

    /// `camelCase` as `camel_Case`: an underscore before each capital letter that follows a
    /// lowercase letter or a digit (what the regex `([a-z0-9])([A-Z])` → `$1_$2` gives, with
    /// no regex compiled per key).
    static func snakeCased(_ key: String) -> String {
        var result = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        for scalar in key.unicodeScalars {
            if let previous, ("a"..."z").contains(previous) || ("0"..."9").contains(previous), ("A"..."Z").contains(scalar) {
                result.append("_")
            }
            result.append(scalar)
            previous = scalar
        }
        return String(result)
    }

    /// Last words of a key that name something beside the secret (`TOKEN_ID`, `PASSWORD_FILE`,
    /// `api_key_header`): the value is an id, a path or a setting.
    static let nonSecretLastWords: Set<String> = [
        "id", "ids", "name", "names", "url", "uri", "host", "user", "username", "path", "file", "dir", "ttl", "expiry",
        "expires", "length", "type", "mode", "header", "field", "prefix", "suffix", "enabled", "required", "policy",
        "method", "algorithm", "algo", "endpoint", "region", "count", "size", "timeout", "hash", "rounds", "env", "var",
        "variable", "format", "version", "hint", "label", "location", "provider", "scope", "scopes", "issuer", "audience",
    ]

    static func namesSecret(_ key: String) -> Bool {
        guard holdsSecretPart(key.lowercased()) else { return false }
        // camelCase `tokenId` ends in `Id` too.
        let words = snakeCased(key).lowercased().split(whereSeparator: { "_-. []/".contains($0) })
        // Helm charts' `existingSecret` / `existingSecretName` (`auth.existingSecret: oauth2-proxy`)
        // name a Kubernetes Secret the chart reads instead of its own value: the leaf key's first
        // word says so, whatever the path above it.
        let leaf = key.split(whereSeparator: { "./[]".contains($0) }).last.map(String.init) ?? key
        if snakeCased(leaf).lowercased().split(whereSeparator: { "_-".contains($0) }).first == "existing" { return false }
        return !(words.last.map { nonSecretLastWords.contains(String($0)) } ?? false)
    }

    /// How many keys a space-separated list of keys may hold, and how long each is at least.
    static let listedSecretCount = 2...8
    static let listedSecretMinimumLength = 24

    /// A value that lists several keys separated by spaces, one entry per key: a service that
    /// rotates its keys takes the current one and the older ones still accepted in one setting
    /// (Hatchet's `SERVER_AUTH_COOKIE_SECRETS: "<base64> <base64>"`, a hash key and a block key).
    /// A value with a space is otherwise prose and never a literal (`isLiteral`); a list is one
    /// only when every item is a random token (24 or more key characters mixing upper case, lower
    /// case and digits), so a sentence, a passphrase of words or `Bearer <token>` stays one value.
    static func listedSecrets(_ entry: Entry) -> [Entry] {
        guard entry.value.contains(" ") else { return [entry] }
        let items = entry.value.split(separator: " ")
        guard listedSecretCount.contains(items.count), items.allSatisfy(isRandomToken) else { return [entry] }
        return items.map { Entry(key: entry.key, value: String($0), line: entry.line) }
    }

    static func isRandomToken(_ item: Substring) -> Bool {
        guard item.count >= listedSecretMinimumLength,
              item.unicodeScalars.allSatisfy({ ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "+/=_-".unicodeScalars.contains($0) })
        else { return false }
        return item.contains(where: \.isUppercase) && item.contains(where: \.isLowercase) && item.contains(where: \.isNumber)
    }

    /// A value written out, not a reference, a boolean, a number or an empty string.
    static func isLiteral(_ value: String) -> Bool {
        guard value.count >= 4, value.count <= 512 else { return false }
        // `tokenize=False,` in a block of program code (a model card's Python sample inside a YAML
        // description): a keyword and the punctuation after it is an argument, not a value.
        let bare = value.hasSuffix(",") || value.hasSuffix(";") ? String(value.dropLast()) : value
        if ["true", "false", "yes", "no", "null", "none", "nil", "~", "on", "off"].contains(bare.lowercased()) { return false }
        if value.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) { return false }
        // Prose (a locale file's `password_too_long: "is too long"`), not a password.
        if value.contains(" ") { return false }
        // `sk-ant-api03-...`: an elided sample.
        if value.contains("...") || value.contains("…") { return false }
        for marker in ["${", "{{", "<%", "%(", "$(", "#{", "ENC[", "!vault", "vault:", "!Ref", "!Sub", "!GetAtt"] where value.contains(marker) {
            return false
        }
        if value.hasPrefix("$") || value.hasPrefix("&") || value.hasPrefix("*") || value.hasPrefix("%") { return false }
        // `("$LATEST")`, `"$HOME/x"`: a shell expansion inside quotes or parentheses.
        if value.contains("\"$") || value.contains("'$") || value.contains("($") { return false }
        // A path to a secrets file (`/run/secrets/db-password`), not the secret.
        if value.hasPrefix("/") || value.hasPrefix("./") || value.hasPrefix("~/") || value.hasPrefix("file:") { return false }
        // Program code in a block of the file (`password = secret['password']`,
        // `secrets_client = boto3.client('secretsmanager')` in an inline Lambda's source).
        if CodeExpression.shape(Array(value.utf8)) != nil { return false }
        return true
    }

    /// `onlyLines`: per line (index 0 is line 1), whether it is read; lines it rejects are
    /// counted but not read.
    public static func entries(_ text: String, format: Format, onlyLines keep: [Bool]? = nil) -> [Entry] {
        var result: [Entry] = []
        var lineNumber = 0
        if case .wholeFile(let key) = format {
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return value.contains("\n") ? [] : [Entry(key: key, value: value, line: 1)]
        }
        for line in TextLines.split(text) {
            lineNumber += 1
            if let keep, lineNumber <= keep.count, !keep[lineNumber - 1] { continue }
            switch format {
            case .yaml: result += yamlEntries(line, line: lineNumber)
            case .ini, .properties, .toml:
                if let entry = assignment(line, line: lineNumber, format: format) { result.append(entry) }
            case .xml: result += xmlEntries(line, line: lineNumber)
            case .json: result += jsonEntries(line, line: lineNumber)
            case .pgpass:
                // host:port:database:user:password (`\:` escapes a colon)
                let fields = line.split(separator: ":", maxSplits: 4, omittingEmptySubsequences: false)
                if fields.count == 5, !line.hasPrefix("#") {
                    result.append(Entry(key: "pgpass[\(fields[3])]@\(fields[0]).password", value: String(fields[4]), line: lineNumber))
                }
            case .netrc, .spaced:
                // `machine h login u password p` (any order, several per line) and `password p`.
                let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                guard words.first?.hasPrefix("#") != true else { break }
                for (i, word) in words.enumerated() where i + 1 < words.count {
                    let key = word.lowercased()
                    if ["password", "passwd", "pass", "smtp_pass", "imap_pass", "pop_pass", "account_password"].contains(key) {
                        result.append(Entry(key: key, value: unquote(words[i + 1]), line: lineNumber))
                    } else if key == "set", i + 3 < words.count || words[i + 1].contains("=") {
                        // muttrc: `set smtp_pass = "…"` / `set imap_pass="…"`
                        let rest = words[(i + 1)...].joined(separator: " ")
                        if let entry = keyValue(Substring(rest), separators: ["="], line: lineNumber) { result.append(entry) }
                    }
                }
            case .gitCredentials:
                // https://user:token@host
                if let scheme = line.range(of: "://"), let at = line.lastIndex(of: "@"), at > scheme.upperBound {
                    let userinfo = line[scheme.upperBound..<at]
                    if let colon = userinfo.firstIndex(of: ":") {
                        let user = userinfo[..<colon]
                        let host = line[line.index(after: at)...].prefix(while: { $0 != "/" })
                        result.append(Entry(key: "git-credentials[\(user)@\(host)].password", value: String(userinfo[userinfo.index(after: colon)...]).removingPercentEncoding ?? "", line: lineNumber))
                    }
                }
            case .wholeFile: break
            case .phpDefine:
                // define('DB_PASSWORD', 'value'); and $db['password'] = 'value';
                result += phpEntries(line, line: lineNumber)
            }
        }
        return result
    }

    // MARK: - YAML

    /// The longest YAML line read for a `key: value` entry (flow mappings are read at any length).
    static let longestEntryLine = 4096

    static func yamlEntries(_ line: Substring, line number: Int) -> [Entry] {
        var rest = line.drop(while: { $0 == " " || $0 == "\t" })
        if rest.hasPrefix("#") { return [] }
        while rest.hasPrefix("- ") { rest = rest.dropFirst(2).drop(while: { $0 == " " }) }
        // Flow mapping, alone or as a key's value: `db: {user: app, password: s3cr3t}`.
        // (Found on the bytes: `{`, `}` and quotes are single ASCII scalars, and long lines are
        // walked once, not Character by Character.)
        let bytes = rest.utf8
        if let open = bytes.firstIndex(of: UInt8(ascii: "{")), let close = bytes.lastIndex(of: UInt8(ascii: "}")), open < close,
           !bytes[..<open].contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") }) {
            return rest[bytes.index(after: open)..<close].split(separator: ",").compactMap { part in
                keyValue(part, separators: [":"], line: number)
            }
        }
        // A line longer than any key and literal value (512 at most, `isLiteral`) put together is
        // a recorded body (a test cassette's JSON string, a data URI): no `key: value` entry can
        // come from it, and reading it Character by Character was most of a history scan of
        // repositories that record their HTTP tests.
        if bytes.count > ConfigValueDecoder.longestEntryLine { return [] }
        // `- KEY=value` (a compose `environment:` list).
        if let entry = keyValue(rest, separators: ["="], line: number), !entry.key.contains(":") { return [entry] }
        guard let entry = keyValue(rest, separators: [":"], line: number) else { return [] }
        return [entry]
    }

    /// `key<sep> value` with the value unquoted (quotes, a trailing ` #` comment and spaces
    /// removed). Nil when the line is not such a pair.
    public static func keyValue(_ text: Substring, separators: [Character], line: Int) -> Entry? {
        let trimmed = text.drop(while: { $0 == " " || $0 == "\t" })
        guard let sep = trimmed.firstIndex(where: { separators.contains($0) }) else { return nil }
        var key = trimmed[..<sep].trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
        if (key.hasPrefix("\"") && key.hasSuffix("\"")) || (key.hasPrefix("'") && key.hasSuffix("'")), key.count >= 2 {
            key = String(key.dropFirst().dropLast())
        }
        guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || "_-.[]/ ".contains($0) }), !key.hasPrefix("-") else { return nil }
        var value = Substring(trimmed[trimmed.index(after: sep)...])
        // `key: value` needs the space in YAML; `key:value` is a scalar such as a URL.
        if separators == [":"], !(value.isEmpty || value.first == " " || value.first == "\t") { return nil }
        value = value.drop(while: { $0 == " " || $0 == "\t" })
        guard let first = value.first else { return nil }
        if first == "|" || first == ">" || first == "{" || first == "[" || first == "!" { return nil }
        let unquoted: String
        if first == "\"" || first == "'" {
            guard let close = value.dropFirst().firstIndex(of: first) else { return nil }
            unquoted = String(value[value.index(after: value.startIndex)..<close])
        } else {
            var plain = value
            if let comment = plain.range(of: " #") { plain = plain[..<comment.lowerBound] }
            unquoted = plain.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
        }
        return Entry(key: key.trimmingCharacters(in: CharacterSet(charactersIn: " \t")), value: unquoted, line: line)
    }

    // MARK: - INI, properties, TOML

    public static func assignment(_ line: Substring, line number: Int, format: Format) -> Entry? {
        let rest = line.drop(while: { $0 == " " || $0 == "\t" })
        guard let first = rest.first, !"#;![".contains(first) else { return nil }
        let separators: [Character] = format == .properties ? ["=", ":"] : ["="]
        guard let sep = rest.firstIndex(where: { separators.contains($0) }) else { return nil }
        // A quoted key closes its quote before the `=` (`"a.b" = 1`). A quote left open is a
        // string in a list, where the `=` is text: `"tiktoken==0.4.0",` in pyproject.toml's
        // dependencies is a version pin, not `tiktoken` set to `=0.4.0"`.
        let rawKey = rest[..<sep].trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
        if let quote = rawKey.first, quote == "\"" || quote == "'", rawKey.count < 2 || rawKey.last != quote { return nil }
        var key = rest[..<sep].trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'"))
        if key.hasPrefix("export ") { key = String(key.dropFirst(7)) }
        guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || "_-. /:@".contains($0) }) else { return nil }
        var value = rest[rest.index(after: sep)...].drop(while: { $0 == " " || $0 == "\t" })
        // `==` compares or pins (`tiktoken==0.4.0` in a setup.cfg requirement list): no assignment.
        if value.first == "=" { return nil }
        // npm `_auth = base64(user:password)`
        if key.hasSuffix("_auth"), let decoded = basicCredentials(String(value)) {
            return Entry(key: "\(key)[\(decoded.user)].password", value: decoded.password, line: number)
        }
        if let quote = value.first, quote == "\"" || quote == "'" {
            guard let close = value.dropFirst().firstIndex(of: quote) else { return nil }
            value = value[value.index(after: value.startIndex)..<close]
        } else {
            if format != .properties, let comment = value.range(of: " #") ?? value.range(of: " ;") { value = value[..<comment.lowerBound] }
        }
        return Entry(key: key, value: value.trimmingCharacters(in: CharacterSet(charactersIn: " \t")), line: number)
    }

    static func unquote(_ word: String) -> String {
        if word.count >= 2, let first = word.first, first == "\"" || first == "'", word.last == first {
            return String(word.dropFirst().dropLast())
        }
        return word
    }

    // MARK: - JSON (credential files: one `"key": "value"` per line, as editors write them)

    static func jsonEntries(_ line: Substring, line number: Int) -> [Entry] {
        var result: [Entry] = []
        var rest = line
        while let open = rest.firstIndex(of: "\"") {
            let afterKey = rest[rest.index(after: open)...]
            guard let close = afterKey.firstIndex(of: "\"") else { break }
            let key = afterKey[..<close]
            var tail = afterKey[afterKey.index(after: close)...].drop(while: { $0 == " " || $0 == "\t" })
            guard tail.first == ":" else { rest = afterKey[afterKey.index(after: close)...]; continue }
            tail = tail.dropFirst().drop(while: { $0 == " " || $0 == "\t" })
            guard tail.first == "\"" else { rest = tail; continue }
            let valueStart = tail.index(after: tail.startIndex)
            var i = valueStart
            while i < tail.endIndex, tail[i] != "\"" { i = tail[i] == "\\" ? tail.index(i, offsetBy: 2, limitedBy: tail.endIndex) ?? tail.endIndex : tail.index(after: i) }
            guard i < tail.endIndex else { break }
            let value = String(tail[valueStart..<i])
            // Docker `config.json` / npm `_auth`: base64 of `user:password`.
            if key == "auth" || key == "_auth", let decoded = basicCredentials(value) {
                result.append(Entry(key: "auth[\(decoded.user)].password", value: decoded.password, line: number))
            } else {
                result.append(Entry(key: String(key), value: value, line: number))
            }
            rest = tail[tail.index(after: i)...]
        }
        return result
    }

    /// `user:password` inside base64, as registries' `auth` fields hold it.
    static func basicCredentials(_ value: String) -> (user: String, password: String)? {
        guard let data = Base64.decode(Array(value.utf8)), let text = String(bytes: data, encoding: .utf8),
              let colon = text.firstIndex(of: ":") else { return nil }
        let password = String(text[text.index(after: colon)...])
        guard !password.isEmpty, password.allSatisfy({ !$0.isNewline }) else { return nil }
        return (String(text[..<colon]), password)
    }

    // MARK: - Quoted pairs (wp-config.php `define('DB_PASSWORD', '…')`, Django `'PASSWORD': '…'`)

    static func phpEntries(_ line: Substring, line number: Int) -> [Entry] {
        let text = line.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
        if text.hasPrefix("//") || text.hasPrefix("#") || text.hasPrefix("*") { return [] }
        // The first two quoted strings, and what stands between them.
        var quoted: [String] = []
        var between = ""
        var rest = Substring(text)
        while quoted.count < 2, let open = rest.firstIndex(where: { $0 == "'" || $0 == "\"" }) {
            if quoted.count == 1 { between = rest[..<open].trimmingCharacters(in: CharacterSet(charactersIn: " \t")) }
            let quote = rest[open]
            let body = rest[rest.index(after: open)...]
            guard let close = body.firstIndex(of: quote) else { break }
            quoted.append(String(body[..<close]))
            rest = body[body.index(after: close)...]
        }
        // define('NAME', 'value') / 'key' => 'value' / 'KEY': 'value' / $x['key'] = 'value'
        if quoted.count == 2, [",", ":", "=>", "=", "] =", "]="].contains(between) {
            return [Entry(key: quoted[0], value: quoted[1], line: number)]
        }
        return []
    }

    // MARK: - XML

    static func xmlEntries(_ line: Substring, line number: Int) -> [Entry] {
        var result: [Entry] = []
        let text = String(line)
        // <password>value</password>
        var search = text.startIndex
        while let open = text.range(of: "<", range: search..<text.endIndex) {
            search = open.upperBound
            let nameEnd = text[open.upperBound...].firstIndex(where: { !($0.isLetter || $0.isNumber || "_-.:".contains($0)) }) ?? text.endIndex
            let tag = String(text[open.upperBound..<nameEnd])
            guard !tag.isEmpty else { continue }
            // Attributes of this tag: name="value".
            let tagEnd = text[nameEnd...].firstIndex(of: ">") ?? text.endIndex
            let attributes = xmlAttributes(text[nameEnd..<tagEnd])
            if let key = attributes.first(where: { ["key", "name"].contains($0.name.lowercased()) })?.value,
               let value = attributes.first(where: { $0.name.lowercased() == "value" })?.value {
                result.append(Entry(key: key, value: value, line: number))
            }
            for attribute in attributes where namesSecret(attribute.name) && !["key", "name", "value"].contains(attribute.name.lowercased()) {
                result.append(Entry(key: attribute.name, value: attribute.value, line: number))
            }
            guard tagEnd < text.endIndex, text[text.index(before: tagEnd)] != "/" else { continue }
            let contentStart = text.index(after: tagEnd)
            if let close = text.range(of: "</\(tag)>", range: contentStart..<text.endIndex) {
                let content = text[contentStart..<close.lowerBound].trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
                let key = attributes.first(where: { ["key", "name"].contains($0.name.lowercased()) })?.value ?? tag
                if !content.contains("<") { result.append(Entry(key: key, value: content, line: number)) }
            }
        }
        return result
    }

    static func xmlAttributes(_ text: Substring) -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        var rest = text
        while let eq = rest.firstIndex(of: "=") {
            let name = rest[..<eq].split(whereSeparator: { $0 == " " || $0 == "\t" }).last.map(String.init) ?? ""
            let after = rest[rest.index(after: eq)...]
            guard let quote = after.first, quote == "\"" || quote == "'",
                  let close = after.dropFirst().firstIndex(of: quote) else { break }
            result.append((name, String(after[after.index(after: after.startIndex)..<close])))
            rest = after[after.index(after: close)...]
        }
        return result
    }
}
