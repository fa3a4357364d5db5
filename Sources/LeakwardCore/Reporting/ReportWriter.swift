/// Formats a finished scan. Pure: the same report always gives the same text.
public protocol ReportWriter {
    /// The `--format` name.
    static var formatName: String { get }
    func render(_ report: ScanReport) throws -> String
}
