import Testing
@testable import LeakwardCore
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardInputs
@testable import LeakwardMatching
@testable import LeakwardModel
@testable import LeakwardPlan
@testable import LeakwardRules
@testable import LeakwardVerification

/// Guards the provider playbooks in `rules/rotation/*.toml` as data: a mistyped rule prefix
/// leaves a playbook that nothing reaches, and a too-short prefix sends a credential to the
/// wrong provider's steps. Both would pass the coverage test in RotationTests silently.
@Suite struct PlaybookCoverageTests {
    @Test func everyProviderPlaybookServesAtLeastOneBuiltInRule() throws {
        let catalog = try PlaybookCatalog.builtIn()
        let served = Set(try RuleSet.builtIn().rules.compactMap {
            catalog.playbook(ruleID: $0.id, provider: $0.provider, category: $0.category)?.id
        })
        let unreached = catalog.playbooks.filter { $0.category == nil && !served.contains($0.id) }.map(\.id)
        #expect(unreached.isEmpty, "playbooks no built-in rule reaches: \(unreached)")
    }

    /// Rules of one provider that need different steps resolve to different playbooks, and a
    /// rule whose provider name belongs to another product still gets its own steps.
    static let expected: [(rule: String, playbook: String)] = [
        ("discord.bot-token", "discord.bot"),
        ("discord.webhook-url", "discord.webhook"),
        ("cloudflare.api-token", "cloudflare"),
        ("cloudflare.global-api-key", "cloudflare.global-api-key"),
        ("cloudflare.turnstile-secret", "cloudflare.turnstile"),
        ("hashicorp.vault-token", "vault"),
        ("hashicorp.terraform-token", "terraform-cloud"),
        ("mandrill.api-key", "mandrill"),
        ("mailgun.webhook-signing-key", "mailgun.webhook-signing-key"),
        ("shopify.access-token", "shopify"),
        ("shopify.shared-secret", "shopify.app-secret"),
        ("lemonsqueezy.webhook-secret", "lemonsqueezy.webhook"),
        ("sentry.dsn", "sentry.dsn"),
        ("clerk.publishable-key", "clerk.publishable"),
        ("session.flask-secret-key", "flask"),
        // Existing playbooks keep the rules they matched before the provider files existed.
        ("stripe.webhook-secret", "stripe.webhook"),
        ("slack.webhook-url", "slack.webhook"),
        ("session.django-secret-key", "django"),
        // A web session cookie is ended by signing the account out, not by deleting an API key.
        ("google.session-cookie", "web-account-session"),
        ("bing.session-cookie", "web-account-session"),
    ]

    @Test func rulesResolveToTheirOwnPlaybooks() throws {
        let catalog = try PlaybookCatalog.builtIn()
        let rules = try RuleSet.builtIn().rules
        for (ruleID, playbookID) in Self.expected {
            let rule = try #require(rules.first { $0.id == ruleID }, "no built-in rule \(ruleID)")
            let playbook = catalog.playbook(ruleID: rule.id, provider: rule.provider, category: rule.category)
            #expect(playbook?.id == playbookID, "\(ruleID) → \(playbook?.id ?? "nil")")
        }
    }
}
