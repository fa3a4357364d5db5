import Foundation
import Testing

/// `docs/scale/` ships manifests meant to run as they stand: they cannot run here (no cluster,
/// no GitHub), so what can be checked offline is: the image and the workflow install every
/// library the build needs (the Makefile's list), the shard count agrees everywhere, and the
/// shard index comes from the scheduler.
@Suite struct ScaleManifestTests {
    static func file(_ name: String) throws -> String {
        try String(contentsOfFile: CLI.packageRoot.appendingPathComponent("docs/scale/" + name).path, encoding: .utf8)
    }

    /// The `-dev` packages of the Makefile's APT_PKGS: what `swift build` links against.
    static func buildLibraries() throws -> [String] {
        let makefile = try String(contentsOfFile: CLI.packageRoot.appendingPathComponent("Makefile").path, encoding: .utf8)
        let line = try #require(makefile.split(separator: "\n").first { $0.hasPrefix("APT_PKGS") })
        return line.split(separator: " ").map(String.init).filter { $0.hasSuffix("-dev") }
    }

    @Test func theImageAndTheWorkflowInstallWhatTheBuildLinks() throws {
        let libraries = try Self.buildLibraries()
        #expect(libraries.contains("libgit2-dev") && libraries.contains("libssl-dev"))
        let dockerfile = try Self.file("Dockerfile"), workflow = try Self.file("github-actions-matrix.yml")
        for library in libraries {
            #expect(dockerfile.contains(library), "Dockerfile lacks \(library)")
            #expect(workflow.contains(library), "github-actions-matrix.yml lacks \(library)")
        }
        // The binary links the build's Debian libgit2: it runs where that library is.
        #expect(dockerfile.contains("FROM swift:6.0-bookworm") && dockerfile.contains("FROM debian:bookworm-slim"))
        #expect(workflow.contains("container: swift:6.0-bookworm"))
        #expect(workflow.components(separatedBy: "container: debian:bookworm-slim").count == 3, "scan and merge run on the build's Debian")
        #expect(!workflow.contains("sudo "), "jobs in a container run as root")
    }

    @Test func shardsComeFromTheSchedulerAndAgree() throws {
        let job = try Self.file("kubernetes-scan.yaml")
        #expect(job.contains("completionMode: Indexed"))
        #expect(job.contains("shard=\"$JOB_COMPLETION_INDEX/$SHARDS\"") && job.contains("--shard \"$shard\""))
        let completions = try #require(job.firstMatch(of: /completions: (\d+)/)?.1)
        let shards = try #require(job.firstMatch(of: /name: SHARDS\s+value: "(\d+)"/)?.1)
        #expect(completions == shards)
        #expect(job.contains("--output \"/reports/shard-$JOB_COMPLETION_INDEX.json\""))
        #expect(try Self.file("kubernetes-merge.yaml").contains("leakward merge /reports/shard-*.json"))

        let workflow = try Self.file("github-actions-matrix.yml")
        let count = try #require(workflow.firstMatch(of: /SHARDS: (\d+)/)?.1)
        let matrix = try #require(workflow.firstMatch(of: /shard: \[([0-9, ]+)\]/)?.1)
        #expect(matrix.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) } == (0..<Int(count)!).map { $0 })
        #expect(workflow.contains("--shard \"${{ matrix.shard }}/$SHARDS\""))
        #expect(workflow.contains("leakward merge shard-*.json"))
    }
}
