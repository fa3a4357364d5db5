extension Base64 {
    /// Whether `byte` belongs to the standard or URL-safe alphabet (padding included).
    static func isAlphabet(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57)
            || byte == 43 || byte == 47 || byte == 45 || byte == 95 || byte == 61
    }
}
