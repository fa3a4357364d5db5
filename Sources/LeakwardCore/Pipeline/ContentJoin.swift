import LeakwardModel

/// A working-tree file whose bytes are a blob of the scanned history: it is matched once (as
/// the blob), and each of the blob's findings gains a sighting at the file's path.
struct ContentJoin: Sendable {
    var origin: Origin
    var isUntracked: Bool?
    /// The git blob id of the file's content.
    var blob: ObjectID

    /// The working-tree sightings of `findings` for every join.
    static func sightings(_ joins: [ContentJoin], of findings: [Finding]) -> [Finding] {
        guard !joins.isEmpty else { return [] }
        var byBlob: [ObjectID: [Finding]] = [:]
        for finding in findings { if let blob = finding.location.blob { byBlob[blob, default: []].append(finding) } }
        var added: [Finding] = []
        struct Place: Hashable { var origin: Origin, secret: String, offset: Int, members: [String], decoders: [DecodeStep] }
        var seen = Set<Place>()
        for join in joins {
            for finding in byBlob[join.blob] ?? [] {
                // One sighting per secret and place, however many history paths the blob had.
                let key = Place(origin: join.origin, secret: finding.secretSHA256, offset: finding.location.offset,
                                members: finding.location.members, decoders: finding.location.decoders)
                guard seen.insert(key).inserted else { continue }
                var sighting = finding
                sighting.location.origin = join.origin
                sighting.location.commit = nil
                sighting.location.isUntracked = join.isUntracked
                added.append(sighting)
            }
        }
        return added
    }
}
