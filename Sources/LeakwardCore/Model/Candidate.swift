/// A rule's match before judgement: which rule, where the match is, and where the secret is.
public struct Candidate: Sendable, Hashable {
    public var ruleIndex: Int
    public var match: Range<Int>
    public var secret: Range<Int>
}
