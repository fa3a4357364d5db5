import Foundation
import Testing

/// The release path, run here because the workflow itself cannot be: `scripts/dist.sh` packs
/// the tested binary as `make dist` and .github/workflows/release.yml do, `sha256sum -c` checks
/// it as the publish job does, and `scripts/install-leakward.sh` installs it as the docs/ci
/// examples do, from a local release folder (`file://`, never the network).
@Suite struct DistTests {
    static let root = CLI.packageRoot

    func sh(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> CLI.Output {
        try CLI.runTool("/bin/sh", arguments, in: directory, environment: environment)
    }

    /// Packs the tested binary into `dir/out`; returns the tarball's file name.
    func pack(into dir: Scratch) throws -> String {
        let packed = try CLI.runTool("/bin/bash", [Self.root.appendingPathComponent("scripts/dist.sh").path, CLI.binary, dir.path + "/out"])
        try #require(packed.status == 0, "\(packed.stdout)")
        return try #require(packed.stdout.split(separator: "\n").last.map { URL(fileURLWithPath: String($0)).lastPathComponent })
    }

    var version: String { (try? CLI.run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? "" }

    @Test func distPacksAVerifiableTarballOfTheBinary() throws {
        let dir = try Scratch()
        let name = try pack(into: dir)
        #expect(name.hasPrefix("leakward-\(version)-linux-") && name.hasSuffix(".tar.gz"))
        let checked = try sh(["-c", "sha256sum -c *.sha256 && cat *.sha256 > SHA256SUMS && sha256sum -c SHA256SUMS"], in: dir.url.appendingPathComponent("out"))
        #expect(checked.status == 0, "\(checked.stdout)")
        let folder = String(name.dropLast(".tar.gz".count))
        let listed = try sh(["-c", "tar -tzf out/\(name)"], in: dir.url)
        #expect(listed.stdout.contains("\(folder)/leakward") && listed.stdout.contains("\(folder)/README.md"), "\(listed.stdout)")
        // The same binary packs to the same bytes.
        let again = try Scratch()
        _ = try pack(into: again)
        #expect(FileManager.default.contents(atPath: dir.path + "/out/" + name) == FileManager.default.contents(atPath: again.path + "/out/" + name))
        // A tag that does not match the binary's version is refused.
        let wrong = try CLI.runTool("/bin/bash", [Self.root.appendingPathComponent("scripts/dist.sh").path, CLI.binary, dir.path + "/other"],
                                    environment: ["LEAKWARD_EXPECT_VERSION": "v99.0.0"])
        #expect(wrong.status != 0 && wrong.stdout.contains("not 99.0.0"), "\(wrong.stdout)")
    }

    @Test func installScriptVerifiesInstallsAndFallsBackLoudly() throws {
        let dir = try Scratch()
        let name = try pack(into: dir)
        let release = dir.url.appendingPathComponent("releases/v\(version)")
        try FileManager.default.createDirectory(at: release, withIntermediateDirectories: true)
        for file in [name, name + ".sha256"] {
            try FileManager.default.copyItem(atPath: dir.path + "/out/" + file, toPath: release.appendingPathComponent(file).path)
        }
        let script = Self.root.appendingPathComponent("scripts/install-leakward.sh").path
        let base = ["LEAKWARD_RELEASES": "file://" + dir.path + "/releases", "LEAKWARD_SOURCE": dir.path + "/no-checkout"]

        let installed = try sh([script, version], environment: base.merging(["LEAKWARD_PREFIX": dir.path + "/bin"]) { $1 })
        #expect(installed.status == 0, "\(installed.stdout)")
        #expect(installed.stdout.contains("SHA-256 verified"))
        let run = try CLI.runTool(dir.path + "/bin/leakward", ["--version"])
        #expect(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == version)

        // A pinned checksum that does not match: refused, nothing installed, no fallback.
        let pinned = try sh([script, version], environment: base.merging(["LEAKWARD_PREFIX": dir.path + "/pinned",
                                                                          "LEAKWARD_SHA256": String(repeating: "0", count: 64)]) { $1 })
        #expect(pinned.status != 0 && pinned.stdout.contains("does not match its SHA-256"), "\(pinned.stdout)")
        #expect(!pinned.stdout.contains("building from source"))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/pinned/leakward"))

        // A damaged download: the same.
        try Data("not a tarball".utf8).write(to: release.appendingPathComponent(name))
        let damaged = try sh([script, version], environment: base.merging(["LEAKWARD_PREFIX": dir.path + "/damaged"]) { $1 })
        #expect(damaged.status != 0 && damaged.stdout.contains("does not match its SHA-256"), "\(damaged.stdout)")

        // No release for this version: it says so and turns to the source build.
        let missing = try sh([script, "9.9.9"], environment: base.merging(["LEAKWARD_PREFIX": dir.path + "/missing"]) { $1 })
        #expect(missing.status != 0)
        #expect(missing.stdout.contains("no release binary leakward-9.9.9-linux-") && missing.stdout.contains("building from source"), "\(missing.stdout)")
    }

    /// The examples install through the script, and the release workflow packs through `make dist`.
    @Test func workflowAndExamplesUseTheTestedCommands() throws {
        let workflow = try String(contentsOf: Self.root.appendingPathComponent(".github/workflows/release.yml"), encoding: .utf8)
        #expect(workflow.contains("make dist") && workflow.contains("sha256sum -c") && workflow.contains("ubuntu-24.04-arm"))
        let makefile = try String(contentsOf: Self.root.appendingPathComponent("Makefile"), encoding: .utf8)
        #expect(makefile.contains("scripts/dist.sh $(RELEASE) dist"))
        for example in ["github-actions.yml", "gitlab-ci.yml"] {
            let text = try String(contentsOf: Self.root.appendingPathComponent("docs/ci/\(example)"), encoding: .utf8)
            #expect(text.contains("scripts/install-leakward.sh"), "\(example)")
        }
        let python = try #require(CLITools.python, "run scripts/test-setup.sh first")
        let parsed = try CLI.runTool(python, ["-c", "import sys, yaml; yaml.safe_load(open(sys.argv[1]))",
                                              Self.root.appendingPathComponent(".github/workflows/release.yml").path])
        #expect(parsed.status == 0, "\(parsed.stdout)")
    }
}
