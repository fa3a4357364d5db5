/// Whether an RSA private key's numbers fit together: its modulus is the product of its two
/// primes (`n = p·q`). A key block written by hand or by a model for a test (`"private_key":
/// "-----BEGIN PRIVATE KEY-----\nMIIEvQ…"` in a mock service account) has DER that parses but
/// numbers that do not multiply: it opens nothing, whatever its armour says. A real key always fits.
enum RSAKeyNumbers {
    /// true or false for a PKCS#1 or PKCS#8 RSA key whose numbers could be read; nil for any
    /// other key or DER this does not read (no claim either way).
    static func fit(_ der: [UInt8]) -> Bool? {
        guard let outer = element(der, at: 0), outer.tag == 0x30 else { return nil }
        guard let version = element(der, at: outer.content.lowerBound), version.tag == 0x02,
              let next = element(der, at: version.end) else { return nil }
        if next.tag == 0x30 {
            // PKCS#8: AlgorithmIdentifier (rsaEncryption), then the RSAPrivateKey in an OCTET STRING.
            let rsaEncryption: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]
            guard der[next.content].starts(with: rsaEncryption),
                  let octets = element(der, at: next.end), octets.tag == 0x04 else { return nil }
            return fit(Array(der[octets.content]))
        }
        // PKCS#1 (two primes): version, then exactly n, e, d, p, q, dp, dq, qinv. A DSA key's
        // five integers after its version are not these, and are left alone.
        guard next.tag == 0x02 else { return nil }
        var integers: [ArraySlice<UInt8>] = [der[next.content]]
        var at = next.end
        while at < outer.end, let item = element(der, at: at), item.tag == 0x02 {
            integers.append(der[item.content])
            at = item.end
        }
        guard integers.count == 8, at == outer.end else { return nil }
        let n = limbs(integers[0]), p = limbs(integers[3]), q = limbs(integers[4])
        guard !n.isEmpty, !p.isEmpty, !q.isEmpty else { return false }
        return multiply(p, q) == n
    }

    /// One DER element at `i`: its tag, its content's range and where the next element starts.
    static func element(_ der: [UInt8], at i: Int) -> (tag: UInt8, content: Range<Int>, end: Int)? {
        guard i + 2 <= der.count else { return nil }
        let tag = der[i]
        var length = Int(der[i + 1])
        var start = i + 2
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard (1...3).contains(count), start + count <= der.count else { return nil }
            length = der[start..<(start + count)].reduce(0) { $0 << 8 | Int($1) }
            start += count
        }
        guard start + length <= der.count else { return nil }
        return (tag, start..<(start + length), start + length)
    }

    /// A big-endian unsigned integer as little-endian 32-bit limbs, without leading zeros.
    static func limbs(_ bytes: ArraySlice<UInt8>) -> [UInt32] {
        var out: [UInt32] = []
        var value: UInt32 = 0, shift: UInt32 = 0
        for byte in bytes.reversed() {
            value |= UInt32(byte) << shift
            shift += 8
            if shift == 32 { out.append(value); value = 0; shift = 0 }
        }
        if shift > 0 { out.append(value) }
        while out.last == 0 { out.removeLast() }
        return out
    }

    /// Schoolbook product of two limb arrays, without leading zeros.
    static func multiply(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out = [UInt32](repeating: 0, count: a.count + b.count)
        for i in a.indices {
            var carry: UInt64 = 0
            for j in b.indices {
                let t = UInt64(a[i]) * UInt64(b[j]) + UInt64(out[i + j]) + carry
                out[i + j] = UInt32(truncatingIfNeeded: t)
                carry = t >> 32
            }
            var k = i + b.count
            while carry > 0 {
                let t = UInt64(out[k]) + carry
                out[k] = UInt32(truncatingIfNeeded: t)
                carry = t >> 32
                k += 1
            }
        }
        while out.last == 0 { out.removeLast() }
        return out
    }
}
