/// A rule's match before judgement: which rule, where the match is, and where the secret is.
public struct Candidate: Sendable, Hashable {
    public var ruleIndex: Int
    public var match: Range<Int>
    public var secret: Range<Int>

    public init(ruleIndex: Int, match: Range<Int>, secret: Range<Int>) {
        self.ruleIndex = ruleIndex
        self.match = match
        self.secret = secret
    }
}
