import Testing
@testable import LeakwardFindings
@testable import LeakwardRules

/// `FindingFilter.hasOwnPrefix` runs over every rule at every start, so it reads examples and
/// patterns by Unicode scalar; these compare it with the grapheme-cluster way it was first written.
@Suite struct RulePrefixTests {
    /// The first implementation of `FindingFilter.capturedLiteralPrefix`, by Character.
    private func characterLiteralPrefix(_ pattern: String) -> String {
        let chars = Array(pattern)
        var i = 0
        while i < chars.count {
            switch chars[i] {
            case "\\": i += 2; continue
            case "[":
                i += 1
                if i < chars.count, chars[i] == "^" { i += 1 }
                if i < chars.count, chars[i] == "]" { i += 1 }
                while i < chars.count, chars[i] != "]" { i += chars[i] == "\\" ? 2 : 1 }
            case "(" where i + 1 < chars.count && chars[i + 1] != "?":
                var literal = ""
                i += 1
                while i < chars.count {
                    let c = chars[i]
                    if c.isASCII, c.isLetter || c.isNumber || c == "_" || c == "-" { literal.append(c); i += 1; continue }
                    if c == "\\", i + 1 < chars.count, "._-/:".contains(chars[i + 1]) { literal.append(chars[i + 1]); i += 2; continue }
                    break
                }
                if i < chars.count, "?*{".contains(chars[i]), !literal.isEmpty { literal.removeLast() }
                return literal
            default: break
            }
            i += 1
        }
        return ""
    }

    @Test func literalPrefixIsTheSameAsByCharacterForEveryBuiltInRule() throws {
        let rules = try RuleSet.builtIn().rules
        #expect(rules.count > 100)
        var withPrefix = 0
        for rule in rules {
            let prefix = FindingFilter.capturedLiteralPrefix(rule.pattern)
            #expect(prefix == characterLiteralPrefix(rule.pattern), "\(rule.id)")
            if !prefix.isEmpty { withPrefix += 1 }
        }
        #expect(withPrefix > 20)
        for pattern in ["(ab\\.c?)", "([x])", "(é_abc)", "(abc", "\\(abc)", "(a-b{2})", "[(]x(abc*)", "(ab\\:cd)"] {
            #expect(FindingFilter.capturedLiteralPrefix(pattern) == characterLiteralPrefix(pattern), "\(pattern)")
        }
    }

    @Test func markedPartsAreTheSameAsMarkedTextForEveryExample() throws {
        let rules = try RuleSet.builtIn().rules
        var examples = rules.flatMap { $0.examples + $0.negativeExamples }
        examples += ["⟦a⟧ b ⟦c⟧", "⟦unclosed", "closed⟧ only", "⟦a⟦b⟧", "", "⟦⟧", "x ⟦ü-ñ⟧ y"]
        for example in examples {
            #expect(MarkedText.marked(in: example) == MarkedText(example).marked, "\(example)")
        }
        #expect(MarkedText.marked(in: "K=⟦ghp_x⟧ and ⟦y⟧") == ["ghp_x", "y"])
    }
}
