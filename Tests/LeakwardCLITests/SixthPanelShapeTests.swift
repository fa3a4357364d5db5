import Foundation
import Testing

/// Shapes from the sixth fresh held-out panel (Telegram, Discord and Slack bot libraries, OpenAI
/// clients, keys in pull-request objects), each with what must be reported and what must not.
/// Secrets are put together here so that no fixture holds one whole.
@Suite struct SixthPanelShapeTests {
    /// grammY keeps the name of Telegram's secret-token header in a `SECRET_HEADER` constant: a
    /// header's name is no value. A random value after `X-` still is one.
    @Test func anHTTPHeadersNameIsNoSecret() throws {
        let dir = try Scratch()
        try dir.write("src/frameworks.ts", "const SECRET_HEADER = \"X-Telegram-Bot-Api-Secret-Token\";\nconst API_KEY_HEADER = 'x-api-key';\n")
        try dir.write("src/client.ts", "const API_TOKEN = \"X-" + "b5JKHpGqsn4Qi9" + "cdC2Eh\";\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["src/frameworks.ts"] == nil, "\(found)")
        #expect(found["src/client.ts"] == ["generic.assignment medium"], "\(found)")
    }

    /// bolt-js documents an event's payload in a `/* … */` block under "Example …", its lines
    /// with no leading `*`: a sample, at info. The same value in code fails CI (a glob string
    /// holding `/*` and `*/` opens no comment), and a provider key commented out in a block of
    /// production code keeps its severity.
    @Test func aSamplePayloadInABlockCommentIsDocumentation() throws {
        let dir = try Scratch()
        let value = "IwQfk3Lz" + "74pLGW77NOZy"
        try dir.write("src/types.ts", "export interface Event { type: string; }\n\n/*\nExample that includes the event wrapper\n{\n    \"token\": \"\(value)\",\n    \"team_id\": \"T33J49SAG\"\n}\n*/\nexport type Other = string;\n")
        try dir.write("src/app.ts", "const glob = \"src/**/*.ts\";\nconst payload = {\n    \"token\": \"\(value)\",\n};\n")
        let key = "sk-" + "b5JKHpGqsn4Qi9cdC2Eh" + "T3Blbk" + "FJ" + "IwQfk3Lz74pLGW77NOZy"
        try dir.write("src/Program.cs", "class Program {\n    /*\n    var api = new OpenAIAPI(\"\(key)\");\n    */\n}\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["src/types.ts"] == ["generic.assignment info"], "\(found)")
        #expect(found["src/app.ts"] == ["generic.assignment medium"], "\(found)")
        #expect(found["src/Program.cs"] == ["openai.legacy-key high"], "\(found)")
    }

    /// discordrb's README shows a webhook URL with its token: the URL's own shape (a snowflake,
    /// then 68 characters) is the key, in a README as in code. A placeholder token is none.
    @Test func aDiscordWebhookURLInAReadmeFailsCI() throws {
        let dir = try Scratch()
        let url = "https://discord.com/api/webhooks/" + "777515029291377883/" + "WdLu6KreD1aQWMiCSoAni3EEMxll0k4R47YM" + "iqzkdvcmATxPaaEnxlQkDHj0IFr34kEl"
        try dir.write("README.md", "# Webhooks\n\n```ruby\nWEBHOOK_URL = '\(url)'.freeze\n```\n")
        try dir.write("docs/webhooks.md", "Use `https://discord.com/api/webhooks/123456789012345678/" + String(repeating: "x", count: 68) + "`\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["README.md"] == ["discord.webhook-url medium"], "\(found)")
        #expect(found["docs/webhooks.md"] == nil, "\(found)")
    }
}
