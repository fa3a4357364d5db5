/// What a history scan will read, worked out on one thread before any worker starts: the
/// unique blobs of the selected commits (each once, by object id), the commits whose messages
/// are scanned, and for staged and range scans the older blob each new one is compared with,
/// so only added lines are reported.
struct GitScanPlan: Sendable {
    typealias Selection = GitSelection

    struct Entry: Sendable {
        var id: ObjectID
        var display: String
        /// A commit whose message is scanned, not a blob.
        var isCommitMessage: Bool
    }

    var gitDirectory = ""
    var entries: [Entry] = []
    /// New blob → the blob it replaced at the same path; lines already there are not reported.
    var baselines: [ObjectID: ObjectID] = [:]
    /// The selected commits; empty for staged scans.
    var graph = CommitGraph()
    /// Every blob id listed (for provenance and working-tree joins).
    var blobs = Set<ObjectID>()
    var issues: [ScanIssue] = []

    init() {}

    /// Walks the repository at `path`. Never throws: an unreadable repository is one recorded error.
    init(repositoryPath path: String, selection: Selection, scansMessages: Bool, isExcluded: (String) -> Bool) {
        let repository: GitRepository
        do {
            repository = try GitRepository(path: path)
        } catch {
            issues.append(ScanIssue(path: path, level: .error, stage: "git", reason: "\(error)"))
            return
        }
        gitDirectory = repository.gitDirectory
        switch selection {
        case .staged:
            planStaged(repository, isExcluded: isExcluded)
            return
        case .allRefs, .refs, .range:
            break
        }
        var tips: [(name: String, id: ObjectID)] = []
        var excluded = Set<ObjectID>()
        do {
            switch selection {
            case .allRefs:
                let refs = try repository.references()
                tips = refs.commits
                for name in refs.unpeelable {
                    issues.append(ScanIssue(path: name, level: .skipped, stage: "git", reason: "ref does not point at a commit"))
                }
            case .refs(let names):
                tips = try names.map { ($0, try repository.resolveCommit($0)) }
            case .range(let base, let tip):
                tips = [(tip, try repository.resolveCommit(tip))]
                excluded = CommitGraph.ancestors(of: [try repository.resolveCommit(base)], in: repository)
            case .staged:
                break
            }
        } catch {
            issues.append(ScanIssue(path: path, level: .error, stage: "git", reason: "\(error)"))
            return
        }
        graph = CommitGraph(repository: repository, tips: tips, excluded: excluded)
        issues += graph.issues

        var inventory = BlobInventory()
        if !excluded.isEmpty {
            // The base side of a range is known already: walk the trees where the range starts.
            for node in graph.nodes {
                for parent in (try? repository.commit(node.id).parents) ?? [] where excluded.contains(parent) {
                    if let record = try? repository.commit(parent) { inventory.markKnown(tree: record.tree, in: repository) }
                }
            }
        }
        for (index, node) in graph.nodes.enumerated() {
            let before = inventory.items.count
            inventory.add(tree: node.tree, commit: index, in: repository)
            if case .range = selection, inventory.items.count > before,
               let parent = try? repository.commit(node.id).parents.first, let parentTree = try? repository.commit(parent).tree {
                for item in inventory.items[before...] {
                    if let old = repository.blob(atPath: item.path, inTree: parentTree), old != item.id { baselines[item.id] = old }
                }
            }
        }
        issues += inventory.issues
        for path in inventory.submodules.sorted() {
            issues.append(ScanIssue(path: path, level: .skipped, stage: "git", reason: "submodule not followed"))
        }
        for item in inventory.items {
            if isExcluded(item.path) { continue }
            blobs.insert(item.id)
            entries.append(Entry(id: item.id, display: item.path, isCommitMessage: false))
        }
        if scansMessages {
            for node in graph.nodes {
                entries.append(Entry(id: node.id, display: GitScanPlan.messageDisplay(node.id), isCommitMessage: true))
            }
        }
    }

    /// The path shown for findings in a commit message.
    static func messageDisplay(_ id: ObjectID) -> String { "commit-message:\(id)" }

    /// Index entries whose blob differs from HEAD's at the same path; no history is walked.
    private mutating func planStaged(_ repository: GitRepository, isExcluded: (String) -> Bool) {
        let headTree = repository.headCommit().flatMap { try? repository.commit($0).tree }
        let index: [(path: String, id: ObjectID, isSubmodule: Bool)]
        do {
            index = try repository.indexEntries()
        } catch {
            issues.append(ScanIssue(path: repository.gitDirectory, level: .error, stage: "git", reason: "\(error)"))
            return
        }
        var listed = Set<ObjectID>()
        for entry in index {
            let old = headTree.flatMap { repository.blob(atPath: entry.path, inTree: $0) }
            guard old != entry.id else { continue }
            if entry.isSubmodule {
                issues.append(ScanIssue(path: entry.path, level: .skipped, stage: "git", reason: "submodule not followed"))
                continue
            }
            if isExcluded(entry.path) || !listed.insert(entry.id).inserted { continue }
            if let old { baselines[entry.id] = old }
            blobs.insert(entry.id)
            entries.append(Entry(id: entry.id, display: entry.path, isCommitMessage: false))
        }
    }
}
