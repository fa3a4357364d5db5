import Foundation
import Testing
@testable import LeakwardCore
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardInputs
@testable import LeakwardModel
@testable import LeakwardPlan
@testable import LeakwardReporting
@testable import LeakwardRules
@testable import LeakwardSupport
@testable import LeakwardVerification

/// The text normalisers and the encodings: CI logs, dotenv, source maps, base64, percent and JS escapes.
@Suite struct TextDecoderTests {
    static let limits = DecodeLimits().forBlob(size: 1 << 20)

    static func decode(_ decoder: some ContentDecoder, _ text: String, path: String) -> [Chunk] {
        decoder.decode(Chunk(bytes: Array(text.utf8), path: path), limits: limits).chunks
    }

    /// The byte check before the config parse: a file no secret key can be in is skipped, in
    /// any letter case; non-ASCII text is always parsed (a lowercased key may differ from its bytes).
    @Test func configValuesAreParsedOnlyWhereASecretKeyMayBe() throws {
        #expect(!ConfigValueDecoder.mayNameSecret(Array("name: app\nreplicas: 3\nimage: nginx\n".utf8)))
        for text in ["DB_PASSWORD: x", "api_Key: x", "AUTH: x", "clientSECRET: x", "pwd = x", "Credentials: x", "token: x", "caf\u{E9}: 1"] {
            #expect(ConfigValueDecoder.mayNameSecret(Array(text.utf8)), "\(text)")
        }
        let yaml = "db:\n  host: localhost\n  DB_PASSWORD: Zq8vR2nT5wXk\n"
        let chunk = try #require(Self.decode(ConfigValueDecoder(), yaml, path: "deploy/values.yaml").first)
        #expect(String(decoding: chunk.bytes, as: UTF8.self).contains("DB_PASSWORD = \"Zq8vR2nT5wXk\""))
        #expect(Self.decode(ConfigValueDecoder(), "db:\n  host: localhost\n  port: 5432\n", path: "values.yaml").isEmpty)
        // Source files are never configuration; env files are, whatever they end in.
        #expect(ConfigValueDecoder.format(of: "index.ts") == nil && ConfigValueDecoder.format(of: "settings.py") == .phpDefine)
        #expect(ConfigValueDecoder.format(of: ".env.local.js") == .ini && ConfigValueDecoder.format(of: "app.yml") == .yaml)
    }

    /// A config file saved with Windows line ends is read line by line like any other: every
    /// key on its own line, the account names beside the password too, at their own line numbers.
    @Test func aCRLFConfigFileIsReadLineByLine() throws {
        let yaml = "name: app\r\ndatabase:\r\n  username: shop\r\n  host: db.internal\r\n  password: Qm7vT2xLp9sW\r\n"
        let chunk = try #require(Self.decode(ConfigValueDecoder(), yaml, path: "config/settings.yml").first)
        let text = String(decoding: chunk.bytes, as: UTF8.self)
        #expect(text.contains("config-value: password = \"Qm7vT2xLp9sW\""), "\(text)")
        #expect(text.contains("config-name: username = \"shop\""), "\(text)")
        #expect(!text.contains("\r"))
        let entries = ConfigValueDecoder.entries("A=1\r\nDB_PASSWORD=Qm7vT2xLp9sW\r\n", format: .ini)
        #expect(entries.map(\.line) == [1, 2] && entries.last?.value == "Qm7vT2xLp9sW")
    }

    /// A recorded body longer than any key and literal value (a test cassette's JSON string) gives
    /// no entry; a flow mapping gives its pairs at any length.
    @Test func aLongYAMLLineIsReadOnlyAsAFlowMapping() {
        let body = String(repeating: "{\"completion_tokens\": 12}, ", count: 300)
        #expect(ConfigValueDecoder.yamlEntries("      string: '\(body)'", line: 1).isEmpty)
        let pairs = (0..<800).map { "k\($0): v" }.joined(separator: ", ")
        let flow = ConfigValueDecoder.yamlEntries("db: {\(pairs), password: Qm7vT2xLp9sW}", line: 1)
        #expect(flow.count == 801 && flow.last?.key == "password" && flow.last?.value == "Qm7vT2xLp9sW")
        #expect(ConfigValueDecoder.yamlEntries("password: Qm7vT2xLp9sW", line: 1).first?.value == "Qm7vT2xLp9sW")
    }

    /// Lines split at their "\n" bytes, a trailing "\r" dropped, empty lines kept or left out.
    @Test func textLinesSplitAtNewlineBytes() {
        #expect(TextLines.split("a\r\nb\n\nc").map(String.init) == ["a", "b", "", "c"])
        #expect(TextLines.split("a\r\n\r\nb\n", omittingEmpty: true).map(String.init) == ["a", "b"])
        #expect(TextLines.split("").map(String.init) == [""])
        #expect(TextLines.split("caf\u{E9}\r\n\u{1F511}").map(String.init) == ["caf\u{E9}", "\u{1F511}"])
    }

    /// The account-name pass reads only lines that may name one (`user`, `name`, `db`, …).
    @Test func accountNamesAreParsedOnlyWhereAnAccountKeyMayBe() {
        for line in ["MYSQL_USER: docker", "dbName: shop", "image: one-api", "POSTGRES_DB=app", "userId=\"root\""] {
            #expect(ConfigValueDecoder.mayNameAccount(Substring(line)), "\(line)")
        }
        #expect(!ConfigValueDecoder.mayNameAccount("replicas: 3"))
    }

    /// A client application's ID is carried beside the secrets like an account's name (a search
    /// client's key is told by its application ID and index name): `ALGOLIA_APP_ID`, `appId`,
    /// `applicationId`, `WECHAT_APPID`; not a secret's name, nor an ID of anything else.
    @Test func anApplicationsIDIsCarriedAsAName() {
        for key in ["ALGOLIA_APP_ID", "appId", "applicationId", "WECHAT_APPID", "search.application-id"] {
            #expect(ConfigValueDecoder.namesApplication(key), "\(key)")
            #expect(ConfigValueDecoder.mayNameAccount(Substring("\(key): X1Y2")), "\(key)")
        }
        for key in ["APP_SECRET", "appKey", "app_id_token", "USER_ID", "happid_key", "client_id"] {
            #expect(!ConfigValueDecoder.namesApplication(key), "\(key)")
        }
        let xml = "<env>\n<ALGOLIA_API_KEY>5c13e8a97fb2046de19a3c52b87d04f6</ALGOLIA_API_KEY>\n<ALGOLIA_APP_ID>WB1FQYI187</ALGOLIA_APP_ID>\n</env>\n"
        let chunk = Self.decode(ConfigValueDecoder(), xml, path: "pom.xml").first
        let text = chunk.map { String(decoding: $0.bytes, as: UTF8.self) } ?? ""
        #expect(text.contains("config-name: ALGOLIA_APP_ID = \"WB1FQYI187\""), "\(text)")
    }

    /// The lines picked in one pass over a whole file are the lines `mayHold` picks one by one:
    /// words at a line's start and end, in either case, split by "\r\n", non-ASCII lines, a
    /// file ending without a newline.
    @Test func linesPickedAtOnceAreTheLinesPickedOneByOne() {
        let text = "name: app\r\nDB_PASSWORD: x\nreplicas: 3\n\ncafé: ok\nuser\npassWord\nimage:v\napi_TOKEN=1\nPASS"
        let bytes = Array(text.utf8)
        for parts in [ConfigValueDecoder.secretNamePartBytes, ConfigValueDecoder.accountNamePartBytes] {
            let atOnce = bytes.withUnsafeBufferPointer { ConfigValueDecoder.linesThatMayHold(parts, in: $0, bounds: TextLines.lineBounds(in: $0)) }
            let oneByOne = TextLines.split(text).map { line in
                var line = line
                return line.withUTF8 { ConfigValueDecoder.mayHold(parts, in: $0) }
            }
            #expect(atOnce == oneByOne)
            #expect(atOnce.contains(true) && atOnce.contains(false))
        }
        #expect(TextLines.split("a\nb\n").map(String.init) == ["a", "b", ""])
    }

    /// A string in a TOML list (a dependency pin) and a `==` comparison are no assignments; a
    /// quoted key that closes its quote is one.
    @Test func aPinInAListIsNoAssignment() {
        #expect(ConfigValueDecoder.assignment("    \"tiktoken==0.4.0\",", line: 1, format: .toml) == nil)
        #expect(ConfigValueDecoder.assignment("    tiktoken==0.4.0", line: 1, format: .ini) == nil)
        #expect(ConfigValueDecoder.assignment("\"api.token\" = \"Zq8vR2nT5wXk\"", line: 1, format: .toml)?.value == "Zq8vR2nT5wXk")
        #expect(ConfigValueDecoder.assignment("token = \"Zq8vR2nT5wXk\"", line: 1, format: .toml)?.key == "token")
    }

    /// The camelCase split and the secret-part test give what the regex and Foundation gave.
    @Test func configKeysAreSplitAtCamelCaseAsTheRegexSplitIt() {
        for key in ["apiKey", "tokenId", "DB_PASSWORD", "aBC", "a1B2C", "ABc", "x\u{301}Y", "clientSecretURL", "passWord9X", "", "\u{1F511}Key"] {
            let regex = key.replacingOccurrences(of: "([a-z0-9])([A-Z])", with: "$1_$2", options: .regularExpression)
            #expect(ConfigValueDecoder.snakeCased(key) == regex, "\(key)")
            let lower = key.lowercased()
            #expect(ConfigValueDecoder.holdsSecretPart(lower) == ConfigValueDecoder.secretNameParts.contains { lower.contains($0) }, "\(key)")
        }
        #expect(ConfigValueDecoder.namesSecret("stripeApiKey") && !ConfigValueDecoder.namesSecret("tokenId"))
        #expect(ConfigValueDecoder.namesAccount("dbUser") && !ConfigValueDecoder.namesAccount("dbPassword"))
    }

    @Test func ciLogNoiseIsBlankedSoLinesAndColumnsStay() throws {
        let log = "2024-05-01T12:00:00.1234567Z ##[group]Run env\n2024-05-01T12:00:01.0000000Z \u{1B}[36mTOKEN=abc\u{1B}[0m\r\nplain\n"
        let chunk = try #require(Self.decode(CILogDecoder(), log, path: "job.log").first)
        let text = String(decoding: chunk.bytes, as: UTF8.self)
        #expect(chunk.bytes.count == log.utf8.count)
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count == 4)
        #expect(text.contains("TOKEN=abc") && !text.contains("\u{1B}") && !text.contains("2024-") && !text.contains("##["))
        // The value sits at the byte offset it had in the original.
        let needle = Array("TOKEN=abc".utf8)
        #expect(ByteSearch.first(needle, in: chunk.bytes) == ByteSearch.first(needle, in: Array(log.utf8)))
    }

    @Test func ciLogsAreRecognisedByPathOrContentOnly() {
        #expect(CILogDecoder.isLog(Chunk(bytes: [], path: "logs_42.zip!build/3_Run tests.txt")))
        #expect(CILogDecoder.isLog(Chunk(bytes: [], path: "ci/output.log")))
        #expect(!CILogDecoder.isLog(Chunk(bytes: [], path: "docs/notes.txt")))
        #expect(CILogDecoder.looksLikeLog(Array("2024-05-01T12:00:00Z starting\n".utf8)))
        #expect(!CILogDecoder.looksLikeLog(Array("name,date\nx,2024-05-01\n".utf8)))
        #expect(Self.decode(CILogDecoder(), "no noise here\n", path: "build.log").isEmpty)
    }

    /// The byte-wise folder test gives what testing the built list of folders gives, and the
    /// log-folder names are judged as their lower-cased Strings were.
    @Test func folderTestEqualsTheFolderList() {
        let roots = ["/work/repo", "/", ".", "a//b/", "/srv/LOGS", "/tmp/lógs"]
        let paths = ["build.txt", "logs/x/run", "Logs_7/a", "a/LOG/b.txt", "x/logs-1/", "//log//y", "logsx/a", "lo/g", "log",
                     "é/logs/a", "lógs/a", "a/logs\u{301}/b", "LOGS"]
        let memberLists: [[String]] = [[], ["logs/inner.txt"], ["a/b", "log/c"], ["x"]]
        func isLog(_ part: Substring) -> Bool {
            let folder = part.lowercased()
            return folder == "logs" || folder == "log" || folder.hasPrefix("logs_") || folder.hasPrefix("logs-")
        }
        for root in roots {
            for path in paths {
                for members in memberLists {
                    let chunk = Chunk(bytes: [], origin: .history(root: root, path: path), members: members)
                    #expect(chunk.hasFolder(where: CILogDecoder.isLogFolder) == chunk.folders.contains(where: isLog), "\(root) \(path) \(members)")
                    for folder in chunk.folders { #expect(CILogDecoder.isLogFolder(folder) == isLog(folder), "\(folder)") }
                    var seen: [Substring] = []
                    _ = chunk.hasFolder { seen.append($0); return false }
                    #expect(seen == chunk.folders, "\(root) \(path) \(members)")
                }
            }
        }
    }

    @Test func dotenvFollowsDotenvSemantics() {
        let env = """
            # comment
            export A=plain # trailing comment
            B='single $KEEP'
            C="double \\"quoted\\"\\nnext"
            D="multi
            line"
            E=${OTHER}
            F=`back`
            """
        let entries = DotenvDecoder.entries(Array(env.utf8))
        #expect(entries.map(\.name) == ["A", "B", "C", "D", "E", "F"])
        #expect(entries.map { String(decoding: $0.value, as: UTF8.self) } == ["plain", "single $KEEP", "double \"quoted\" next", "multi\nline", "${OTHER}", "back"])
        #expect(entries.map(\.line) == [2, 3, 4, 5, 7, 8])
        #expect(entries.map(\.isVerbatim) == [true, true, false, false, true, true])
        #expect(DotenvDecoder.isReference(Array("${OTHER}".utf8)) && !DotenvDecoder.isReference(Array("x${Y}".utf8)))
        // Only entries that needed decoding are re-emitted, each on its own line and named.
        let chunks = Self.decode(DotenvDecoder(), env, path: "app/.env.local")
        #expect(chunks.map { $0.steps.last!.description } == ["dotenv[C]", "dotenv[D]"])
        #expect(String(decoding: chunks[0].bytes, as: UTF8.self) == "\n\n\nC=\"double \"quoted\" next\"")
        #expect(Self.decode(DotenvDecoder(), env, path: "app/config.yaml").isEmpty)
    }

    @Test func sourceMapSourcesBecomeNamedChunks() throws {
        let map = #"{"version":3,"sources":["webpack://_N_E/./src/lib/a.ts","b.ts"],"sourcesContent":["line1\nline2",null],"mappings":""}"#
        let chunks = Self.decode(SourceMapDecoder(), map, path: "dist/app.js.map")
        #expect(chunks.map(\.path) == ["dist/app.js.map!src/lib/a.ts"])
        #expect(chunks.first?.steps == [DecodeStep(.sourcesContent, detail: "src/lib/a.ts")])
        let inline = "var a=1;\n//# sourceMappingURL=data:application/json;charset=utf-8;base64," + Data(map.utf8).base64EncodedString() + "\n"
        let fromInline = Self.decode(SourceMapDecoder(), inline, path: "dist/app.js")
        #expect(fromInline.first?.steps == [DecodeStep(.sourceMappingURL), DecodeStep(.sourcesContent, detail: "src/lib/a.ts")])
        #expect(fromInline.first?.bytes == Array("line1\nline2".utf8))
    }

    @Test func base64FindsKubernetesDockerAndLongRunsButNotMedia() throws {
        let value = "a-decoded-value-long-enough"
        let b64 = Data(value.utf8).base64EncodedString()
        let manifest = "apiVersion: v1\nkind: Secret\ndata:\n  API_TOKEN: \(b64)\n"
        let k8s = try #require(Self.decode(Base64Decoder(), manifest, path: "k8s/s.yaml").first)
        #expect(k8s.steps == [DecodeStep(.base64, detail: "data.API_TOKEN")])
        #expect(String(decoding: k8s.bytes, as: UTF8.self) == "\n\n\n  API_TOKEN=\"\(value)\"")
        let docker = #"{"auths":{"r.io":{"auth":"\#(Data("bot:pa55word-value".utf8).base64EncodedString())"}}}"#
        #expect(String(decoding: Self.decode(Base64Decoder(), docker, path: "config.json").first!.bytes, as: UTF8.self)
            == "username=\"bot\" password=\"pa55word-value\"")
        let sentence = Data("This sentence is long enough to be a base64 run worth decoding.".utf8).base64EncodedString()
        #expect(Self.decode(Base64Decoder(), "x = \"\(sentence)\"\n", path: "a.js").first?.steps == [DecodeStep(.base64)])
        let png = Data((0..<120).map { UInt8(($0 * 37) % 256) }).base64EncodedString()
        #expect(Self.decode(Base64Decoder(), "url(data:image/png;base64,\(png))\n", path: "a.css").isEmpty)
        let hash = String(repeating: "3f786850e387550fdab836ed7e6dc881de23001b", count: 2)
        #expect(Self.decode(Base64Decoder(), "sha: \(hash)\n", path: "lock.json").isEmpty)
    }

    /// The skip-scan that finds long base64 runs reads few bytes of ordinary text; it must
    /// still find exactly the maximal runs a byte-by-byte search finds (with their padding).
    @Test func secretKindIsFoundAsTheTwoSearchesFoundIt() {
        let texts = ["kind: Secret", "kind: \"Secret\"", "kind: \"Secret", "kind:Secret", "Secret kind: Secret", "kind: Secrets",
                     "x\nkind: \"Secret\"\n", "Secret", "\"Secret\"", "kind: SecretkindSecret", "ind: Secret", "kind: 'Secret'", ""]
        for text in texts {
            let bytes = Array(text.utf8)
            let expected = ByteSearch.first(Array("kind: Secret".utf8), in: bytes) != nil
                || ByteSearch.first(Array("kind: \"Secret\"".utf8), in: bytes) != nil
            #expect(Base64Decoder.holdsSecretKind(bytes) == expected, "\(text)")
        }
    }

    /// A history blob is matched in windows only when no decoder needs it whole: for base64,
    /// neither a credential file's name nor a `kind: Secret` marker. So a window's decode may
    /// leave out what only those start, and otherwise decodes as the whole blob's would.
    @Test func base64WindowsLeaveOutOnlyWhatMakesABlobWhole() {
        let decoder = Base64Decoder()
        let partial = PartialMatching(longMatchKeywords: [], decoders: [decoder])
        #expect(partial.wholeBlobKeywords.contains(Array("kind: secret".utf8)))
        #expect(!partial.suits(path: "deploy/.dockercfg") && !partial.suits(path: "app/.npmrc") && partial.suits(path: "app/deploy.rb"))
        let encoded = Data("password=hunter2hunter2 for the deploy job".utf8).base64EncodedString()
        let chunk = Chunk(bytes: Array("let payload = \"\(encoded)\"\n".utf8), path: "app/deploy.rb")
        let window = decoder.decode(window: chunk, limits: DecodeLimits()).chunks.map(\.bytes)
        #expect(!window.isEmpty && window == decoder.decode(chunk, limits: DecodeLimits()).chunks.map(\.bytes))
    }

    /// Config values come only from configuration and credential files by name: a window of
    /// any other blob is not handed to the decoder at all (`mayDecode(at:)`, asked once per blob).
    @Test func configValuesAreDecodedOnlyWhereTheirFilesAre() {
        let decoder = ConfigValueDecoder()
        #expect(!decoder.mayDecode(at: Chunk(bytes: [], path: "app/models/user.rb")))
        #expect(decoder.mayDecode(at: Chunk(bytes: [], path: "config/database.yml")))
        #expect(decoder.mayDecode(at: Chunk(bytes: [], path: "config/credentials/production.key")))
        // What `mayDecode` rules out, `decode` derives nothing from, whatever the bytes.
        let text = Array("password: \"hunter2-but-longer\"\n".utf8)
        #expect(decoder.decode(Chunk(bytes: text, path: "app/models/user.rb"), limits: DecodeLimits()).chunks.isEmpty)
        #expect(!decoder.decode(Chunk(bytes: text, path: "config/database.yml"), limits: DecodeLimits()).chunks.isEmpty)
    }

    @Test func base64RunSearchEqualsAPlainScan() {
        var rng = SystemRandomNumberGenerator()
        // Words, separators, long runs and padding, mixed so runs of every length occur.
        let pieces: [[UInt8]] = [Array("abc".utf8), Array("ActiveRecord".utf8), Array(" ".utf8), Array("\n".utf8),
                                 Array("::".utf8), Array("==".utf8), Array("=".utf8), Array("-_+/".utf8),
                                 Array(String(repeating: "QmFzZTY0", count: 5).utf8), Array("x".utf8), Array("(".utf8)]
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...60, using: &rng) { bytes += pieces.randomElement(using: &rng)! }
            var plain: [[Int]] = []
            let isRunByte = { (b: UInt8) in Base64.runTable[Int(b)] != 0 }
            var i = 0
            while i < bytes.count {
                guard isRunByte(bytes[i]) else { i += 1; continue }
                var end = i
                while end < bytes.count, isRunByte(bytes[end]) { end += 1 }
                var padded = end
                while padded < bytes.count, padded - end < 2, bytes[padded] == 61 { padded += 1 }
                if end - i >= Base64Decoder.minimumRun { plain.append([i, end, padded]) }
                i = end
            }
            var skipped: [[Int]] = []
            bytes.withUnsafeBufferPointer { buffer in
                Base64Decoder.forEachRun(in: buffer, minimum: Base64Decoder.minimumRun) { run, padded in
                    skipped.append([run.lowerBound, run.upperBound, padded.upperBound])
                }
            }
            #expect(skipped == plain, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    /// The run search tests 16-byte blocks: a run is found whatever its length around the
    /// minimum and wherever it starts relative to the blocks, also at the buffer's ends.
    @Test func base64RunsAreFoundAtEveryOffsetAndLength() {
        let letters = Array("QmFzZTY0+/-_abcXYZ789".utf8)
        for length in 28...72 {
            for offset in 0..<34 {
                for tail in [0, 1, 5, 17] {
                    var bytes = [UInt8](repeating: 32, count: offset)
                    bytes += (0..<length).map { letters[$0 % letters.count] }
                    bytes += [UInt8](repeating: 10, count: tail)
                    var found: [Range<Int>] = []
                    bytes.withUnsafeBufferPointer { buffer in
                        Base64Decoder.forEachRun(in: buffer, minimum: Base64Decoder.minimumRun) { run, _ in found.append(run) }
                    }
                    #expect(found == (length >= Base64Decoder.minimumRun ? [offset..<offset + length] : []),
                            "length \(length) at \(offset), \(tail) after")
                }
            }
        }
    }

    /// Every byte value: the 16-byte block test and the table agree on what a run byte is.
    @Test func base64RunBlocksAgreeWithTheRunTable() {
        for byte in 0...255 {
            var bytes = [UInt8](repeating: 65, count: 48)
            bytes[20] = UInt8(byte)
            var found: [Range<Int>] = []
            bytes.withUnsafeBufferPointer { buffer in
                Base64Decoder.forEachRun(in: buffer, minimum: Base64Decoder.minimumRun) { run, _ in found.append(run) }
            }
            #expect(found == (Base64.runTable[byte] != 0 ? [0..<48] : []), "byte \(byte)")
        }
    }

    @Test func percentAndJSEscapesDecodeTheTokenThatHoldsThem() throws {
        let percent = try #require(Self.decode(PercentDecoder(), "url: mysql://u:p%40ss%2Fw0rd@h/db\n", path: "a.yaml").first)
        #expect(String(decoding: percent.bytes, as: UTF8.self) == "mysql://u:p@ss/w0rd@h/db")
        #expect(Self.decode(PercentDecoder(), "width: 100% of it\n", path: "a.css").isEmpty)
        let js = try #require(Self.decode(JSEscapeDecoder(), "a\nvar t=\"\\x67\\x68\\u0070\\u{5f}x\";\n", path: "a.js").first)
        #expect(String(decoding: js.bytes, as: UTF8.self) == "\nghp_x")
        #expect(js.steps == [DecodeStep(.jsEscape)])
    }

    @Test func decodedTextKeepsPiecesOnTheirLines() {
        var text = DecodedText()
        text.append(Array("a".utf8), line: 3)
        text.append(Array("b".utf8), line: 3)
        text.append(Array("c".utf8), line: 5)
        #expect(String(decoding: text.bytes, as: UTF8.self) == "\n\na b\n\nc")
    }
}
