import Testing
@testable import LeakwardFindings

/// Shapes seen on the fourth fresh held-out panel, judged for what they are.
@Suite struct FourthPanelTests {
    /// DER of a two-prime PKCS#1 RSAPrivateKey with these numbers (small ones: the check is
    /// arithmetic, not size).
    private func pkcs1(n: [UInt8], p: [UInt8], q: [UInt8]) -> [UInt8] {
        func integer(_ v: [UInt8]) -> [UInt8] { [0x02, UInt8(v.count)] + v }
        let body = integer([0]) + integer(n) + integer([0x11]) + integer([0x0A, 0xC1]) + integer(p) + integer(q)
            + integer([0x35]) + integer([0x31]) + integer([0x26])
        return [0x30, UInt8(body.count)] + body
    }

    @Test func aKeyWhoseNumbersDoNotMultiplyIsMadeUp() {
        // n = 3233 = 61 · 53 (0x0CA1 = 0x3D · 0x35).
        #expect(RSAKeyNumbers.fit(pkcs1(n: [0x0C, 0xA1], p: [0x3D], q: [0x35])) == true)
        #expect(RSAKeyNumbers.fit(pkcs1(n: [0x0C, 0xA3], p: [0x3D], q: [0x35])) == false)
        // Wrapped as PKCS#8 (rsaEncryption).
        let inner = pkcs1(n: [0x0C, 0xA1], p: [0x3D], q: [0x35])
        let algorithm: [UInt8] = [0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00]
        let body: [UInt8] = [0x02, 0x01, 0x00] + algorithm + [0x04, UInt8(inner.count)] + inner
        #expect(RSAKeyNumbers.fit([0x30, UInt8(body.count)] + body) == true)
        // Not an RSA key this reads (a DSA-shaped sequence of six integers): no claim.
        let dsa: [UInt8] = [0x30, 0x12, 0x02, 0x01, 0x00, 0x02, 0x01, 0x17, 0x02, 0x01, 0x0B, 0x02, 0x01, 0x04, 0x02, 0x01, 0x08, 0x02, 0x01, 0x03]
        #expect(RSAKeyNumbers.fit(dsa) == nil)
        #expect(RSAKeyNumbers.multiply([0xFFFF_FFFF, 0xFFFF_FFFF], [0xFFFF_FFFF]) == [0x0000_0001, 0xFFFF_FFFF, 0xFFFF_FFFE])
    }

    @Test func aValueWithNoLetterOrDigitIsNoSecret() {
        #expect(Placeholder.reason(for: Array(".*".utf8)) != nil)
        #expect(Placeholder.reason(for: Array(".".utf8)) != nil)
        #expect(Placeholder.reason(for: Array("x.*".utf8)) == nil || Placeholder.reason(for: Array("x.*".utf8)) != "no letter or digit")
        #expect(Placeholder.reason(for: Array("Qk2MPv8rT4wL9xZc".utf8)) == nil)
    }
}
