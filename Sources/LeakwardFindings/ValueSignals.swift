import Foundation
import LeakwardRules
import LeakwardSupport

/// What a value says about itself (`rules/context/values.toml`, data): a stand-in phrase a
/// person wrote in a secret's place, a key its framework marks as development-only, or a
/// password for a database on the developer's own machine. `FindingFilter` reports a
/// formatless finding that is one of these at info with the reason; `LocationContext` says
/// where it sits, this says what it is.
public struct ValueSignals: Sendable {
    var environmentWords: Set<String> = []
    var environmentPhrases: [[String]] = []
    var namingWords: Set<String> = []
    /// `[stand_in] instruction_words`: a first word addressing the reader (`please`).
    var instructionWords: [[UInt8]] = []
    var developmentKeyPrefixes: [String] = []
    /// `[development_keys] markers`: comments a framework's generator writes above a development key.
    var developmentKeyMarkers: [[UInt8]] = []
    var developmentMarkerLines = 0
    /// `[encrypted_values] prefixes`: a tool's encryption envelope opening a value.
    var encryptedPrefixes: [String] = []
    var localHostNames: Set<String> = []
    var localHostPrefixes: [String] = []
    var localHostSuffixes: [String] = []
    var singleLabelHostsAreLocal = false
    var nameKeys: [String] = []
    /// `[repeated_name] account_keys`: keys that name an account under a secret's word.
    var accountKeys: [String] = []
    /// `[repeated_name] equal_everywhere`: a password equal to its user name is no secret anywhere.
    var equalNameEverywhere = false
    var hostedDatabaseSuffixes: [String] = []
    /// `[public_databases]`: hosts of databases whose operators publish a read-only login, lower-cased,
    /// and how many lines around a password are read for one.
    var publicDatabaseHosts: [[UInt8]] = []
    var publicDatabaseLines = 0
    /// `[test_runs] line_markers`: an environment assignment naming a test run, on the value's line.
    var testRunMarkers: [[UInt8]] = []
    /// `[built_bundles] file_prefixes`: how a bundler's output file opens.
    var bundlePrefixes: [[UInt8]] = []
    /// `[served_pages]`: how an HTML document opens (lower case), the markers of its public
    /// address, and how far into the file they are looked for.
    /// `[api_descriptions]`: the version keys an OpenAPI or Swagger document opens with.
    var apiDescriptionKeys: [[UInt8]] = []
    var apiDescriptionHeadBytes = 0
    var servedPageOpenings: [[UInt8]] = []
    var servedPageMarkers: [[UInt8]] = []
    var servedPageHeadBytes = 0
    /// `[served_pages] provider_rules`: provider rules whose keys a served page carries by design.
    public internal(set) var servedPageProviderRules: Set<String> = []
    /// `[public_addresses]`: SHA-256 digests (hex) of public addresses under key-shaped names.
    var publicAddresses: Set<String> = []
    /// `[search_only_keys]`: the markers of a search client's configuration, and the lines read around.
    var searchApplicationMarkers: [[UInt8]] = []
    var searchIndexMarkers: [[UInt8]] = []
    var searchExcludedNameWords: [String] = []
    var searchKeyLines = 0
    /// `[browser_configs]`: the names a generated browser configuration gives a key, the field
    /// names beside it that say which generator wrote it, and the lines read around.
    var browserConfigNames: [String] = []
    var browserConfigMarkers: [[UInt8]] = []
    var browserConfigLines = 0
    /// `[declared_public]`: comments calling a key public and read-only (or intentionally public),
    /// and the lines read around.
    var declaredPublicMarkers: [[UInt8]] = []
    var declaredPublicLines = 0
    /// `[write_only_keys]`: how an analytics write key's name ends, the words that say the code
    /// around it talks to an analytics service, and how many lines around it are read.
    var writeOnlyKeyNames: [String] = []
    var writeOnlyKeyMarkers: [[UInt8]] = []
    var writeOnlyKeyLines = 0
    var weak = WeakValues()
    /// `[test_vectors]`: words of a test's assertion, and how many lines around a hash are read.
    var testMarkers: [[UInt8]] = []
    var testVectorLines = 0
    /// `[signature_vectors]`: how a webhook scheme's signature value opens (`v1,`), how many
    /// base64 or hex characters follow at least, and how many lines around a secret are read.
    var signaturePrefixes: [[UInt8]] = []
    /// `[signature_vectors] names`: words of a name a signature value is assigned to (`signature`).
    var signatureNames: [[UInt8]] = []
    var signatureMinLength = Int.max
    var signatureLines = 0
    /// `[front_end_requests]`: how a request presents itself as a site's page or an installed app
    /// (written without spaces, lower case), and how many lines around a value are read.
    var frontEndMarkers: [[UInt8]] = []
    var frontEndLines = 0
    /// `[typed_values]`: the capitalised words a phrase after a provider's prefix needs.
    var phraseWordsAfterPrefix = Int.max
    /// `[signed_media_urls]`: path endings of a media file's URL.
    var mediaExtensions: [String] = []
    /// `[model_outputs]`: how a line of an eval run's output file opens (a record's ID key), the
    /// keys holding the model's answer, and the file endings such files have.
    var modelOutputIDKeys: [[UInt8]] = []
    var modelOutputKeys: [[UInt8]] = []
    var modelOutputExtensions: [String] = []
    /// `[local_tls_keys]`: how the file name of a key for this machine's own host name starts
    /// and ends (mkcert's `localhost-key.pem`).
    var localKeyNamePrefixes: [String] = []
    var localKeyNameSuffixes: [String] = []
    /// `[published_plaintext]`: comments stating a hash's password, and how many lines around are read.
    var plaintextMarkers: [[UInt8]] = []
    var plaintextLines = 0
    /// `[published_clients]`: project numbers of OAuth clients their vendors publish, and the lines read around.
    var publishedClients: [[UInt8]] = []
    /// `[published_clients] client_ids`: client IDs of installed apps whose vendors ship the client secret, as written.
    var publishedClientIDs: Set<[UInt8]> = []
    var publishedClientLines = 0
    /// `[documented_samples]`: words that introduce a sample in prose, and how far before the value they may sit.
    var sampleMarkers: [[UInt8]] = []
    /// Whether a marker alone on the line above introduces a value too (`# 例如` over a snippet).
    var sampleMarkerLineAbove = false
    var sampleMarkerDistance = 0
    /// `[hashed_samples]`: hex digests of the passwords every sample seeds, lower-cased.
    var hashedSamples: Set<String> = []
    /// `[default_passwords]`: the well-known default passwords a crypt-style hash is tested
    /// against, most common first (`DefaultPasswordHashes`).
    public internal(set) var defaultPasswords: [String] = []
    /// `[default_passwords] max_hashes_per_file`: a file with more distinct hashes is a user table.
    public internal(set) var defaultPasswordMaxHashesPerFile = 0
    /// `[published_secrets]`: SHA-256 digests (hex) of values a framework's template or a vendor's
    /// docs publish for every derived project to ship, lower-cased.
    var publishedSecrets: Set<String> = []
    /// `[provider_key_names]`: the words of an API key's name, and the qualifiers that name no provider.
    var providerCredentialWords: Set<String> = []
    var providerJoinedWords: Set<String> = []
    var genericQualifiers: Set<String> = []
    /// `[provider_key_names] sample_fragments`: text a documented sample spells (`random`, `your`), lower-cased.
    var sampleFragments: [String] = []
    /// `[cut_short_keys]`: the provider words of a key's name, the prefix that provider's keys
    /// start with, the body lengths keys under that prefix are issued with below the shortest
    /// full one, and that shortest full body.
    var cutShortNames: [String] = []
    var cutShortPrefix: [UInt8] = []
    var cutShortIssuedBodies: Set<Int> = []
    var cutShortFullBody = 0

    /// `[weak_values]`: the shapes of values a person typed into a sample (see values.toml).
    struct WeakValues: Sendable {
        var maxDigits = 0
        var keyboardWalks: [String] = []
        var walkMinLength = Int.max
        var keyboardRows: [Set<UInt8>] = []
        var mashMinLength = Int.max
        /// A long mash with a word or a stray key in it: at least this long, and at least this
        /// share of its characters from one row (`long_mash_min_length`, `long_mash_share`).
        var longMashMinLength = Int.max
        var longMashShare = 1.0
        var countingRunMin = Int.max
        var roleWords: [String] = []
        var sampleWords: Set<String> = []
        var singleWordMax = 0
        var phraseMinWords = Int.max
        /// Symbol or digit → the letter it stands for in leetspeak (`@` → `a`, `0` → `o`).
        var leet: [UInt8: UInt8] = [:]
        /// Letters of a password made of the stack's names left uncovered by them; -1: no such check.
        var stackUncovered = -1
        /// Last words of keys that name the stack's parts (`namespace`, `image`), beside `[repeated_name] keys`.
        var stackNameKeys: Set<String> = []
        /// Sample passwords vendors print in their own documentation (`Pass@word1`), lower-cased.
        var vendorSamples: Set<String> = []
        /// `stack_names_everywhere`: a password of the stack's own names is no secret in production configuration either.
        var stackNamesEverywhere = false
        /// At most this many letters before a counting run of `shortPrefixRunMin` digits or more
        /// (`aa123456`); 0: no such check.
        var shortPrefixLetters = 0
        var shortPrefixRunMin = Int.max
    }

    /// The catalogue in `rules/context/values.toml`, parsed once. Its tests keep it valid.
    public static let bundled = BundledRules.catalogue(at: "rules/context/values.toml") { try ValueSignals(toml: $0, path: $1) }

    init() {}

    static let keys: [String: Set<String>] = [
        "stand_in": ["environment_words", "environment_phrases", "naming_words", "instruction_words"],
        "development_keys": ["prefixes", "markers", "marker_lines"],
        "repeated_name": ["keys", "equal_everywhere", "account_keys"],
        "encrypted_values": ["prefixes"],
        "local_hosts": ["names", "prefixes", "suffixes", "single_label"],
        "hosted_databases": ["suffixes"],
        "public_databases": ["hosts", "lines"],
        "test_runs": ["line_markers"],
        "built_bundles": ["file_prefixes"],
        "served_pages": ["openings", "address_markers", "head_bytes", "provider_rules"],
        "api_descriptions": ["version_keys", "head_bytes"],
        "weak_values": ["max_digits", "keyboard_walks", "walk_min_length", "keyboard_rows", "mash_min_length", "counting_run_min",
                        "role_words", "sample_words", "single_word_max", "phrase_min_words", "leet_letters",
                        "stack_uncovered", "stack_name_keys", "vendor_samples", "stack_names_everywhere",
                        "short_prefix_letters", "short_prefix_run_min", "long_mash_min_length", "long_mash_share"],
        "test_vectors": ["markers", "lines"],
        "signature_vectors": ["prefixes", "names", "min_length", "lines"],
        "front_end_requests": ["markers", "lines"],
        "typed_values": ["phrase_words_after_prefix"],
        "published_plaintext": ["markers", "lines"],
        "published_clients": ["project_numbers", "client_ids", "lines"],
        "hashed_samples": ["digests"],
        "default_passwords": ["passwords", "max_hashes_per_file"],
        "published_secrets": ["sha256"],
        "public_addresses": ["sha256"],
        "declared_public": ["markers", "lines"],
        "write_only_keys": ["names", "markers", "lines"],
        "search_only_keys": ["application_markers", "index_markers", "excluded_name_words", "lines"],
        "browser_configs": ["names", "markers", "lines"],
        "documented_samples": ["markers", "distance", "marker_line_above"],
        "expired_tokens": ["grace_days"],
        "signed_media_urls": ["extensions"],
        "model_outputs": ["id_keys", "output_keys", "extensions"],
        "local_tls_keys": ["name_prefixes", "name_suffixes"],
        "provider_key_names": ["credential_words", "joined_words", "generic_qualifiers", "sample_fragments"],
        "cut_short_keys": ["names", "prefix", "issued_body_lengths", "shortest_full_body"],
    ]

    public init(toml text: String, path: String) throws {
        let document = try TOMLReader.parse(text, path: path)
        for (section, value) in document {
            guard let known = ValueSignals.keys[section] else { throw RuleError.unknownKey(path: path, rule: "file", key: section) }
            guard let table = value.table else {
                throw RuleError.badValue(path: path, rule: section, key: section, message: "expected a table")
            }
            for key in table.keys where !known.contains(key) { throw RuleError.unknownKey(path: path, rule: section, key: key) }
        }
        func list(_ section: String, _ key: String) -> [String] {
            (document[section]?.table?[key]?.strings ?? []).map { $0.lowercased() }
        }
        environmentWords = Set(list("stand_in", "environment_words"))
        environmentPhrases = list("stand_in", "environment_phrases").map { $0.split(separator: " ").map(String.init) }
        namingWords = Set(list("stand_in", "naming_words"))
        instructionWords = list("stand_in", "instruction_words").map { Array($0.utf8) }
        developmentKeyPrefixes = list("development_keys", "prefixes")
        developmentKeyMarkers = list("development_keys", "markers").map { Array($0.utf8) }
        developmentMarkerLines = document["development_keys"]?.table?["marker_lines"]?.int ?? 0
        encryptedPrefixes = list("encrypted_values", "prefixes")
        localHostNames = Set(list("local_hosts", "names"))
        localHostPrefixes = list("local_hosts", "prefixes")
        localHostSuffixes = list("local_hosts", "suffixes")
        singleLabelHostsAreLocal = document["local_hosts"]?.table?["single_label"]?.bool ?? false
        nameKeys = list("repeated_name", "keys")
        accountKeys = list("repeated_name", "account_keys")
        equalNameEverywhere = document["repeated_name"]?.table?["equal_everywhere"]?.bool ?? false
        hostedDatabaseSuffixes = list("hosted_databases", "suffixes")
        publicDatabaseHosts = list("public_databases", "hosts").map { Array($0.utf8) }
        publicDatabaseLines = document["public_databases"]?.table?["lines"]?.int ?? 0
        testRunMarkers = list("test_runs", "line_markers").map { Array($0.utf8) }
        // As written (not lower-cased): a bundler writes its banner the same way every time.
        bundlePrefixes = (document["built_bundles"]?.table?["file_prefixes"]?.strings ?? []).map { Array($0.utf8) }
        apiDescriptionKeys = (document["api_descriptions"]?.table?["version_keys"]?.strings ?? []).map { Array($0.utf8) }
        apiDescriptionHeadBytes = document["api_descriptions"]?.table?["head_bytes"]?.int ?? 0
        servedPageOpenings = list("served_pages", "openings").map { Array($0.utf8) }
        servedPageMarkers = (document["served_pages"]?.table?["address_markers"]?.strings ?? []).map { Array($0.utf8) }
        servedPageHeadBytes = document["served_pages"]?.table?["head_bytes"]?.int ?? 0
        servedPageProviderRules = Set(document["served_pages"]?.table?["provider_rules"]?.strings ?? [])
        publicAddresses = Set(list("public_addresses", "sha256"))
        searchApplicationMarkers = list("search_only_keys", "application_markers").map { Array($0.utf8) }
        searchIndexMarkers = list("search_only_keys", "index_markers").map { Array($0.utf8) }
        searchExcludedNameWords = list("search_only_keys", "excluded_name_words")
        searchKeyLines = document["search_only_keys"]?.table?["lines"]?.int ?? 0
        browserConfigNames = list("browser_configs", "names")
        browserConfigMarkers = list("browser_configs", "markers").map { Array($0.utf8) }
        browserConfigLines = document["browser_configs"]?.table?["lines"]?.int ?? 0
        declaredPublicMarkers = list("declared_public", "markers").map { Array($0.utf8) }
        declaredPublicLines = document["declared_public"]?.table?["lines"]?.int ?? 0
        writeOnlyKeyNames = list("write_only_keys", "names")
        writeOnlyKeyMarkers = list("write_only_keys", "markers").map { Array($0.utf8) }
        writeOnlyKeyLines = document["write_only_keys"]?.table?["lines"]?.int ?? 0
        let weakTable = document["weak_values"]?.table ?? [:]
        func number(_ key: String, _ fallback: Int) -> Int { weakTable[key]?.int ?? fallback }
        weak = WeakValues(maxDigits: number("max_digits", 0), keyboardWalks: list("weak_values", "keyboard_walks"),
                          walkMinLength: number("walk_min_length", Int.max),
                          keyboardRows: list("weak_values", "keyboard_rows").map { Set($0.utf8) },
                          mashMinLength: number("mash_min_length", Int.max), countingRunMin: number("counting_run_min", Int.max),
                          roleWords: list("weak_values", "role_words"), sampleWords: Set(list("weak_values", "sample_words")),
                          singleWordMax: number("single_word_max", 0), phraseMinWords: number("phrase_min_words", Int.max),
                          stackUncovered: number("stack_uncovered", -1), stackNameKeys: Set(list("weak_values", "stack_name_keys")),
                          vendorSamples: Set(list("weak_values", "vendor_samples")),
                          stackNamesEverywhere: weakTable["stack_names_everywhere"]?.bool ?? false,
                          shortPrefixLetters: number("short_prefix_letters", 0),
                          shortPrefixRunMin: number("short_prefix_run_min", Int.max))
        weak.longMashMinLength = number("long_mash_min_length", Int.max)
        weak.longMashShare = weakTable["long_mash_share"]?.number ?? 1.0
        testMarkers = list("test_vectors", "markers").map { Array($0.utf8) }
        testVectorLines = document["test_vectors"]?.table?["lines"]?.int ?? 0
        signaturePrefixes = list("signature_vectors", "prefixes").map { Array($0.utf8) }
        signatureNames = list("signature_vectors", "names").map { Array($0.utf8) }
        signatureMinLength = document["signature_vectors"]?.table?["min_length"]?.int ?? Int.max
        signatureLines = document["signature_vectors"]?.table?["lines"]?.int ?? 0
        frontEndMarkers = list("front_end_requests", "markers").map { Array($0.utf8) }
        frontEndLines = document["front_end_requests"]?.table?["lines"]?.int ?? 0
        phraseWordsAfterPrefix = document["typed_values"]?.table?["phrase_words_after_prefix"]?.int ?? Int.max
        mediaExtensions = list("signed_media_urls", "extensions")
        // Keys as written: JSON keys are case-sensitive, and a record's keys are lower-case.
        modelOutputIDKeys = (document["model_outputs"]?.table?["id_keys"]?.strings ?? []).map { Array("\"\($0)\"".utf8) }
        modelOutputKeys = (document["model_outputs"]?.table?["output_keys"]?.strings ?? []).map { Array("\"\($0)\"".utf8) }
        modelOutputExtensions = list("model_outputs", "extensions")
        localKeyNamePrefixes = list("local_tls_keys", "name_prefixes")
        localKeyNameSuffixes = list("local_tls_keys", "name_suffixes")
        plaintextMarkers = list("published_plaintext", "markers").map { Array($0.utf8) }
        plaintextLines = document["published_plaintext"]?.table?["lines"]?.int ?? 0
        publishedClients = list("published_clients", "project_numbers").map { Array($0.utf8) }
        // As written: a client ID is compared exactly.
        publishedClientIDs = Set((document["published_clients"]?.table?["client_ids"]?.strings ?? []).map { Array($0.utf8) })
        publishedClientLines = document["published_clients"]?.table?["lines"]?.int ?? 0
        hashedSamples = Set(list("hashed_samples", "digests"))
        defaultPasswords = list("default_passwords", "passwords")
        defaultPasswordMaxHashesPerFile = document["default_passwords"]?.table?["max_hashes_per_file"]?.int ?? 0
        publishedSecrets = Set(list("published_secrets", "sha256"))
        providerCredentialWords = Set(list("provider_key_names", "credential_words"))
        providerJoinedWords = Set(list("provider_key_names", "joined_words"))
        genericQualifiers = Set(list("provider_key_names", "generic_qualifiers"))
        sampleFragments = list("provider_key_names", "sample_fragments")
        cutShortNames = list("cut_short_keys", "names")
        cutShortPrefix = Array((document["cut_short_keys"]?.table?["prefix"]?.string ?? "").utf8)
        cutShortIssuedBodies = Set((document["cut_short_keys"]?.table?["issued_body_lengths"]?.array ?? []).compactMap(\.int))
        cutShortFullBody = document["cut_short_keys"]?.table?["shortest_full_body"]?.int ?? 0
        sampleMarkers = list("documented_samples", "markers").map { Array($0.utf8) }
        sampleMarkerDistance = document["documented_samples"]?.table?["distance"]?.int ?? 0
        sampleMarkerLineAbove = document["documented_samples"]?.table?["marker_line_above"]?.bool ?? false
        for pair in list("weak_values", "leet_letters") {
            let bytes = Array(pair.utf8)
            guard bytes.count == 2, (97...122).contains(bytes[1]) else {
                throw RuleError.badValue(path: path, rule: "weak_values", key: "leet_letters", message: "expected a symbol then its letter, like \"@a\"")
            }
            weak.leet[bytes[0]] = bytes[1]
        }
    }

    /// Whether `name` says whose API key its value is (`[provider_key_names]`): its words end in
    /// `api` and a credential word (or a joined `apikey`), after a word that names a provider
    /// (`openai.api_key`, `RIME_API_KEY`), not a generic qualifier (`MY_API_KEY`, `self.api_key`).
    public func namesProviderKey(_ name: String) -> Bool {
        let words = ValueSignals.nameWords(name)
        var end = words.count
        if end >= 1, providerJoinedWords.contains(words[end - 1]) {
            end -= 1
        } else if end >= 2, providerCredentialWords.contains(words[end - 1]), words[end - 2] == "api" {
            end -= 2
        } else {
            return false
        }
        return words[..<end].contains { word in
            word.filter(\.isLetter).count >= 2 && !genericQualifiers.contains(word)
        }
    }

    /// `openai.api_key = 'sk-<14 letters and digits>'` (`[cut_short_keys]`): a value under a name that
    /// names the provider, with the provider's key prefix, then letters and digits too few for
    /// any key issued under that prefix (an OpenAI key is `sk-` and 48 or more; the compatible
    /// servers' are `sk-` and 32 hex, LiteLLM's `sk-` and 22). What is left when someone deletes
    /// the middle of a leaked key to defang it, or a stub (`sk-<3>`) where the key goes: a real
    /// key under that name is a whole one. The issued lengths stay reported, whatever they hold.
    public func cutShortKeyReason(for secret: [UInt8], variable: String?) -> String? {
        guard let variable, !cutShortPrefix.isEmpty, secret.count > cutShortPrefix.count,
              secret.starts(with: cutShortPrefix) else { return nil }
        let name = variable.lowercased()
        guard let provider = cutShortNames.first(where: { name.contains($0) }) else { return nil }
        let body = secret.dropFirst(cutShortPrefix.count)
        guard body.count < cutShortFullBody, !cutShortIssuedBodies.contains(body.count),
              body.allSatisfy({ LiteralValue.isDigit($0) || ($0 | 0x20) >= 97 && ($0 | 0x20) <= 122 }) else { return nil }
        let prefix = String(decoding: cutShortPrefix, as: UTF8.self)
        return "\(prefix) and \(body.count) characters under a name that says \(provider): too short for any key issued under that prefix, a key cut short or a stub"
    }

    /// Whether `secret` spells a sample (`[provider_key_names] sample_fragments`, any case).
    public func spellsSample(_ secret: [UInt8]) -> Bool {
        let lower = String(decoding: secret, as: UTF8.self).lowercased()
        return sampleFragments.contains { lower.contains($0) }
    }

    /// The lower-cased words of a name, split at `_`, `.`, `-`, spaces and camelCase (`coquiApiKey`
    /// → coqui, api, key; `OPENAI_API_KEY` → openai, api, key).
    static func nameWords(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousWasLower = false
        for character in name {
            guard character.isLetter || character.isNumber else {
                if !current.isEmpty { words.append(current.lowercased()) }
                current = ""
                previousWasLower = false
                continue
            }
            if character.isUppercase, previousWasLower, !current.isEmpty {
                words.append(current.lowercased())
                current = ""
            }
            current.append(character)
            previousWasLower = character.isLowercase || character.isNumber
        }
        if !current.isEmpty { words.append(current.lowercased()) }
        return words
    }

    /// Why `secret` is a sample password its vendor's documentation prints (`Pass@word`,
    /// `73@TuGraph`; `[weak_values] vendor_samples`, matched whole and lower-cased), or nil.
    public func vendorSampleReason(for secret: [UInt8]) -> String? {
        guard secret.count <= 64 else { return nil }
        let text = String(decoding: secret.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
        return weak.vendorSamples.contains(text) ? "the value is a sample password printed in its vendor's documentation" : nil
    }

    /// Why `secret` is too weak to be a generated secret (a shape a person types into a sample:
    /// digits alone, a keyboard walk or mash, a role word with a counting run, sample words run
    /// together, one short word, a readable phrase), or nil.
    public func weakReason(for secret: [UInt8]) -> String? {
        // A sentence in another script (`邮箱客户端授权码，不是邮箱登录密码`, "the mail client's
        // authorisation code, not the login password") is a template telling the reader what to
        // put there. Generated secrets are ASCII; accented Latin letters do not count here.
        let scalars = String(decoding: secret, as: UTF8.self).unicodeScalars
        if !scalars.isEmpty, scalars.filter({ $0.value > 0x2FF }).count * 2 >= scalars.count {
            return "the value is text in a non-Latin script, not a generated secret"
        }
        guard !secret.isEmpty, secret.count <= 64 else { return nil }
        let lower = secret.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        let text = String(decoding: lower, as: UTF8.self)
        let isDigit: (UInt8) -> Bool = { $0 >= 48 && $0 <= 57 }
        let isLetter: (UInt8) -> Bool = { $0 >= 97 && $0 <= 122 }
        if let reason = vendorSampleReason(for: secret) { return reason }
        if secret.allSatisfy(isDigit), secret.count <= weak.maxDigits {
            return "the value is a short run of digits (\(secret.count)), not a generated secret"
        }
        if lower.count >= weak.walkMinLength, weak.keyboardWalks.contains(where: { $0.contains(text) }) {
            return "the value is a keyboard walk, not a generated secret"
        }
        // `tokenalsdkfjlaskdjflaskdjf…owiejfo;sdlf`: a long mash that strays off its row for a
        // word or a key beside it (the home row's `;` is on the row). Random lower-case letters
        // that long stay on one row three times in four with odds below 1 in 30,000.
        // Lower case only, as a hand types a mash: a generated key in mixed case (a 24-letter API
        // key on the panel) can fall three quarters on the top row, its most common letters.
        if lower.count >= weak.longMashMinLength, secret.allSatisfy({ ($0 >= 97 && $0 <= 122) || $0 == 59 }),
           weak.keyboardRows.contains(where: { row in Double(lower.filter(row.contains).count) >= weak.longMashShare * Double(lower.count) }) {
            return "the value is a mash along one keyboard row, not a generated secret"
        }
        if lower.allSatisfy(isLetter) {
            if lower.count >= weak.mashMinLength, weak.keyboardRows.contains(where: { row in lower.allSatisfy(row.contains) }) {
                return "the value is a mash along one keyboard row, not a generated secret"
            }
            if coveredBySampleWords(lower) { return "the value is made of sample-credential words, not a generated secret" }
            let oneCase = secret.allSatisfy { $0 >= 97 } || secret.allSatisfy { $0 < 97 }
            if oneCase, secret.count <= weak.singleWordMax { return "the value is a single short word, not a generated secret" }
            return nil
        }
        // `mysecret2`: sample-credential words in lower case numbered with a digit or two (a
        // compose file's CHANGEME-marked NextAuth secret beside the stack's `mysecret`).
        // `AdminPassword1`, capitalised as password rules ask, is how people write real ones.
        let trailingDigits = lower.reversed().prefix(while: isDigit).count
        if (1...2).contains(trailingDigits), secret.allSatisfy({ !(65...90).contains($0) }),
           lower.dropLast(trailingDigits).allSatisfy(isLetter),
           coveredBySampleWords(Array(lower.dropLast(trailingDigits))) {
            return "the value is sample-credential words with a number, not a generated secret"
        }
        // `p@ssw0rd`, `Sup3rS3cr3tP@ssw0rd!`: sample-credential words in leetspeak, as password
        // rules force them (a trailing `!` dropped). Read back to letters, one sample word or
        // several cover the value.
        var body = lower[...]
        while body.count > 1, let last = body.last, last == UInt8(ascii: "!") || last == UInt8(ascii: ".") { body = body.dropLast() }
        // Only inside the value: a digit at either end is a digit (`AdminPassword1` is a real password).
        let plain = body.enumerated().map { i, b in i == 0 || i == body.count - 1 ? b : weak.leet[b] ?? b }
        if plain != Array(body), plain.count >= 6, plain.allSatisfy(isLetter),
           weak.sampleWords.contains(String(decoding: plain, as: UTF8.self)) || coveredBySampleWords(plain) {
            return "the value is sample-credential words in leetspeak, not a generated secret"
        }
        // `t0p-s3cr3t`: a tutorial's default (`top-secret`) in leetspeak, its separators kept.
        if plain != Array(body), WeakSecret.isKnownDefault(plain) {
            return "the value is a well-known default in leetspeak, not a generated secret"
        }
        if let run = countingRunPhrase(lower) {
            if let role = weak.roleWords.first(where: { text.contains($0) }) {
                return "the value is a \(role) word with a counting run (\(run)), not a generated secret"
            }
            // `minio1234`, `mysql_123456`: one sample-credential word with a counting run, the
            // service's name typed as its sample password. Not several (`Secure_123_redis` on a
            // hosted cache was a real, if weak, password someone chose).
            let letters = lower.filter(isLetter)
            if weak.sampleWords.contains(String(decoding: letters, as: UTF8.self)) {
                return "the value is a sample-credential word with a counting run (\(run)), not a generated secret"
            }

        }
        // `aa123456`, `a123456`: a letter, or one letter twice, before a long counting run, among
        // the commonest passwords of every breach list (`Tech@123` has more letters and a short
        // run: it stays).
        // One letter, or one letter repeated: initials (`lk123456` on a LAN host's MinIO) are
        // someone's own weak password and stay.
        let lead = lower.prefix(while: isLetter).count
        if lead >= 1, lead <= weak.shortPrefixLetters, Set(lower.prefix(lead)).count == 1, lower.count - lead >= weak.shortPrefixRunMin,
           lower.dropFirst(lead).allSatisfy(isDigit) {
            let run = Array(lower.dropFirst(lead))
            let steps = zip(run, run.dropFirst()).map { Int($1) - Int($0) }
            if steps.allSatisfy({ $0 == 1 }) || steps.allSatisfy({ $0 == -1 }) {
                return "the value is a letter or two with a counting run (\(String(decoding: run, as: UTF8.self))), not a generated secret"
            }
        }
        if let words = ValueSignals.words(of: secret), secret.allSatisfy({ !(65...90).contains($0) }),
           words.filter({ $0.first?.isLetter ?? false }).count >= weak.phraseMinWords {
            return "the value is a readable phrase, not a generated secret"
        }
        return nil
    }

    /// Whether `secret` is letters alone that sample-credential words cover (`mypassword`,
    /// `mongopassword`, any case): a value typed to fill a sample, with no digit of anyone's.
    public func isSampleWords(_ secret: [UInt8]) -> Bool {
        let lower = secret.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        return lower.allSatisfy { $0 >= 97 && $0 <= 122 } && coveredBySampleWords(lower)
    }

    /// Whether sample words (`mongo`, `password`, `this`, `key`) cover at least three quarters
    /// of the letters, two words or more (`mongopassword`, `thissrckeyforyou`).
    func coveredBySampleWords(_ letters: [UInt8]) -> Bool {
        guard letters.count >= 4, !weak.sampleWords.isEmpty else { return false }
        let words = weak.sampleWords.map { Array($0.utf8) }
        // best[i]: (letters covered, words used) of the best split of the first i letters.
        var best = [(covered: Int, count: Int)](repeating: (0, 0), count: letters.count + 1)
        for i in 1...letters.count {
            best[i] = best[i - 1]
            for word in words where word.count <= i && Array(letters[(i - word.count)..<i]) == word {
                let candidate = (covered: best[i - word.count].covered + word.count, count: best[i - word.count].count + 1)
                // Ties go to the split with more words, whatever order the set hands them out in
                // (`mongodb` is `mongo` + `db` as well as one word): the verdict and its note must
                // not change from run to run.
                if candidate.covered > best[i].covered || (candidate.covered == best[i].covered && candidate.count > best[i].count) {
                    best[i] = candidate
                }
            }
        }
        let end = best[letters.count]
        return end.count >= 2 && end.covered * 4 >= letters.count * 3
    }

    /// The counting run when `value` (lower-cased) is letters and one run of digits counting up
    /// or down by one, with at most single separators between and punctuation at the end
    /// (`password@123`, `securedbpass456!`, `123456_set_at_workflow_level`), else nil.
    func countingRunPhrase(_ value: [UInt8]) -> String? {
        var body = value[...]
        while let last = body.last, "!?.*#".utf8.contains(last) { body = body.dropLast() }
        guard body.count <= 40 else { return nil }
        var digitRuns: [[UInt8]] = []
        var current: [UInt8] = []
        var letters = 0
        var previousWasSeparator = true
        for byte in body {
            if byte >= 48 && byte <= 57 { current.append(byte); previousWasSeparator = false; continue }
            if !current.isEmpty { digitRuns.append(current); current = [] }
            if byte >= 97 && byte <= 122 { letters += 1; previousWasSeparator = false; continue }
            guard "@#!._- ".utf8.contains(byte), !previousWasSeparator else { return nil }
            previousWasSeparator = true
        }
        if !current.isEmpty { digitRuns.append(current) }
        guard letters >= 3, digitRuns.count == 1, let run = digitRuns.first, run.count >= weak.countingRunMin else { return nil }
        let steps = zip(run, run.dropFirst()).map { Int($1) - Int($0) }
        guard steps.allSatisfy({ $0 == 1 }) || steps.allSatisfy({ $0 == -1 }) else { return nil }
        return String(decoding: run, as: UTF8.self)
    }

    /// Why the password hash at `range` is a test vector: a test's assertion or marker within
    /// `lines` lines of it, counting the `\n` escapes of code quoted in a string as line breaks
    /// (a dataset of code chunks). At most 1 KiB is read on each side. Nil otherwise.
    public func testVectorReason(around range: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>) -> String? {
        guard testVectorLines > 0, !testMarkers.isEmpty,
              let marker = ValueSignals.marker(of: testMarkers, within: testVectorLines, around: range, in: buffer) else { return nil }
        return "a test vector: a password hash beside a test's assertion (\(String(decoding: marker, as: UTF8.self))), not an account's hash"
    }

    /// Why the webhook signing secret at `range` is a test vector's key: a signature of a webhook
    /// scheme (`v1,` and 44 base64 characters, Standard Webhooks'; `v1=` and 64 hex digits in
    /// Stripe's header) within `lines` lines of it, the fixed signature the test checks its
    /// verifier against, made once with this key (openai-node's `webhooks.test.ts`). A deployment's
    /// secret signs requests as they come; nobody writes one beside a signature it made. At most
    /// 1 KiB is read on each side. Nil otherwise.
    public func signatureVectorReason(around range: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>) -> String? {
        guard signatureLines > 0, !signaturePrefixes.isEmpty else { return nil }
        let window = ValueSignals.window(within: signatureLines, around: range, in: buffer)
        let isSignatureByte: (UInt8) -> Bool = { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 43 || $0 == 47 }
        for prefix in signaturePrefixes where window.count > prefix.count {
            var at = 0
            while at + prefix.count <= window.count {
                defer { at += 1 }
                guard window[at..<(at + prefix.count)].elementsEqual(prefix), at == 0 || !isSignatureByte(window[at - 1]) else { continue }
                var end = at + prefix.count
                while end < window.count, isSignatureByte(window[end]) { end += 1 }
                if end - at - prefix.count >= signatureMinLength {
                    return "a test vector: a webhook signing secret beside a signature it made (\(String(decoding: prefix, as: UTF8.self))…), the key a test checks its verifier with"
                }
            }
        }
        // `const signature = 'gUAg…BY=';`: the signature alone, under a name that says so.
        let own = buffer[range].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        let isNameByte: (UInt8) -> Bool = { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
        for name in signatureNames where window.count > name.count {
            var at = 0
            while at + name.count <= window.count {
                defer { at += 1 }
                guard window[at..<(at + name.count)].elementsEqual(name) else { continue }
                var end = at + name.count
                while end < window.count, isNameByte(window[end]) { end += 1 }
                while end < window.count, " \t\"'`]".utf8.contains(window[end]) { end += 1 }
                guard end < window.count, window[end] == 61 || window[end] == 58 else { continue }
                end += 1
                while end < window.count, " \t\"'`".utf8.contains(window[end]) { end += 1 }
                let start = end
                while end < window.count, isSignatureByte(window[end]) { end += 1 }
                // Not the secret's own value (`SIGNATURE_SECRET=<random>`): a signature beside it.
                let run = window[start..<end]
                if run.count >= signatureMinLength,
                   !(own.count >= run.count && (0...(own.count - run.count)).contains { own[$0..<($0 + run.count)].elementsEqual(run) }) {
                    return "a test vector: a webhook signing secret beside a signature it made (\(String(decoding: name, as: UTF8.self)) = …), the key a test checks its verifier with"
                }
            }
        }
        return nil
    }

    /// Why the value at `range` is what a site's or an app's own front end sends: the request it
    /// sits in presents itself as that front end, by a header naming the site's page
    /// (`"referer": "https://gemini.google.com/"`) or an installed app's HTTP client as its user
    /// agent (`okhttp/`), within `lines` lines (spaces ignored). A client written to talk like a
    /// site's page sends what the page sends every visitor (an upload endpoint's Basic
    /// authorization, an app's anonymous-signup client secret). A JWT, or a value on a cookie's
    /// line, is a user's session, whatever the request looks like. Nil otherwise.
    public func frontEndReason(for secret: [UInt8], around range: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>) -> String? {
        guard frontEndLines > 0, !frontEndMarkers.isEmpty, !secret.starts(with: Array("eyJ".utf8)) else { return nil }
        let line = FindingFilter.line(around: range, in: buffer)
        let lineText = buffer[line].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        let cookie = Array("cookie".utf8)
        guard lineText.count < cookie.count
                || !(0...(lineText.count - cookie.count)).contains(where: { lineText[$0..<($0 + cookie.count)].elementsEqual(cookie) }) else {
            return nil
        }
        let window = ValueSignals.window(within: frontEndLines, around: range, in: buffer).filter { $0 != 32 && $0 != 9 }
        guard let marker = frontEndMarkers.first(where: { marker in
            window.count >= marker.count && (0...(window.count - marker.count)).contains { window[$0..<($0 + marker.count)].elementsEqual(marker) }
        }) else { return nil }
        return "sent by a request written as a site's page or an installed app (\(String(decoding: marker, as: UTF8.self))…): what that front end sends to every visitor, not the project's key"
    }

    /// Whether `secret` is a provider's prefix (letters, then `-` or `_`, as `sk-`, `sk-proj-`) and
    /// then a phrase of `phrase_words_after_prefix` or more capitalised words, letters only
    /// (`sk-TheresAlwaysMoneyInTheBananaStand`): a stand-in someone wrote, no generated key.
    public func isWordPhraseAfterPrefix(_ secret: [UInt8]) -> Bool {
        guard phraseWordsAfterPrefix < Int.max, let separator = secret.lastIndex(where: { $0 == 45 || $0 == 95 }),
              separator > 0, secret[..<separator].allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 65 && $0 <= 90) || $0 == 45 || $0 == 95 }) else {
            return false
        }
        let phrase = secret[(separator + 1)...]
        guard let first = phrase.first, first >= 65, first <= 90 else { return false }
        var words = 0
        var letters = 0
        for byte in phrase {
            if byte >= 65 && byte <= 90 {
                // Each word is a capital and at least one lower-case letter.
                if words > 0, letters < 2 { return false }
                words += 1
                letters = 1
            } else if byte >= 97 && byte <= 122 {
                letters += 1
            } else {
                return false
            }
        }
        return letters >= 2 && words >= phraseWordsAfterPrefix
    }

    /// Why the password hash at `range` is the hash of a published password: a comment within
    /// `lines` lines states its plaintext ("# Plaintext password is: admin123", a kickstart
    /// template's). Nil otherwise.
    public func publishedPlaintextReason(around range: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>) -> String? {
        guard plaintextLines > 0, let marker = ValueSignals.marker(of: plaintextMarkers, within: plaintextLines, around: range, in: buffer) else {
            return nil
        }
        return "the hash of a password written beside it (\(String(decoding: marker, as: UTF8.self))): a published sample's, whoever reads the file knows it"
    }

    /// Why the value at `offset` is a sample the prose names as one: a marker ("e.g.", "for
    /// example") ends at most `distance` bytes before it on its line (`Note your API Key (e.g.
    /// `AIza…`)`). Nil otherwise.
    public func documentedSampleReason(at offset: Int, in buffer: UnsafeBufferPointer<UInt8>) -> String? {
        guard sampleMarkerDistance > 0, !sampleMarkers.isEmpty else { return nil }
        if let found = sampleMarker(before: offset, in: buffer) {
            return "a sample the text introduces as one (\(String(decoding: found.marker, as: UTF8.self)))"
        }
        // `# 例如` ("for example") alone on the line above the snippet's first line.
        guard sampleMarkerLineAbove else { return nil }
        var lineStart = offset
        while lineStart > 0, buffer[lineStart - 1] != 10 { lineStart -= 1 }
        guard lineStart > 0 else { return nil }
        var aboveStart = lineStart - 1
        while aboveStart > 0, buffer[aboveStart - 1] != 10, lineStart - aboveStart < 200 { aboveStart -= 1 }
        let trim: Set<UInt8> = Set(" \t\r#/*-:.>".utf8)
        var above = Array(buffer[aboveStart..<(lineStart - 1)]).map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }[...]
        while let first = above.first, trim.contains(first) { above = above.dropFirst() }
        while let last = above.last, trim.contains(last) { above = above.dropLast() }
        // A full-width colon (`例如：`) ends the marker too.
        let fullWidthColon: [UInt8] = [0xEF, 0xBC, 0x9A]
        if above.count >= 3, Array(above.suffix(3)) == fullWidthColon { above = above.dropLast(3) }
        guard !above.isEmpty, let marker = sampleMarkers.first(where: { marker in
            var bare = marker[...]
            while let last = bare.last, trim.contains(last) { bare = bare.dropLast() }
            return !bare.isEmpty && above.elementsEqual(bare)
        }) else { return nil }
        return "a sample the line above introduces as one (\(String(decoding: marker, as: UTF8.self)))"
    }

    /// The sample marker ("e.g.", "for example") ending at most `distance` bytes before `offset`
    /// on its line, with the offset where it starts; nil when none.
    public func sampleMarker(before offset: Int, in buffer: UnsafeBufferPointer<UInt8>) -> (marker: [UInt8], offset: Int)? {
        guard sampleMarkerDistance > 0 else { return nil }
        var start = offset
        while start > 0, offset - start < sampleMarkerDistance, buffer[start - 1] != 10 { start -= 1 }
        let before = buffer[start..<offset].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        for marker in sampleMarkers where before.count >= marker.count {
            if let at = (0...(before.count - marker.count)).first(where: { before[$0..<($0 + marker.count)].elementsEqual(marker) }) {
                return (marker, start + at)
            }
        }
        return nil
    }

    /// Why `secret` is the unsalted digest of a sample password (MD5 of `123456`, a seeded
    /// admin's in an admin system's code), or nil.
    /// One such digest written twice or more in a row (`RAGFLOW_SECRET_KEY=` the MD5 of `password`
    /// twice, to make 64 characters) is the same sample.
    public func hashedSampleReason(for secret: [UInt8]) -> String? {
        for length in [32, 40, 64] where secret.count >= length && secret.count % length == 0 {
            let digest = Array(secret[0..<length])
            guard hashedSamples.contains(String(decoding: digest, as: UTF8.self).lowercased()),
                  stride(from: length, to: secret.count, by: length).allSatisfy({ secret[$0..<($0 + length)].elementsEqual(digest) })
            else { continue }
            let kind = length == 32 ? "MD5" : length == 40 ? "SHA-1" : "SHA-256"
            let repeated = secret.count > length ? ", written \(secret.count / length) times" : ""
            return "the unsalted digest of a sample password (\(kind) of a common one\(repeated)): whoever looks it up knows it"
        }
        return nil
    }

    /// Why the OAuth client secret at `range` is an installed application's published one: the
    /// project number of a client its vendor ships in a desktop or command-line app (`gemini-cli`,
    /// the Cloud SDK) is within `lines` lines, the client ID beside its secret. Nil otherwise.
    public func publishedClientReason(around range: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>) -> String? {
        guard publishedClientLines > 0,
              let number = ValueSignals.marker(of: publishedClients, within: publishedClientLines, around: range, in: buffer) else { return nil }
        return "the OAuth client of a published installed application (project \(String(decoding: number, as: UTF8.self))): its secret ships with the app and is no secret (RFC 8252)"
    }

    /// Why `secret` is public: a value a framework's template or a vendor's docs publish for every
    /// project built on them (`[published_secrets]`, by SHA-256, never the value). Nil otherwise.
    public func publishedSecretReason(for secret: [UInt8]) -> String? {
        guard !publishedSecrets.isEmpty, publishedSecrets.contains(SHA256.hex(of: secret)) else { return nil }
        return "a value a framework's template or a vendor's docs publish for every project built on them (published_secrets)"
    }

    /// Why `secret` is a public address under a key-shaped name (`[public_addresses]`, by SHA-256:
    /// Solana's SPL program IDs), or nil.
    public func publicAddressReason(for secret: [UInt8]) -> String? {
        guard !publicAddresses.isEmpty, secret.count >= 32, publicAddresses.contains(SHA256.hex(of: secret)) else { return nil }
        return "a public on-chain program address (public_addresses), no credential"
    }

    /// Why the key at `range`, under `variable`, is a search service's search-only key: its
    /// application ID and its index name are named within `lines` lines (`[search_only_keys]`), and
    /// its name says neither `admin` nor `write`. Nil otherwise.
    public func searchOnlyKeyReason(variable: String?, around range: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>) -> String? {
        guard searchKeyLines > 0, !searchApplicationMarkers.isEmpty, !searchIndexMarkers.isEmpty else { return nil }
        if let name = variable?.lowercased(), searchExcludedNameWords.contains(where: { name.contains($0) }) { return nil }
        let text = ValueSignals.window(within: searchKeyLines, around: range, in: buffer)
            .filter { $0 != UInt8(ascii: "_") && $0 != UInt8(ascii: "-") }
            .map { (65...90).contains($0) ? $0 + 32 : $0 }
        func has(_ markers: [[UInt8]]) -> Bool {
            markers.contains { marker in
                marker.withUnsafeBufferPointer { needle in text.withUnsafeBufferPointer { ByteSearch.contains(needle, in: $0) } }
            }
        }
        guard has(searchApplicationMarkers), has(searchIndexMarkers) else { return nil }
        return "a search client's configuration (an application ID and an index name beside it): the search-only key every visitor's browser sends"
    }

    /// Why the key at `range`, under `variable`, is a field of a generated browser configuration
    /// (`[browser_configs]`: Amplify's `aws_appsync_apiKey` beside `aws_appsync_graphqlEndpoint`
    /// in `aws-exports.json`): the name is one the generator writes (lower-cased, letters only) and
    /// one of the generator's other field names is within `lines` lines (lower-cased, as written).
    /// Nil otherwise.
    public func browserConfigReason(variable: String?, around range: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>) -> String? {
        guard browserConfigLines > 0, let variable else { return nil }
        let name = String(variable.lowercased().filter { $0.isASCII && $0.isLetter })
        guard browserConfigNames.contains(name) else { return nil }
        let text = ValueSignals.window(within: browserConfigLines, around: range, in: buffer)
            .map { (65...90).contains($0) ? $0 + 32 : $0 }
        guard browserConfigMarkers.contains(where: { marker in
            marker.withUnsafeBufferPointer { needle in text.withUnsafeBufferPointer { ByteSearch.contains(needle, in: $0) } }
        }) else { return nil }
        return "a key of a generated browser configuration (\(variable) beside the generator's other fields): the web app ships it to every visitor"
    }

    /// Why the key at `range` is a published demo key: a comment within `lines` lines calls it
    /// public and read-only, or intentionally public (`[declared_public]`). Nil otherwise.
    public func declaredPublicReason(around range: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>) -> String? {
        guard declaredPublicLines > 0,
              let marker = ValueSignals.marker(of: declaredPublicMarkers, within: declaredPublicLines, around: range, in: buffer) else { return nil }
        return "a key its comment calls \(String(decoding: marker, as: UTF8.self)): the operator's published demo key"
    }

    /// Why the value at `range`, under `variable`, is an analytics service's write key written into
    /// program code (`[write_only_keys]`): its name ends as a write key's (`writeKey`,
    /// `SEGMENT_WRITE_KEY`) and the lines around it name an analytics service. The caller asks
    /// only for program code and formatless values. Nil otherwise.
    public func writeOnlyKeyReason(variable: String?, around range: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>) -> String? {
        guard writeOnlyKeyLines > 0, let variable else { return nil }
        let name = String(variable.lowercased().filter { $0.isASCII && $0.isLetter })
        guard writeOnlyKeyNames.contains(where: { name.hasSuffix($0) }) else { return nil }
        let text = ValueSignals.window(within: writeOnlyKeyLines, around: range, in: buffer)
            .filter { $0 != UInt8(ascii: "_") && $0 != UInt8(ascii: "-") }
        guard writeOnlyKeyMarkers.contains(where: { marker in
            marker.withUnsafeBufferPointer { needle in text.withUnsafeBufferPointer { ByteSearch.contains(needle, in: $0) } }
        }) else { return nil }
        return "an analytics write key written into program code (\(variable)): it only sends events, and every install of the code carries it"
    }

    /// Why `decoded` (a Basic authorization's `id:secret`) is a published installed app's OAuth
    /// client: its ID is one of `client_ids`. Nil otherwise.
    public func publishedBasicClientReason(_ decoded: [UInt8]) -> String? {
        guard !publishedClientIDs.isEmpty, let colon = decoded.firstIndex(of: 58),
              publishedClientIDs.contains(Array(decoded[..<colon])) else { return nil }
        return "the OAuth client of a published installed application (client \(Redaction.preview(of: Array(decoded[..<colon])))): its secret ships with the app and is no secret (RFC 8252)"
    }

    /// Why the password at `range` is the published login of a public database: the host of one
    /// whose operator prints a read-only account for everyone (`[public_databases]`, RNAcentral's
    /// `hh-pgsql-public.ebi.ac.uk`) is named within `lines` lines. Nil otherwise.
    public func publicDatabaseReason(around range: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>) -> String? {
        guard !publicDatabaseHosts.isEmpty,
              let host = ValueSignals.marker(of: publicDatabaseHosts, within: publicDatabaseLines, around: range, in: buffer) else { return nil }
        return "the login of a public database (\(String(decoding: host, as: UTF8.self))) whose operator publishes it for everyone"
    }

    /// The first of `markers` (lower case) in the text from `lines` line breaks before `range`
    /// to `lines` after it, at most 1 KiB each side, compared lower-cased. `\n` escapes of code
    /// quoted in a string count as line breaks.
    static func marker(of markers: [[UInt8]], within lines: Int, around range: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let window = window(within: lines, around: range, in: buffer)
        return markers.first(where: { marker in
            window.count >= marker.count && (0...(window.count - marker.count)).contains { window[$0..<($0 + marker.count)].elementsEqual(marker) }
        })
    }

    /// The text within `lines` lines of `range` (at most 1 KiB on each side), lower-cased, with
    /// the `\n` escapes of code quoted in a string counted as line breaks.
    static func window(within lines: Int, around range: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        func isBreak(_ i: Int) -> Bool {
            buffer[i] == 10 || (buffer[i] == UInt8(ascii: "n") && i > 0 && buffer[i - 1] == UInt8(ascii: "\\"))
        }
        var start = range.lowerBound, breaks = 0
        while start > 0, range.lowerBound - start < 1024 {
            if isBreak(start - 1) { breaks += 1; if breaks > lines { break } }
            start -= 1
        }
        var end = range.upperBound
        breaks = 0
        while end < buffer.count, end - range.upperBound < 1024 {
            if isBreak(end) { breaks += 1; if breaks > lines { break } }
            end += 1
        }
        return buffer[start..<end].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
    }

    /// Why the value starting at `offset` is a media URL's signature: it sits in the query of a
    /// URL (read back to the scheme, within 2 KiB, through no space or quote) whose path ends in
    /// a media file's extension. Nil otherwise.
    public func signedMediaReason(at offset: Int, in buffer: UnsafeBufferPointer<UInt8>) -> String? {
        guard !mediaExtensions.isEmpty else { return nil }
        var start = offset
        while start > 0, offset - start < 2048 {
            let byte = buffer[start - 1]
            if byte <= 32 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "`")
                || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")") { break }
            start -= 1
        }
        let url = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<offset]), as: UTF8.self).lowercased()
        guard let scheme = url.range(of: "://"), let query = url[scheme.upperBound...].firstIndex(of: "?") else { return nil }
        let path = url[scheme.upperBound..<query]
        guard path.contains("/"), let ext = mediaExtensions.first(where: { path.hasSuffix($0) }) else { return nil }
        return "a signed URL's token for one media file (\(ext)), handed to whoever views it"
    }

    /// Why a private key in the file at `path` is a development TLS key for this machine's own
    /// host name, or nil: the file's name starts with `localhost` (or `127.0.0.1`) and ends as a
    /// key file does (`localhost-key.pem` and `localhost+2-key.pem` as mkcert writes them beside
    /// `localhost.pem`, a `localhost.key`). A certificate for `localhost` vouches for no one's
    /// server: whoever holds the key can only serve a browser on the same machine.
    public func localTLSKeyReason(path: String) -> String? {
        let name = (path.split(separator: "/").last.map(String.init) ?? path).lowercased()
        guard let prefix = localKeyNamePrefixes.first(where: { name.hasPrefix($0) }),
              localKeyNameSuffixes.contains(where: { name.hasSuffix($0) && name.count >= prefix.count + $0.count }) else { return nil }
        return "a development TLS key for \(prefix) (its file is named for it, as mkcert names one): it serves only this machine's own name"
    }

    /// Why the value at `offset` is part of a model's answer recorded by an eval run, or nil: its
    /// line is one JSON record that opens with an ID key (`{"id": "multi_turn_base_20", …`) and
    /// names the model's output (`"result":`, `"response":`, `"prediction":`) before the value, in
    /// a `.json`/`.jsonl` file (a benchmark's `BFCL_v4_multi_turn_base_result.json`, a
    /// `predictions.jsonl`). Such a line holds what the model wrote for a made-up task
    /// (a password passed to `authenticate_twitter(…)`, a JWT it invented), not anyone's
    /// credential. The line is read back at most 256 KiB (one record per line).
    public func modelOutputReason(at offset: Int, in buffer: UnsafeBufferPointer<UInt8>, path: String) -> String? {
        guard !modelOutputIDKeys.isEmpty, offset <= buffer.count else { return nil }
        let lower = path.lowercased()
        guard modelOutputExtensions.contains(where: { lower.hasSuffix($0) }) else { return nil }
        var start = offset
        while start > 0, buffer[start - 1] != 10 {
            if offset - start >= 256 << 10 { return nil }
            start -= 1
        }
        func isSpace(_ i: Int) -> Bool { buffer[i] == 32 || buffer[i] == 9 || buffer[i] == 13 }
        func skipSpaces(_ from: Int) -> Int { var i = from; while i < offset, isSpace(i) { i += 1 }; return i }
        func key(_ key: [UInt8], at i: Int) -> Int? {
            guard i + key.count <= offset, buffer[i..<(i + key.count)].elementsEqual(key) else { return nil }
            let colon = skipSpaces(i + key.count)
            return colon < offset && buffer[colon] == UInt8(ascii: ":") ? colon + 1 : nil
        }
        var i = skipSpaces(start)
        guard i < offset, buffer[i] == UInt8(ascii: "{") else { return nil }
        i = skipSpaces(i + 1)
        guard let afterID = modelOutputIDKeys.lazy.compactMap({ key($0, at: i) }).first else { return nil }
        var j = afterID
        while j < offset {
            if buffer[j] == UInt8(ascii: "\""), let output = modelOutputKeys.first(where: { key($0, at: j) != nil }) {
                return "a model's answer recorded by an eval run (\(String(decoding: output, as: UTF8.self)) of a record with an ID, one per line): made-up values, not anyone's credential"
            }
            j += 1
        }
        return nil
    }

    /// Why `secret` is a hand-written stand-in (a phrase calling itself a development or test
    /// value, or naming itself a secret), or nil when it is not made of words that say so.
    public func standInReason(for secret: [UInt8]) -> String? {
        // `PleaseGenerateA50CharLul`: the first word asks the reader to do something.
        for word in instructionWords where secret.count > word.count + 2 {
            let head = secret.prefix(word.count).map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
            let next = secret[word.count]
            if head == word, (65...90).contains(next) || "-_. ".utf8.contains(next) {
                return "the value is an instruction to the reader (\(String(decoding: word, as: UTF8.self)) …), written in a secret's place"
            }
        }
        // `SomeSuperIncrediblyRandomString!`: an exclamation at the end is still a phrase.
        var body = secret[...]
        while let last = body.last, last == UInt8(ascii: "!") || last == UInt8(ascii: "?") { body = body.dropLast() }
        guard let words = ValueSignals.words(of: Array(body), namesWithNumbers: true), words.count >= 2 else { return nil }
        if let word = words.first(where: environmentWords.contains) {
            return "the value is a phrase calling itself a development or test value (\(word))"
        }
        for phrase in environmentPhrases where phrase.count <= words.count {
            if (0...(words.count - phrase.count)).contains(where: { Array(words[$0..<($0 + phrase.count)]) == phrase }) {
                return "the value is a phrase calling itself a development or test value (\(phrase.joined(separator: " ")))"
            }
        }
        if let word = words.first(where: namingWords.contains) {
            return "the value is a phrase naming itself a secret (\(word)), written in a secret's place"
        }
        return nil
    }

    /// Why `secret` is ciphertext in its tool's envelope (`{aes}…`, `ENC(…)`), or nil.
    public func encryptedReason(for secret: [UInt8]) -> String? {
        let head = String(decoding: secret.prefix(12), as: UTF8.self).lowercased()
        guard let prefix = encryptedPrefixes.first(where: { head.hasPrefix($0) }) else { return nil }
        return "an encrypted value (\(prefix)…): useless without the key that decrypts it, kept elsewhere"
    }

    /// Why `secret` is a key its framework marks as development-only: by its prefix
    /// (`django-insecure-`), or, when `match` and `buffer` are given, by the comment the
    /// framework's generator writes at most `marker_lines` lines above it ("Quick-start
    /// development settings - unsuitable for production", Django before the prefix).
    public func developmentKeyReason(for secret: [UInt8], provider: String, match: Range<Int>? = nil,
                                     in buffer: UnsafeBufferPointer<UInt8>? = nil) -> String? {
        let text = String(decoding: secret, as: UTF8.self).lowercased()
        if let prefix = developmentKeyPrefixes.first(where: { text.hasPrefix($0) }) {
            return "a development key: \(provider) marks it insecure (\(prefix))"
        }
        guard let match, let buffer, developmentMarkerLines > 0, !developmentKeyMarkers.isEmpty else { return nil }
        var start = match.lowerBound, breaks = 0
        while start > 0, match.lowerBound - start < 2048 {
            if buffer[start - 1] == 10 { breaks += 1; if breaks > developmentMarkerLines { break } }
            start -= 1
        }
        let window = buffer[start..<match.lowerBound].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        guard let marker = developmentKeyMarkers.first(where: { marker in
            window.count >= marker.count && (0...(window.count - marker.count)).contains { window[$0..<($0 + marker.count)].elementsEqual(marker) }
        }) else { return nil }
        return "a development key: the generator that wrote it marks it so above (\(String(decoding: marker, as: UTF8.self)))"
    }

    /// Why `secret` (a password) is a sample: the same file sets a user or database name to
    /// it, or to its letters before a trailing number (`docker` for `docker@123`). Reads the
    /// `KEY=value` / `KEY: value` lines of files up to 256 KiB.
    public func repeatedNameReason(for secret: [UInt8], in buffer: UnsafeBufferPointer<UInt8>, equalOnly: Bool = false) -> String? {
        guard !nameKeys.isEmpty, buffer.count <= 256 << 10, secret.count >= 3 else { return nil }
        let value = String(decoding: secret, as: UTF8.self).lowercased()
        // `docker@123`, `admin123`, `drupal_2024`: the name before a trailing counter.
        var stem = Substring(value)
        while let last = stem.last, last.isNumber { stem.removeLast() }
        while let last = stem.last, "@#!._-".contains(last) { stem.removeLast() }
        // `hr_2025` beside `ORACLE_USER=hr`: a two-letter name is still the name (it must equal one set beside it).
        let stems: Set<Substring> = !equalOnly && stem.count >= 2 && stem.allSatisfy(\.isLetter) ? [Substring(value), stem] : [Substring(value)]
        // `"username": "astrbot", "password": "<SHA-256 of astrbot>"`: a dashboard's default login
        // stored as the digest its login form compares; whoever reads the user name has it.
        let isDigest = !equalOnly && value.count == 64 && value.allSatisfy(\.isHexDigit)
        let text = String(decoding: buffer, as: UTF8.self)
        for var line in TextLines.split(text, omittingEmpty: true) {
            // The config decoder re-emits the names a file sets as `config-name: KEY = "value"`,
            // and the values under a secret's word as `config-value: KEY = "value"`.
            var underSecretWord = false
            if line.hasPrefix("config-name: ") { line = line.dropFirst("config-name: ".count) }
            else if line.hasPrefix("config-value: ") { line = line.dropFirst("config-value: ".count); underSecretWord = true }
            guard let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { continue }
            let key = line[..<separator].trimmingCharacters(in: CharacterSet(charactersIn: " \t-\"'")).lowercased()
            var assigned = line[line.index(after: separator)...].trimmingCharacters(in: CharacterSet(charactersIn: " \t\r\"',")).lowercased()
            // `username=os.getenv("DB_USER", "agentflow")` or `DB_USER="${DB_USER:-agentflow}"`: the
            // name the code or script runs with while nobody sets the variable is its fallback.
            if let fallback = ValueSignals.lookupFallback(in: assigned) { assigned = fallback }
            // An account's name under a secret's word (MinIO's `MINIO_ACCESS_KEY=ruoyi`, its root
            // user, beside `MINIO_SECRET_KEY=ruoyi123`). Not the secret's own line: an access key
            // that is itself the secret (`UNSPLASH_ACCESS_KEY=<key>`) names nobody.
            if accountKeys.contains(where: { key.hasSuffix($0) }) {
                if assigned != value, stems.contains(Substring(assigned)) {
                    return "the password repeats an account name set beside it (\(key))"
                }
                continue
            }
            guard !underSecretWord, !key.contains("pass"), !key.contains("pwd"), !key.contains("secret"),
                  nameKeys.contains(where: { key.contains($0) }) else { continue }
            if stems.contains(Substring(assigned)) {
                return "the password repeats a user or database name set beside it (\(key))"
            }
            if isDigest, !assigned.isEmpty, SHA256.hex(of: Array(assigned.utf8)) == value {
                return "the password is the SHA-256 of a user or database name set beside it (\(key))"
            }
        }
        return nil
    }

    /// The fallback literal of an environment lookup (`os.getenv("K", "v")`, `os.environ.get("K",
    /// "v")`, `${K:-v}`), lower-cased as given; nil when `assigned` is no such lookup.
    static func lookupFallback(in assigned: String) -> String? {
        if let open = assigned.range(of: "${"), let dash = assigned.range(of: ":-", range: open.upperBound..<assigned.endIndex),
           let close = assigned.range(of: "}", range: dash.upperBound..<assigned.endIndex) {
            let inner = assigned[dash.upperBound..<close.lowerBound].trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
            return inner.isEmpty || inner.contains("$") ? nil : inner
        }
        guard assigned.contains("getenv(") || assigned.contains("environ.get(") else { return nil }
        // The second argument: what follows the first comma, up to the call's closing parenthesis.
        guard let comma = assigned.firstIndex(of: ","), let close = assigned.lastIndex(of: ")"), comma < close else { return nil }
        let argument = assigned[assigned.index(after: comma)..<close].trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
        guard let quote = argument.first, quote == "\"" || quote == "'", argument.count >= 2, argument.last == quote else { return nil }
        let literal = argument.dropFirst().dropLast()
        return literal.isEmpty || literal.contains(where: { $0 == "\"" || $0 == "'" || $0 == "," }) ? nil : String(literal)
    }

    /// Why `secret` (a password) is a sample named after the project: with a trailing counter
    /// and punctuation dropped (`Openmemory123!`), it is the name of a folder on its path
    /// (`openmemory/compose/opensearch.yml`), four letters or more.
    public func projectNameReason(for secret: [UInt8], folders: [String]) -> String? {
        guard !nameKeys.isEmpty else { return nil }
        var stem = Substring(String(decoding: secret, as: UTF8.self).lowercased())
        while let last = stem.last, "@#!?._-".contains(last) { stem.removeLast() }
        while let last = stem.last, last.isNumber { stem.removeLast() }
        while let last = stem.last, "@#!?._-".contains(last) { stem.removeLast() }
        guard stem.count >= 4, stem.allSatisfy({ $0.isASCII && $0.isLetter }),
              let folder = folders.first(where: { $0.lowercased() == stem }) else { return nil }
        return "the password is the project's own name (\(folder)) with a counter, a sample stack's"
    }

    /// Why `secret` (a password in configuration) is a stack's typed default: its letters are the
    /// stack's own names, words the file uses on its other lines (in a config decoder's text, the
    /// user, database and container names it carries: `one` of `container_name: one-api`, `kestra`
    /// read back from `k3str4`), or sample-credential words (`redis`, `admin`, `local`), with
    /// single separators and at most one counting run (`One@123456`, `storm123`, `Admin1234!`).
    /// At most `stack_uncovered` letters may be left over (`superagentai` beside `superagent`).
    /// A generated password leaves its letters and digits to chance: no file spells them. Files
    /// up to 256 KiB; `line` (the value's own) gives no words.
    /// With `stackOnly`, only a password at least one of the stack's names makes counts, not sample
    /// words alone (`stack_names_everywhere`: known to whoever reads the file, production too).
    public func stackNameReason(for secret: [UInt8], line: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>,
                                stackOnly: Bool = false) -> String? {
        guard weak.stackUncovered >= 0, buffer.count <= 256 << 10, secret.count >= 6, secret.count <= 40 else { return nil }
        let isDigit: (UInt8) -> Bool = { $0 >= 48 && $0 <= 57 }
        let isLetter: (UInt8) -> Bool = { $0 >= 97 && $0 <= 122 }
        var body = secret.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        while let last = body.last, "!?.*#".utf8.contains(last) { body.removeLast() }
        // `OpenSearch2.17` beside `image: opensearchproject/opensearch:2.17.1`: the product's name
        // and the version the stack runs (digits joined by dots at the end), asked of the same
        // names below. A counter is digits alone; a version has a dot.
        var version: [UInt8]? = nil
        var tail = body.count
        while tail > 0, isDigit(body[tail - 1]) || body[tail - 1] == 46 { tail -= 1 }
        while tail < body.count, body[tail] == 46 { tail += 1 }
        if tail > 0, tail < body.count, body[tail...].contains(46) {
            version = Array(body[tail...])
            body.removeLast(body.count - tail)
            while let last = body.last, "@#!._-~ ".utf8.contains(last) { body.removeLast() }
        }
        var runs: [[UInt8]] = []
        var counter: [UInt8]? = nil
        var segment: [UInt8] = []
        func close() -> Bool {
            guard !segment.isEmpty else { return false }
            let letters = Array(segment.prefix(while: isLetter))
            let rest = segment.dropFirst(letters.count)
            if rest.allSatisfy(isDigit) {
                if !letters.isEmpty { runs.append(letters) }
                if !rest.isEmpty {
                    guard counter == nil, rest.count >= weak.countingRunMin,
                          zip(rest, rest.dropFirst()).allSatisfy({ Int($1) - Int($0) == 1 })
                            || zip(rest, rest.dropFirst()).allSatisfy({ Int($1) - Int($0) == -1 }) else { return false }
                    counter = Array(rest)
                }
            } else {
                // `k3str4`: leetspeak all through, the stack's name typed past a password rule.
                let plain = segment.map { weak.leet[$0] ?? $0 }
                guard plain.allSatisfy(isLetter) else { return false }
                runs.append(plain)
            }
            segment = []
            return true
        }
        for byte in body {
            if "@#!._-~ ".utf8.contains(byte) { guard close() else { return nil }; continue }
            guard isLetter(byte) || isDigit(byte) else { return nil }
            segment.append(byte)
        }
        guard close() else { return nil }
        let letterCount = runs.reduce(0) { $0 + $1.count }
        // `One@123456`: three letters with a counter, four without.
        guard letterCount >= (counter == nil && version == nil ? 4 : 3) else { return nil }
        // A password equal to one name is `repeatedNameReason`'s; here the value must be more
        // than one word as it stands: a counter, a version, two words or more, or leetspeak.
        guard counter != nil || version != nil || runs.count >= 2 || runs.first != Array(body) else { return nil }
        // The stack's names: the words (three ASCII letters or more) of the values the file's
        // other lines give a naming key (`POSTGRES_USER: kestra`, `container_name: one-api`,
        // `name: storm-secrets`; the config decoder re-emits them as `config-name: KEY = "…"`).
        // Not every word of the file: a random password written twice (a URL and its parts) or
        // a project's random id in a host name would name itself.
        var vocabulary = Set<[UInt8]>()
        // The versions those values name (`2.17.1` of an image's tag): digits joined by dots.
        var versions: [[UInt8]] = []
        var lineStart = 0
        while lineStart < buffer.count {
            var lineEnd = lineStart
            while lineEnd < buffer.count, buffer[lineEnd] != 10 { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            guard !line.contains(lineStart), lineEnd - lineStart < 512 else { continue }
            var text = String(decoding: UnsafeBufferPointer(rebasing: buffer[lineStart..<lineEnd]), as: UTF8.self)[...]
            if text.hasPrefix("config-name: ") { text = text.dropFirst("config-name: ".count) }
            guard let separator = text.firstIndex(where: { $0 == "=" || $0 == ":" }) else { continue }
            let spelled = text[..<separator].trimmingCharacters(in: CharacterSet(charactersIn: " \t-\"'"))
            let key = spelled.lowercased()
            // The key's last word, camelCase split too (`bucketName: liuxi-mall` names the stack).
            guard !key.isEmpty, !key.contains("pass"), !key.contains("pwd"), !key.contains("secret"), !key.contains("key"),
                  let last = ValueSignals.lastWord(of: spelled),
                  nameKeys.contains(String(last)) || weak.stackNameKeys.contains(String(last)) else { continue }
            var word: [UInt8] = []
            var number: [UInt8] = []
            for byte in text[text.index(after: separator)...].utf8 + [0] {
                if isDigit(byte) || (byte == 46 && !number.isEmpty) { number.append(byte) } else {
                    if number.contains(46) { versions.append(number) }
                    number = []
                }
                let lower = byte >= 65 && byte <= 90 ? byte + 32 : byte
                if isLetter(lower) { word.append(lower); continue }
                if word.count >= 3 { vocabulary.insert(word) }
                word = []
            }
        }
        // The version must be one the stack runs, whole or a leading part (`2.17` of `2.17.1`).
        if let version, !versions.contains(where: { $0 == version || $0.starts(with: version + [46]) }) { return nil }
        let samples = Set(weak.sampleWords.map { Array($0.utf8) })
        var uncovered = 0
        var named: [String] = []
        var nameFromStack = false
        for run in runs {
            if vocabulary.contains(run) { nameFromStack = true; named.append(String(decoding: run, as: UTF8.self)); continue }
            if samples.contains(run) { named.append(String(decoding: run, as: UTF8.self)); continue }
            // best[i]: letters of run[..<i] covered by the stack's names of four letters or more,
            // without overlap. Sample words count only whole (`redis123`, not `SecureRedis123`,
            // which was a real Redis password), and a run no name covers at all fails (`s3cr3t-pw`).
            var best = [Int](repeating: 0, count: run.count + 1)
            for i in 1...run.count {
                best[i] = best[i - 1]
                for length in stride(from: 4, through: min(i, 24), by: 1) where vocabulary.contains(Array(run[(i - length)..<i])) {
                    best[i] = max(best[i], best[i - length] + length)
                }
            }
            guard best[run.count] > 0 else { return nil }
            nameFromStack = true
            uncovered += run.count - best[run.count]
            named.append(String(decoding: run, as: UTF8.self))
        }
        guard uncovered <= weak.stackUncovered else { return nil }
        // Sample words alone make a typed default only as one word (`redis123`, `Admin1234!`):
        // `Secure_123_redis` on a hosted cache was a real, if weak, password someone chose.
        guard nameFromStack || (runs.count == 1 && !stackOnly) else { return nil }
        let counted = (counter.map { " and a counting run (\(String(decoding: $0, as: UTF8.self)))" } ?? "")
            + (version.map { " and the version the stack runs (\(String(decoding: $0, as: UTF8.self)))" } ?? "")
        return "the password is the stack's own names or sample words (\(named.joined(separator: ", ")))\(counted), a typed default"
    }

    /// The last word of a key, lower-cased: after its last `_`, `-`, `.` or space, and after its
    /// last capital that follows a lower-case letter (`bucketName` → `name`, `POSTGRES_USER` → `user`).
    static func lastWord(of key: String) -> String? {
        guard let piece = key.split(whereSeparator: { "_-. ".contains($0) }).last else { return nil }
        var start = piece.startIndex
        var previous: Character? = nil
        for index in piece.indices {
            let character = piece[index]
            if character.isUppercase, previous?.isLowercase == true { start = index }
            previous = character
        }
        return piece[start...].lowercased()
    }

    /// Why a password is no secret even in production configuration (`equal_everywhere`): it
    /// equals the user name in its own URL (`postgresql://docsgpt:docsgpt@postgres`) or a user
    /// or database name set beside it, so whoever reads the name knows it. Nil otherwise.
    public func equalNameReason(for secret: [UInt8], connection: String, in buffer: UnsafeBufferPointer<UInt8>) -> String? {
        guard equalNameEverywhere, secret.count >= 3 else { return nil }
        if let user = ValueSignals.user(ofConnection: connection), user.lowercased() == String(decoding: secret, as: UTF8.self).lowercased() {
            return "the password is its own user name (\(user)), a published default"
        }
        return repeatedNameReason(for: secret, in: buffer, equalOnly: true).map { _ in
            "the password equals a user or database name set beside it, a published default"
        }
    }

    /// The user name of a connection URL's userinfo (`scheme://user:pass@host`), or nil.
    static func user(ofConnection text: String) -> String? {
        guard let scheme = text.range(of: "://") else { return nil }
        let authority = text[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" }
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return nil }
        let user = authority[..<colon]
        return user.isEmpty ? nil : String(user)
    }

    /// Why `host` is a database on the developer's machine or in a compose network.
    /// Whether `host` belongs to a managed database service (`ep-…-pooler.us-east-1.aws.neon.tech`,
    /// `…upstash.io`): a password for it was generated by the service, not written as a sample.
    public func isHostedDatabase(_ host: String) -> Bool {
        let name = host.lowercased()
        return hostedDatabaseSuffixes.contains { name.hasSuffix($0) && name.count > $0.count }
    }

    /// Why the value at `match` is a test run's (a command line that also sets `NODE_ENV=testing`
    /// or `RAILS_ENV=test`), or nil. A marker counts where a word ends after it (`=test` is not
    /// `=tester`); the line is read lower-cased, at most 4 KiB either side of the match.
    public func testRunReason(around match: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>) -> String? {
        guard !testRunMarkers.isEmpty else { return nil }
        var start = match.lowerBound, end = match.upperBound
        while start > 0, buffer[start - 1] != 10, match.lowerBound - start < 4096 { start -= 1 }
        while end < buffer.count, buffer[end] != 10, end - match.upperBound < 4096 { end += 1 }
        let line = buffer[start..<end].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        for marker in testRunMarkers where line.count >= marker.count {
            for at in 0...(line.count - marker.count) where line[at..<(at + marker.count)].elementsEqual(marker) {
                let next = at + marker.count
                if next == line.count || !(LiteralValue.isDigit(line[next]) || (97...122).contains(line[next]) || line[next] == 95) {
                    return "a test run's value (\(String(decoding: marker, as: UTF8.self)) on the same command line)"
                }
            }
        }
        return nil
    }

    /// Why the file in `buffer` is a bundler's output (it opens with the banner webpack's Terser
    /// plugin writes, `/*! For license information please see cib.bundle.js.LICENSE.txt */`),
    /// or nil. Leading white space is skipped.
    public func builtBundleReason(in buffer: UnsafeBufferPointer<UInt8>) -> String? {
        var start = 0
        while start < buffer.count, start < 64, [9, 10, 13, 32].contains(buffer[start]) { start += 1 }
        for prefix in bundlePrefixes where buffer.count - start >= prefix.count
            && buffer[start..<(start + prefix.count)].elementsEqual(prefix) {
            return "a built bundle (it opens with a bundler's banner): the bundled code's values, not the project's"
        }
        return nil
    }

    /// Why the file in `buffer` is an OpenAPI or Swagger description (a version key at a line's
    /// start in its head, then a version's digit, quoted or not), or nil. Its formatless values are
    /// the description's samples of the fields it documents.
    public func apiDescriptionReason(in buffer: UnsafeBufferPointer<UInt8>) -> String? {
        let head = buffer[0..<min(buffer.count, apiDescriptionHeadBytes)]
        for key in apiDescriptionKeys {
            var from = head.startIndex
            while from < head.endIndex, let at = Self.firstIndex(of: key, in: head, from: from) {
                from = at + 1
                // At a line's start (after indentation): not a word ending in the key.
                var before = at - 1
                while before >= head.startIndex, head[before] == 32 || head[before] == 9 { before -= 1 }
                guard before < head.startIndex || head[before] == 10 || head[before] == 13 || head[before] == 123 else { continue }
                var after = at + key.count
                while after < head.endIndex, [32, 9, 34, 39].contains(head[after]) { after += 1 }
                if after < head.endIndex, head[after] == UInt8(ascii: "2") || head[after] == UInt8(ascii: "3") {
                    return "an OpenAPI description (it declares its version): its values are samples of the fields it documents"
                }
            }
        }
        return nil
    }

    private static func firstIndex(of needle: [UInt8], in hay: Slice<UnsafeBufferPointer<UInt8>>, from: Int) -> Int? {
        guard !needle.isEmpty, hay.endIndex - from >= needle.count else { return nil }
        var i = from
        while i + needle.count <= hay.endIndex {
            if hay[i] == needle[0], hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// Why the file in `buffer` is a web page as its site serves it (an HTML document naming its
    /// public address in its head: `rel="canonical"`, `og:url`), or nil. Whatever its inline
    /// state holds (a site's client keys, a visitor's token) was sent to every visitor.
    public func servedPageReason(in buffer: UnsafeBufferPointer<UInt8>) -> String? {
        guard !servedPageOpenings.isEmpty, !servedPageMarkers.isEmpty else { return nil }
        var start = 0
        while start < buffer.count, start < 64, [9, 10, 13, 32].contains(buffer[start]) { start += 1 }
        let opening = buffer[start..<min(buffer.count, start + 16)].map { (65...90).contains($0) ? $0 + 32 : $0 }
        guard servedPageOpenings.contains(where: { opening.starts(with: $0) }) else { return nil }
        let head = UnsafeBufferPointer(rebasing: buffer[0..<min(buffer.count, servedPageHeadBytes)])
        for marker in servedPageMarkers {
            let found = marker.withUnsafeBufferPointer { ByteSearch.contains($0, in: head) }
            if found { return "a web page as its site serves it (it names its public address): its values went to every visitor" }
        }
        return nil
    }

    public func localHostReason(for host: String) -> String? {
        let name = host.lowercased()
        guard !name.isEmpty else { return nil }
        if localHostNames.contains(name) || localHostPrefixes.contains(where: { name.hasPrefix($0) })
            || localHostSuffixes.contains(where: { name.hasSuffix($0) }) {
            return "the password is for a database on the developer's machine (\(name))"
        }
        if singleLabelHostsAreLocal, !name.contains("."), !name.contains(":"), name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }),
           name.contains(where: \.isLetter) {
            return "the password is for a container in a compose network (\(name)), not a reachable host"
        }
        return nil
    }

    /// The host of a value written as `user:password@host[:port][/path]` with no scheme, or nil.
    public static func host(ofUserinfo secret: [UInt8]) -> String? {
        let text = String(decoding: secret, as: UTF8.self)
        guard !text.contains("://"), let at = text.lastIndex(of: "@") else { return nil }
        let userinfo = text[..<at]
        guard let colon = userinfo.firstIndex(of: ":"), colon > userinfo.startIndex, userinfo.index(after: colon) < at,
              !userinfo.contains(where: { $0 == "/" || $0 == " " }) else { return nil }
        let host = text[text.index(after: at)...].prefix(while: { $0 != ":" && $0 != "/" && $0 != "?" })
        return host.isEmpty ? nil : String(host)
    }

    /// The host of a connection URL (`scheme://user:pass@host:port/db`) or of an ADO.NET/ODBC
    /// connection string (`Server=host,1433;…`, `Host=…`, `Data Source=…`), or nil.
    public static func host(ofConnection text: String) -> String? {
        // Nearly every match judged is ASCII with neither a scheme nor a host-naming key: those
        // are told by a look at their bytes, without Foundation's search and trimming below.
        if isPlainlyHostless(text) { return nil }
        if let scheme = text.range(of: "://") {
            var rest = text[scheme.upperBound...]
            let authority = rest.prefix(while: { $0 != "/" && $0 != "?" })
            if let at = authority.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
            if rest.hasPrefix("[") { return rest.firstIndex(of: "]").map { String(rest[...$0]) } }
            return String(rest.prefix(while: { $0 != ":" && $0 != "/" && $0 != "?" && $0 != "," && $0 != ";" }))
        }
        for part in text.split(separator: ";") {
            guard let equals = part.firstIndex(of: "=") else { continue }
            let key = part[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            guard ["server", "host", "data source", "address", "addr"].contains(where: { key.hasSuffix($0) }) else { continue }
            var value = part[part.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            // `tcp:host,1433`, `host\INSTANCE`, `(localdb)\…`.
            if value.lowercased().hasPrefix("tcp:") { value.removeFirst(4) }
            value = String(value.prefix(while: { $0 != "," && $0 != "\\" && $0 != ":" }))
            if value == "." || value.lowercased() == "(local)" || value.lowercased().hasPrefix("(localdb)") { return "localhost" }
            return value
        }
        return nil
    }

    /// Whether `text` is ASCII and holds neither `://` nor any key word `host(ofConnection:)`
    /// reads (`server`, `host`, `data source`, `addr`, in any case), so it has no host.
    static func isPlainlyHostless(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return false }
            let lower = bytes.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
            return lower.withUnsafeBufferPointer { lower in
                !hostMarkers.contains { marker in marker.withUnsafeBufferPointer { ByteSearch.contains($0, in: lower) } }
            }
        }
    }

    static let hostMarkers = ["://", "server", "host", "data source", "addr"].map { Array($0.utf8) }

    /// The value's words, lower-cased: ASCII letters split at `-`, `_`, `.`, spaces and
    /// camelCase, each two letters or more (or the article `a`), numbers standing alone; nil when any other
    /// character or a digit inside a word makes it something other than a phrase.
    /// With `namesWithNumbers`, a word may end in digits after two letters or more (`mem0`,
    /// `oauth2`): a project's or a protocol's name inside a stand-in (`mem0-local-dev`).
    static func words(of secret: [UInt8], namesWithNumbers: Bool = false) -> [String]? {
        var words: [String] = []
        var current: [UInt8] = []
        func flush() -> Bool {
            defer { current.removeAll() }
            guard !current.isEmpty else { return true }
            let isNumber = current.allSatisfy { $0 >= 48 && $0 <= 57 }
            // The article `a` set apart by separators reads as English (`a_very_important_secret`,
            // `you_must_generate_a_random_string…`, Authelia's documented samples), in capitals too
            // (`sk-test-THIS_IS_NOT_A_REAL_KEY`, a demo script's stand-in; `THIS-IS-A-SECURE-KEY-123-FAKE-KEY`,
            // a review script's fallback); any other single letter is no word.
            guard isNumber || current.count >= 2 || current == [UInt8(ascii: "a")] || current == [UInt8(ascii: "A")] else { return false }
            words.append(String(decoding: current, as: UTF8.self).lowercased())
            return true
        }
        for (index, byte) in secret.enumerated() {
            let isUpper = byte >= 65 && byte <= 90, isLower = byte >= 97 && byte <= 122, isDigit = byte >= 48 && byte <= 57
            if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == 32 {
                guard flush() else { return nil }
                continue
            }
            // `ihr-passwort-für-redis`: a Latin letter with a diacritic (UTF-8 from U+00C0 to
            // U+024F: lead bytes C3 to C9, the next a continuation) is a lower-case letter of a word
            // in another language, and the word goes on through it.
            if byte >= 0x80 {
                let isLead = (0xC3...0xC9).contains(byte) && index + 1 < secret.count && (0x80...0xBF).contains(secret[index + 1])
                let isTail = (0x80...0xBF).contains(byte) && index > 0 && (0xC3...0xC9).contains(secret[index - 1])
                guard isLead || isTail, current.last.map({ !($0 >= 48 && $0 <= 57) }) ?? true else { return nil }
                current.append(byte)
                continue
            }
            guard isUpper || isLower || isDigit else { return nil }
            if let last = current.last {
                let lastIsDigit = last >= 48 && last <= 57
                if lastIsDigit != isDigit {
                    let endsName = namesWithNumbers && isDigit && current.count >= 2
                        && current.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) }
                    // `…_across_restarts_64chars`: a number and its unit in lower case, one word.
                    let takesUnit = namesWithNumbers && isLower && current.allSatisfy { $0 >= 48 && $0 <= 57 }
                    guard endsName || takesUnit else { return nil }
                }
                // camelCase: a capital after a lower-case letter starts a word; in a run of
                // capitals the last one starts the next word (`JWTSecret` → jwt, secret).
                let lastIsLower = last >= 97 && last <= 122
                let nextIsLower = index + 1 < secret.count && secret[index + 1] >= 97 && secret[index + 1] <= 122
                if isUpper, lastIsLower || (current.count > 1 && nextIsLower && !(last >= 97)) {
                    guard flush() else { return nil }
                }
            }
            current.append(byte)
        }
        guard flush() else { return nil }
        return words
    }
}
