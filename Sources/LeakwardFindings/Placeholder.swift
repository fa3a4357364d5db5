import LeakwardSupport

/// Recognises values that only look like secrets: placeholders, templates, references to
/// variables, documentation examples and degenerate strings.
public enum Placeholder {
    public static let words = [
        "example", "your", "xxxx", "changeme", "change_me", "change-me", "dummy", "placeholder", "sample",
        "redacted", "insert", "replace", "todo", "fixme", "<", ">", "****", "....", "…", "lorem", "notreal",
        "not_real", "not-a-real", "fake_", "_fake", "changethis", "change_this", "change-this", "test_key_here", "secret_here", "key_here", "token_here",
        "do_not_use", "do-not-use", "donotuse", "somerandomstring",
        // `sk-ThisIsABogusOpenAIApiKey…`: a README's key-shaped sentence saying it is none.
        "bogus",
        // `sk-mockopenaiAPIkeyinexpectedformatfortestingonly`: a test's key-shaped sentence saying
        // what it is for.
        "fortesting", "testingonly",
        // French templates: `SMTP_PASS=votre-mot-de-passe` ("your password").
        "votre", "mot-de-passe", "mot_de_passe", "motdepasse",
    ]
    static let referencePrefixes = [
        "${", "$(", "{{", "%(", "#{", "process.env", "import.meta.env", "os.environ", "os.getenv", "env(", "env[",
        "getenv(", "secrets.", "vars.", "context.", "settings.", "config.", "this.", "self.",
        // Secret-manager references (1Password `op://vault/item/field`, Vault and AWS ARNs).
        "op://", "vault://", "arn:aws:secretsmanager:",
        // A config loader's own reference scheme: `"api_key": "env:OPENAI_API_KEY"` (mem0,
        // LiteLLM-style configs), `HF_TOKEN: secret:HF_TOKEN` (a deploy manifest naming a stored secret).
        "env:", "secret:",
        // A secrets provider's key URL (Pulumi's `secretsprovider: gcpkms://projects/…/cryptoKeys/…`,
        // Go CDK's `awskms://`, `azurekeyvault://`, `hashivault://`): where the secrets are
        // encrypted, not a secret.
        "gcpkms://", "awskms://", "azurekeyvault://", "hashivault://",
    ]
    // `1a2b3c4d5e6f…`, `a1b2c3d4…`: the alphabet and the digits in turn, typed to fill a sample.
    static let sequences = ["0123456789", "123456789", "12345678", "abcdefgh", "qwertyui", "abcdef123456", "1a2b3c4d5e6f", "a1b2c3d4e5f6"]
    /// Keys printed in providers' documentation and tutorials: public, never anyone's credential.
    static let documentedExamples: Set<String> = [
        "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        // jwt.io's sample token and secret
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        // Stripe's documentation keys
        "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "pk_test_TYooMQauvdEDq54NiTphI7jx", "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
        "pk_test_6pRNASCoBOKtIshFeQd4XMUh",
        // Azurite / Azure Storage Emulator well-known account key
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
        // The Azure Cosmos DB emulator's well-known account key (Microsoft's docs print it for
        // `https://localhost:8081/`; every Cosmos SDK's tests and samples connect with it)
        "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==",
        // Supabase local development (supabase start) demo keys
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU",
        "super-secret-jwt-token-with-at-least-32-characters-long",
        // Supabase self-hosting's docker-compose default for Realtime's SECRET_KEY_BASE
        "UpNVntn3cDxHJpq99YMc1T1AQgQpc8kfYTuRgBiYa15BLrx8etQoXz3gZv1/u2oq",
        // RFC 6749 (OAuth 2.0) examples, copied into every OAuth library's docs and tests
        "2YotnFZFEjr1zCsicMWpAA", "tGzv3JOkF0XG5Qx2TlKWIA", "czZCaGRSa3F0MzpnWDFmQmF0M2JW", "SplxlOBeZQQYbYS6WxSbIA",
        "mF_9.B5f-4.1JqM", "8xLOxBtZp8", "gX1fBat3bV", "s6BhdRkqt3",
        // Telegram's "Bots: An introduction for developers" sample bot token
        "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
        // discord.py's guide ("A real token looks like"), copied into bot tutorials
        "MjM4NDk0NzU2NTIxMzc3Nzky.CunGFQ.wUILz7z6HoJzVeq6pyHPmVgQgV4",
        // The Standard Webhooks specification's test secret, copied into every implementation's
        // signature tests (OpenAI's, Svix's, the PHP and Python clients'), with and without `whsec_`.
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        // Hardhat's and Anvil's default development accounts #0-#2: every local Ethereum node
        // prints these keys at start, and samples paste them as "the test wallet".
        "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
        "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
        "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
        "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
        "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
        "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    ]

    /// Why `secret` is not a real secret, or nil when it may be one.
    public static func reason(for secret: [UInt8]) -> String? {
        // Nearly every candidate is ASCII: judged as bytes, the same tests without String
        // searches (Foundation's substring search was 1.6 % of a Rails history scan).
        secret.contains(where: { $0 >= 0x80 }) ? textReason(for: secret) : asciiReason(for: secret)
    }

    /// `reason(for:)` on the secret as a String (any text).
    static func textReason(for secret: [UInt8]) -> String? {
        let raw = String(decoding: secret, as: UTF8.self)
        if documentedExamples.contains(raw) { return "documented example key" }
        let text = raw.lowercased()
        if let word = words.first(where: { text.contains($0) }) { return "placeholder (\(word))" }
        if let prefix = referencePrefixes.first(where: { text.hasPrefix($0) }) { return "variable reference (\(prefix))" }
        // `[PASSWORD]`, `[YOUR-API-KEY]`: a bracketed slot for the reader to fill in.
        if text.hasPrefix("["), text.hasSuffix("]") { return "placeholder ([…])" }
        if isFormatField(secret) { return "placeholder ({name})" }
        if isEnvSubstitution(secret) { return "variable reference ({env:NAME})" }
        if text.hasPrefix("$") && text.dropFirst().allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
            return "variable reference ($)"
        }
        if isSecretManagerVersion(Array(text.utf8)) { return "variable reference (a secret manager's NAME:latest)" }
        if let sequence = sequences.first(where: { text.contains($0) }) { return "sequential characters (\(sequence))" }
        if secret.count >= 8 && Set(secret).count <= 3 { return "repeated characters" }
        if hasLongRun(secret, length: 8) { return "repeated characters" }
        if !raw.contains(where: { $0.isLetter || $0.isNumber }) { return "no letter or digit" }
        return nil
    }

    static let wordBytes = words.map { Array($0.utf8) }
    static let referencePrefixBytes = referencePrefixes.map { Array($0.utf8) }
    static let sequenceBytes = sequences.map { Array($0.utf8) }
    static let documentedExampleBytes = Set(documentedExamples.map { Array($0.utf8) })

    /// `reason(for:)` of an ASCII secret: for ASCII, lower-casing is per byte, a String's
    /// characters are its bytes (but "\r\n", which no needle holds) and letters and numbers
    /// are A–Z, a–z and 0–9, so these byte tests give the same answers.
    static func asciiReason(for secret: [UInt8]) -> String? {
        if documentedExampleBytes.contains(secret) { return "documented example key" }
        let text = secret.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        if let k = wordBytes.firstIndex(where: { contains(text, $0) }) { return "placeholder (\(words[k]))" }
        if let k = referencePrefixBytes.firstIndex(where: { text.starts(with: $0) }) { return "variable reference (\(referencePrefixes[k]))" }
        if text.first == UInt8(ascii: "["), text.last == UInt8(ascii: "]") { return "placeholder ([…])" }
        if isFormatField(secret) { return "placeholder ({name})" }
        if isEnvSubstitution(secret) { return "variable reference ({env:NAME})" }
        if text.first == UInt8(ascii: "$"), text.dropFirst().allSatisfy({ isASCIIWordByte($0) }) {
            return "variable reference ($)"
        }
        if isSecretManagerVersion(text) { return "variable reference (a secret manager's NAME:latest)" }
        if let k = sequenceBytes.firstIndex(where: { contains(text, $0) }) { return "sequential characters (\(sequences[k]))" }
        if isCountingRuns(text) { return "sequential characters (runs counting up)" }
        if secret.count >= 8 && Set(secret).count <= 3 { return "repeated characters" }
        if hasLongRun(secret, length: 8) { return "repeated characters" }
        // `JWT_SECRET_KEY=.*` in a `sed` pattern, `KEY=-`: with no letter or digit it is a
        // pattern, a mask or punctuation, not a value.
        if !secret.contains(where: isAlphanumeric) { return "no letter or digit" }
        return nil
    }

    /// A secret's name and `:latest` (lower-cased here): Cloud Run's `--set-secrets=ENV=NAME:latest`
    /// and `--update-secrets` name a Secret Manager secret and its version, read at deploy time.
    static func isSecretManagerVersion(_ text: [UInt8]) -> Bool {
        let suffix = Array(":latest".utf8)
        guard text.count > suffix.count, text.suffix(suffix.count).elementsEqual(suffix) else { return false }
        let name = text.dropLast(suffix.count)
        return name.first.map(isAlphanumeric) == true && name.allSatisfy { isASCIIWordByte($0) || $0 == UInt8(ascii: "-") }
    }

    /// Extensions of files that hold keys and certificates, or a configuration naming them.
    static let keyFileExtensions: Set<String> = ["txt", "pem", "key", "crt", "cer", "der", "p12", "pfx", "jks", "keystore", "json", "pub", "ppk"]

    /// `certs/alipay/privateKey.txt`: a relative path of two segments or more, of name bytes,
    /// the last a file name with a key file's extension. Base64 has no `.`; a key has no such end.
    /// The file names `ssh-keygen` gives keys by default, private and public.
    static let sshKeyFileNames: Set<String> = ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk",
                                               "id_rsa.pub", "id_dsa.pub", "id_ecdsa.pub", "id_ed25519.pub"]

    static func isKeyFilePath(_ text: String) -> Bool {
        let segments = text.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count >= 2, let file = segments.last, let dot = file.lastIndex(of: "."),
              keyFileExtensions.contains(file[file.index(after: dot)...].lowercased()) else { return false }
        return segments.allSatisfy { segment in
            !segment.isEmpty && segment.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
        }
    }

    /// `AbC123dEf` (Neon's documented sample password), `abc123def`: letters and digits counting
    /// up in runs of three or more, one run of letters at least, three runs or more: how a person
    /// fills a slot that wants both (lower-cased input).
    static func isCountingRuns(_ text: [UInt8]) -> Bool {
        guard text.count >= 6, text.count <= 40 else { return false }
        let isDigit: (UInt8) -> Bool = { $0 >= 48 && $0 <= 57 }
        let isLetter: (UInt8) -> Bool = { $0 >= 97 && $0 <= 122 }
        guard text.allSatisfy({ isDigit($0) || isLetter($0) }) else { return false }
        var runs: [(length: Int, letters: Bool)] = []
        for (i, byte) in text.enumerated() {
            if i > 0, byte == text[i - 1] &+ 1, isDigit(byte) == isDigit(text[i - 1]) {
                runs[runs.count - 1].length += 1
            } else {
                runs.append((1, isLetter(byte)))
            }
        }
        // Three runs at least: `abc12345` (two) was a real database password on the panel.
        return runs.count >= 3 && runs.allSatisfy { $0.length >= 3 } && runs.contains { $0.letters }
    }

    private static func isASCIIWordByte(_ b: UInt8) -> Bool {
        (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == 95
    }

    /// Whether `needle` occurs in `haystack` (both short: a secret and a word).
    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= haystack.count else { return needle.isEmpty }
        let first = needle[0]
        for start in 0...(haystack.count - needle.count) where haystack[start] == first {
            var k = 1
            while k < needle.count, haystack[start + k] == needle[k] { k += 1 }
            if k == needle.count { return true }
        }
        return false
    }

    /// `{__relative_name__}`, `{api_key}`, `{config.token}`: a format string's replacement field
    /// (Python `str.format`, a generator's template), words inside braces; the name of what goes
    /// there. Random text inside braces (Jenkins' `{AQAAAB…}` ciphertext) breaks into digits and
    /// one-letter case runs instead.
    static func isFormatField(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 4, bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else { return false }
        let inner = Array(bytes.dropFirst().dropLast().drop { $0 == 95 }.reversed().drop { $0 == 95 }.reversed())
        guard inner.count >= 2 else { return false }
        return inner.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy(LiteralValue.isIdentifierOfWords)
    }

    /// tox's substitution of an environment variable, `{env:NAME}` or `{env:NAME:default}`
    /// (`OPENAI_API_KEY = {env:OPENAI_API_KEY}` under `tox.ini`'s `setenv`, passing the developer's
    /// keys to the test run): the environment's value, read when tox runs, not a value. A default
    /// that is a name too (another `{env:…}` is not reached here) or empty holds no literal either.
    static func isEnvSubstitution(_ bytes: [UInt8]) -> Bool {
        let prefix = Array("{env:".utf8)
        guard bytes.count > prefix.count + 1, bytes.starts(with: prefix), bytes.last == UInt8(ascii: "}") else { return false }
        let inner = bytes[prefix.count..<(bytes.count - 1)]
        let parts = inner.split(separator: UInt8(ascii: ":"), maxSplits: 1, omittingEmptySubsequences: false)
        guard let name = parts.first, !name.isEmpty, name.allSatisfy(isASCIIWordByte) else { return false }
        return parts.count == 1 || parts[1].allSatisfy(isASCIIWordByte)
    }

    /// The period of a stretch that repeats itself (`sk-live-7f3a9c2e8b1d4f6a9c2e8b1d4f6a…`): at least 12
    /// characters (and a whole period) equal to those a period later. A person typed it; random
    /// text does so with odds below 16^-12.
    static func repeatingPeriod(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 16 else { return nil }
        for period in 2...16 where period * 2 <= bytes.count {
            var run = 0
            for i in 0..<(bytes.count - period) {
                run = bytes[i] == bytes[i + period] ? run + 1 : 0
                if run >= max(period, 12) { return period }
            }
        }
        return nil
    }

    private static func hasLongRun(_ bytes: [UInt8], length: Int) -> Bool {
        var run = 1
        for i in bytes.indices.dropFirst() {
            run = bytes[i] == bytes[i - 1] ? run + 1 : 1
            if run >= length { return true }
        }
        return false
    }

    /// Names whose values look random but are not credentials: hashes, ids, nonces, public halves.
    static let nonSecretNameParts = [
        "hash", "sha", "digest", "checksum", "integrity", "commit", "etag", "nonce", "csrf", "xsrf", "fingerprint",
        // `"theme_token":"…"` in a saved Drupal page's `ajaxPageState`: the page's anti-forgery token.
        "theme_token",
        // `FPTOKEN=` in a cookie header copied from a search engine's page: the browser
        // fingerprint its anti-bot script sets for every visitor, bound to no account.
        "fptoken",
        // `cf_clearance` / `clearanceToken`: the cookie Cloudflare sets once a browser passed its
        // bot challenge, bound to that browser's address and user agent; it opens no account.
        "clearance",
        // A Home Assistant add-on's `ingress_token` (in its `addon.json`, in a backup) is the path
        // segment of its ingress URL; the Supervisor lets a request through only with a session.
        "ingress_token",
        // A Plex `claimToken` (`claim-…`) links a new server to an account once, within four minutes.
        "claimtoken", "claim_token",
        // A model's token budget (`MaxTokensAnthropicSonnet35 = "max-tokens-3-5-sonnet-2024-07-15"`,
        // the beta header that raises it; `max_tokens`): tokens of text, not of authentication.
        "maxtoken", "max_token", "max-token",
        // `REDACTED_CREDENTIAL_VALUE = '_FLOWISE_BLANK_<uuid>'`: the sentinel shown in place of a
        // secret that was taken out.
        "redacted",
        // `tiktoken`: a tokenizer's encoding file (`"…/cl100k_base.tiktoken": "<sha1>"`, its checksum).
        "public", "publishable", "tokenizer", "tiktoken", "uuid", "guid", "cache", "salt_rounds", "pagination", "cursor", "next_token",
        "nexttoken", "page_token", "pagetoken", "continuation", "placeholder", "example", "sample", "dummy", "mock", "fake",
        "name", "label", "prefix", "address", "key_id", "keyid", "credentialsid", "credentials_id", "token_id", "tokenid", "client_id", "clientid", "app_id", "appid", "account_id", "accountid", "_field", "field_",
    ]

    /// Whole names of a stored credential's record id: `"credentialId":"n7nP…"` in an n8n audit
    /// log names the credential, not its data. Whole only: Jenkins' `tokenCredentialId:` is where
    /// people paste the Slack token itself.
    static let recordIdNames: Set<String> = ["credentialid", "credential_id", "credential-id"]

    /// Last words of an environment variable's name that make it a setting, not a credential
    /// (`EXTERNAL_AUTH_MODE`, `PORTKEY_MODEL_PREF`, `OCI_AUTH_FILE_LOCATION`, `AWS_ACCESS_KEY_ID`).
    static let settingNameEnds: Set<String> = [
        "mode", "pref", "prefs", "model", "location", "path", "file", "dir", "url", "uri", "host", "port", "name", "type",
        "provider", "endpoint", "region", "timeout", "ttl", "expiry", "expires", "expiration", "length", "header",
        "issuer", "audience", "algorithm", "scope", "scopes", "version", "enabled", "strategy", "method", "format",
        "limit", "id",
    ]

    /// Whether the variable a hard-coded fallback stands in for (the last name in `prefix`, the
    /// match up to the fallback that holds a credential's word) ends in a setting's word.
    public static func namesSetting(fallbackOf prefix: UnsafeBufferPointer<UInt8>) -> Bool {
        let isNameByte: (UInt8) -> Bool = { LiteralValue.isLetter($0) || LiteralValue.isDigit($0) || $0 == 95 }
        let credentialWords = ["secret", "token", "passw", "pwd", "key", "credential", "auth"]
        let names = prefix.split(whereSeparator: { !isNameByte($0) }).map { String(decoding: $0, as: UTF8.self).lowercased() }
        guard let name = names.last(where: { n in credentialWords.contains(where: { n.contains($0) }) }),
              let last = name.split(separator: "_").last else { return false }
        return settingNameEnds.contains(String(last))
    }

    /// Last words of a name that say the value is a place (`tokenUrl`, `auth_endpoint`), when the
    /// value is a path or URL too. `token_file = "/AstrBot/data/.cli_token"`, `keyDir`: the file
    /// or folder the secret is read from, not the secret.
    static let nonSecretNameEnds = ["url", "uri", "path", "endpoint", "host", "route", "file", "filename", "dir", "folder"]

    /// `20B_tokenizer.json`, `service-account.key.json`: a file's name and a lower-case extension
    /// of letters (and digits after the first: `mp3`), the whole value. Base64 and hex keys hold
    /// no dot, and a JWT's last part is its signature, never a short word.
    static func isBareFileName(_ text: String) -> Bool {
        guard let dot = text.lastIndex(of: "."), dot != text.startIndex else { return false }
        let stem = text[..<dot], ext = text[text.index(after: dot)...]
        guard (2...10).contains(ext.count), let first = ext.first, first.isASCII, first.isLowercase,
              ext.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber) }) else { return false }
        return stem.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) }
    }

    /// For generic rules only: values shaped like something other than a credential.
    /// `acceptsUUID`: the rule reads keys issued as UUIDs (`uuid_value`), so a UUID is its format there.
    public static func genericReason(for secret: [UInt8], variable: String?, acceptsUUID: Bool = false) -> String? {
        let text = String(decoding: secret, as: UTF8.self)
        if isUUID(secret) { return acceptsUUID ? nil : "a UUID" }
        // Only for values with no format of their own: tests build fake provider tokens by
        // repeating a chunk, and a provider's format is judged by its own rule.
        if let period = repeatingPeriod(secret) { return "a typed pattern repeating every \(period) characters" }
        if let name = variable?.lowercased(), let part = nonSecretNameParts.first(where: { ByteSearch.asciiContains($0, in: name) ?? name.contains($0) }) {
            return "the name says it is not a credential (\(part))"
        }
        if let name = variable?.lowercased(), recordIdNames.contains(name) {
            return "the name says it is a stored credential's record id (\(name))"
        }
        // `tokenUrl`, `password_reset_path`, `credentials_path: "~/.wechaty/…"`: the value says where, not what.
        if let name = variable?.lowercased(), nonSecretNameEnds.contains(where: { name.hasSuffix($0) }),
           ["/", "http", "~/", "./", "../"].contains(where: text.hasPrefix) {
            return "the name says it is a location, not a credential"
        }
        // `PIPELINE(model, tokens_path="20B_tokenizer.json")`: a bare file name (no folder) under a
        // name that says where, the file the tokens or the key are read from.
        if let name = variable?.lowercased(), nonSecretNameEnds.contains(where: { name.hasSuffix($0) }), isBareFileName(text) {
            return "the name says it is a location, and the value is a file name"
        }
        // `"nodeCredentialType": "googleDriveOAuth2Api"` (an n8n workflow export's node),
        // `token_type`, `secretType`: a name ending in `type` holds the kind of a credential, a
        // type's name written as one word (letters, digits, `_`, `.`, `-`), never the credential.
        if let name = variable?.lowercased(), name.hasSuffix("type"), isTypeName(text) {
            return "the name says it holds a kind of credential (…type), not one"
        }
        // `process.env.AUTH_URL || "http://localhost:3000"`: an address, not a credential.
        if (text.hasPrefix("http://") || text.hasPrefix("https://")), !text.contains("@") { return "a URL without credentials" }
        if looksLikeIdentifier(text) { return "an identifier or words, not random" }
        // `"password": snowflake_password,` in YAML: a program's variable and the comma after it,
        // code inside a config file's block text (a profile's embedded Python, a test's JavaScript).
        if text.count >= 4, text.hasSuffix(","), text.dropLast().allSatisfy({ $0.isASCII && ($0.isLowercase || $0 == "_") }) {
            return "a variable and its comma, code inside a config file"
        }
        // `accessToken: 'eyJ0eXAi…...'`: a sample cut short on purpose in documentation.
        if text.count >= 12, text.hasSuffix("...") { return "an elided sample (...)" }
        // `sk-KltHM7dsS8x2oL0KGJ69XXX`: a key shown with its tail masked by capital X's, as people
        // redact a key before pasting a command. A random key ends in `XXX` once in 238,000.
        if text.count >= 12, text.hasSuffix("XXX"), text.contains(where: { $0 != "X" && $0.isLetter }) {
            return "a key with its tail masked (XXX)"
        }
        // `sk-ant-api03---dfg9zwAA`: a key's prefix and its last characters with the middle cut
        // out, the cut left as a run of hyphens. Random keys hold no `---` (a PEM armour's five
        // hyphens are no cut).
        if text.count >= 12, text.contains("---"), !text.contains("-----") { return "an elided sample (---)" }
        // `os.getenv("OCI_AUTH_FILE_LOCATION", "~/.oci/config")`: a file path, not a credential.
        if ["~/", "./", "../"].contains(where: text.hasPrefix) { return "a file path" }
        // `PrivateKey = "certs/alipay/privateKey.txt"`: where the key file is, not the key.
        if isKeyFilePath(text) { return "a file path" }
        // `secretKey: id_ed25519` (the key an ExternalSecret fills in a Kubernetes Secret, named
        // after the file it holds): the default name `ssh-keygen` gives a key file, not a key.
        if sshKeyFileNames.contains(text.lowercased()) { return "an SSH key file's name" }
        if isScopeName(text) { return "a dotted scope or key name (syntax highlighting, i18n)" }
        // Jenkins keeps credentials as `{AQAAABAAAA…}`: ciphertext under the controller's own key.
        if text.hasPrefix("{AQAAAB") || text.hasPrefix("AQAAABAAAA") { return "a Jenkins-encrypted value (ciphertext)" }
        if text.hasPrefix("sha1-") || text.hasPrefix("sha256-") || text.hasPrefix("sha384-") || text.hasPrefix("sha512-") {
            return "an integrity hash"
        }
        // `apiKey: "public_12a1…"` (Bytescale/Upload.io): a key that calls itself the public
        // one is the half made for browser code; secret halves say `secret_`.
        if text.hasPrefix("public_") || text.hasPrefix("public-") { return "a key that names itself public" }
        if isPrefixWithCount(text) { return "a key prefix and a counting run (a placeholder)" }
        if isBarePrefix(text) { return "a key's prefix alone, the rest left to fill in (a placeholder)" }
        if isDefaced(secret) { return "a key whose start was overwritten by one repeated character (defaced)" }
        if isSubstitutionToken(secret) { return "a build-time substitution token (@NAME@)" }
        if isRegionName(text) { return "a cloud region name" }
        if isAlgorithmName(text) { return "an algorithm's name (a setting's choice)" }
        if let name = variable, isModelName(text, variable: name) { return "a model's name under a name that says model" }
        if isResourcePath(secret) { return "a resource name (a path of words and ids), not a credential" }
        if isCommandLineFlag(secret) { return "a command-line flag's name" }
        if isWordList(secret) { return "a comma-separated list of names, a setting's choices" }
        // `STRIPE_WEBHOOK_SECRET=whsec_***`: a value masked by asterisks, shown without its secret.
        if text.hasSuffix("***") { return "a masked value (***)" }
        if let name = variable, isCSSModuleClass(text, of: name) { return "a CSS module's class name (its name and a hash)" }
        if isJWTHeaderAlone(secret) { return "a JWT's header alone (no claims, no signature)" }
        return nil
    }

    /// `"api-key-text": "api-key-text___sIBAC"` in a built bundle: CSS modules rename each class
    /// to its local name, `___` or `__`, and a short hash of the file (css-loader's
    /// `[local]___[hash:base64:5]`, the default of umi and many webpack configs). The map from
    /// local to generated names ships to every browser; the hash is the stylesheet's, no key.
    static func isCSSModuleClass(_ text: String, of name: String) -> Bool {
        for separator in ["___", "__"] where text.hasPrefix(name + separator) {
            let hash = text.dropFirst(name.count + separator.count)
            if (5...8).contains(hash.count), hash.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
                return true
            }
        }
        return false
    }

    /// `Authorization: Bearer eyJhbGciOiJIUzI1NiJ9` in a sample request: base64url of a JWT's
    /// header (`{"alg":"HS256"}`) and nothing after it, the start of a token cut where its claims
    /// begin. A JWT has two dots; a credential that is base64 JSON with no dot (Grafana's
    /// `eyJrIjoi…`, `{"k":…,"n":…}`) names fields of its own and stays.
    static func isJWTHeaderAlone(_ secret: [UInt8]) -> Bool {
        guard secret.count >= 12, secret.starts(with: Array("eyJ".utf8)), !secret.contains(UInt8(ascii: ".")),
              let decoded = Base64.decode(secret), decoded.first == UInt8(ascii: "{"), decoded.last == UInt8(ascii: "}") else { return false }
        // The keys a JOSE header names: its members are `"name":` pairs of these alone.
        let headerKeys: Set<String> = ["alg", "typ", "kid", "cty", "crit", "x5t", "jku", "x5u"]
        let text = String(decoding: decoded.dropFirst().dropLast(), as: UTF8.self)
        var keys: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "\"") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "\"") else { return false }
            let token = String(after[..<close])
            rest = after[after.index(after: close)...]
            // A key is a string followed by a colon; a value is followed by a comma or nothing.
            if rest.drop(while: { $0 == " " }).first == ":" { keys.append(token) }
        }
        return keys.contains("alg") && keys.allSatisfy(headerKeys.contains)
    }

    /// `process.env.AUTH_PROVIDERS || 'github,credentials'`, `scopes: "email,profile"`: a list of
    /// lower-case words, two or more, between commas (a space after each allowed). It names the
    /// choices a setting takes; a generated secret has no commas between dictionary-shaped runs.
    /// Constant names in capitals (`CLASS_DEF, METHOD_DEF`, a checkstyle rule's `tokens`) are
    /// such a list too: every item in capitals, words joined by `_`.
    static func isWordList(_ bytes: [UInt8]) -> Bool {
        let items = bytes.split(separator: 44, omittingEmptySubsequences: false)
        guard items.count >= 2 else { return false }
        let lower = items.allSatisfy { item in
            let word = item.drop { $0 == 32 }
            let parts = word.split(omittingEmptySubsequences: false) { $0 == 45 || $0 == 95 }
            return parts.allSatisfy { $0.count >= 2 && isLowerWord($0) }
        }
        return lower || items.allSatisfy { item in
            let parts = item.drop { $0 == 32 }.split(omittingEmptySubsequences: false) { $0 == 95 }
            return parts.allSatisfy { $0.count >= 2 && $0.allSatisfy { $0 >= 65 && $0 <= 90 } }
        }
    }

    /// `projects/123/secrets/my-secret/versions/1`, `secret/data/app/config`: a resource name
    /// or a secret store's path, three parts or more, each lower-case words (`-`, `_`) or a
    /// number. It says where a secret is kept, not what it is; random base64 holds `/` between
    /// mixed-case runs with digits inside.
    static func isResourcePath(_ bytes: [UInt8]) -> Bool {
        let parts = bytes.split(separator: 47, omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return false }
        var wordParts = 0
        for part in parts {
            if !part.isEmpty, part.allSatisfy(LiteralValue.isDigit) { continue }
            let words = part.split(omittingEmptySubsequences: false) { $0 == 45 || $0 == 95 }
            guard words.allSatisfy(isLowerWord) else { return false }
            wordParts += 1
        }
        return wordParts >= 2
    }

    /// `` `--oidc-service-account-email`, ``: a flag's name quoted in help text.
    static func isCommandLineFlag(_ bytes: [UInt8]) -> Bool {
        let quotes: Set<UInt8> = [96, 39, 34, 44]
        let inner = Array(bytes.drop { quotes.contains($0) }.reversed().drop { quotes.contains($0) }.reversed())
        guard inner.count >= 4, inner.starts(with: [45, 45]) else { return false }
        let words = inner.dropFirst(2).split(separator: 45, omittingEmptySubsequences: false)
        return words.allSatisfy(isLowerWord)
    }

    /// A lower-case word, perhaps with a version (`secrets`, `v1`, `oauth2`).
    private static func isLowerWord(_ word: ArraySlice<UInt8>) -> Bool {
        LiteralValue.isWordWithVersion(word) && !word.contains { $0 >= 65 && $0 <= 90 }
    }

    /// `SG.1234`, `whsec_1234`, `sk_test_123`: a provider's key prefix (letters, `_` inside) and
    /// digits counting up by one. It holds the place of a key in a template; no key ends so.
    static func isPrefixWithCount(_ text: String) -> Bool {
        guard let cut = text.lastIndex(where: { $0 == "." || $0 == "_" || $0 == "-" }) else { return false }
        let head = text[..<cut], digits = Array(text[text.index(after: cut)...].utf8)
        guard (1...12).contains(head.count), head.first?.isLetter == true, head.allSatisfy({ $0.isLetter || $0 == "_" }),
              (3...10).contains(digits.count), digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return false }
        return zip(digits, digits.dropFirst()).allSatisfy { $1 == $0 + 1 }
    }

    /// `NVIDIA_API_KEY="nvapi-"`, `AI_PLAYGROUND_API_KEY="nvapi-*"`, `TAVILY_API_KEY=tvly-`: a
    /// provider's key prefix (a letter, then letters and digits, up to 12) and its separator with
    /// nothing after it but a star or dots: an env template's slot showing which key goes there.
    /// No generated secret ends at its own separator.
    static func isBarePrefix(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let cut = bytes.firstIndex(where: { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }) else { return false }
        let head = bytes[..<cut], tail = bytes[(cut + 1)...]
        guard (2...12).contains(head.count), let first = head.first, LiteralValue.isLetter(first),
              head.allSatisfy({ LiteralValue.isLetter($0) || LiteralValue.isDigit($0) }) else { return false }
        return tail.allSatisfy { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: ".") }
    }

    /// `OPENAI_API_KEY=111111T…`, `BEARER_TOKEN=111mFt…`: a key its author defaced before
    /// committing, its first characters overwritten by one repeated letter or digit (at least
    /// four), the rest left as it was. A random key starts so with odds of 1 in 4,096 (hex) or
    /// less; no generated key keeps four equal characters at its head on purpose.
    static func isDefaced(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 12, let first = bytes.first, isAlphanumeric(first) else { return false }
        let head = bytes.prefix { $0 == first }.count
        return head >= 4 && bytes.count - head >= 8
    }

    /// `@@phpIdsVersion@@`, `@project.version@`: Ant and Maven filter tokens, replaced at build
    /// time; the value is the name of what goes there.
    static func isSubstitutionToken(_ bytes: [UInt8]) -> Bool {
        let inner = bytes.drop { $0 == UInt8(ascii: "@") }.reversed().drop { $0 == UInt8(ascii: "@") }
        let ats = bytes.count - inner.count
        guard ats >= 2, bytes.first == UInt8(ascii: "@"), bytes.last == UInt8(ascii: "@"), !inner.isEmpty else { return false }
        return inner.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool { (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }

    /// Words naming hash, cipher and signature algorithms and their sizes and modes.
    static let algorithmWords: Set<String> = [
        "scram", "sha", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3", "md5", "hmac", "aes", "aes128", "aes192",
        "aes256", "gcm", "cbc", "ctr", "cfb", "ofb", "ecb", "chacha20", "poly1305", "xchacha20", "des", "3des", "rsa",
        "ecdsa", "ed25519", "x25519", "oaep", "pss", "pkcs1", "pkcs7", "hs256", "hs384", "hs512", "rs256", "rs384", "rs512",
        "es256", "es384", "es512", "ps256", "ps384", "ps512", "eddsa", "bcrypt", "scrypt", "argon2", "argon2i", "argon2d",
        "argon2id", "pbkdf2", "blowfish", "plain",
    ]

    /// `password_encryption = scram-sha-256` (postgresql.conf), `JWT_ALGORITHM=HS256`,
    /// `ENCRYPTION_METHOD=aes-256-gcm`: the value names an algorithm, the setting's choice beside
    /// a credential's word, made only of algorithm words and sizes (`-`, `_`, `/` between them).
    /// An issued secret is random letters; none spells only these words.
    static func isAlgorithmName(_ text: String) -> Bool {
        let parts = text.lowercased().split(whereSeparator: { "-_/".contains($0) }).map(String.init)
        guard !parts.isEmpty, parts.count <= 5 else { return false }
        let named = parts.filter { algorithmWords.contains($0) }
        return !named.isEmpty && parts.allSatisfy { algorithmWords.contains($0) || ($0.count <= 4 && $0.allSatisfy(\.isNumber)) }
    }

    /// `us-east-1`, `europe-west4`, `us-east1-gcp` (Pinecone's environments): where a service
    /// runs, read from the environment beside the key (`os.getenv("…", "us-east1-gcp")`).
    static func isRegionName(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard (2...4).contains(parts.count), regionAreas.contains(parts[0]) else { return false }
        let direction = parts[1].prefix { $0.isLetter }
        guard regionDirections.contains(String(direction)), parts[1].dropFirst(direction.count).allSatisfy(\.isNumber) else { return false }
        return parts.dropFirst(2).allSatisfy { $0.allSatisfy(\.isNumber) || ["gcp", "aws", "azure"].contains($0) }
    }

    /// `GOOGLE_MODEL_FOR_API_KEY_CHECK = "gemini-2.0-flash-lite"`, `OPENAI_MODEL_KEY = "gpt-4o-mini"`:
    /// the name holds the word `model` (split at `_`, `-`, `.` and camelCase) and the value is a
    /// model's id, words of lower-case letters and version numbers joined by `-`, `.`, `:` or `/`
    /// (`claude-3-opus-20240229`, `llama3.1:8b`), with a letter run of two or more first. The
    /// credential word in the name (`API_KEY`) is what the model is for, not what the value is.
    /// An issued key has no separators between dictionary-shaped runs.
    static func isModelName(_ text: String, variable: String) -> Bool {
        guard let words = ValueSignals.words(of: Array(variable.utf8), namesWithNumbers: true),
              words.contains(where: { $0 == "model" || $0 == "models" }) else { return false }
        let parts = text.split(whereSeparator: { "-.:/".contains($0) }).map(String.init)
        guard parts.count >= 2, text.count <= 64, !text.contains("--"),
              let first = parts.first, first.count >= 2, first.allSatisfy({ $0.isASCII && $0.isLowercase }) else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty && part.count <= 12 && part.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) }
        }
    }

    static let regionAreas: Set<String> = ["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx", "asia", "europe",
                                           "australia", "northamerica", "southamerica", "africa"]
    static let regionDirections: Set<String> = ["north", "south", "east", "west", "central", "northeast", "southeast",
                                                "northwest", "southwest", "northcentral", "southcentral", "westcentral"]

    /// `keyword.operator.actionscript.2`, `support.function.dom`: lower-case words joined by dots
    /// (syntax-highlighting scopes, translation keys), at least three of them.
    public static func isScopeName(_ text: String) -> Bool {
        let segments = text.split(separator: ".", omittingEmptySubsequences: false)
        guard segments.count >= 3 else { return false }
        return segments.allSatisfy { segment in
            guard let first = segment.first, first.isLowercase || segment.allSatisfy(\.isNumber) else { return false }
            return segment.allSatisfy { ($0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "-" || $0 == "_" }
        }
    }

    /// 8-4-4-4-12 hex.
    public static func isUUID(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == 36 else { return false }
        for (i, b) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(i) { if b != UInt8(ascii: "-") { return false } } else if !isHex(b) { return false }
        }
        return true
    }

    static func isHex(_ b: UInt8) -> Bool { (b >= 48 && b <= 57) || (b >= 97 && b <= 102) || (b >= 65 && b <= 70) }

    /// `bert-base-uncased`, `my_app.session_store`, `getUserAccessToken`, `SOME_CONSTANT_NAME`:
    /// letters only, made of words (separated, or camelCase with lower-case runs).
    /// A type's name as code writes one (`googleDriveOAuth2Api`, `service_account`, `Bearer`): it
    /// starts with a letter, holds only letters, digits, `_`, `.` and `-`, and at most two digits
    /// (a random key of sixteen characters or more holds more).
    static func isTypeName(_ text: String) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter else { return false }
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }) else { return false }
        return text.filter(\.isNumber).count <= 2
    }

    public static func looksLikeIdentifier(_ text: String) -> Bool {
        guard !text.isEmpty, !text.contains(where: { $0.isNumber }) else { return false }
        let separators: Set<Character> = ["-", "_", ".", "/"]
        let segments = text.split(whereSeparator: { separators.contains($0) })
        guard segments.allSatisfy({ $0.allSatisfy({ $0.isASCII && $0.isLetter }) }) else { return false }
        let isWord: (Substring) -> Bool = { segment in
            segment.count >= 2 && (segment == segment.lowercased()[...] || segment == segment.uppercased()[...]
                || (segment.first!.isUppercase && segment.dropFirst() == segment.dropFirst().lowercased()[...]))
        }
        if segments.count >= 2, segments.allSatisfy(isWord) {
            return true
        }
        // An HTTP extension header's name (`X-DingTalk-Secret`, `X-Api-Key`): `X-` and capitalised
        // words, compounds too (`DingTalk`), with hyphens only. The header a secret travels in is
        // named in specs and code; the value is elsewhere.
        let isCapitalised: (Substring) -> Bool = { segment in
            guard segment.count >= 2, segment.first!.isUppercase, segment.dropFirst().first!.isLowercase else { return false }
            var previousUpper = true
            for c in segment.dropFirst() {
                if c.isUppercase, previousUpper { return false }
                previousUpper = c.isUppercase
            }
            return !previousUpper
        }
        if segments.count >= 3, segments.first == "X" || segments.first == "x", !text.contains(where: { "_./".contains($0) }),
           segments.dropFirst().allSatisfy(isCapitalised) {
            return true
        }
        // camelCase / PascalCase: single capitals each starting a lower-case run, words of
        // three letters or more on average (random letters alternate case far more often).
        let chars = Array(text.filter { !separators.contains($0) })
        var i = 0
        var words = 0
        while i < chars.count {
            if chars[i].isUppercase { i += 1 }
            var run = 0
            while i < chars.count, chars[i].isLowercase { run += 1; i += 1 }
            guard run >= 1 else { return false }
            words += 1
        }
        return words >= 3 && chars.count >= 3 * words
    }

    /// Whether `offset` lies inside the base64 payload of a `data:` URI (inline images, fonts):
    /// random base64 contains every short prefix sooner or later.
    public static func isInsideDataURI(_ offset: Int, in buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = offset
        let floor = max(0, offset - 4_000_000)
        while i > floor, isBase64(buffer[i - 1]) { i -= 1 }
        guard i >= 8, buffer[i - 1] == UInt8(ascii: ",") else { return false }
        let marker = Array(";base64".utf8)
        return Array(buffer[(i - 1 - marker.count)..<(i - 1)]) == marker
    }

    private static func isBase64(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 43 || b == 47 || b == 61
            || b == 45 || b == 95
    }
}
