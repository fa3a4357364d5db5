import LeakwardSupport

extension Base64 {
    /// 1 for bytes of the standard or URL-safe alphabet (padding included): a table, because
    /// the long-run scan asks for every byte of every chunk.
    static let alphabetTable: [UInt8] = (0..<256).map { b in
        (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 43 || b == 47 || b == 45 || b == 95 || b == 61 ? 1 : 0
    }

    /// 1 for bytes a long run may hold: the alphabet without the '=' padding.
    static let runTable: [UInt8] = (0..<256).map { $0 == 61 ? 0 : alphabetTable[$0] }

    /// Whether `byte` belongs to the standard or URL-safe alphabet (padding included).
    @inline(__always)
    static func isAlphabet(_ byte: UInt8) -> Bool { alphabetTable[Int(byte)] != 0 }
}
