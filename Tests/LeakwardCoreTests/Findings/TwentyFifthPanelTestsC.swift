import Testing
@testable import LeakwardFindings

/// Shapes seen on the twenty-fifth fresh held-out panel (NVIDIA's examples, agent starter packs,
/// a Semantic Kernel chat app): each judged for what it is, with must-match and must-not cases.
@Suite struct TwentyFifthPanelTestsC {
    private func generic(_ value: String, _ name: String = "NVIDIA_API_KEY") -> String? {
        Placeholder.genericReason(for: Array(value.utf8), variable: name)
    }

    @Test func aKeyPrefixAloneIsATemplateSlot() {
        // Must not report: the provider's prefix with nothing (or a star, dots) after it.
        #expect(generic("nvapi-") != nil)
        #expect(generic("nvapi-*") != nil)
        #expect(generic("tvly-", "TAVILY_API_KEY") != nil)
        #expect(generic("hf_...", "HF_TOKEN") != nil)
        // Must report: a prefix followed by the key, and a password that merely ends in a hyphen
        // after a character no prefix holds.
        #expect(generic("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") == nil)
        #expect(generic("Qx7!Lm2-", "DB_PASSWORD") == nil)
        #expect(Placeholder.isBarePrefix("sk-proj-") == false)
        #expect(Placeholder.isBarePrefix("9abc-") == false)
    }

    @Test func anOpenAPIDescriptionsValuesAreItsSamples() {
        func reason(_ text: String) -> String? {
            Array(text.utf8).withUnsafeBufferPointer { ValueSignals.bundled.apiDescriptionReason(in: $0) }
        }
        // Must not report: a document that declares itself an OpenAPI or Swagger description.
        #expect(reason("{\n  \"openapi\": \"3.0.3\",\n  \"info\": {}\n}") != nil)
        #expect(reason("openapi: 3.1.0\ninfo:\n  title: API\n") != nil)
        #expect(reason("{\"swagger\": \"2.0\"}") != nil)
        // Must report: a setting named after OpenAPI, a key that only ends in the word.
        #expect(reason("features:\n  openapi: true\n") == nil)
        #expect(reason("{\"name\": \"x\", \"use_openapi\": \"3\"}") == nil)
        #expect(reason("{\"token\": \"Qk2MPv8rT4wL9xZc\"}") == nil)
    }
}
