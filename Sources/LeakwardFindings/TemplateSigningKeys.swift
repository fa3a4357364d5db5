import LeakwardModel

/// A generated signing secret in an env template (`FindingFilter` keeps it at its severity with
/// `note`) is judged again once provenance says where it lives. A value the template's version
/// in HEAD's tree (or a working tree) holds is the project's own sample: every clone has it, and
/// the line above it says to generate one's own (`openssl rand -base64 32`); every sighting of it,
/// older versions of the template included, is reported at info. A value only a pull request's
/// or an earlier commit's version of the template holds was someone's own key, pasted in place
/// of the placeholder: it keeps its severity.
public enum TemplateSigningKeys {
    public static let note = "a generated signing secret in an env template: someone's own key, not the template's sample"

    public static func judged(_ findings: [Finding]) -> [Finding] {
        let samples = Set(findings.filter { $0.notes.contains(note) && isCurrent($0.location) }.map(\.secretSHA256))
        guard !samples.isEmpty else { return findings }
        return findings.map { finding in
            guard finding.severity > .info, samples.contains(finding.secretSHA256),
                  let index = finding.notes.firstIndex(of: note) else { return finding }
            var judged = finding
            judged.severity = .info
            judged.notes[index] = "a generated signing secret the template's current version (HEAD) holds: the project's own sample, reported at info"
            return judged
        }
    }

    static func isCurrent(_ location: Finding.Location) -> Bool {
        switch location.origin {
        case .file: true
        default: location.commit?.isInHEAD ?? false
        }
    }
}
