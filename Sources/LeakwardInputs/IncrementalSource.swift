import LeakwardModel

/// A source that matches some blobs only in part (what changed since a base blob). When a
/// base turns out to hold findings, the blobs built on it are matched again in full, so every
/// blob containing a secret is still known and the findings equal a full scan's.
public protocol IncrementalSource: Source {
    /// The blobs read in part whose base is one of `blobs` (git blob ids), to match in full.
    func dependents(of blobs: Set<ObjectID>) -> [BlobRef]
    /// This source reading every blob in full, for those rescans.
    var fullContent: any Source { get }
}
