import Foundation
@testable import LeakwardCore
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardInputs
@testable import LeakwardMatching
@testable import LeakwardModel
@testable import LeakwardRules

/// A suite judging real-world shapes with the built-in rules: one file in memory at a path, and
/// made-up values that look random yet are the same on every run.
protocol PanelShapeSuite {
    /// Where the made-up values' generator starts. The suites' expectations were written against
    /// their own streams' values (a value's entropy or its letters decide some cases), so each keeps its own.
    var madeStream: UInt64 { get }
}

/// The built-in rules compiled once for every panel suite.
private let builtInFilter = try! FindingFilter(rules: CompiledRules(RuleSet.builtIn()))

extension PanelShapeSuite {
    var madeStream: UInt64 { 0x9E37_79B9_7F4A_7C15 }

    /// The findings of the built-in rules on `text` as a file at `path`: rule, severity and notes each.
    func scan(_ text: String, at path: String) -> [(rule: String, severity: Severity, notes: [String])] {
        var scan = BlobScan(filter: builtInFilter, decoders: Decoders.standard, limits: DecodeLimits())
        let bytes = Array(text.utf8)
        scan.scan(Blob(ref: .memory(origin: .file(root: ".", path: path), bytes: bytes), bytes: bytes), isUntracked: nil)
        return scan.findings.map { ($0.ruleID, $0.severity, $0.notes) }
    }

    /// A random-looking value of `count` characters from `alphabet`.
    func made(_ count: Int, _ alphabet: String = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789") -> String {
        var state = madeStream &+ UInt64(count)
        let letters = Array(alphabet)
        return String((0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return letters[Int(state >> 33) % letters.count]
        })
    }
}
