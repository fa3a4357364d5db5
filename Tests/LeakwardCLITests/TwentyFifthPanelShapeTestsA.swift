import Foundation
import Testing

/// Shapes from the twenty-fifth fresh held-out panel (voice agents, agent platforms, an
/// API-calling model's leaderboard), first part: each with what must be reported and what must
/// not. Secrets are put together here so that no fixture holds one whole.
@Suite struct TwentyFifthPanelShapeTestsA {
    private let token = "rT9kLm2Qx7Vb" + "4Nz8Wc3Hs5Pd"
    private let bearer = "Zk3Lq8Vw2Tx" + "9Nb4Mc7Rp1Hs6Jd"
    private let groq = "gsk_u8jzPde0IgxLd6Gnc" + "fBAepfJBd0Kh8oOOL8dKLzdocJ2isAjIhKt"

    /// A function-calling leaderboard's result file: one JSON record per line, the record's ID
    /// first and the model's answer under `result`. The refresh tokens and bearer tokens there
    /// are what the model made up for a benchmark's task, `info` with the reason. A provider's
    /// key in such a line keeps its severity, and so does the same generic value in a JSON line
    /// that is no model's answer (a settings record).
    @Test func aModelsAnswerInAnEvalRunsOutputIsMadeUp() throws {
        let dir = try Scratch()
        try dir.write("result/acme/Tiny-0.5B/BFCL_v4_multi_turn_base_result.json", """
            {"id": "multi_turn_base_3", "result": ["[authenticate_travel(client_id=\\"travel_client_ny\\", refresh_token=\\"\(token)\\", grant_type=\\"read_write\\")]"]}
            {"id": "live_irrelevance_12-3-0", "result": "[requests.get(url=\\"https://api.weather.example/v1\\", headers={\\"Content-Type\\": \\"application/json\\", \\"Authorization\\": \\"Bearer \(bearer)\\"})]"}
            {"id": "live_simple_4-4-0", "result": "[chat(api_key=\\"\(groq)\\", prompt=\\"hi\\")]"}

            """)
        try dir.write("outputs/predictions.jsonl", """
            {"question_id": 17, "prediction": "login(refresh_token=\\"\(token)\\")"}

            """)
        try dir.write("data/records.jsonl", """
            {"name": "staging", "settings": {"refresh_token": "\(token)", "endpoint": "https://api.weather.example/v1"}}

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["result/acme/Tiny-0.5B/BFCL_v4_multi_turn_base_result.json"]
                    == ["generic.assignment info", "generic.authorization-header info", "groq.api-key high"], "\(found)")
        #expect(found["outputs/predictions.jsonl"] == ["generic.assignment info"], "\(found)")
        #expect(found["data/records.jsonl"] == ["generic.assignment medium"], "\(found)")
    }

    /// mkcert's `localhost-key.pem` (and `localhost+2-key.pem`) committed beside its certificate
    /// for a local HTTPS server or OAuth callback: a key for this machine's own name, `info` with
    /// the reason. The same key block under another name (`server-key.pem`) is reported as before.
    @Test func aTLSKeyNamedForLocalhostIsADevelopmentKey() throws {
        let dir = try Scratch()
        let body = (0..<6).map { "MIIEowIBAAKCAQEA\($0)qX7w2LmK9pR4tVz8Nc3Bf6Hj1Yd5Ge0Sa7Ku2Wo4Ti9Qe3R" }.joined(separator: "\n")
        let key = "-----BEGIN PRIVATE" + " KEY-----\n\(body)\n-----END PRIVATE" + " KEY-----\n"
        try dir.write("goex/localhost-key.pem", key)
        try dir.write("certs/localhost+2-key.pem", key)
        try dir.write("certs/server-key.pem", key)
        let found = try CLI.rulesByPath(dir)
        #expect(found["goex/localhost-key.pem"] == ["private-key.pem info"], "\(found)")
        #expect(found["certs/localhost+2-key.pem"] == ["private-key.pem info"], "\(found)")
        #expect(found["certs/server-key.pem"] == ["private-key.pem critical"], "\(found)")
    }
}
