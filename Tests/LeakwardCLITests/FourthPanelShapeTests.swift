import Foundation
import Testing

/// Shapes from the fourth fresh held-out panel (AI chat bots and agent apps, keys in pull-request
/// objects), each with what must be reported and what must not.
@Suite struct FourthPanelShapeTests {
    private func severities(_ dir: Scratch, rule: String) throws -> [String: String] {
        let (_, found) = try CLI.scanFindings(dir)
        var out: [String: String] = [:]
        for f in found where f["rule_id"] as? String == rule { out[CLI.relativePath(f, in: dir)] = f["severity"] as? String }
        return out
    }

    @Test func aTelegramBotTokenPastedIntoAnExampleOrAReadmeFailsCI() throws {
        let dir = try Scratch()
        let token = "7591249841:" + "AAGTrpyIAIgI9-KCBg44gR_" + "TqDka68RMKIc"
        try dir.write("examples/echo_bot.py", "API_TOKEN = '\(token)'\nbot = telebot.TeleBot(API_TOKEN)\n")
        try dir.write("README.md", "Run it:\n\n    TELEGRAM_TOKEN=\(token) go run .\n")
        // Telegram's own documentation sample is a placeholder.
        try dir.write("examples/doc_bot.py", "bot = telebot.TeleBot('110201543:" + "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw')\n")
        let found = try severities(dir, rule: "telegram.bot-token")
        #expect(found == ["examples/echo_bot.py": "medium", "README.md": "medium"], "\(found)")
    }

    @Test func aShortLivedReadOnlyBlobLinkIsNoKey() throws {
        let dir = try Scratch()
        let sig = "kNPBBXq7Yf2mW9vLzR4t" + "Hs8cJd1GaE6uOiPn0QxTwSb%3D"
        // An image API's result: read-only, one blob, valid two hours.
        try dir.write("logs/run.log", "GET https://imgstore.blob.core.windows.net/private/img-1.png?st=2023-08-31T03%3A32%3A08Z&se=2023-08-31T05%3A32%3A08Z&sp=r&sv=2021-08-06&sr=b&rscd=inline&rsct=image/png&skoid=6aaadede-4fb3-4698-a8f6-684d7786b067&sktid=a48cca56-e6da-484e-a814-9c849652bcb3&skt=2023-08-31T00%3A34%3A40Z&ske=2023-09-01T00%3A34%3A40Z&sks=b&skv=2021-08-06&sig=\(sig)\n")
        // An account SAS that can write, valid for a year.
        try dir.write("src/upload.js", "const url = 'https://acmeshop.blob.core.windows.net/uploads?sv=2022-11-02&ss=b&srt=co&sp=rwdlac&se=2026-01-01T00:00:00Z&st=2025-01-01T00:00:00Z&spr=https&sig=\(sig)'\n")
        let (_, found) = try CLI.scanFindings(dir)
        let byPath = Dictionary(grouping: found, by: { CLI.relativePath($0, in: dir) }).mapValues { $0.map { "\($0["rule_id"]!) \($0["severity"]!)" } }
        #expect(byPath["logs/run.log"] == ["azure.sas-download-link info"], "\(byPath)")
        #expect(byPath["src/upload.js"] == ["azure.sas-token high"], "\(byPath)")
    }

    @Test func aPatternInAnInstallScriptIsNoValue() throws {
        let dir = try Scratch()
        try dir.write("install_helper.sh", "replace_in_file backend/.env \"JWT_SECRET_KEY=.*\" \"JWT_SECRET_KEY=${JWT_SECRET_KEY}\"\n")
        let (status, found) = try CLI.scanFindings(dir)
        #expect(found.isEmpty, "\(found.map { "\($0["rule_id"]!)" })")
        #expect(status == 0)
    }

    @Test func aPastedWebSessionCookieIsASecret() throws {
        let dir = try Scratch()
        let token = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..8BZmoJrJAB2_jy8b." + "UqM5CpCU9WIxxecP8RSc55Sp5k3s1zNRVGAbn9pqeCd5QmGbENSIFj_NO3gjv2Lh7TQ0vKx8mWzRt5yPcJ3aDfG"
            + "eHn1uBq4Xo6Zs9LkVw2TyIr7Nd0Mj3Ac5Pb8Gf" + ".Wd3kT9xLq2Vn7Rz5Hb1Yc4"
        try dir.write("src/config.ts", "export default {\n  chatGPTSessionToken: '\(token)',\n}\n")
        let (status, found) = try CLI.scanFindings(dir)
        #expect(found.map { $0["rule_id"] as? String } == ["nextauth.session-token"], "\(found.map { "\($0["rule_id"]!)" })")
        #expect(status == 1)
    }
}
