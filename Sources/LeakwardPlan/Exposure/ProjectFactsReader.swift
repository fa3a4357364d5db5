#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LeakwardInputs
import LeakwardModel
import LeakwardSupport

/// Gathers `ProjectFacts` by walking the roots once (the same walk as a scan: `.gitignore`
/// honoured, `.env` files always listed) and reading only small text files.
public struct ProjectFactsReader {
    /// Files larger than this are not searched for variable names.
    public var maxConsumerFileSize = ProjectFactsReader.consumerFileLimit
    public static let consumerFileLimit = 512 * 1024
    /// Stops the consumer search after this many files, so a monorepo costs a bounded time.
    public var maxConsumerFiles = 20_000
    static let consumerExtensions: Set<String> = [
        "js", "jsx", "ts", "tsx", "mjs", "cjs", "vue", "svelte", "astro", "py", "rb", "go", "php", "java", "kt", "cs",
        "swift", "rs", "ex", "exs", "yml", "yaml", "toml", "tf", "sh", "json", "ini", "cfg", "conf", "properties",
    ]

    /// Runs `count` pieces of the consumer search and returns what each found, in any order.
    /// One after another here (this stage starts no threads); `onEveryCore()` (LeakwardCore's
    /// pipeline) gives a reader that runs them on every core.
    public var runPieces: @Sendable (_ count: Int, _ piece: @Sendable (Int) -> [String: Set<String>]) -> [[String: Set<String>]] = {
        count, piece in (0..<count).map(piece)
    }

    /// The same for sorting the listing into facts (`ListingFacts`): on a million-file tree the
    /// names of every file are looked at.
    public var runListingPieces: @Sendable (_ count: Int, _ piece: @Sendable (Int) -> ListingFacts) -> [ListingFacts] = {
        count, piece in (0..<count).map(piece)
    }

    /// What one piece of a root's listing says: its part of the facts, in listing order.
    public struct ListingFacts: Sendable {
        var index: Int
        var clientBuildOutput: [String] = []
        var viteAppDirectories: [String] = []
        var shippedSourceMaps: [String] = []
        var envFiles: [ProjectFacts.EnvFile] = []
        var candidates: [Candidate] = []
    }

    public init() {}

    /// Facts for `findings` found under `roots`. A root the scan already walked the default way
    /// (`listings`) is not walked again.
    public func gather(roots: [String], findings: [Finding], listings: [TreeListing] = []) -> ProjectFacts {
        var facts = ProjectFacts(roots: roots)
        for origin in Set(findings.map(\.location.origin)) {
            if let file = ProjectFactsReader.diskPath(of: origin), var fileFacts = FileFacts.read(diskPath: file, path: origin.path) {
                // Only the findings' own places are asked about later (ExposureAnalyzer), so the
                // bytes (which hold the secret) go as soon as those answers are known.
                fileFacts.resolve(offsets: findings.filter { $0.location.origin == origin && $0.location.members.isEmpty }.map(\.location.offset))
                facts.files[origin] = fileFacts
            }
        }
        let names = ProjectFactsReader.variableNames(in: findings)
        // The files searched for variable names, in walk order: read after the walk, in pieces.
        // Kept as the listing pieces found them (not joined into one array: a retain and a
        // release of each candidate's strings and text, on one core, for nothing).
        var candidates: [[Candidate]] = []
        for (rootIndex, root) in roots.enumerated() {
            var catalog = BlobCatalog()
            let listing = listings.first { $0.isDefaultWalk(of: root) }
            let listed = listing?.entries
            let texts = listing?.texts ?? [:]
            if listed == nil { try? WorkingTreeSource(root: root).enumerate(into: &catalog) }
            let rootIgnore = ProjectFactsReader.rootIgnore(root)
            if rootIgnore != nil || ProjectFactsReader.isInGitRepository(root) { facts.gitRoots.insert(root) }
            let entries = listed ?? catalog.entries
            let size = 1024, count = (entries.count + size - 1) / size
            let parts = runListingPieces(count) { piece in
                ProjectFactsReader.facts(of: entries[piece * size..<min(entries.count, (piece + 1) * size)], index: piece,
                                         root: rootIndex, rootIgnore: rootIgnore, searchesConsumers: !names.isEmpty, texts: texts)
            }.sorted { $0.index < $1.index }
            for part in parts {
                for framework in part.clientBuildOutput where !facts.clientBuildOutput.contains(framework) {
                    facts.clientBuildOutput.append(framework)
                }
                facts.viteAppDirectories += part.viteAppDirectories
                facts.shippedSourceMaps += part.shippedSourceMaps
                facts.envFiles += part.envFiles
                if !part.candidates.isEmpty { candidates.append(part.candidates) }
            }
        }
        facts.consumers = consumers(of: names, in: candidates, roots: roots).mapValues { $0.sorted() }
        facts.viteAppDirectories.sort()
        facts.shippedSourceMaps.sort()
        facts.clientBuildOutput.sort()
        facts.envFiles.sort { $0.path < $1.path }
        return facts
    }

    /// The facts `entries` (a piece of root `root`'s listing) give, in their order.
    static func facts(of entries: ArraySlice<BlobCatalog.Entry>, index: Int, root rootIndex: Int, rootIgnore: GitIgnore?,
                      searchesConsumers: Bool, texts: [String: KeptText]) -> ListingFacts {
        var facts = ListingFacts(index: index)
        // By index: an entry is not copied out whole (a retain and a release of each of its strings).
        for position in entries.indices {
            guard case .file(let path, let origin, let isUntracked) = entries[position].ref else { continue }
            let output = entries[position].output
            let relative = origin.path
            let ext = ShippedPath.assetExtension(relative)
            if let output, output.side == .client, !facts.clientBuildOutput.contains(output.framework) {
                facts.clientBuildOutput.append(output.framework)
            }
            if ProjectFactsReader.nameStarts(relative, with: ProjectFactsReader.viteConfig) {
                let directory = String(relative.dropLast(FileKind.basename(relative).count))
                facts.viteAppDirectories.append(directory)
            }
            if ext == "map", output.map({ $0.side == .client }) ?? ShippedPath.isBuildOutput(relative) {
                facts.shippedSourceMaps.append(origin.displayPath)
            }
            let isEnvFile = FileKind.isEnvFile(path: relative)
            if isEnvFile, !FileKind.isTemplate(path: relative) {
                facts.envFiles.append(ProjectFacts.EnvFile(
                    path: origin.displayPath, relativePath: relative, isTracked: isUntracked.map { !$0 },
                    isIgnored: rootIgnore?.isIgnored(relative, isDirectory: false) ?? false))
            }
            guard searchesConsumers, ProjectFactsReader.searchesForConsumers(relative, ext: ext, isEnvFile: isEnvFile, output: output)
            else { continue }
            facts.candidates.append(Candidate(root: rootIndex, relative: relative, path: path, origin: origin, text: texts[relative]))
        }
        return facts
    }

    static let viteConfig = Array("vite.config.".utf8)

    /// Whether the name of `relative` (after its last '/') starts with `prefix`, compared in
    /// place: asked for every listed file, and most names are longer than a small string.
    static func nameStarts(_ relative: String, with prefix: [UInt8]) -> Bool {
        var relative = relative
        return relative.withUTF8 { bytes in
            var start = bytes.count
            while start > 0 && bytes[start - 1] != UInt8(ascii: "/") { start -= 1 }
            guard bytes.count - start >= prefix.count else { return false }
            for i in 0..<prefix.count where bytes[start + i] != prefix[i] { return false }
            return true
        }
    }

    /// Whether the consumer search reads the file at `relative` (under its root): source,
    /// config and env files, never build output.
    public static func searchesForConsumers(_ relative: String, output: BuildOutputMark?) -> Bool {
        searchesForConsumers(relative, ext: ShippedPath.assetExtension(relative), isEnvFile: FileKind.isEnvFile(path: relative), output: output)
    }

    static func searchesForConsumers(_ relative: String, ext: String, isEnvFile: Bool, output: BuildOutputMark?) -> Bool {
        output == nil && (consumerExtensions.contains(ext) || isEnvFile || ShippedPath.isContainerFile(relative))
            && !ShippedPath.isBuildOutput(relative)
    }

    /// A file searched for variable names: where it is on disk (`relative` under `roots[root]`,
    /// or `path` from the current directory) and how it is shown.
    struct Candidate: Sendable {
        var root: Int
        var relative: String
        var path: String
        var origin: Origin
        /// Its bytes when the scan kept them (`TreeListing.texts`): then it is not read again.
        var text: KeptText? = nil
    }

    /// Which of `candidates` (in order, as the listing's pieces found them) mention each name:
    /// the first `maxConsumerFiles` that can be read. Too large a file fails the read's limit.
    func consumers(of names: Set<String>, in candidates: [[Candidate]], roots: [String]) -> [String: Set<String>] {
        guard !names.isEmpty else { return [:] }
        let limit = maxConsumerFileSize
        let needles = ProjectFactsReader.needles(names)
        // Each root opened once: files are opened relative to it, so the kernel resolves only
        // the names below the root, and read into one buffer per piece, with no stat.
        let rootFDs = roots.map { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        let walkRoots = roots.map { WorkingTreeSource(root: $0).root }
        defer { for fd in rootFDs where fd >= 0 { close(fd) } }
        @Sendable func search(_ files: ArraySlice<Candidate>, into consumers: inout [String: Set<String>], searched: inout Int, cap: Int) {
            var buffer: [UInt8] = []
            // By index: each candidate is read in place, not copied out with its strings and text.
            for index in files.indices where searched < cap {
                let found: [String]
                if let count = files[index].text?.count {
                    // As a read over the limit fails: not searched.
                    guard count <= limit else { continue }
                    searched += 1
                    found = files[index].text!.withBytes { ProjectFactsReader.mentionedNames(needles, in: $0) }
                } else {
                    let rootFD = rootFDs[files[index].root]
                    let count = rootFD >= 0 && files[index].origin.root == walkRoots[files[index].root]
                        ? FileReader.read(directory: rootFD, name: files[index].relative, into: &buffer, limit: limit)
                        : FileReader.read(directory: AT_FDCWD, name: files[index].path, into: &buffer, limit: limit)
                    guard let count else { continue }
                    searched += 1
                    found = buffer.withUnsafeBufferPointer { ProjectFactsReader.mentionedNames(needles, in: UnsafeBufferPointer(rebasing: $0[..<count])) }
                }
                guard !found.isEmpty else { continue }
                let display = files[index].origin.displayPath
                for variable in found { consumers[variable, default: []].insert(display) }
            }
        }
        var consumers: [String: Set<String>] = [:]
        // More candidates than the cap: which files count depends on which could be read, in order.
        guard candidates.reduce(0, { $0 + $1.count }) <= maxConsumerFiles else {
            var searched = 0
            for part in candidates { search(part[...], into: &consumers, searched: &searched, cap: maxConsumerFiles) }
            return consumers
        }
        let size = 64
        let pieces = candidates.indices.flatMap { part in
            stride(from: 0, to: candidates[part].count, by: size).map { (part: part, range: $0..<min(candidates[part].count, $0 + size)) }
        }
        let parts = runPieces(pieces.count) { piece in
            var found: [String: Set<String>] = [:], searched = 0
            search(candidates[pieces[piece].part][pieces[piece].range], into: &found, searched: &searched, cap: .max)
            return found
        }
        for part in parts { consumers.merge(part) { $0.union($1) } }
        return consumers
    }

    /// The file on disk for a finding's origin: its path under its root. For a history blob
    /// that is the work tree's file at the same path (HEAD's version stands in for the
    /// commit's, which is what a `'use client'` check needs); a commit message has none.
    static func diskPath(of origin: Origin) -> String? {
        switch origin {
        case .file(let root, let path), .history(let root, let path):
            if root == "." || root.isEmpty { return path }
            return root.hasSuffix("/") ? root + path : root + "/" + path
        case .commitMessage, .unreachableBlob: return nil
        }
    }

    /// Every name a credential is assigned to, plus the server-side name of public-prefixed ones.
    static func variableNames(in findings: [Finding]) -> Set<String> {
        var names = Set<String>()
        for variable in findings.compactMap(\.variable) where variable.count >= 4 {
            names.insert(variable)
            names.insert(PublicEnvPrefix.serverName(for: variable))
        }
        return names
    }

    /// The names that occur in `bytes` as whole identifiers.
    static func mentionedNames(_ names: Set<String>, in bytes: [UInt8]) -> [String] {
        bytes.withUnsafeBufferPointer { mentionedNames(needles(names), in: $0) }
    }

    /// A name to search for: its bytes and the place of its rarest byte (as `ByteSearch` judges
    /// them), which memchr looks for. Worked out once per scan, not per file.
    struct Needle: Sendable {
        var name: String
        var bytes: [UInt8]
        var anchor: Int
    }

    static func needles(_ names: Set<String>) -> [Needle] {
        names.map { name in
            let bytes = Array(name.utf8)
            let anchor = bytes.indices.min { ByteSearch.commonness[Int(bytes[$0])] < ByteSearch.commonness[Int(bytes[$1])] } ?? 0
            return Needle(name: name, bytes: bytes, anchor: anchor)
        }
    }

    /// The same over a buffer. memchr looks for each name's rarest byte and memcmp compares the
    /// rest: this runs over every text file.
    static func mentionedNames(_ needles: [Needle], in buffer: UnsafeBufferPointer<UInt8>) -> [String] {
        guard let base = buffer.baseAddress else { return [] }
        return needles.filter { needle in
            guard !needle.bytes.isEmpty, needle.bytes.count <= buffer.count else { return false }
            let anchor = needle.anchor
            return needle.bytes.withUnsafeBufferPointer { pattern -> Bool in
                var at = anchor
                let lastAnchor = buffer.count - pattern.count + anchor
                while at <= lastAnchor {
                    guard let hit = memchr(base + at, Int32(pattern[anchor]), lastAnchor - at + 1) else { return false }
                    let found = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    at = found + 1
                    let i = found - anchor
                    // The first and last bytes before the whole: the anchor byte alone is often
                    // common in code, and most of its places are told apart without a call.
                    guard base[i] == pattern[0], base[i + pattern.count - 1] == pattern[pattern.count - 1],
                          memcmp(base + i, pattern.baseAddress!, pattern.count) == 0 else { continue }
                    let before = i == 0 ? 32 : buffer[i - 1]
                    let after = i + pattern.count < buffer.count ? buffer[i + pattern.count] : 32
                    if !isNameByte(before) && !isNameByte(after) { return true }
                }
                return false
            }
        }.map(\.name)
    }

    public static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95
    }

    static func rootIgnore(_ root: String) -> GitIgnore? {
        let base = root.hasSuffix("/") ? root : root + "/"
        guard let bytes = try? FileReader.read(path: base + ".gitignore", limit: 1 << 20) else { return nil }
        var ignore = GitIgnore()
        ignore.add(fileText: String(decoding: bytes, as: UTF8.self), base: "")
        return ignore
    }

    static func isInGitRepository(_ root: String) -> Bool { GitRepository.discover(containing: root) != nil }
}

extension StringProtocol {
    /// Drops leading and trailing characters that are in `set`.
    fileprivate func trimmingCharacters(in set: String) -> String {
        var scalars = Substring(self)
        while let first = scalars.first, set.contains(first) { scalars = scalars.dropFirst() }
        while let last = scalars.last, set.contains(last) { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
