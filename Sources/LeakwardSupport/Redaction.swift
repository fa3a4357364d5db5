/// How a secret is shown when it must not be: enough of its ends to recognise it, never enough to use it.
public enum Redaction {
    /// Shows up to 4 leading and 2 trailing characters of secrets of 16+ characters
    /// (`sk-p…Xz`, 3 of 12 chars...), and only stars for short ones.
    public static func preview(of bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        let chars = Array(text)
        guard chars.count >= 16 else { return String(repeating: "*", count: max(3, min(chars.count, 8))) }
        let head = chars.count >= 40 ? 6 : 4
        let shown = String(chars.prefix(head)) + "…" + String(chars.suffix(2))
        return shown.replacingNewlines() + " (\(chars.count) chars)"
    }
}

extension String {
    fileprivate func replacingNewlines() -> String {
        String(map { $0.isNewline ? " " : $0 })
    }
}
