import Foundation
import Testing

/// Shapes from the twelfth fresh held-out panel (AI chatbot applications: WeChat, LINE, Discord,
/// Telegram, QQ and Feishu bots, self-hosted ChatGPT web front-ends), each with what must be
/// reported and what must not. Secrets are put together here so that no fixture holds one whole.
@Suite struct TwelfthPanelShapeTests {
    /// A JWT with these header and payload JSON texts and a made-up signature.
    private func jwt(_ header: String, _ payload: String) -> String {
        func part(_ text: String) -> String {
            Data(text.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        }
        return part(header) + "." + part(payload) + "." + "kP3vQ8nR2xT5wL9mZ7cB4" + "hJ6fD1gY0sA3eU8iO5pXq2"
    }

    /// `const PADLOCAL_TOKEN = 'puppet_padlocal_…'` in a WeChat bot: a Wechaty puppet service token
    /// logs the bot in as a WeChat account. Its name holds no secret word a generic rule trusts
    /// alone, so the vendor's prefix is the evidence; a row of x's in its place is a template.
    @Test func aWechatyPuppetServiceTokenIsFound() throws {
        let dir = try Scratch()
        try dir.write("src/index.js", """
            import { WechatyBuilder } from 'wechaty'
            const PADLOCAL_TOKEN = '\("puppet_padlocal_" + "7e2b9c4d1a6f40e8" + "b3c5d7e9f1a2b4c6")' // 替换为您的实际 token
            export const bot = WechatyBuilder.build({ puppetOptions: { token: PADLOCAL_TOKEN } })

            """)
        try dir.write("src/template.js", """
            const PADLOCAL_TOKEN = 'puppet_padlocal_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["src/index.js"] == ["wechaty.puppet-token high"], "\(found)")
        #expect(found["src/template.js"] == nil, "\(found)")
    }

    /// `currentRefreshToken = refreshToken || 'eyJ…'`: a session token pasted in as the default
    /// of a parameter (kimi-free-api's refresh token, valid three months) is used whenever the
    /// caller passes none; the identifier before `||` must not hide the literal after it.
    @Test func aJWTAsTheFallbackOfAParameterIsFound() throws {
        let dir = try Scratch()
        let token = jwt("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", "{\"iss\":\"user-center\",\"typ\":\"refresh\",\"sub\":\"cner0h2lnl957\"}")
        try dir.write("src/api/controllers/chat.ts", """
            function setRefreshToken(refreshToken: string) {
              currentRefreshToken = refreshToken || '\(token)';
            }

            """)
        try dir.write("src/api/controllers/plain.ts", """
            currentRefreshToken = refreshToken || defaultRefreshToken;

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["src/api/controllers/chat.ts"] == ["generic.jwt-assignment medium"], "\(found)")
        #expect(found["src/api/controllers/plain.ts"] == nil, "\(found)")
    }

    /// `authorization: \`Bearer <32 hex>\`` in a sync client: random hex averages 3.6 bits a
    /// character, under the floor the header rule asks of any value, so a hex token had to pass
    /// as hex. A counting run or a `${…}` in its place is no token.
    @Test func aHexBearerTokenInATemplateLiteralIsFound() throws {
        let dir = try Scratch()
        try dir.write("src/renderer/packages/sync-sessions.ts", """
            export async function loadSessionsDump() {
                return await ofetch('http://localhost:8080/api/chats-history', {
                    headers: { authorization: `Bearer \("634fc0dee42cf0e8" + "bb3e85de634db34e")` },
                })
            }

            """)
        try dir.write("src/renderer/packages/other.ts", """
            const a = { headers: { authorization: `Bearer ${apiToken}` } }
            const b = { headers: { Authorization: 'Bearer 0123456789abcdef0123456789abcdef' } }

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["src/renderer/packages/sync-sessions.ts"] == ["generic.authorization-hex-token medium"], "\(found)")
        #expect(found["src/renderer/packages/other.ts"] == nil, "\(found)")
    }

    /// jwt.io's debugger opens on a sample token (`sub` 1234567890, `iat` 1516239022); an app's
    /// default settings re-signed with another name keep those claims: a sample, not a session.
    /// A token with claims of its own under the same name stays reported.
    @Test func jwtIoSampleClaimsWithAnotherNameAreASample() throws {
        let dir = try Scratch()
        let sample = jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"sub\":\"1234567890\",\"name\":\"Owen Wu\",\"iat\":1516239022}")
        let session = jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"sub\":\"8c3af087\",\"name\":\"Owen Wu\",\"iat\":1716239022}")
        try dir.write("src/store.ts", """
            export const defaults = {
                "authorization_token": "\(sample)",
            }

            """)
        try dir.write("src/session.ts", """
            export const defaults = {
                "authorization_token": "\(session)",
            }

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["src/store.ts"] == nil, "\(found)")
        #expect(found["src/session.ts"] == ["generic.jwt-assignment medium"], "\(found)")
    }

    /// A GPT's logo on OpenAI's file CDN is a read-only link to one blob that tells browsers and
    /// CDNs to cache it as `immutable` for a year: an asset URL for anyone, not a key (info). The
    /// same link with write permission stays a SAS token failing CI.
    @Test func aReadOnlyImmutableAssetLinkIsPublic() throws {
        let dir = try Scratch()
        let sig = "pLlQh8oUr4Tz7WmX2vKc9" + "NbY5fJd3GsA1eHq6iOp0Rw%3D"
        try dir.write("public/gpts.json", """
            [{"logo": "https://files.assetcdn.net/file-Ab3dE5gH7jK9?se=2123-10-12T23%3A57%3A32Z&sp=r&sv=2021-08-06&sr=b&rscc=max-age%3D31536000%2C%20immutable&rscd=attachment%3B%20filename%3Dagent_3.webp&sig=\(sig)"}]

            """)
        try dir.write("config/upload.json", """
            {"upload": "https://acmeshop.blob.core.windows.net/uploads/a.webp?se=2123-10-12T23%3A57%3A32Z&sp=rw&sv=2021-08-06&sr=b&rscc=max-age%3D31536000%2C%20immutable&sig=\(sig)"}

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["public/gpts.json"]?.allSatisfy { $0.hasSuffix(" info") } == true, "\(found)")
        #expect(found["config/upload.json"] == ["azure.sas-token high"], "\(found)")
    }
}
