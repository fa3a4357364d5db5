import Foundation
import LeakwardFindings
import LeakwardInputs
import LeakwardModel
import LeakwardRules

/// Finds the scanned projects that declare themselves deliberately vulnerable training
/// applications (or starters, templates and demos, for their weak typed defaults) and reports
/// their findings as `TrainingApp` says (`rules/context/training.toml`).
/// The declaration is the top-level README: for a working-tree finding, the README in the
/// scanned directory; for a history finding, the README of HEAD's tree (what the project says it
/// is now, whatever an old commit said), read through libgit2.
///
/// Runs once after the scan on the findings that fail CI: the README is a fact about the
/// project, not about the blob a worker holds.
struct TrainingApps {
    let policy: TrainingApp
    /// Rule id → the offline check it runs, for the checks that prove a live token.
    let validators: [String: ValidatorKind]
    /// What declared each place (working tree or history of a root) a training app; nil: not one.
    private var declarations: [Place: String?] = [:]
    /// What declared each place a starter, template or demo project (`[starter]`); nil: not one.
    private var starterDeclarations: [Place: String?] = [:]

    struct Place: Hashable {
        var root: String
        var isHistory: Bool
    }

    init(policy: TrainingApp = .bundled, rules: RuleSet) {
        self.policy = policy
        var validators: [String: ValidatorKind] = [:]
        for rule in rules.rules { if let validator = rule.validator { validators[rule.id] = validator } }
        self.validators = validators
    }

    mutating func judge(_ findings: [Finding]) -> [Finding] {
        guard findings.contains(where: { $0.severity > .info }) else { return findings }
        return findings.map { finding in
            guard finding.severity > .info else { return finding }
            let origin = finding.location.origin
            let isHistory: Bool
            switch origin {
            case .file: isHistory = false
            case .history, .commitMessage, .unreachableBlob: isHistory = true
            }
            let place = Place(root: origin.root, isHistory: isHistory)
            if let declared = declaration(of: place) {
                return policy.judged(finding, validator: validators[finding.ruleID], declared: declared)
            }
            guard finding.kind == .weakSecret, let starter = starterDeclaration(of: place) else { return finding }
            return policy.judgedAsStarter(finding, declared: starter)
        }
    }

    mutating func declaration(of place: Place) -> String? {
        if let known = declarations[place] { return known }
        let found = readme(of: place).flatMap(policy.declaration(inReadme:)).map { String($0.prefix(80)) }
        declarations[place] = .some(found)
        return found
    }

    mutating func starterDeclaration(of place: Place) -> String? {
        if let known = starterDeclarations[place] { return known }
        let found = readme(of: place).flatMap(policy.starterDeclaration(inReadme:)).map { String($0.prefix(80)) }
        starterDeclarations[place] = .some(found)
        return found
    }

    func readme(of place: Place) -> [UInt8]? {
        place.isHistory ? readmeInHead(of: place.root) : readmeOnDisk(place.root)
    }

    func readmeOnDisk(_ root: String) -> [UInt8]? {
        let top = root.isEmpty ? "." : root
        for name in policy.readmeNames {
            let path = top.hasSuffix("/") ? top + name : top + "/" + name
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  attributes[.type] as? FileAttributeType == .typeRegular,
                  let handle = FileHandle(forReadingAtPath: path) else { continue }
            defer { try? handle.close() }
            return (try? handle.read(upToCount: TrainingApp.readmeLimit)).map { Array($0) } ?? []
        }
        return nil
    }

    func readmeInHead(of root: String) -> [UInt8]? {
        guard let repository = GitRepository.discover(containing: root.isEmpty ? "." : root) else { return nil }
        for name in policy.readmeNames {
            if let bytes = (try? repository.fileBytes(atPath: name, inRevision: "HEAD")) ?? nil {
                return Array(bytes.prefix(TrainingApp.readmeLimit))
            }
        }
        return nil
    }
}
