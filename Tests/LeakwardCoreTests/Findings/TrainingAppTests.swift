import Foundation
import Testing
@testable import LeakwardFindings
@testable import LeakwardModel
@testable import LeakwardRules

/// `rules/context/training.toml`: which READMEs declare a deliberately vulnerable training
/// application, and which of its findings keep their severity.
@Suite struct TrainingAppTests {
    let policy = TrainingApp.bundled

    private func declares(_ readme: String) -> Bool { policy.declaration(inReadme: Array(readme.utf8)) != nil }

    @Test func theBundledCatalogueLoads() {
        #expect(!policy.readmeNames.isEmpty)
        #expect(!policy.patterns.isEmpty && !policy.titlePatterns.isEmpty)
        #expect(policy.keptValidators.contains(.githubChecksum))
    }

    @Test func trainingAppsDeclareThemselves() {
        #expect(declares("# DAMN VULNERABLE WEB APPLICATION\n\nDVWA is a PHP/MariaDB web application that is damn vulnerable.\n"))
        #expect(declares("# NodeGoat\n\nThis project provides an environment to learn how OWASP Top 10 security risks apply.\n"))
        #expect(declares("## Vulnerable Flask Application\n\n> This is a ZAP Test.\n"))
        #expect(declares("[![build](https://ci/x.svg)](https://ci)\n# OWASP WebGoat\n"))
        #expect(declares("# Kubernetes Goat\n"))
        #expect(declares("Juice Shop\n\nProbably the most modern and sophisticated insecure web application! It can be used in security trainings.\n"))
        #expect(declares("# Lab\n\nAn intentionally vulnerable, modern web application for practising attacks.\n"))
        #expect(declares("TerraGoat is vulnerable by design Terraform code.\n"))
    }

    @Test func ordinaryProjectsDoNot() {
        #expect(!declares("# Express\n\nFast, unopinionated, minimalist web framework for Node.js.\n"))
        #expect(!declares("# Helmet\n\nHelps secure Express apps against vulnerable defaults.\n"))
        #expect(!declares("# Demo\n\nThe defaults are deliberately insecure: change them before you deploy.\n"))
        #expect(!declares("# Scanner\n\nFinds vulnerable dependencies in your application.\n"))
        // A tool called goat is not an OWASP goat.
        #expect(!declares("# goat\n\nA Go assembler.\n"))
        #expect(!declares(""))
    }

    @Test func titlesLoseTheirMarkup() {
        #expect(TrainingApp.title(of: Array("\n\n## Vulnerable Flask Application ##\n".utf8)) == "Vulnerable Flask Application")
        #expect(TrainingApp.title(of: Array("<p align=center><img src=logo.png></p>\n\nNodeGoat\n========\n".utf8)) == "NodeGoat")
        // A Setext title before the first `#` heading is the title, not that later heading.
        #expect(TrainingApp.title(of: Array("![](logo.jpg)\nHackathon Starter\n=================\n\n### Testimonials\n".utf8)) == "Hackathon Starter")
        #expect(TrainingApp.title(of: Array("# Notes\n\nIntro\n-----\n".utf8)) == "Notes")
    }

    @Test func aStarterTitleQuietsOnlyTypedWeakSecrets() {
        #expect(policy.starterDeclaration(inReadme: Array("Hackathon Starter\n=====\n".utf8)) == "starter")
        #expect(policy.starterDeclaration(inReadme: Array("# Notes App\n\nA demo of nothing.\n".utf8)) == nil)
        func weak(_ value: String, path: String = "app.js") -> Finding {
            var location = Finding.Location(path: path, line: 1, column: 1, offset: 0)
            location.origin = .file(root: ".", path: path)
            return Finding(ruleID: "session.express-secret", ruleName: "r", category: .session, provider: "Express", severity: .high,
                           kind: .weakSecret, validation: .unchecked, secret: SecretValue(value), location: location)
        }
        #expect(policy.judgedAsStarter(weak("Bob vs Alice"), declared: "starter").severity == .info)
        #expect(policy.judgedAsStarter(weak("1337"), declared: "starter").severity == .info)
        // A random short value is someone's key; a top-level env file is the developer's own.
        #expect(policy.judgedAsStarter(weak("Kd84LP2Wqz" + "Rm7XvB3nTa9"), declared: "starter").severity == .high)
        #expect(policy.judgedAsStarter(weak("MEAN", path: ".env"), declared: "starter").severity == .high)
        // Only weak secrets: another finding is judged as anywhere else.
        #expect(policy.judgedAsStarter(finding("app/secret.py"), declared: "starter").severity == .critical)
    }

    private func finding(_ path: String, validation: Validation = .unchecked, origin: Origin? = nil) -> Finding {
        var location = Finding.Location(path: path, line: 1, column: 1, offset: 0)
        location.origin = origin ?? .file(root: ".", path: path)
        return Finding(ruleID: "r", ruleName: "r", category: .cloud, provider: "P", severity: .critical, kind: .secret,
                       validation: validation, secret: SecretValue("t3tJJXPkfKcrgvkEIzIPcypgxolR3rtS"), location: location)
    }

    @Test func lessonsGoToInfoWithTheReason() {
        let judged = policy.judged(finding("app/secret.py"), validator: nil, declared: "damn vulnerable")
        #expect(judged.severity == .info)
        #expect(judged.notes.contains { $0.contains(TrainingApp.reason) && $0.contains("damn vulnerable") })
        // A self-signed key of the app's local HTTPS setup is a lesson too: its structure proves a key, not a live one.
        #expect(policy.judged(finding("artifacts/cert/server.key", validation: .structureValid), validator: .privateKey, declared: "x").severity == .info)
        #expect(policy.judged(finding("config/env/development.js"), validator: nil, declared: "x").severity == .info)
    }

    @Test func whatRunsOnRealInfrastructureKeepsItsSeverity() {
        for path in [".github/workflows/main.yml", "azure-pipelines.yml", ".gitlab-ci.yml", ".circleci/config.yml", "Jenkinsfile", ".env", ".env.local"] {
            #expect(policy.judged(finding(path), validator: nil, declared: "x").severity == .critical, "\(path)")
        }
        // An env template or a nested env file is the app's, judged like its code.
        #expect(policy.judged(finding(".env.example"), validator: nil, declared: "x").severity == .info)
        #expect(policy.judged(finding("app/.env"), validator: nil, declared: "x").severity == .info)
        // A checksum proves a live token; a failing or unchecked one is not proof.
        #expect(policy.judged(finding("app/tokens.py", validation: .checksumValid), validator: .githubChecksum, declared: "x").severity == .critical)
        #expect(policy.judged(finding("app/tokens.py"), validator: .githubChecksum, declared: "x").severity == .info)
        // A live-mode key by its provider's prefix; the test-mode one is a sample.
        var live = finding("app/billing.py")
        live.secret = SecretValue("sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc")
        #expect(policy.judged(live, validator: nil, declared: "x").severity == .critical)
        live.secret = SecretValue("sk_" + "test_" + "4eC39HqLyjWDarjtT1zdp7dc")
        #expect(policy.judged(live, validator: nil, declared: "x").severity == .info)
        // A commit message or an unreachable blob: the scan cannot tell where it sits.
        let message = finding("", origin: .commitMessage(root: ".", commit: ObjectID(hex: String(repeating: "a", count: 40))!))
        #expect(policy.judged(message, validator: nil, declared: "x").severity == .critical)
    }
}
