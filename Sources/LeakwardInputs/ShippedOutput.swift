import Foundation
import LeakwardModel
import LeakwardRules

/// Which directories the working-tree walk reads although `.gitignore` hides them: the build
/// output of the frameworks it recognises (`BuildOutputRules`), learnt directory by directory
/// as the walk meets config files and package.json. Caches and dependencies stay skipped.
/// The walk asks it one question per directory (`admit`) and one per file (`mark`), so the
/// walk itself stays a plain directory traversal.
public struct ShippedOutput: Sendable {
    /// How `.gitignore` is applied to the working tree.
    public enum Policy: Sendable {
        /// `.gitignore` honoured, but build output of recognised frameworks and `.env` files read.
        case readShippedOutput
        /// `.gitignore` honoured (only `.env` files read when ignored): `--respect-gitignore`.
        case respectGitignore
        /// Nothing ignored but `.git/`: `--no-ignore`.
        case readEverything
    }

    /// Where a directory stands.
    public enum Region: Sendable, Equatable {
        /// An ignored directory entered only to reach build output below it (`.next/` for `.next/static/`).
        case passThrough
        /// Inside build output: every file read except caches.
        case output(BuildOutputMark)
    }

    /// The walk's decision for one directory.
    public enum Admission: Sendable, Equatable {
        case skip
        case enter(Region?)
    }

    struct OutputDirectory: Sendable {
        /// Path segments relative to the scan root; `*` matches one folder.
        var segments: [Substring]
        var mark: BuildOutputMark
    }

    public let policy: Policy
    public let rules: BuildOutputRules
    private(set) var outputs: [OutputDirectory] = []
    private(set) var caches: [[Substring]] = []
    /// Frameworks recognised, by project directory ("" for the root), for `--verbose` and tests.
    public private(set) var recognised: [(directory: String, framework: String)] = []

    /// Every framework's config file names.
    private let configFileNames: Set<String>
    /// The first bytes of those names and `package.json`: a name starting otherwise is no
    /// config file, told without hashing it (every name of every directory is asked).
    private let configFirstBytes: [Bool]

    public init(policy: Policy = .readShippedOutput, rules: BuildOutputRules = .builtIn) {
        self.policy = policy
        self.rules = rules
        configFileNames = Set(rules.frameworks.flatMap(\.configFiles))
        var firstBytes = [Bool](repeating: false, count: 256)
        for name in configFileNames.union(["package.json"]) { firstBytes[Int(name.utf8.first ?? 0)] = true }
        configFirstBytes = firstBytes
    }

    // MARK: - Learning

    /// Whether `learn` can recognise anything in a directory holding `names` (a package.json or
    /// a framework's config file): asked first, so most directories never gather their names into a set.
    public func mayLearn(from names: some Sequence<String>) -> Bool {
        policy != .respectGitignore && names.contains { name in
            guard let first = name.utf8.first, configFirstBytes[Int(first)] else { return false }
            return name == "package.json" || configFileNames.contains(name)
        }
    }

    /// Recognises frameworks in the project directory `relative` (under the scan root
    /// `root`) from the names it holds and its package.json, and records their output.
    public mutating func learn(directory relative: String, names: Set<String>, root: String) {
        guard policy != .respectGitignore else { return }
        // Most directories are neither: asked by looking each name up once, not per framework.
        let hasPackage = names.contains("package.json")
        guard hasPackage || !names.isDisjoint(with: configFileNames) else { return }
        let base = relative.isEmpty ? root + "/" : root + "/" + relative + "/"
        var package: (dependencies: Set<String>, scripts: [String])?
        if hasPackage { package = ShippedOutput.readPackage(base + "package.json") }
        guard package != nil || rules.frameworks.contains(where: { $0.configFiles.contains(where: names.contains) }) else { return }
        for framework in rules.frameworks where ShippedOutput.recognises(framework, names: names, package: package, base: base) {
            recognised.append((relative, framework.name))
            let config = framework.configFiles.first(where: names.contains)
            let setting = config.flatMap { ShippedOutput.sourceMapSetting(of: framework, config: base + $0, name: $0) }
            for (paths, side) in [(framework.client, BuildOutputMark.Side.client), (framework.server, .server)] {
                for path in paths {
                    let mark = BuildOutputMark(side: side, framework: framework.name,
                                               sourceMapSetting: side == .client ? setting?.setting : nil,
                                               sourceMapPolicy: side == .client ? setting?.says : nil)
                    let segments = ShippedOutput.segments(relative.isEmpty ? path : relative + "/" + path)
                    // The first framework to claim a folder keeps it (the data lists specific ones first).
                    if !outputs.contains(where: { $0.segments == segments }) { outputs.append(OutputDirectory(segments: segments, mark: mark)) }
                }
            }
            caches += framework.caches.map { ShippedOutput.segments(relative.isEmpty ? $0 : relative + "/" + $0) }
        }
    }

    static func recognises(_ framework: BuildOutputRules.Framework, names: Set<String>,
                           package: (dependencies: Set<String>, scripts: [String])?, base: String) -> Bool {
        if framework.configFiles.contains(where: names.contains) { return true }
        if let package {
            if framework.dependencies.contains(where: package.dependencies.contains) { return true }
            if package.scripts.contains(where: { script in framework.scripts.contains { ShippedOutput.contains(script, $0) } }) { return true }
        }
        // A manifest's first folder must be among the directory's names before the disk is asked.
        return framework.manifests.contains { manifest in
            names.contains(String(manifest.prefix(while: { $0 != "/" }))) && access(base + manifest, F_OK) == 0
        }
    }

    /// Dependencies (all kinds) and script commands of a package.json; nil when unreadable.
    static func readPackage(_ path: String) -> (dependencies: Set<String>, scripts: [String])? {
        guard let bytes = try? FileReader.read(path: path, limit: 1 << 20), let manifest = PackageManifest(bytes: bytes) else { return nil }
        return (manifest.dependencies, manifest.scripts)
    }

    /// The first source-map setting of `framework` its config file holds (spaces and quotes ignored).
    public static func sourceMapSetting(of framework: BuildOutputRules.Framework, config path: String,
                                 name: String) -> (setting: String, says: String)? {
        guard !framework.sourceMaps.isEmpty, let bytes = try? FileReader.read(path: path, limit: 1 << 20) else { return nil }
        let kept = bytes.filter { ![9, 10, 13, 32, 34, 39, 96].contains($0) }
        // ASCII text (config files nearly always) is searched as bytes: the same answer as
        // comparing Characters, without Foundation's search per setting.
        let isASCII = kept.allSatisfy { $0 < 0x80 }
        let squeezed = isASCII ? "" : String(decoding: kept, as: UTF8.self)
        guard let hit = framework.sourceMaps.first(where: { isASCII ? ShippedOutput.contains(kept, $0.contains) : squeezed.contains($0.contains) })
        else { return nil }
        return ("`\(hit.setting)` in `\(name)`", hit.says)
    }

    public static func segments(_ path: String) -> [Substring] {
        // An ASCII path (nearly all) is cut at its '/' bytes, the places the Character split
        // finds, without grapheme breaking: asked for every directory of the walk.
        let utf8 = path.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            return utf8.split(separator: UInt8(ascii: "/")).map { Substring($0) }
        }
        return path.split(separator: "/")
    }

    /// Whether the bytes `text` hold `part`.
    static func contains(_ text: [UInt8], _ part: String) -> Bool {
        text.withUnsafeBufferPointer { text in
            var part = part
            return part.withUTF8 { part in
                guard !part.isEmpty else { return true }
                guard text.count >= part.count else { return false }
                return (0...(text.count - part.count)).contains { text[$0] == part[0] && memcmp(text.baseAddress! + $0, part.baseAddress!, part.count) == 0 }
            }
        }
    }

    /// Whether `text` holds `part`, compared as bytes (`String.contains` went through Foundation).
    static func contains(_ text: String, _ part: String) -> Bool {
        var text = text, part = part
        // Both strings' own UTF-8 storage: no copy per script and framework.
        return text.withUTF8 { text in
            part.withUTF8 { part in
                guard !part.isEmpty else { return true }
                guard text.count >= part.count else { return false }
                return (0...(text.count - part.count)).contains { text[$0] == part[0] && memcmp(text.baseAddress! + $0, part.baseAddress!, part.count) == 0 }
            }
        }
    }

    // MARK: - Deciding

    /// Whether the walk enters the directory `relative` (`isIgnored`: what `.gitignore` says)
    /// and in which region, given the region of its parent.
    public func admit(directory relative: String, isIgnored: Bool, in parent: Region?) -> Admission {
        switch policy {
        case .respectGitignore:
            return isIgnored ? .skip : .enter(nil)
        case .readEverything:
            return .enter(mark(directory: relative).map(Region.output) ?? parent)
        case .readShippedOutput:
            let path = ShippedOutput.segments(relative)
            if (isIgnored || parent != nil) && isCache(path) { return .skip }
            if let mark = mark(segments: path) { return .enter(.output(mark)) }
            if case .output = parent { return .enter(parent) }
            if isIgnored || parent == .passThrough {
                return outputs.contains(where: { ShippedOutput.isProperPrefix(path, of: $0.segments) }) ? .enter(.passThrough) : .skip
            }
            return .enter(nil)
        }
    }

    /// Whether a file is read: `isIgnored` by `.gitignore`, in `region`.
    public func reads(file relative: String, isIgnored: Bool, in region: Region?) -> Bool {
        switch region {
        case .output?: return true
        case .passThrough?: return policy == .readEverything
        case nil: return !isIgnored || policy == .readEverything
        }
    }

    /// The build output a directory is (the most specific output folder it lies in), if any.
    public func mark(directory relative: String) -> BuildOutputMark? {
        outputs.isEmpty ? nil : mark(segments: ShippedOutput.segments(relative))
    }

    /// The same for a path already split: the first of the longest output folders it lies in.
    func mark(segments path: [Substring]) -> BuildOutputMark? {
        var best: OutputDirectory?
        for output in outputs where output.segments.count > (best?.segments.count ?? -1) && ShippedOutput.isPrefix(output.segments, of: path) {
            best = output
        }
        return best?.mark
    }

    func isCache(_ path: [Substring]) -> Bool {
        if let name = path.last, rules.cacheDirectories.contains(String(name)) { return true }
        return caches.contains(path)
    }

    /// `prefix` (with `*` for one folder) matches the first segments of `path`.
    static func isPrefix(_ prefix: [Substring], of path: [Substring]) -> Bool {
        guard prefix.count <= path.count else { return false }
        return zip(prefix, path).allSatisfy { $0 == "*" || $0 == $1 }
    }

    static func isProperPrefix(_ path: [Substring], of output: [Substring]) -> Bool {
        path.count < output.count && isPrefix(Array(output.prefix(path.count)), of: path)
    }
}
