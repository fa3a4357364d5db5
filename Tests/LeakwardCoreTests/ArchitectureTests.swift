import Foundation
import Testing

/// Guards the walls of docs/ARCHITECTURE.md by reading the sources.
@Suite struct ArchitectureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func sources(under folder: String) -> [(path: String, text: String)] {
        let base = root.appendingPathComponent(folder)
        let files = (FileManager.default.enumerator(atPath: base.path)?.allObjects as? [String]) ?? []
        return files.filter { $0.hasSuffix(".swift") }.compactMap { name in
            (try? String(contentsOf: base.appendingPathComponent(name), encoding: .utf8)).map { ("\(folder)/\(name)", $0) }
        }
    }

    @Test func threadsAndLocksLiveOnlyInPipeline() {
        let markers = ["concurrentPerform", "Mutex<", "Atomic<", "Thread(", "DispatchQueue(", "Task {", "NSLock"]
        let offenders = Self.sources(under: "Sources/LeakwardCore").filter { file in
            !file.path.contains("/Pipeline/") && markers.contains { file.text.contains($0) }
        }
        #expect(offenders.map(\.path).isEmpty, "\(offenders.map(\.path))")
    }

    @Test func cModulesAreImportedByOneFolderEach() {
        let walls = ["import CPCRE2": "/Matching/", "import CGit2": "/Inputs/Git/",
                     "import CZlib": "/Decoders/", "import CBrotli": "/Decoders/", "import CCurl": "/Verification/HTTPSClient.swift"]
        for (statement, home) in walls {
            let offenders = Self.sources(under: "Sources/LeakwardCore").filter { $0.text.contains(statement) && !$0.path.contains(home) }
            #expect(offenders.isEmpty, "\(statement) outside \(home): \(offenders.map(\.path))")
        }
    }

    /// TOML is parsed in one place (`Rules/`, through `TOMLReader.parse`) by the in-tree parser;
    /// no TOML package comes back (TOMLKit aborted the process on malformed input).
    @Test func onlyRulesParsesTOML() throws {
        let parsers = Self.sources(under: "Sources").filter { $0.text.contains("TOMLParser") && !$0.path.contains("/Rules/") }
        #expect(parsers.map(\.path).isEmpty, "\(parsers.map(\.path))")
        let imports = Self.sources(under: "Sources").filter { $0.text.contains("import TOMLKit") }
        #expect(imports.map(\.path).isEmpty, "\(imports.map(\.path))")
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let tomlPackages = manifest.split(separator: "\n").filter { $0.contains(".package(") && $0.localizedCaseInsensitiveContains("toml") }
        #expect(tomlPackages.isEmpty, "\(tomlPackages)")
    }

    @Test func coreNeverPrintsOrParsesArguments() {
        let offenders = Self.sources(under: "Sources/LeakwardCore").filter {
            // A call of print, not a name ending in it (`fingerprint(of:)`).
            $0.text.components(separatedBy: "print(").dropLast().contains { $0.last.map { !$0.isLetter && !$0.isNumber && $0 != "_" } ?? true } || $0.text.contains("import ArgumentParser") || $0.text.contains("exit(")
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
