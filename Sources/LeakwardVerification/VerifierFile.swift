import LeakwardRules

/// Turns one `rules/verify/*.toml` file into verifiers. Unknown keys are errors, and every URL
/// must be HTTPS on the verifier's own documented host, so a typo never sends a key elsewhere.
public enum VerifierFile {
    public static let keys: Set<String> = [
        "id", "rules", "host", "method", "url", "headers", "body", "auth", "basic_user", "region", "service", "companion",
        "live_status", "revoked_status", "live_json", "revoked_json", "revoked_body", "live_body", "identity", "scopes_header", "scopes_json",
        "docs",
    ]

    public static func verifiers(fromTOML text: String, path: String) throws -> [VerifierSpec] {
        let document = try TOMLReader.parse(text, path: path)
        for key in document.keys where key != "verifier" && key != "database" { throw RuleError.unknownKey(path: path, rule: "file", key: key) }
        guard let entries = document["verifier"]?.array else { return [] }
        return try entries.enumerated().map { index, entry in
            guard let table = entry.table else {
                throw RuleError.badValue(path: path, rule: "#\(index + 1)", key: "verifier", message: "expected a table")
            }
            let label = table["id"]?.string ?? "#\(index + 1)"
            for key in table.keys where !keys.contains(key) { throw RuleError.unknownKey(path: path, rule: label, key: key) }
            func required(_ key: String) throws -> String {
                guard let value = table[key]?.string, !value.isEmpty else { throw RuleError.missingKey(path: path, rule: label, key: key) }
                return value
            }
            let host = try required("host")
            let url = try required("url")
            guard url.hasPrefix("https://") else {
                throw RuleError.badValue(path: path, rule: label, key: "url", message: "must be https://")
            }
            // The URL's host, placeholders and all, must be the documented host (or fill its one wildcard label).
            let urlHost = String(url.dropFirst(8).prefix { $0 != "/" && $0 != "?" && $0 != ":" })
            let hostOK = host.hasPrefix("*.") ? urlHost.hasSuffix(String(host.dropFirst(1))) && urlHost.hasPrefix("{") : urlHost == host
            guard hostOK else {
                throw RuleError.badValue(path: path, rule: label, key: "url", message: "host \(urlHost) is not \(host)")
            }
            let auth = table["auth"]?.string
            if let auth, !["basic", "sigv4"].contains(auth) {
                throw RuleError.badValue(path: path, rule: label, key: "auth", message: "use basic or sigv4")
            }
            let rules = table["rules"]?.strings ?? []
            if rules.isEmpty { throw RuleError.missingKey(path: path, rule: label, key: "rules") }
            let live = table["live_status"]?.array?.compactMap(\.int) ?? [200]
            return VerifierSpec(
                id: try required("id"), rules: rules, host: host, method: table["method"]?.string ?? "GET", url: url,
                headers: table["headers"]?.strings ?? [], body: table["body"]?.string, auth: auth,
                basicUser: table["basic_user"]?.string, region: table["region"]?.string, service: table["service"]?.string,
                companion: table["companion"]?.string, liveStatus: live,
                revokedStatus: table["revoked_status"]?.array?.compactMap(\.int) ?? [401, 403],
                liveJSON: table["live_json"]?.string, revokedJSON: table["revoked_json"]?.string, revokedBody: table["revoked_body"]?.strings ?? [],
                liveBody: table["live_body"]?.strings ?? [], identity: table["identity"]?.strings ?? [],
                scopesHeader: table["scopes_header"]?.string, scopesJSON: table["scopes_json"]?.string, source: path)
        }
    }
}
