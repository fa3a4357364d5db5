import Foundation

/// Shannon entropy in bits per byte, from a table of c·log2(c) so no `log2` runs per byte.
public enum Entropy {
    @usableFromInline static let cLogC: [Double] = (0...1024).map { $0 == 0 ? 0 : Double($0) * log2(Double($0)) }

    /// Inlinable: the filter calls it per candidate from another module (see Base64.decode).
    @inlinable public static func bitsPerByte<C: Collection>(_ bytes: C) -> Double where C.Element == UInt8 {
        let n = bytes.count
        guard n > 1 else { return 0 }
        var counts = [Int](repeating: 0, count: 256)
        for byte in bytes { counts[Int(byte)] += 1 }
        var sum = 0.0
        for count in counts where count > 0 {
            sum += count < cLogC.count ? cLogC[count] : Double(count) * log2(Double(count))
        }
        return log2(Double(n)) - sum / Double(n)
    }
}
