import Testing
@testable import LeakwardCore
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardInputs
@testable import LeakwardMatching
@testable import LeakwardModel
@testable import LeakwardPlan
@testable import LeakwardRules

/// Group-robot webhooks of DingTalk, Feishu/Lark and WeCom: the URL is the credential.
@Suite struct WorkplaceWebhookTests {
    // Made up at test time.
    static let hex64 = "8c1e5a9b27d04f6e" + "93a1b7c2d5e8f0a4" + "b6c9d2e1f3a5b7c8" + "d9e0f1a2b3c4d5e6"
    static let uuid = "3f8a2c1e-9b7d-" + "4e05-a6c3-d1f2b8e7a940"

    static func scan(_ name: String, _ text: String) throws -> [Finding] {
        let pipeline = try ScanPipeline(rules: CompiledRules(RuleSet.builtIn()), options: ScanOptions(workerCount: 1, decoders: Decoders.standard))
        return pipeline.run([InMemorySource([(name, text)])]).findings
    }

    @Test func eachRobotURLIsAWebhookWithItsProvidersSteps() throws {
        let catalog = try PlaybookCatalog.builtIn()
        let cases: [(String, String, String)] = [
            ("notify_url = \"https://oapi.dingtalk.com/robot/send?timestamp=1700000000000&sign=abc%2B&access_token=\(Self.hex64)\"", "dingtalk.robot-access-token", "dingtalk.robot"),
            ("DINGTALK_SECRET=SEC\(Self.hex64)", "dingtalk.robot-signing-secret", "dingtalk.robot"),
            ("hook = \"https://open.feishu.cn/open-apis/bot/v2/hook/\(Self.uuid)\"", "feishu.webhook-url", "feishu.bot"),
            ("hook = \"https://open.larksuite.com/open-apis/bot/v2/hook/\(Self.uuid)\"", "feishu.webhook-url", "feishu.bot"),
            ("WEB_HOOK = \"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=\(Self.uuid)\"", "wecom.webhook-url", "wecom.robot"),
        ]
        for (line, ruleID, playbookID) in cases {
            let finding = try #require(try Self.scan("src/notify.py", line + "\n").first { $0.ruleID == ruleID }, "\(line)")
            #expect(finding.category == .webhook)
            #expect(finding.severity == .medium)
            #expect(catalog.playbook(ruleID: finding.ruleID, provider: finding.provider, category: finding.category)?.id == playbookID)
        }
    }

    @Test func templatesAndPlaceholdersAreNoWebhooks() throws {
        let text = """
        url = f"https://oapi.dingtalk.com/robot/send?access_token={self.dingtalk_token}&timestamp={timestamp}&sign={sign}"
        hook = "https://open.feishu.cn/open-apis/bot/v2/hook/" + token
        WEBHOOK="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=YOUR_KEY"
        WECOM=https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx
        secret = "SECRET_KEY_BASE"

        """
        let findings = try Self.scan("src/notify.py", text)
        #expect(!findings.contains { ["dingtalk", "feishu", "wecom"].contains($0.ruleID.split(separator: ".").first.map(String.init) ?? "") })
    }
}
