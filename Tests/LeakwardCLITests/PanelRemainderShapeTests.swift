import Foundation
import Testing

/// Shapes the 107-repository panel still missed or reported wrongly after five fresh panels: a
/// Discord token with no word beside it, a Cloudflare clearance cookie under a wrapped name, and
/// the documents a retrieval app ingests. Secrets are put together here so that no fixture holds
/// one whole.
@Suite struct PanelRemainderShapeTests {
    /// A bot token pasted alone on the first line of a `.env`: no name, no `discord`, no `token`.
    /// Its own start (base64 of a 19-digit snowflake) finds it; a bare placeholder of the shape
    /// is still nothing.
    @Test func aBareDiscordTokenAloneInAnEnvFileIsFound() throws {
        let dir = try Scratch()
        let token = "MTAzNDk2MjMxNzU0ODI2NzUyMA" + ".GxQ7aB." + "Wn3kLq8vZ2mR5tY9pC4sE7hJ1dF6gB0uI3oAXw"
        try dir.write(".env", token + "\n")
        try dir.write("notes.txt", "MTA" + String(repeating: "x", count: 23) + ".xxxxxx." + String(repeating: "x", count: 38) + "\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found[".env"] == ["discord.bot-token high"], "\(found)")
        #expect(found["notes.txt"] == nil, "\(found)")
    }

    /// `cf_clearance`, the cookie Cloudflare sets after its bot challenge, copied into a ChatGPT
    /// bot's config with the value wrapped onto the line below its name; the session token
    /// beside it stays a finding.
    @Test func aCloudflareClearanceCookieIsNoSecret() throws {
        let dir = try Scratch()
        let clearance = "Hq8LzT3vR9xN2bW7mK4pY6cF1dJ5sA0gE3uI8oQ" + "-1701234567-0-150"
        let session = "sess-" + "Zq7Xk2Lm9Pv4Rt8Wn3Yb6Hc1Jd5Fg0As"
        try dir.write("src/config.ts", "export default {\n  // your session token\n  chatGPTSessionToken:\n    '\(session)',\n  clearanceToken:\n    '\(clearance)',\n  retryTimes: 3,\n}\n")
        let (_, found) = try CLI.scanFindings(dir)
        let variables = found.compactMap { $0["variable"] as? String }
        #expect(!variables.contains("clearanceToken"), "\(found)")
        #expect(variables.contains("chatGPTSessionToken"), "\(found)")
    }

    /// privateGPT's `source_documents/`: saved article pages it ingests carry the publisher's
    /// page identifiers (`"entitledToken":"<80 hex>"`); they are documents, not the project's
    /// configuration, so a value with no format of its own is info there.
    @Test func aSavedArticlePageInAnIngestionFolderFailsNoCI() throws {
        let dir = try Scratch()
        let hex = "D8EE59A1C4B7" + "2F3E9D0A6B5C8E1F4A7D2B9C6E3F0A1B4C7D8E2F5A9B3C6D0E4F7A1B2C5D8E9F3A6B0"
        let page = "<!doctype html><html><head><meta name=\"citation_doi\" content=\"10.1016/j.x.2011.10.022\" /></head>\n<script>window.__PRELOADED_STATE__ = {\"entitledToken\":\"\(hex)\"}</script>\n"
        try dir.write("source_documents/Transition to seizure - Epilepsy Research.html", page)
        try dir.write("app/page.html", page)
        let found = try CLI.rulesByPath(dir)
        #expect(found["source_documents/Transition to seizure - Epilepsy Research.html"]?.allSatisfy { $0.hasSuffix(" info") } ?? true, "\(found)")
        #expect(found["app/page.html"] == ["generic.assignment medium"], "\(found)")
    }
}
