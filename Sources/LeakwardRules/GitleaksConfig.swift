import Foundation
import LeakwardSupport

/// A gitleaks configuration (`.gitleaks.toml`) turned into Leakward rules and allowlists, so a
/// team keeps its custom rules when it switches. What has no Leakward equivalent is reported
/// as a warning that names the key; nothing is dropped silently.
public struct GitleaksConfig: Sendable {
    public var title: String?
    /// The config's own rules, with ids `gitleaks.<id>`.
    public var rules: [Rule] = []
    /// `[extend] useDefault = true`: keep Leakward's built-in catalogue next to these rules.
    public var extendsDefaults = false
    /// Built-in Leakward rule ids switched off by `[extend] disabledRules`.
    public var disabledBuiltInRules: [String] = []
    /// Global allowlists (`[allowlist]`, `[[allowlists]]`): rule id (nil: every rule) → allowlist.
    public var globalAllowlists: [(ruleIDs: Set<String>?, allowlist: RuleAllowlist)] = []
    /// Keys and values that were ignored, each naming what and why.
    public var warnings: [String] = []

    /// Whether `text` is a gitleaks config rather than a `.leakward.toml`: gitleaks has
    /// `[[rules]]` (an array; Leakward's `[rules]` is a table), `[extend]` or `title`.
    public static func looksLikeGitleaks(_ document: [String: TOMLValue]) -> Bool {
        document["rules"]?.array != nil || document["extend"] != nil || document["title"] != nil
            || document["allowlists"] != nil
    }

    public static func looksLikeGitleaks(text: String, path: String) -> Bool {
        (try? TOMLReader.parse(text, path: path)).map(looksLikeGitleaks) ?? false
    }

    /// Parses the config at `path` (`text` is its contents). `[extend] path` is followed,
    /// relative to the config's directory, up to a small depth.
    public static func parse(_ text: String, path: String) throws -> GitleaksConfig {
        try parse(text, path: path, depth: 0)
    }

    static let topKeys: Set<String> = ["title", "description", "minVersion", "extend", "rules", "allowlist", "allowlists"]
    static let ruleKeys: Set<String> = ["id", "description", "regex", "secretGroup", "entropy", "keywords", "path", "tags",
                                        "allowlist", "allowlists"]
    static let allowlistKeys: Set<String> = ["description", "regexes", "regexTarget", "paths", "stopwords", "condition",
                                             "commits", "targetRules"]

    private static func parse(_ text: String, path: String, depth: Int) throws -> GitleaksConfig {
        let document = try TOMLReader.parse(text, path: path)
        var config = GitleaksConfig()
        config.title = document["title"]?.string
        for key in document.keys.sorted() where !topKeys.contains(key) {
            config.warnings.append("\(path): unsupported key '\(key)' ignored")
        }
        if let extend = document["extend"]?.table {
            try config.applyExtend(extend, path: path, depth: depth)
        }
        for (index, value) in (document["rules"]?.array ?? []).enumerated() {
            guard let table = value.table else {
                throw RuleError.badValue(path: path, rule: "rules[\(index)]", key: "rules", message: "expected a table")
            }
            if let rule = config.rule(from: table, index: index, path: path) {
                config.rules.removeAll { $0.id == rule.id }  // a later definition overrides an extended one
                config.rules.append(rule)
            }
        }
        var globals: [[String: TOMLValue]] = []
        if let table = document["allowlist"]?.table { globals.append(table) }
        globals += (document["allowlists"]?.array ?? []).compactMap(\.table)
        for table in globals {
            let label = "[allowlist]"
            let allowlist = config.allowlist(from: table, label: label, path: path)
            let targets = table["targetRules"]?.strings.map { Set($0.map(ruleID)) }
            if !allowlist.isEmpty { config.globalAllowlists.append((targets, allowlist)) }
        }
        return config
    }

    private mutating func applyExtend(_ extend: [String: TOMLValue], path: String, depth: Int) throws {
        for key in extend.keys.sorted() where !["useDefault", "path", "disabledRules", "url"].contains(key) {
            warnings.append("\(path): unsupported key 'extend.\(key)' ignored")
        }
        extendsDefaults = extend["useDefault"]?.bool ?? false
        if extend["url"] != nil {
            warnings.append("\(path): 'extend.url' is not supported (Leakward never fetches configs over the network)")
        }
        if let base = extend["path"]?.string {
            let directory = (path as NSString).deletingLastPathComponent
            let full = base.hasPrefix("/") ? base : (directory.isEmpty ? base : directory + "/" + base)
            if depth >= 4 {
                warnings.append("\(path): 'extend.path' nested too deep; '\(base)' ignored")
            } else if let baseText = try? String(contentsOfFile: full, encoding: .utf8) {
                let parent = try GitleaksConfig.parse(baseText, path: full, depth: depth + 1)
                rules = parent.rules
                globalAllowlists = parent.globalAllowlists
                warnings += parent.warnings
                extendsDefaults = extendsDefaults || parent.extendsDefaults
                disabledBuiltInRules += parent.disabledBuiltInRules
            } else {
                warnings.append("\(path): 'extend.path' file '\(full)' cannot be read; ignored")
            }
        }
        for id in extend["disabledRules"]?.strings ?? [] {
            let own = GitleaksConfig.ruleID(id)
            if rules.contains(where: { $0.id == own }) {
                rules.removeAll { $0.id == own }
            } else if let mapped = GitleaksConfig.builtInEquivalents[id] {
                disabledBuiltInRules += mapped
            } else {
                warnings.append("\(path): extend.disabledRules: no Leakward rule corresponds to gitleaks rule '\(id)'")
            }
        }
    }

    private mutating func rule(from table: [String: TOMLValue], index: Int, path: String) -> Rule? {
        let rawID = table["id"]?.string ?? "rule-\(index + 1)"
        for key in table.keys.sorted() where !GitleaksConfig.ruleKeys.contains(key) {
            warnings.append("\(path): rule '\(rawID)': unsupported key '\(key)' ignored")
        }
        guard let regex = table["regex"]?.string, !regex.isEmpty else {
            warnings.append("\(path): rule '\(rawID)': path-only rules (no 'regex') are not supported; rule skipped")
            return nil
        }
        let pattern = GitleaksConfig.pcrePattern(fromRE2: regex)
        do {
            _ = try Regex(pattern)
        } catch {
            warnings.append("\(path): rule '\(rawID)': regex does not compile with PCRE2 (\(error)); rule skipped")
            return nil
        }
        if let pathRegex = table["path"]?.string, (try? Regex(pathRegex)) == nil {
            warnings.append("\(path): rule '\(rawID)': 'path' regex does not compile; rule skipped")
            return nil
        }
        var rule = Rule(
            id: GitleaksConfig.ruleID(rawID), name: table["description"]?.string ?? rawID, category: .generic,
            provider: "Custom (gitleaks)", severity: .medium, pattern: pattern,
            secretGroup: max(1, table["secretGroup"]?.int ?? 1), keywords: (table["keywords"]?.strings ?? []).filter { !$0.isEmpty },
            minEntropy: table["entropy"]?.number ?? 0, origin: path)
        rule.pathPattern = table["path"]?.string
        // A gitleaks regex may span lines without limit: history scans match blobs holding its
        // keywords whole (and every blob whole when it has none).
        rule.maxLength = .max
        var allowlistTables: [[String: TOMLValue]] = []
        if let single = table["allowlist"]?.table { allowlistTables.append(single) }
        allowlistTables += (table["allowlists"]?.array ?? []).compactMap(\.table)
        for allowlistTable in allowlistTables {
            let allowlist = allowlist(from: allowlistTable, label: "rule '\(rawID)' allowlist", path: path)
            if !allowlist.isEmpty { rule.allowlists.append(allowlist) }
        }
        return rule
    }

    private mutating func allowlist(from table: [String: TOMLValue], label: String, path: String) -> RuleAllowlist {
        for key in table.keys.sorted() where !GitleaksConfig.allowlistKeys.contains(key) {
            warnings.append("\(path): \(label): unsupported key '\(key)' ignored")
        }
        if let commits = table["commits"]?.strings, !commits.isEmpty {
            warnings.append("\(path): \(label): 'commits' is not supported for working-tree scans; ignored")
        }
        var target = RuleAllowlist.Target.secret
        if let name = table["regexTarget"]?.string {
            if let parsed = RuleAllowlist.Target(rawValue: name) { target = parsed } else {
                warnings.append("\(path): \(label): unknown regexTarget '\(name)'; using 'secret'")
            }
        }
        let condition = table["condition"]?.string?.uppercased() ?? "OR"
        if condition != "OR" && condition != "AND" {
            warnings.append("\(path): \(label): unknown condition '\(condition)'; using OR")
        }
        var regexes: [String] = []
        for regex in table["regexes"]?.strings ?? [] {
            let pattern = GitleaksConfig.pcrePattern(fromRE2: regex)
            if (try? Regex(pattern)) == nil {
                warnings.append("\(path): \(label): regex '\(regex)' does not compile; ignored")
            } else {
                regexes.append(pattern)
            }
        }
        var paths: [String] = []
        for regex in table["paths"]?.strings ?? [] {
            let pattern = GitleaksConfig.pcrePattern(fromRE2: regex)
            if (try? Regex(pattern)) == nil {
                warnings.append("\(path): \(label): path regex '\(regex)' does not compile; ignored")
            } else {
                paths.append(pattern)
            }
        }
        return RuleAllowlist(description: table["description"]?.string, regexes: regexes, target: target, paths: paths,
                             stopwords: (table["stopwords"]?.strings ?? []).map { $0.lowercased() }, requiresAll: condition == "AND")
    }

    /// `gitleaks.<id>`, lower case, with characters outside `[a-z0-9_-]` replaced.
    public static func ruleID(_ id: String) -> String {
        let cleaned = String(id.lowercased().map { ($0.isLetter && $0.isASCII) || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
        return "gitleaks." + (cleaned.isEmpty ? "rule" : cleaned)
    }

    /// Go RE2 → PCRE2. The syntaxes agree on nearly everything gitleaks configs use; RE2's
    /// `\z` and `(?P<name>…)` are PCRE2 too. The differences handled: RE2's `\C` (any byte) and
    /// `(?U)` (swap greediness, which PCRE2 spells the same way but only at the start).
    public static func pcrePattern(fromRE2 pattern: String) -> String {
        pattern.replacingOccurrences(of: #"\C"#, with: #"[\s\S]"#)
    }

    /// gitleaks default rule ids → the Leakward rules that cover the same credential, for
    /// `[extend] disabledRules`.
    static let builtInEquivalents: [String: [String]] = [
        "generic-api-key": ["generic.assignment", "generic.env-assignment", "generic.config-value"],
        "aws-access-token": ["aws.access-key-id"],
        "github-pat": ["github.pat"], "github-oauth": ["github.oauth"], "github-app-token": ["github.app-token"],
        "github-fine-grained-pat": ["github.fine-grained-pat"], "github-refresh-token": ["github.refresh-token"],
        "gitlab-pat": ["gitlab.pat"], "npm-access-token": ["npm.token"], "pypi-upload-token": ["pypi.token"],
        "private-key": ["private-key.pem", "private-key.openssh", "private-key.pgp"],
        "slack-bot-token": ["slack.bot-token"], "slack-user-token": ["slack.user-token"],
        "slack-webhook-url": ["slack.webhook-url"], "slack-app-token": ["slack.app-token"],
        "stripe-access-token": ["stripe.secret-key", "stripe.restricted-key", "stripe.test-key"],
        "openai-api-key": ["openai.project-key", "openai.service-account-key", "openai.admin-key", "openai.legacy-key", "openai.user-key"],
        "anthropic-api-key": ["anthropic.api-key"], "anthropic-admin-api-key": ["anthropic.admin-key"],
        "gcp-api-key": ["google.api-key"], "sendgrid-api-token": ["sendgrid.api-key"],
        "twilio-api-key": ["twilio.api-key"], "telegram-bot-api-token": ["telegram.bot-token"],
        "discord-api-token": ["discord.bot-token"], "jwt": ["supabase.service-role-key", "supabase.anon-key"],
        "huggingface-access-token": ["huggingface.token"], "huggingface-organization-api-token": ["huggingface.org-token"],
        "mailgun-private-api-token": ["mailgun.api-key", "mailgun.private-key"], "mailchimp-api-key": ["mailchimp.api-key"],
        "shopify-access-token": ["shopify.access-token"], "shopify-shared-secret": ["shopify.shared-secret"],
        "digitalocean-pat": ["digitalocean.pat"], "doppler-api-token": ["doppler.token"], "pulumi-api-token": ["pulumi.access-token"],
        "hashicorp-tf-api-token": ["hashicorp.terraform-token"], "vault-service-token": ["hashicorp.vault-token"],
        "planetscale-password": ["planetscale.password"], "planetscale-api-token": ["planetscale.service-token"],
        "sentry-access-token": ["sentry.legacy-token"], "sentry-org-token": ["sentry.org-token"], "sentry-user-token": ["sentry.user-token"],
        "azure-ad-client-secret": ["azure.entra-client-secret"], "square-access-token": ["square.access-token", "square.legacy-token"],
        "groq-api-key": ["groq.api-key"], "langsmith-api-key": ["langsmith.api-key"], "perplexity-api-key": ["perplexity.api-key"],
        "linear-api-key": ["linear.api-key"], "postman-api-token": ["postman.api-key"], "rubygems-api-token": ["rubygems.api-key"],
        "nuget-api-key": ["nuget.api-key"], "dockerhub-pat": ["dockerhub.pat"], "age-secret-key": ["private-key.age"],
        "cloudflare-api-key": ["cloudflare.api-token"], "cloudflare-global-api-key": ["cloudflare.global-api-key"],
        "cloudflare-origin-ca-key": ["cloudflare.origin-ca-key"], "grafana-cloud-api-token": ["grafana.cloud-token"],
        "grafana-service-account-token": ["grafana.service-account-token"], "new-relic-user-api-key": ["newrelic.user-api-key"],
        "datadog-access-token": ["datadog.api-key"], "sourcegraph-access-token": ["sourcegraph.access-token"],
    ]
}
