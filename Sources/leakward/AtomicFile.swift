import Foundation

/// Writes a file so that a reader never sees it half-written: temporary file, then rename.
enum AtomicFile {
    static func write(_ text: String, to path: String) throws {
        try write(to: path) { try $0.write(text) }
    }

    /// Streams into the temporary file through `fill`, then renames it into place.
    static func write(to path: String, _ fill: (inout BufferedOutput) throws -> Void) throws {
        // A device or pipe (`-o /dev/null`, `-o /dev/stdout`) is written in place: renaming over
        // it would replace `/dev/null` itself with a regular file when run as root.
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG, info.st_mode & S_IFMT != S_IFDIR {
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            defer { try? handle.close() }
            var output = BufferedOutput(handle)
            try fill(&output)
            try output.flush()
            return
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        do {
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
                  let handle = FileHandle(forWritingAtPath: temporary.path) else {
                throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            defer { try? handle.close() }
            var output = BufferedOutput(handle)
            try fill(&output)
            try output.flush()
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        if rename(temporary.path, url.path) != 0 {
            try? FileManager.default.removeItem(at: temporary)
            throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// Pieces of text gathered into 1 MiB writes.
struct BufferedOutput {
    let handle: FileHandle
    private var buffer: [UInt8] = []

    init(_ handle: FileHandle) {
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
    }

    mutating func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { try flush() }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
