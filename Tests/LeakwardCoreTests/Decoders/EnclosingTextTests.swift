import Foundation
import Testing
@testable import LeakwardCore
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardInputs
@testable import LeakwardMatching
@testable import LeakwardModel
@testable import LeakwardRules

/// Decoded text keeps what its source line said: a value decoded from a comment (a base64
/// state in a commented-out callback URL, a percent-encoded URL in a `#` line) is in a comment.
@Suite struct EnclosingTextTests {
    static func scan(_ name: String, _ text: String) throws -> [Finding] {
        let pipeline = try ScanPipeline(rules: CompiledRules(RuleSet.builtIn()), options: ScanOptions(workerCount: 1, decoders: Decoders.standard))
        return pipeline.run([InMemorySource([(name, text)])]).findings
    }

    @Test func aPieceIsTracedToItsSourceThroughEveryDecoding() {
        let root = Chunk(bytes: Array("// a\n// x=QUJD\n".utf8), path: "src/a.ts")
        var first = root.derived(Array("\nABC".utf8), step: DecodeStep(.base64))
        first.pieces = [Chunk.Piece(start: 1, source: 10)]
        first.enclosing = root.enclosing(of: first)
        #expect(first.enclosing?.sourceOffset(of: 2) == 10)
        #expect(first.enclosing?.sourceOffset(of: 0) == nil)
        // A second decoding of the first's text maps back to the file, not to the first.
        var second = first.derived(Array("\nZ".utf8), step: DecodeStep(.percent))
        second.pieces = [Chunk.Piece(start: 1, source: 2)]
        second.enclosing = first.enclosing(of: second)
        #expect(second.enclosing?.bytes == root.bytes)
        #expect(second.enclosing?.sourceOffset(of: 1) == 10)
        // A whole text of its own (an archive member) has no enclosing text.
        #expect(root.enclosing(of: root.derived([1], step: DecodeStep(.gzip))) == nil)
    }

    @Test func aDecodedValueFromACommentLineIsDocumentation() throws {
        // A session cookie in the base64 state of a commented-out sample callback URL.
        let rule = try #require(try RuleSet.builtIn()["nextauth.session-token"])
        let cookie = MarkedText(rule.examples[0]).marked[0]
        let state = Data("{\"sessionId\":\"\(cookie)\"}".utf8).base64EncodedString()
        let commented = "export async function GET() {\n  // http://localhost:5173/login/callback?code=abc&state=\(state)\n  return new Response()\n}\n"
        let live = "export async function GET() {\n  const url = \"http://localhost:5173/login/callback?code=abc&state=\(state)\"\n  return fetch(url)\n}\n"
        let inComment = try #require(try Self.scan("src/routes/login/callback/+server.ts", commented).first { $0.ruleID == rule.id })
        #expect(inComment.location.decoders.map(\.decoder) == [.base64])
        #expect(inComment.severity == .info)
        #expect(inComment.notes.contains { $0.contains("documentation") })
        let inCode = try #require(try Self.scan("src/routes/login/callback/+server.ts", live).first { $0.ruleID == rule.id })
        #expect(inCode.severity == .high)
    }

    @Test func anAllowMarkerOnTheSourceLineAllowsTheDecodedValue() throws {
        let rule = try #require(try RuleSet.builtIn()["github.pat"])
        let token = MarkedText(rule.examples[0]).marked[0]
        let state = Data("{\"token\":\"\(token)\"}".utf8).base64EncodedString()
        let text = "const sample = \"\(state)\" // leakward:allow\n"
        #expect(!(try Self.scan("src/sample.ts", text)).contains { $0.ruleID.hasPrefix("github.") })
        // The same line without the marker: found through the decoder.
        let unmarked = "const sample = \"\(state)\"\n"
        #expect((try Self.scan("src/sample.ts", unmarked)).contains { $0.ruleID.hasPrefix("github.") && !$0.location.decoders.isEmpty })
    }
}
