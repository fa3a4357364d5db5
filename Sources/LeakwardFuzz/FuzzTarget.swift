import LeakwardCore

/// One libFuzzer entry point for every parser and decoder; `LEAKWARD_FUZZ_TARGET` picks the target.
/// Built only by `make fuzz` (with `-sanitize=fuzzer,address -DFUZZING`); a normal build gets a stub.
enum FuzzTarget {
    static let names = ["rules-toml", "project-config", "gitleaks-config", "matcher", "gitignore", "offline-checks"]
        + Decoders.standard.map { "decoder-\($0.kind)" } + PackParsers.fuzzTargets

    static let compiled = try! CompiledRules(RuleSet.builtIn())
    static let pipeline = try! ScanPipeline(rules: compiled, options: ScanOptions(workerCount: 1, decoders: Decoders.standard))

    static func run(_ name: String, _ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        switch name {
        case _ where PackParsers.fuzzTargets.contains(name):
            PackParsers.fuzz(name, bytes)
        case "rules-toml":
            _ = try? RuleFile.rules(fromTOML: text, path: "fuzz.toml")
        case "project-config":
            _ = try? ProjectConfig.parse(text, path: ".leakward.toml")
        case "matcher":
            _ = pipeline.run([InMemorySource(buffers: [("fuzz.bin", bytes)])])
        case "gitignore":
            var ignore = GitIgnore()
            ignore.add(fileText: text, base: "")
            _ = ignore.isIgnored("a/b/c.txt", isDirectory: false)
            _ = ignore.isIgnored(String(text.prefix(64)), isDirectory: true)
        case "offline-checks":
            for kind in ValidatorKind.allCases { _ = OfflineCheck.verdict(kind, secret: bytes) }
        default:
            if name.hasPrefix("decoder-"), let decoder = Decoders.standard.first(where: { "decoder-\($0.kind)" == name }) {
                _ = decoder.decode(Chunk(bytes: bytes, path: "fuzz.input"), limits: DecodeLimits())
            } else if name == "gitleaks-config" {
                _ = try? GitleaksConfig.parse(text, path: ".gitleaks.toml")
            }
        }
    }
}
