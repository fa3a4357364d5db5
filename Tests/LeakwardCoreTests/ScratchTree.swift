import Foundation

/// A fresh directory under the temporary folder holding the given files (paths may nest),
/// for the tests that scan or walk a tree on disk.
enum ScratchTree {
    static func make(_ files: [String: [UInt8]], named name: String) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("leakward-\(name)-\(UUID().uuidString)").path
        // The root exists even with no files: an empty tree is a tree to scan.
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for (path, bytes) in files {
            let url = URL(fileURLWithPath: root).appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        return root
    }

    static func make(_ files: [String: String], named name: String) throws -> String {
        try make(files.mapValues { Array($0.utf8) }, named: name)
    }
}
