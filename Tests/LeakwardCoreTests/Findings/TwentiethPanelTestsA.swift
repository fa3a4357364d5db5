import Foundation
import Testing
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardSupport

/// Unit checks behind the twentieth panel's first half: code inside a config file's blocks, and
/// PyPI tokens that stop before their signature.
@Suite struct TwentiethPanelTestsA {
    /// A version 2 macaroon with `fields` after the version byte, as bytes.
    private func macaroon(location: String, signature: Int) -> [UInt8] {
        let loc = Array(location.utf8)
        let id = Array("0d3c5e2a-7b41-4c8e-9f06-1a2b3c4d5e6f".utf8)
        var bytes: [UInt8] = [2, 1, UInt8(loc.count)] + loc + [2, UInt8(id.count)] + id + [0, 0]
        if signature > 0 { bytes += [6, UInt8(signature)] + (0..<signature).map { UInt8(($0 * 37 + 11) % 256) } }
        return bytes
    }

    private func token(_ bytes: [UInt8]) -> [UInt8] {
        let body = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return Array(("pypi-" + body).utf8)
    }

    @Test func aMacaroonEndsWithItsSignature() {
        #expect(MacaroonV2.endsWithSignature(macaroon(location: "pypi.org", signature: 32)))
        #expect(!MacaroonV2.endsWithSignature(macaroon(location: "pypi.org", signature: 0)))
        #expect(!MacaroonV2.endsWithSignature(macaroon(location: "pypi.org", signature: 16)))
        // Bytes after the signature, or a field longer than what is left: not a macaroon.
        #expect(!MacaroonV2.endsWithSignature(macaroon(location: "pypi.org", signature: 32) + [1]))
        #expect(!MacaroonV2.endsWithSignature(Array(macaroon(location: "pypi.org", signature: 32).dropLast(4))))
    }

    @Test func aPyPITokenCutShortFailsItsCheck() {
        let whole = token(macaroon(location: "pypi.org", signature: 32))
        #expect(OfflineCheck.verdict(.pypiMacaroon, secret: whole).validation == .structureValid)
        #expect(!OfflineCheck.verdict(.pypiMacaroon, secret: Array(whole.prefix(77))).isPlausible)
        let test = token(macaroon(location: "test.pypi.org", signature: 32))
        #expect(OfflineCheck.verdict(.pypiMacaroon, secret: test).notes == ["index: test.pypi.org"])
    }

    @Test func namesEndedByCodePunctuationAreReferences() {
        for value in ["npmToken,", "target.npmToken,", "exchangePayload?.token;", "oidcPayload?.value;", "payload!.value", "config.auth.apiToken;"] {
            #expect(CodeExpression.shape(Array(value.utf8)) != nil, "\(value)")
            #expect(!ConfigValueDecoder.isLiteral(value), "\(value)")
        }
        // A password with a comma after it, or one that mixes digits into its letters, is a value.
        for value in ["x7Kq2Lz9Vr,", "Tr0ub4dor&3x", "s3cr3t-pw;", "Zq8vN2rT5xW9mK4b"] {
            #expect(CodeExpression.shape(Array(value.utf8)) == nil, "\(value)")
            #expect(ConfigValueDecoder.isLiteral(value), "\(value)")
        }
    }
}
