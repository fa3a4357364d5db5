import Foundation
import Testing

/// Guards the walls of docs/ARCHITECTURE.md that the compiler cannot. The one-way flow between
/// stages, which stage may import which C library, ArgumentParser only in the CLI and TOML parsed
/// only by `LeakwardRules` (its `TOMLParser` is internal there) are kept by the targets of
/// Package.swift; what is left is read from the sources.
@Suite struct ArchitectureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The core's stage modules (every `Sources/Leakward*` target but the fuzz harness).
    static let coreModules = ["LeakwardSupport", "LeakwardModel", "LeakwardRules", "LeakwardMatching", "LeakwardFindings",
                              "LeakwardDecoders", "LeakwardInputs", "LeakwardVerification", "LeakwardPlan", "LeakwardReporting",
                              "LeakwardCore"]

    static func sources(under folder: String) -> [(path: String, text: String)] {
        let base = root.appendingPathComponent(folder)
        let files = (FileManager.default.enumerator(atPath: base.path)?.allObjects as? [String]) ?? []
        return files.filter { $0.hasSuffix(".swift") }.compactMap { name in
            (try? String(contentsOf: base.appendingPathComponent(name), encoding: .utf8)).map { ("\(folder)/\(name)", $0) }
        }
    }

    static var coreSources: [(path: String, text: String)] { coreModules.flatMap { sources(under: "Sources/\($0)") } }

    @Test func everyCoreModuleIsChecked() {
        let onDisk = (try? FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("Sources").path)) ?? []
        let stages = Set(onDisk.filter { $0.hasPrefix("Leakward") && $0 != "LeakwardFuzz" })
        #expect(stages == Set(Self.coreModules), "a new stage module must be added to coreModules")
    }

    /// Threads, locks and atomics: `Support/Parallel` (planning and provenance workers) and the
    /// pipeline. `Synchronization` and `Dispatch` are importable by any module, so this stays a read.
    @Test func threadsAndLocksLiveOnlyInPipelineAndParallel() {
        let markers = ["concurrentPerform", "Mutex<", "Atomic<", "Thread(", "DispatchQueue(", "Task {", "NSLock"]
        let allowed = ["Sources/LeakwardCore/Pipeline/", "Sources/LeakwardSupport/Parallel.swift"]
        let offenders = Self.coreSources.filter { file in
            !allowed.contains { file.path.hasPrefix($0) } && markers.contains { file.text.contains($0) }
        }
        #expect(!Self.coreSources.isEmpty)
        #expect(offenders.map(\.path).isEmpty, "\(offenders.map(\.path))")
    }

    /// A C module is visible to every module above the one that depends on it, so which files
    /// import it is read here.
    @Test func cModulesAreImportedByOneModuleEach() {
        let walls = ["import CPCRE2": ["Sources/LeakwardSupport/Regex.swift"], "import CGit2": ["Sources/LeakwardInputs/Git/"],
                     "import CBrotli": ["Sources/LeakwardDecoders/"],
                     "import CDeflate": ["Sources/LeakwardDecoders/Inflater.swift"],
                     "import CByteScan": ["Sources/LeakwardSupport/ByteSearch.swift"],
                     "import CCurl": ["Sources/LeakwardVerification/HTTPSClient.swift"],
                     // crypt_rn: a password hash against the well-known default passwords.
                     "import CCrypt": ["Sources/LeakwardFindings/PasswordHashVerifier.swift"],
                     // TLS and login digests; AES-GCM for Rails' credentials file.
                     "import COpenSSL": ["Sources/LeakwardVerification/DatabaseSocket.swift",
                                         "Sources/LeakwardVerification/RailsCredentialsCipher.swift"]]
        for (statement, homes) in walls {
            let offenders = Self.coreSources.filter { file in file.text.contains(statement) && !homes.contains { file.path.hasPrefix($0) } }
            #expect(offenders.isEmpty, "\(statement) outside \(homes): \(offenders.map(\.path))")
        }
        // zlib: the decoders' `Inflater` and `ZipDecoder`, and the one CRC-32.
        let zlib = Self.coreSources.filter { $0.text.contains("import CZlib") }.map(\.path)
        #expect(zlib.allSatisfy { $0.hasPrefix("Sources/LeakwardDecoders/") || $0 == "Sources/LeakwardSupport/CRC32.swift" }, "\(zlib)")
    }

    @Test func coreNeverPrints() {
        let offenders = Self.coreSources.filter {
            // A call of print, not a name ending in it (`fingerprint(of:)`).
            $0.text.components(separatedBy: "print(").dropLast().contains { $0.last.map { !$0.isLetter && !$0.isNumber && $0 != "_" } ?? true } || $0.text.contains("exit(")
        }
        #expect(offenders.map(\.path).isEmpty, "\(offenders.map(\.path))")
    }

    /// Locations are fields (`Origin`, `members`): nothing splits a shown path on `!` or
    /// recognises a commit message by a prefix (a file named `a!b.js` once broke that).
    @Test func noShownPathIsTakenApart() {
        let markers = ["split(separator: \"!\"", "components(separatedBy: \"!\")", "contains(\"!\")", "hasPrefix(\"commit-message",
                       "firstIndex(of: \"!\")"]
        let offenders = Self.sources(under: "Sources").filter { file in markers.contains { file.text.contains($0) } }
        #expect(offenders.map(\.path).isEmpty, "\(offenders.map(\.path))")
    }
}
