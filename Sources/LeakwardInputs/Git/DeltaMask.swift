#if canImport(Glibc)
import Glibc
#endif
import LeakwardDecoders
import LeakwardModel
import LeakwardSupport

/// The part of a blob that differs from the blob git stored it as a delta of: bytes the delta
/// inserted, and the seams where it copies from a different place of the base. Those ranges,
/// widened by `margin` bytes each way and then to whole lines (plus the line above, for allow
/// markers), are the windows matched; findings in them keep the real blob's lines and offsets.
///
/// Why this loses nothing: a match whose text and context lie inside one copy from the base
/// sits in the same bytes and the same lines there, and the base (scanned first, at the same
/// path) had no findings, or this blob would be matched whole. A match that touches new bytes
/// or a seam lies within `PartialMatching.margin` of it, as long as no rule matches more than
/// that; rules that may (a PEM key block) say so with `max_length`, and a blob holding one of
/// their keywords (or a decoder's marker) is matched whole. Which blobs get here at all is
/// `PartialMatching`'s call.
struct DeltaMask {
    /// Bytes kept on each side of every change.
    static var margin: Int { PartialMatching.margin }

    /// The needles grouped by the byte memchr looks for (lower case; a letter is looked for
    /// in both cases), each with where that byte sits in it: one pass per group, not per needle.
    private let groups: [(anchor: UInt8, needles: [(bytes: [UInt8], at: Int)])]
    /// Each group's anchor as memchr looks for it: the byte, then its upper case for a letter
    /// (the same byte again otherwise, skipped). Worked out here, not as an array per group
    /// on every call: the search runs on every window of 240,000 blobs on Rails.
    private let variants: [(UInt8, UInt8)]
    /// The longest needle's length less one: how far a needle may reach past a change.
    private let reach: Int
    /// Each needle by a pair of its adjacent bytes (`pairAnchors`), all pairs looked for in
    /// one pass; nil when a needle is a single byte or the pairs are too many (then `groups`).
    private let pairs: (search: ByteSearch.BytePairs, needles: [(bytes: [UInt8], at: Int)])?

    init(longMatchKeywords: [[UInt8]]) {
        let distinct = Set(longMatchKeywords.filter { !$0.isEmpty })
        let minimal = distinct.filter { keyword in
            !distinct.contains { other in other != keyword && other.count < keyword.count && DeltaMask.contains(keyword, other) }
        }
        var groups: [(anchor: UInt8, needles: [(bytes: [UInt8], at: Int)])] = []
        for needle in minimal.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let at = DeltaMask.anchor(of: needle)
            if let g = groups.firstIndex(where: { $0.anchor == needle[at] }) {
                groups[g].needles.append((needle, at))
            } else {
                groups.append((needle[at], [(needle, at)]))
            }
        }
        self.groups = groups
        reach = max(0, (minimal.map(\.count).max() ?? 0) - 1)
        variants = groups.map { group in
            group.anchor >= 0x61 && group.anchor <= 0x7A ? (group.anchor, group.anchor - 0x20) : (group.anchor, group.anchor)
        }
        let sorted = minimal.sorted { $0.lexicographicallyPrecedes($1) }
        if !sorted.isEmpty, !sorted.contains(where: { $0.count < 2 }) {
            let needles = sorted.map { ($0, DeltaMask.pairAnchor(of: $0)) }
            var distinct: [(UInt8, UInt8)] = []
            for (needle, at) in needles where !distinct.contains(where: { $0 == (needle[at], needle[at + 1]) }) {
                distinct.append((needle[at], needle[at + 1]))
            }
            pairs = ByteSearch.BytePairs(distinct).map { ($0, needles) }
        } else {
            pairs = nil
        }
    }

    /// Whether the needles are looked for by pairs (tests).
    var searchesPairs: Bool { pairs != nil }

    /// Where in `needle` (two bytes or more) the pair of adjacent bytes rarest in source text
    /// starts: its bytes' costs (as `anchor` weighs them) multiplied, a byte doubled counted
    /// ten times over (`--`, `==`, `//` are operators and comments in code). Single bytes such
    /// as '=', '-' or 'k' each occur every few lines of code; pairs such as "-b", "kt" or "=d"
    /// seldom do.
    static func pairAnchor(of needle: [UInt8]) -> Int {
        func cost(_ byte: UInt8) -> Int {
            let base = ByteSearch.commonness[Int(byte)]
            return byte >= 0x61 && byte <= 0x7A ? base * 13 / 10 : base
        }
        func cost(at k: Int) -> Int { cost(needle[k]) * cost(needle[k + 1]) * (needle[k] == needle[k + 1] ? 10 : 1) }
        return (0..<needle.count - 1).min { cost(at: $0) < cost(at: $1) } ?? 0
    }

    /// The windows of `blob` to match (whole lines, in order), or nil when it should be
    /// matched whole: binary content, a long-match keyword anywhere in it, or too little left
    /// out to be worth it.
    func windows(_ blob: [UInt8], spans: [Delta.Span], baseSize: Int) -> [Range<Int>]? {
        plan(blob, spans: spans, baseSize: baseSize, baseHoldsLongMatch: nil).windows
    }

    /// What to match of a blob rebuilt from a delta, and whether it holds a long-match keyword.
    struct Plan {
        /// Nil: match it whole.
        var windows: [Range<Int>]?
        /// Nil when not worked out (binary content, no delta).
        var holdsLongMatch: Bool?
    }

    /// Like `windows`, but when the base is known to hold no long-match keyword
    /// (`baseHoldsLongMatch` false) only the windows are searched for one: a keyword that
    /// touches no change lies inside one copy from the base, which has none. The answer,
    /// exact either way, is kept for the blobs built on this one.
    ///
    /// `around`: byte ranges of the base (its findings, when it turned out to hold some) whose
    /// copies in this blob are matched too, each as if it had changed. A match lying inside
    /// one copy from the base is the base's match there, so it is a copy of one of them.
    func plan(_ blob: [UInt8], spans: [Delta.Span], baseSize: Int, baseHoldsLongMatch: Bool?,
              around: [Range<Int>] = []) -> Plan {
        guard !blob.isEmpty, !spans.isEmpty else { return Plan() }
        let changes = DeltaMask.changes(spans, blobSize: blob.count, baseSize: baseSize, around: around)
        return blob.withUnsafeBufferPointer { buffer -> Plan in
            let base = buffer.baseAddress!
            if memchr(base, 0, min(buffer.count, 8000)) != nil { return Plan() }
            var kept: [Range<Int>] = []
            for change in changes {
                // A change whose margin starts inside the current window extends it: its own
                // line start is not needed, and nor is its line end when that lies inside too
                // (the window ends at a line end).
                if let last = kept.last, change.lowerBound - DeltaMask.margin <= last.upperBound {
                    if change.upperBound + DeltaMask.margin > last.upperBound {
                        let high = DeltaMask.lineEnd(buffer, after: min(buffer.count, change.upperBound + DeltaMask.margin))
                        kept[kept.count - 1] = last.lowerBound..<max(last.upperBound, high)
                    }
                    continue
                }
                // One more line before: an allow marker may sit on the line above a match.
                var low = DeltaMask.lineStart(buffer, before: max(0, change.lowerBound - DeltaMask.margin))
                low = DeltaMask.lineStart(buffer, before: max(0, low - 1))
                let high = DeltaMask.lineEnd(buffer, after: min(buffer.count, change.upperBound + DeltaMask.margin))
                if let last = kept.last, low <= last.upperBound {
                    kept[kept.count - 1] = last.lowerBound..<max(last.upperBound, high)
                } else if low < high {
                    kept.append(low..<high)
                }
            }
            // A needle the base lacks must overlap a change (inserted bytes, or a seam between
            // copies from two places of the base): one inside a single copy would be in the
            // base too. So only the changes, each widened by a needle's length less one, are
            // searched, not the windows, which reach a kilobyte and more around each (they
            // were searched before: most of this search's bytes on Rails, the same answer).
            var searched: [Range<Int>] = []
            if baseHoldsLongMatch == false {
                for change in changes {
                    let low = min(max(0, change.lowerBound - reach), buffer.count)
                    let high = max(low, min(buffer.count, change.upperBound + reach))
                    if let last = searched.last, low <= last.upperBound {
                        searched[searched.count - 1] = min(last.lowerBound, low)..<max(last.upperBound, high)
                    } else if low < high {
                        searched.append(low..<high)
                    }
                }
            } else {
                searched = [0..<buffer.count]
            }
            if searched.contains(where: { holdsLongMatch(UnsafeBufferPointer(rebasing: buffer[$0])) }) {
                return Plan(windows: nil, holdsLongMatch: true)
            }
            let keptBytes = kept.reduce(0) { $0 + $1.count }
            return Plan(windows: keptBytes * 10 > buffer.count * 9 ? nil : kept, holdsLongMatch: false)
        }
    }

    /// Whether `buffer` holds a long-match keyword or whole-file marker.
    ///
    /// With `pairs`, one pass looks for every needle's pair, 16 positions per step, and only
    /// where one starts are the needles compared. Before, memchr looked for each needle's one
    /// rarest byte (both cases of a letter: four passes for the built-in rules, each stopping
    /// at every '=', '-', 'k' and 'K'), a twentieth of the matching on Rails and more on lodash.
    func holdsLongMatch(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = buffer.baseAddress else { return false }
        let count = buffer.count
        if let pairs {
            var from = 0
            while let j = pairs.search.next(in: buffer, from: from) {
                // Some needle's pair starts at j: the needles are compared where theirs would.
                for (needle, at) in pairs.needles where j >= at && j - at + needle.count <= count
                    && DeltaMask.matchesCaseless(base + j - at, needle) {
                    return true
                }
                from = j + 1
            }
            return false
        }
        for (g, group) in groups.enumerated() {
            let (lower, upper) = variants[g]
            for pass in 0..<2 {
                if pass == 1 && upper == lower { break }
                let variant = pass == 0 ? lower : upper
                var from = 0
                while from < count, let hit = memchr(base + from, Int32(variant), count - from) {
                    let at = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                    for (needle, k) in group.needles where at >= k && at - k + needle.count <= count
                        && DeltaMask.matchesCaseless(base + at - k, needle) {
                        return true
                    }
                    from = at + 1
                }
            }
        }
        return false
    }

    /// Byte ranges of the blob that are new or border a seam (an empty range at the seam),
    /// and the copies of the base's `around` ranges (the parts of each inside one copy), in
    /// blob order.
    static func changes(_ spans: [Delta.Span], blobSize: Int, baseSize: Int, around: [Range<Int>] = []) -> [Range<Int>] {
        var changes: [Range<Int>] = []
        var previousEnd: Int? = 0   // where the last copy ended in the base; the blob starts at base 0
        let around = around.sorted { $0.lowerBound < $1.lowerBound }
        for span in spans {
            if let source = span.source {
                if source != previousEnd { changes.append(span.start..<span.start) }
                previousEnd = source + span.count
                // A copy may read any part of the base, so every range is asked of every copy
                // (findings are few per blob).
                for range in around where range.lowerBound < source + span.count && range.upperBound > source {
                    let low = max(range.lowerBound, source), high = min(range.upperBound, source + span.count)
                    changes.append(span.start + low - source..<span.start + high - source)
                }
            } else {
                changes.append(span.start..<span.start + span.count)
                previousEnd = nil
            }
        }
        // The blob ends where the base does not: what followed in the base was context.
        if previousEnd != baseSize { changes.append(blobSize..<blobSize) }
        return changes
    }

    /// Start of the line holding `offset`.
    private static func lineStart(_ buffer: UnsafeBufferPointer<UInt8>, before offset: Int) -> Int {
        var i = offset
        while i > 0 && buffer[i - 1] != 0x0A { i -= 1 }
        return i
    }

    /// End of the line holding `offset - 1`, newline included.
    private static func lineEnd(_ buffer: UnsafeBufferPointer<UInt8>, after offset: Int) -> Int {
        guard offset < buffer.count else { return buffer.count }
        let start = max(0, offset - 1)
        guard let found = memchr(buffer.baseAddress! + start, 0x0A, buffer.count - start) else { return buffer.count }
        return UnsafeRawPointer(found) - UnsafeRawPointer(buffer.baseAddress!) + 1
    }

    /// The position in `needle` whose byte is rarest in source text (a letter costs two
    /// searches, one per case): memchr then stops at few places that need a comparison.
    static func anchor(of needle: [UInt8]) -> Int {
        func cost(_ byte: UInt8) -> Int {
            let base = ByteSearch.commonness[Int(byte)]
            return byte >= 0x61 && byte <= 0x7A ? base * 13 / 10 : base
        }
        return needle.indices.min { cost(needle[$0]) < cost(needle[$1]) } ?? 0
    }

    /// Whether `needle` occurs in `haystack` (exact bytes).
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<$0 + needle.count].elementsEqual(needle) }
    }

    /// Whether the bytes at `start` are `needle` (lower case), ignoring ASCII case.
    private static func matchesCaseless(_ start: UnsafePointer<UInt8>, _ needle: [UInt8]) -> Bool {
        for (i, expected) in needle.enumerated() {
            var byte = start[i]
            if byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
            if byte != expected { return false }
        }
        return true
    }

    /// Whether `needle` (lower case) occurs in `haystack` ignoring ASCII case (the same search
    /// as `holdsLongMatch`, for one needle).
    static func containsCaseless(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        needle.isEmpty || DeltaMask(longMatchKeywords: [needle]).holdsLongMatch(haystack)
    }
}
