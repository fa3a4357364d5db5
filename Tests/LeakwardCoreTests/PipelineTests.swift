import Testing
@testable import LeakwardCore

/// The parallel pipeline gives the same findings whatever the worker count. Under
/// `make sanitize` (ThreadSanitizer) this is also the data-race check of the worker loop.
@Suite struct PipelineTests {
    @Test func parallelAndSerialRunsAgree() throws {
        let token = OfflineCheck.tokenWithChecksum(prefix: "ghp_", body: "Q7mX2pL9sK4vR8tN1wZ5yB3cF6hJ0d")
        let buffers: [(name: String, bytes: [UInt8])] = (0..<400).map { i in
            let text = i % 7 == 0
                ? "line one\nGITHUB_TOKEN=\(token)\nDATABASE_URL=postgresql://app:Zq8vLm3TxR7kWp2N@db\(i).internal:5432/app\n"
                : String(repeating: "const value\(i) = compute(\(i));\n", count: 50)
            return ("src/file\(i).\(i % 3 == 0 ? "env" : "ts")", Array(text.utf8))
        }
        let rules = try CompiledRules(RuleSet.builtIn())
        func run(_ workers: Int) throws -> [String] {
            let pipeline = try ScanPipeline(rules: rules, options: ScanOptions(workerCount: workers, decoders: Decoders.standard))
            let outcome = pipeline.run([InMemorySource(buffers: buffers)])
            #expect(outcome.isComplete)
            return outcome.findings.map { "\($0.ruleID) \($0.location.path):\($0.location.line):\($0.location.column)" }
        }
        let serial = try run(1)
        #expect(serial.count == 2 * ((0..<400).filter { $0 % 7 == 0 }.count))
        #expect(try run(4) == serial)
    }
}
