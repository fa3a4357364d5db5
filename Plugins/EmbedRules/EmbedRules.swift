import Foundation
import PackagePlugin

/// Embeds every `rules/**/*.toml` file into LeakwardCore as string constants, so a copied
/// `leakward` binary carries its catalogue with no resource bundle beside it.
@main
struct EmbedRules: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let rulesDir = context.package.directoryURL.appendingPathComponent("rules")
        let inputs = tomlFiles(under: rulesDir)
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("BundledRules.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) rule files",
                executable: try context.tool(named: "RuleEmbedder").url,
                arguments: [output.path, rulesDir.path] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }

    private func tomlFiles(under dir: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "toml" }
            .sorted { $0.path < $1.path }
    }
}
