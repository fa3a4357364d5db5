/// An example with its expected secret marked by ⟦ ⟧: the text without markers, and the marked ranges.
public struct MarkedText: Sendable, Equatable {
    public let text: String
    /// The marked substrings, in order.
    public let marked: [String]

    public init(_ source: String) {
        var text = ""
        var marked: [String] = []
        var current: String?
        for character in source {
            switch character {
            case "⟦": current = ""
            case "⟧":
                if let value = current { marked.append(value) }
                current = nil
            default:
                text.append(character)
                if current != nil { current!.append(character) }
            }
        }
        self.text = text
        self.marked = marked
    }
}
