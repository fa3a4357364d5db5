import LeakwardModel

/// A source that matches some blobs only in part (what changed since a base blob). When a
/// base turns out to hold findings, the blobs built on it are matched again, now also around
/// the copies of those findings, so every blob containing a secret is still known and the
/// findings equal a full scan's.
public protocol IncrementalSource: Source {
    /// The blobs read in part whose base is one of `blobs` (git blob ids), to match again.
    func dependents(of blobs: Set<ObjectID>) -> [BlobRef]
    /// This source reading each blob built on a base of `places` where it changed and around
    /// the copies of that base's findings; any other blob (its base missing from `places`, or
    /// `.unplaced` there) in full.
    func rescanning(around places: [ObjectID: FindingPlaces]) -> any Source
}

/// A blob's delta base and the places of its findings that the blob was matched around.
public struct BaseFindings: Sendable, Equatable {
    public var base: ObjectID
    public var places: FindingPlaces
}

/// Where a blob's findings lie in its own bytes, for matching the blobs built on it.
public enum FindingPlaces: Sendable, Equatable {
    /// Byte ranges, each holding one finding's whole match.
    case ranges([Range<Int>])
    /// Some finding has no place in the blob's own bytes (it was found in decoded text or an
    /// archive member, or its match length is unknown): the blobs built on it are matched whole.
    case unplaced

    /// The places of each blob's findings (those with a git blob).
    public static func of(_ findings: [Finding]) -> [ObjectID: FindingPlaces] {
        var places: [ObjectID: FindingPlaces] = [:]
        for finding in findings {
            guard let blob = finding.location.blob else { continue }
            let location = finding.location
            // The secret starts at `offset` and lies inside the match, so the match lies within
            // `matchLength` bytes of it either way.
            guard location.decoders.isEmpty, location.members.isEmpty, finding.matchLength > 0 else {
                places[blob] = .unplaced
                continue
            }
            let range = max(0, location.offset - finding.matchLength)..<location.offset + finding.matchLength
            switch places[blob] {
            case .unplaced: break
            case .ranges(let ranges): places[blob] = .ranges(ranges + [range])
            case nil: places[blob] = .ranges([range])
            }
        }
        return places.mapValues { place in
            guard case .ranges(let ranges) = place else { return place }
            return .ranges(ranges.sorted { ($0.lowerBound, $0.upperBound) < ($1.lowerBound, $1.upperBound) })
        }
    }
}
