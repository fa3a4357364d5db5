import Foundation
import Testing

/// Real leaks the real-world panel's AI-chatbot and framework repositories hold in places whose
/// samples policy puts at info: a script named like a test that calls a live API, a provider's
/// key on a commented-out line of production code, a provider's key under its own name in a
/// notes file or a cookbook's example. Each with the sample beside it that must stay at info.
/// Secrets are put together here so that no fixture holds one whole.
@Suite struct RecallShapeTests {
    /// `test_azure.py` at a project's top that calls the API with its author's key is a script,
    /// not a test suite: its key fails CI. The same file in `tests/`, or one with a test function
    /// pytest collects, keeps its value at info; a test function the file's own `__main__` block
    /// runs is the script's own.
    @Test func aScriptNamedLikeATestIsTheProgramItIs() throws {
        let dir = try Scratch()
        let key = "aa8088977e21" + "43878b4045ca794d3709"
        let script = """
            from openai import AzureOpenAI

            API_KEY = '\(key)'
            client = AzureOpenAI(api_key=API_KEY, api_version='2024-05-01-preview')
            print(client.chat.completions.create(model='gpt-4o', messages=[]))

            """
        try dir.write("test_azure.py", script)
        try dir.write("unfinished/openprompt/test.py", script)
        try dir.write("tests/test_azure.py", script)
        try dir.write("test_client.py", """
            import pytest

            API_KEY = '\(key)'

            def test_client():
                assert API_KEY

            """)
        try dir.write("test_models.py", """
            import asyncio

            async def test_model(key):
                print(key)

            async def main():
                subscription_key = "\(key)"
                await test_model(subscription_key)

            if __name__ == "__main__":
                asyncio.run(main())

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["test_azure.py"] == ["generic.hex-key medium"], "\(found)")
        #expect(found["unfinished/openprompt/test.py"] == ["generic.hex-key medium"], "\(found)")
        #expect(found["test_models.py"] == ["generic.hex-key medium"], "\(found)")
        #expect(found["tests/test_azure.py"] == ["generic.hex-key info"], "\(found)")
        #expect(found["test_client.py"] == ["generic.hex-key info"], "\(found)")
    }

    /// `# openai.api_key = '<32 hex>'` in a program, `#openai_api_key="…",` inside a call, a Go
    /// file's `//azure_openai_token: "…"`: a key under a name that says whose it is, commented
    /// out in production code, is still the key. `# api_key = '…'` names nobody's and stays a
    /// comment's sample (info).
    @Test func aProviderNamedKeyCommentedOutInProductionFailsCI() throws {
        let dir = try Scratch()
        let hex = "ff20f377c626" + "4e76aed905559b101163"
        let other = "71d7dba9e025" + "4d048eda1f8d5ef369da"
        try dir.write("apps/outbound_call.py", """
            import openai

            # openai.api_key = '\(hex)'
            # openai.api_type = 'azure'

            """)
        try dir.write("app/lib/agents.py", """
            def llm(self):
                return AzureChatOpenAI(
                    openai_api_key=self._get_api_key(),
                    #openai_api_key="\(other)",
                )

            """)
        try dir.write("app/lib/plain.py", """
            # api_key = '\(other)'

            """)
        try dir.write("config/config.go", """
            package config

            //azure_resource_name: "dp-test"
            //azure_openai_token: "\(hex)"

            type Configuration struct{}

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["apps/outbound_call.py"]?.count == 1, "\(found)")
        #expect(found["apps/outbound_call.py"]?.allSatisfy { !$0.hasSuffix(" info") } == true, "\(found)")
        #expect(found["app/lib/agents.py"]?.allSatisfy { !$0.hasSuffix(" info") } == true, "\(found)")
        #expect(found["app/lib/plain.py"]?.allSatisfy { $0.hasSuffix(" info") } == true, "\(found)")
        #expect(found["config/config.go"] == ["azure.openai-key high"], "\(found)")
    }

    /// A provider's key under the provider's own name in a notes file or a cookbook's example
    /// notebook is a pasted key: its name and shape are its format there. Introduced as a sample
    /// ("e.g."), or set by a test, it stays at info.
    @Test func aProvidersKeyUnderItsNameInDocsOrExamplesFailsCI() throws {
        let dir = try Scratch()
        let cloudflare = "4f326d3ccb01ede718" + "0bf0ef1287aee7b220a"
        let mistral = "RTdz1EQ2q5uPH867" + "c7gCD1s4jo2yqj8n"
        try dir.write("TO_CHECK.md", """
            # Left to check

                  - CLOUDFLARE_EMAIL=someone@example.org
                  - CLOUDFLARE_API_KEY=\(cloudflare)

            """)
        try dir.write("docs/setup.md", """
            Set your key (e.g. CLOUDFLARE_API_KEY=\(cloudflare)) before you start.

            """)
        let zhipu = "5b6e1f0c9a7d42e8" + "b3c4f6a1d2e9c8b7" + "." + "Kq8Lz3Vr9Tx2Nb7W"
        try dir.write("README.md", "python make_book.py --book_name a.epub -m glm-4-flash --glm_key '\(zhipu)'\n")
        try dir.write("docs/zh-CN/providers.mdx", "### `ZHIPUAI_API_KEY`\n\n- 示例：`\(zhipu)`\n")
        try dir.write("examples/codestral/interpreter.ipynb", """
            {"cells": [{"cell_type": "code", "source": ["MISTRAL_API_KEY = \\"\(mistral)\\"\\n"]}]}

            """)
        try dir.write("tests/test_mistral.py", """
            MISTRAL_API_KEY = "\(mistral)"

            def test_client():
                assert MISTRAL_API_KEY

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["TO_CHECK.md"] == ["cloudflare.global-api-key critical"], "\(found)")
        #expect(found["docs/setup.md"] == ["cloudflare.global-api-key info"], "\(found)")
        #expect(found["README.md"] == ["zhipu.api-key high"], "\(found)")
        #expect(found["docs/zh-CN/providers.mdx"] == ["zhipu.api-key info"], "\(found)")
        #expect(found["examples/codestral/interpreter.ipynb"] == ["mistral.api-key high"], "\(found)")
        #expect(found["tests/test_mistral.py"] == ["mistral.api-key info"], "\(found)")
    }

    /// DER of a PKCS#8 RSA key with n = p·q (or not), long-form lengths throughout as a real
    /// key's are, its private exponent padded so the body reaches a real key's length.
    static func pkcs8(fitting: Bool) -> String {
        func length(_ count: Int) -> [UInt8] { [0x82, UInt8(count >> 8), UInt8(count & 0xFF)] }
        func integer(_ v: [UInt8]) -> [UInt8] { [0x02] + (v.count < 128 ? [UInt8(v.count)] : length(v.count)) + v }
        func bytes(_ x: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: x >> (56 - 8 * $0)) } }
        let p: UInt64 = 0x7FFF_FFFF, q: UInt64 = 0x7FFF_FFED
        let n = p * q + (fitting ? 0 : 2)
        let padding = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) | 0x01 }
        let body = integer([0]) + integer(bytes(n)) + integer([0x01, 0x00, 0x01]) + integer([0x01] + padding)
            + integer(bytes(p)) + integer(bytes(q)) + integer([0x35]) + integer([0x31]) + integer([0x26])
        let rsa: [UInt8] = [0x30] + length(body.count) + body
        let algorithm: [UInt8] = [0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00]
        let outer: [UInt8] = [0x02, 0x01, 0x00] + algorithm + [0x04] + length(rsa.count) + rsa
        return Data([0x30] + length(outer.count) + outer).base64EncodedString()
    }

    /// An Alipay app key pasted into a test as its DER in base64 (no PEM armour): an RSA key whose
    /// numbers fit is a real key and is reported there, as a PEM block is; one whose numbers do not
    /// fit is made up and stays at info like any formatless value in a test.
    @Test func aBareRSAKeyWhoseNumbersFitIsReportedInATest() throws {
        let dir = try Scratch()
        try dir.write("server/ali/ali_test.go", """
            package ali

            import "testing"

            func TestClient(t *testing.T) {
            	key := "\(RecallShapeTests.pkcs8(fitting: true))"
            	_ = key
            }

            """)
        try dir.write("server/wx/wx_test.go", """
            package wx

            import "testing"

            func TestClient(t *testing.T) {
            	key := "\(RecallShapeTests.pkcs8(fitting: false))"
            	_ = key
            }

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["server/ali/ali_test.go"] == ["private-key.pkcs8-base64 critical"], "\(found)")
        #expect(found["server/wx/wx_test.go"] == ["private-key.pkcs8-base64 info"], "\(found)")
    }

    /// A RapidAPI key (`…msh…jsn…`, a shape no other key has) pasted into a docs page's request
    /// header is a live key: it fails CI there as in code. A `YOUR_RAPIDAPI_KEY` stand-in beside it is no finding.
    @Test func aRapidAPIKeyInDocsFailsCI() throws {
        let dir = try Scratch()
        let key = "b7c21e09f4" + "msh" + "8d3a61fe02c47b9" + "p" + "1e6d0a" + "jsn" + "4f2b9c87d1e3"
        try dir.write("docs/examples/weather.md", """
            # Weather agent

            ```python
            headers = {
                "X-RapidAPI-Key": "\(key)",
                "X-RapidAPI-Host": "weatherapi-com.p.rapidapi.com",
            }
            ```

            Or with your own: `"X-RapidAPI-Key": "YOUR_RAPIDAPI_KEY"`.

            """)
        let (status, found) = try CLI.scanFindings(dir)
        #expect(status == 1)
        #expect(found.map { "\($0["rule_id"]!) \($0["severity"]!)" } == ["rapidapi.key high"])
    }
}
