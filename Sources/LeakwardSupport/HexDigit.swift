/// One hex digit's value, either case: the one place ids, JSON `\u` escapes and `%XX` escapes
/// read hex, so they cannot disagree about which bytes are digits.
public enum HexDigit {
    @inlinable @inline(__always)
    public static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
