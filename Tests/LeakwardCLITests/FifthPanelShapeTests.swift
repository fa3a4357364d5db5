import Foundation
import Testing

/// Shapes from the fifth fresh held-out panel (Telegram, Discord and WeChat bots, client
/// libraries, keys in pull-request objects), each with what must be reported and what must not.
/// Secrets are put together here so that no fixture holds one whole.
@Suite struct FifthPanelShapeTests {
    /// A bot's token where the bot starts, far below the file's one `import discord`.
    @Test func aDiscordTokenFarFromTheWordDiscordIsFound() throws {
        let dir = try Scratch()
        let token = "MTE4NzY1NDMyMDk4NzY1NDMyMQ" + ".pTyGJM." + "uHbEL31IeL2HPcHyGcFRl1SPnXNYvMIHa-2o76"
        let filler = String(repeating: "@bot.command()\nasync def ping(ctx):\n    await ctx.send('pong')\n\n", count: 12)
        try dir.write("bot.py", "import discord\nfrom discord.ext import commands\n\n" + filler + "bot.run('\(token)')\n")
        try dir.write("examples/hybrid.py", "import discord\n" + filler + "TOKEN = \"\(token.replacingOccurrences(of: "uHb", with: "vHb"))\"\nbot.run(TOKEN)\n")
        // discord.py's guide shows this sample: "A real token looks like".
        try dir.write("docs/intro.rst", "A real token looks like::\n\n    MjM4NDk0NzU2NTIxMzc3Nzky" + ".CunGFQ." + "wUILz7z6HoJzVeq6pyHPmVgQgV4\n\ndiscord\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["bot.py"] == ["discord.bot-token high"], "\(found)")
        #expect(found["examples/hybrid.py"] == ["discord.bot-token high"], "\(found)")
        #expect(found["docs/intro.rst"] == nil, "\(found)")
    }

    /// A version pin in a TOML list and a role list under a `…BYPASS…` name are no secrets.
    @Test func aDependencyPinAndABypassListAreNoSecrets() throws {
        let dir = try Scratch()
        try dir.write("pyproject.toml", "[project]\nname = \"bot\"\ndependencies = [\n    \"tiktoken==0.4.0\",\n    \"pinecone-client==2.2.1\",\n]\n")
        try dir.write("setup.cfg", "[options]\ninstall_requires =\n    tiktoken==0.4.0\n")
        try dir.write("sample.env", "CHAT_BYPASS_ROLES = \"Admin,Owner\"\nDB_PASS=\"Xk29vLqT\"\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["pyproject.toml"] == nil && found["setup.cfg"] == nil, "\(found)")
        #expect(found["sample.env"] == ["generic.config-value medium"], "\(found)")
    }

    /// openwechat's hot-login storage keeps WeChat's web auth ticket; a committed one is a login.
    @Test func aWeChatWebAuthTicketInAHotLoginStorageIsASecret() throws {
        let dir = try Scratch()
        let ticket = "5+7nYV7zXzDkm0guFcrnUAcgHhJhew/tp+Fkd5b/AivqjtAqgqF1kw8jN803lMUiCABtaxrwwMvWJWWKrCyfqgfRPER+"
            + "MwUe7vlaYOVhQ9bEO8rXbACKmwprX8kzFUpt4oQEqJfFJSYuanwHvL7oQfdFxV1On3R/YVFkxvco1xg1NxOCesiD1/uWWSM="
        try dir.write("storage.json", "{\"Cookies\":{\"https://wx.qq.com/cgi-bin/mmwebwx-bin/webwxnewloginpage\":[{\"Name\":\"webwx_auth_ticket\",\"Value\":\"\(ticket)\",\"Path\":\"/\",\"Domain\":\"wx.qq.com\",\"Raw\":\"webwx_auth_ticket=\(ticket); Domain=wx.qq.com; Path=/\"}]}}\n")
        let (status, found) = try CLI.scanFindings(dir)
        #expect(Set(found.map { $0["rule_id"] as? String }) == ["wechat.web-auth-ticket"], "\(found.map { "\($0["rule_id"]!)" })")
        #expect(status == 1)
    }

    /// A Gradle in-memory signing key: base64 of an OpenPGP secret-key packet beside its password.
    @Test func aGradleInMemorySigningKeyIsASecret() throws {
        let dir = try Scratch()
        let key = "lQGYgrcO7n8aUDm+8H7CNH8GbtCPXcdRJEfjQEMAAmtuVFWUoGVoXWTEmAu41FRKhyGpmgGtIZ61nPahXvbxWh2DC7fOCda7wATn"
            + "F1xkPH3ssLWA7De8lxLdLmquuUuujS+fopxaKEye91IYKc8QebCA6ddKHBD8q2pCQ9M2Vt6+TB7XlkjoVuj5ovWMlfDOSznBW/+tXC37"
        try dir.write("gradle.properties", "GROUP=com.example\nsigningInMemoryKeyId=2147983\nsigningInMemoryKey=\(key)\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["gradle.properties"] == ["private-key.pgp-base64 high"], "\(found)")
    }
}
