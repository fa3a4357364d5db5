import Foundation
import Testing

/// Shapes from the twentieth fresh held-out panel (AI coding agents, LLM crawlers, chat UI
/// libraries, local chatbots), first half: what must be reported and what must not. Secrets are
/// put together here so that no fixture holds one whole.
@Suite struct TwentiethPanelShapeTestsA {
    private let literal = "Zq8vN2rT5x" + "W9mK4bY7cH1fJ6dG3sA0eU"

    /// A PyPI token as PyPI serialises it (a version 2 macaroon: location, identifier, a caveat,
    /// the 32-byte signature), base64url after `pypi-`. Made up at test time.
    private func pypiToken() -> String {
        let location = Array("pypi.org".utf8)
        let identifier = Array("5b0e7d2c-91a4-4f3e-8c6d-2a9f1e4b7c30".utf8)
        let caveat = Array("{\"permissions\": \"user\", \"version\": 1}".utf8)
        var mac: [UInt8] = [2, 1, UInt8(location.count)] + location + [2, UInt8(identifier.count)] + identifier + [0]
        mac += [2, UInt8(caveat.count)] + caveat + [0, 0, 6, 32]
        mac += (0..<32).map { UInt8(($0 * 73 + 29) % 251) }
        let body = Data(mac).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "pypi-" + body
    }

    /// A release workflow's `actions/github-script` step: JavaScript under `script: |`, whose
    /// object literals and declarations read as YAML `key: value` lines (`NODE_AUTH_TOKEN:
    /// target.npmToken,`, `const token = payload?.value;`). Names and member accesses are code,
    /// not values; a literal token in the same workflow's `env:` still is one.
    @Test func javaScriptInAWorkflowScriptIsCode() throws {
        let dir = try Scratch()
        try dir.write(".github/workflows/npm-publish.yaml", """
            name: promote
            jobs:
              promote:
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/github-script@v7
                    with:
                      script: |
                        const oidcPayload = await oidcResponse.json();
                        const githubOidcToken = oidcPayload?.value;
                        const token = payload?.value;
                        for (const target of targets) {
                          const npmToken = exchangePayload?.token;
                          execFileSync("npm", ["dist-tag", "add", spec, "latest"], {
                            env: {
                              ...process.env,
                              NODE_AUTH_TOKEN: npmToken,
                              NODE_AUTH_TOKEN: target.npmToken,
                            },
                          });
                        }

            """)
        try dir.write(".github/workflows/release.yaml", """
            name: release
            jobs:
              release:
                runs-on: ubuntu-latest
                env:
                  NPM_TOKEN: \(literal)
                steps:
                  - run: npm publish

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found[".github/workflows/npm-publish.yaml"] == nil, "\(found)")
        #expect(found[".github/workflows/release.yaml"] == ["generic.config-value medium"], "\(found)")
    }

    /// A workflow README showing a PyPI token's format: its first 77 characters and `...`. The
    /// macaroon stops before its signature, so it opens nothing and is no finding; a whole token
    /// (signature and all) in a `.pypirc` stays critical.
    @Test func aPyPITokenCutShortIsNoToken() throws {
        let dir = try Scratch()
        let token = pypiToken()
        try dir.write(".github/workflows/docs/README.md", """
            ### PYPI_TOKEN

            **Format**:
            ```
            \(token.prefix(77))...
            ```

            """)
        try dir.write(".pypirc", "[pypi]\nusername = __token__\npassword = \(token)\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found[".github/workflows/docs/README.md"] == nil, "\(found)")
        #expect(found[".pypirc"]?.contains("pypi.token critical") == true, "\(found)")
    }

    /// A proxy provider's API token (`NSTPROXY-` and 32 upper-case hex digits) in a manual test
    /// script that asks the provider's API for proxies: the prefix is the provider's own, so it
    /// keeps its severity in a test, where a name-and-entropy value drops to info.
    @Test func aProxyProvidersTokenInATestScriptIsReported() throws {
        let dir = try Scratch()
        let token = "NSTPROXY-" + "7C2E94B1A05FD338" + "6E1B7A4C9D20F5E8"
        try dir.write("tests/proxy/test_proxy_verify.py", """
            import requests

            def get_proxy(channel_id):
                token = "\(token)"
                api_url = f"https://api.nstproxy.com/api/v1/generate/apiproxies?count=1&channelId={channel_id}&token={token}"
                return requests.get(api_url, timeout=15).json()

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["tests/proxy/test_proxy_verify.py"] == ["nstproxy.api-token high"], "\(found)")
    }
}
