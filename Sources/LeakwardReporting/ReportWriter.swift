import LeakwardModel

/// Formats a finished scan. Pure: the same report always gives the same text.
public protocol ReportWriter {
    /// The `--format` name.
    static var formatName: String { get }
    func render(_ report: ScanReport) throws -> String
    /// The same text in pieces, handed to `sink` in order: a writer that can stream (JSON)
    /// never holds the whole report as one string.
    func write(_ report: ScanReport, to sink: (String) throws -> Void) throws
}

extension ReportWriter {
    public func write(_ report: ScanReport, to sink: (String) throws -> Void) throws { try sink(render(report)) }
}
