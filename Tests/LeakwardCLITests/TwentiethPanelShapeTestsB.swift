import Foundation
import Testing

/// Shapes from the twentieth fresh held-out panel (AI coding agents, scrapers for LLMs, copilots,
/// local chatbots), second half: each with what must be reported and what must not. Secrets are
/// put together here so that no fixture holds one whole.
@Suite struct TwentiethPanelShapeTestsB {
    private let writeKey = "Rk4vQ9xTb2Lm7Wc" + "Zp3Hs8Ny5Jd1Fg6Ae"

    /// PostHog's personal API keys since it keeps their last four characters in plain text:
    /// `phx_` and 35 random bytes in base 62 (47 characters), hard-coded where a project key
    /// belongs. The older 43-character form is found as before; a longer run is no such key.
    @Test func postHogPersonalKeysOfBothLengths() throws {
        let dir = try Scratch()
        let newer = "phx_" + "gT7kQ2mZr9WbX4vLc8" + "NpJ3sH6dF1yKa5Ue0Ri" + "Oq2Mw7EzLp"
        let older = "phx_" + "JMyDcUPVaqMa6Hd4gY" + "nlllsMBXk1YxpepW3Wkickx08"
        try dir.write("server/config/server_config.py",
                      "disable_posthog = os.environ.get('DISABLE_POSTHOG', 'false') == 'true'\n"
                      + "posthog_client_key = '' if disable_posthog else '\(newer)'\n")
        try dir.write("scripts/flags.py", "POSTHOG_PERSONAL_API_KEY = \"\(older)\"\n")
        try dir.write("scripts/other.py", "POSTHOG_PERSONAL_API_KEY = \"\(newer)Xy7Pq2\"\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["server/config/server_config.py"] == ["posthog.personal-api-key high"], "\(found)")
        #expect(found["scripts/flags.py"] == ["posthog.personal-api-key high"], "\(found)")
        #expect(found["scripts/other.py"]?.contains("posthog.personal-api-key high") != true, "\(found)")
    }

    /// A rented proxy's `user:password@address:port` printed in a notebook's output: a URL's
    /// credentials on a public IPv4 host are someone's login, as on a named host. A private or
    /// loopback address is a machine on the developer's own network.
    @Test func urlCredentialsOnAPublicAddress() throws {
        let dir = try Scratch()
        // Proxy vendors' generated logins repeat characters: less entropy than a named host asks.
        let password = "hwrfe7" + "kk2k9d"
        try dir.write("notebook.ipynb", """
            {
             "cells": [
              {
               "cell_type": "code",
               "outputs": [
                {
                 "name": "stdout",
                 "output_type": "stream",
                 "text": [
                  "PROXY:  https://qwzkrtpa:\(password)@203.0.113.52:6323\\n"
                 ]
                }
               ],
               "source": ["print('PROXY: ', proxy)"]
              }
             ]
            }

            """)
        try dir.write("router.py", "ROUTER = \"http://admin:\(password)@192.168.1.1/\"\nLOCAL = \"http://svc:\(password)@10.0.4.17:8080/\"\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["notebook.ipynb"] == ["generic.ip-url-credentials medium"], "\(found)")
        #expect(found["router.py"] == nil, "\(found)")
    }

    /// A Segment write key written into a package's telemetry client, as the fallback of its
    /// environment variable or as a constant beside `@segment/analytics-node`: it only sends
    /// events, and every install of the package carries it. The same key in a deployment's
    /// `.env` keeps its severity.
    @Test func aWriteKeyInProgramCodeIsPublic() throws {
        let dir = try Scratch()
        try dir.write("packages/shared/src/telemetry/telemetry-client.ts", """
            import { Analytics } from "@segment/analytics-node";

            export class TelemetryClient {
              constructor() {
                const writeKey =
                  process.env.ACME_SEGMENT_WRITE_KEY ||
                  "\(writeKey)";

                this.segment = new Analytics({
                  writeKey,
                });
              }
            }

            """)
        try dir.write("extension/src/telemetry.ts", """
            import * as Segment from "@segment/analytics-node";

            const SEGMENT_WRITE_KEY = "\(writeKey)";
            const analytics = new Segment.Analytics({ writeKey: SEGMENT_WRITE_KEY });

            """)
        try dir.write("deploy/.env", "SEGMENT_WRITE_KEY=\(writeKey)\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["packages/shared/src/telemetry/telemetry-client.ts"]?.allSatisfy { $0.hasSuffix(" info") } == true, "\(found)")
        #expect(found["extension/src/telemetry.ts"]?.allSatisfy { $0.hasSuffix(" info") } == true, "\(found)")
        #expect(found["deploy/.env"] == ["segment.write-key medium"], "\(found)")
    }

    /// Must stay: a random value under another write-ish name in code that talks to no analytics
    /// service (a storage client's `writeKey`) is judged as before.
    @Test func aWriteKeyOutsideAnalyticsKeepsItsSeverity() throws {
        let dir = try Scratch()
        try dir.write("src/storage.ts", """
            import { Bucket } from "./bucket";

            const bucketWriteKey = process.env.BUCKET_WRITE_KEY || "\(writeKey)";
            export const bucket = new Bucket({ key: bucketWriteKey });

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["src/storage.ts"]?.contains { !$0.hasSuffix(" info") } == true, "\(found)")
    }

    /// VisualWebArena's classifieds reset token: the one default every sandbox of the benchmark
    /// uses, exported in its setup instructions and copied into every agent's evaluation harness.
    @Test func aBenchmarksPublishedResetTokenIsPublic() throws {
        let dir = try Scratch()
        let published = "4b61655535e7ed38" + "8f0d40a93600254c"
        let other = "9c27d0e4b1f8a356" + "2e7b0d9c4a1f6e83"
        try dir.write("evaluation/visualwebarena/run_infer.py", """
            env_vars = {
                'VWA_CLASSIFIEDS': f'{base_url}:9980',
                'VWA_CLASSIFIEDS_RESET_TOKEN': '\(published)',
                'VWA_SHOPPING': f'{base_url}:7770',
            }

            """)
        try dir.write("agent/run.py", "env_vars = {\n    'VWA_CLASSIFIEDS_RESET_TOKEN': '\(other)',\n}\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["evaluation/visualwebarena/run_infer.py"]?.allSatisfy { $0.hasSuffix(" info") } == true, "\(found)")
        #expect(found["agent/run.py"]?.contains { !$0.hasSuffix(" info") } == true, "\(found)")
    }
}
