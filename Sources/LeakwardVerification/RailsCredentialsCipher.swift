import COpenSSL
import Foundation
import LeakwardSupport

/// Offline proof that a Rails key opens an encrypted credentials file: Rails'
/// `ActiveSupport::EncryptedFile` writes `base64(ciphertext)--base64(iv)--base64(auth_tag)`,
/// AES-128-GCM with no associated data, keyed by the 32 hex characters of `master.key`.
/// GCM's tag only verifies under the right key, so a pass proves the pairing; nothing is kept
/// of the plaintext (the secrets inside) but its length.
public enum RailsCredentialsCipher {
    /// What the key did with the file.
    public enum Outcome: Sendable, Equatable {
        /// The tag verified: the key decrypts the file (`bytes`: the plaintext's length).
        case opens(bytes: Int)
        /// A well-formed file the key does not open (another key's file).
        case refuses
        /// Not in Rails' format, or not a 32-hex key.
        case notRailsFormat
    }

    public static func open(_ file: [UInt8], hexKey: String) -> Outcome {
        guard let key = hexBytes(hexKey), key.count == 16 else { return .notRailsFormat }
        let text = String(decoding: file, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = text.components(separatedBy: "--")
        guard parts.count == 3, let ciphertext = Base64.decode(parts[0]), let iv = Base64.decode(parts[1]),
              let tag = Base64.decode(parts[2]), !iv.isEmpty, tag.count == 16 else { return .notRailsFormat }
        guard let context = EVP_CIPHER_CTX_new() else { return .notRailsFormat }
        defer { EVP_CIPHER_CTX_free(context) }
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count + 16)
        var written: Int32 = 0
        var tail: Int32 = 0
        var tagCopy = tag
        // EVP_CTRL_GCM_SET_IVLEN (0x9) and EVP_CTRL_GCM_SET_TAG (0x11): macros Swift does not import.
        guard EVP_DecryptInit_ex(context, EVP_aes_128_gcm(), nil, nil, nil) == 1,
              EVP_CIPHER_CTX_ctrl(context, 0x9, Int32(iv.count), nil) == 1,
              EVP_DecryptInit_ex(context, nil, nil, key, iv) == 1,
              EVP_DecryptUpdate(context, &plaintext, &written, ciphertext, Int32(ciphertext.count)) == 1,
              EVP_CIPHER_CTX_ctrl(context, 0x11, 16, &tagCopy) == 1 else { return .notRailsFormat }
        let verified = plaintext.withUnsafeMutableBufferPointer { buffer in
            EVP_DecryptFinal_ex(context, buffer.baseAddress! + Int(written), &tail)
        } == 1
        // The plaintext holds the secrets: wiped before the array goes.
        for index in plaintext.indices { plaintext[index] = 0 }
        return verified ? .opens(bytes: Int(written + tail)) : .refuses
    }

    /// `"00ff…"` → bytes; nil for anything but an even run of hex digits.
    static func hexBytes(_ hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
