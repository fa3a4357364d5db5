import LeakwardModel

/// A source with nothing to read, only issues to record: an input the caller could not even
/// open (a submodule that is not initialised) still shows up in the report.
public struct IssueSource: Source {
    public let issues: [ScanIssue]

    public init(issues: [ScanIssue]) { self.issues = issues }

    public func enumerate(into catalog: inout BlobCatalog) throws {
        for issue in issues { catalog.record(issue) }
    }

    public func makeReader() throws -> any BlobReader { NothingToRead() }

    private struct NothingToRead: BlobReader {
        func read(_ ref: BlobRef, limit: Int) throws -> Blob { throw ReadError.io(path: ref.display, message: "nothing to read") }
    }
}
