/// The binary serialisation of a macaroon (libmacaroons' version 2, what PyPI's upload tokens
/// hold after `pypi-`): a version byte 2, then fields of a varint type and a varint length and
/// that many bytes, sections closed by an end-of-section field (type 0), and last the signature
/// (type 6, 32 bytes). A real token always ends with that signature; a token cut short in
/// documentation (`pypi-AgEI…` followed by `...`) ends before it.
enum MacaroonV2 {
    static let version: UInt8 = 2
    static let signatureType = 6
    static let signatureLength = 32

    /// Whether `bytes` is a version 2 macaroon whose fields all fit and whose last field is a
    /// 32-byte signature.
    static func endsWithSignature(_ bytes: [UInt8]) -> Bool {
        guard bytes.first == version else { return false }
        var i = 1
        // A little-endian base-128 varint, as libmacaroons writes types and lengths; nil past the end.
        func varint() -> Int? {
            var value = 0
            var shift = 0
            while i < bytes.count, shift < 35 {
                let byte = bytes[i]
                i += 1
                value |= Int(byte & 0x7f) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
            return nil
        }
        while i < bytes.count {
            guard let type = varint() else { return false }
            if type == 0 { continue }
            guard let length = varint(), length <= bytes.count - i else { return false }
            i += length
            if type == signatureType { return length == signatureLength && i == bytes.count }
        }
        return false
    }
}
