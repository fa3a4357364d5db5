import LeakwardModel

/// A generated signing secret in an env template (`FindingFilter` keeps it at its severity with
/// `note`) is judged again once provenance says where it lives. The version of the template in
/// HEAD's tree (or in a working tree) is the project's own sample: every clone has it, and the
/// line above it says to generate one's own (`openssl rand -base64 32`); it is reported at info.
/// A value only a pull request's or an earlier commit's version of the template holds was
/// someone's own key, pasted in place of the placeholder: it keeps its severity.
public enum TemplateSigningKeys {
    public static let note = "a generated signing secret in an env template: someone's own key, not the template's sample"

    public static func judged(_ finding: Finding) -> Finding {
        guard finding.severity > .info, let index = finding.notes.firstIndex(of: note) else { return finding }
        let isCurrentSample: Bool
        switch finding.location.origin {
        case .file: isCurrentSample = true
        default: isCurrentSample = finding.location.commit?.isInHEAD ?? false
        }
        guard isCurrentSample else { return finding }
        var judged = finding
        judged.severity = .info
        judged.notes[index] = "a generated signing secret in the template's current version (HEAD): the project's own sample, reported at info"
        return judged
    }
}
