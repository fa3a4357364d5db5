#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads whole files with plain POSIX calls (Foundation's readers are several times slower).
public enum FileReader {
    /// The file's bytes; throws `ReadError` with the OS reason.
    public static func read(path: String, limit: Int) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError.io(path: path, message: String(cString: strerror(errno))) }
        defer { close(fd) }
        return try read(fd, path: path, limit: limit)
    }

    /// The bytes of `name` in the open directory `directory` (the walk holds its directory open,
    /// so the kernel resolves one name instead of the whole path).
    public static func read(directory: Int32, name: String, limit: Int) throws -> [UInt8] {
        let fd = openat(directory, name, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError.io(path: name, message: String(cString: strerror(errno))) }
        defer { close(fd) }
        return try read(fd, path: name, limit: limit)
    }

    /// The bytes of the file named by the last component of `path` in the open directory
    /// `directory`: the name is read in place from the path's own bytes (no String is made
    /// for it), for the walk's files, each opened in its listed directory.
    public static func read(directory: Int32, nameOf path: String, limit: Int) throws -> [UInt8] {
        let fd = path.withCString { start -> Int32 in
            var name = start, at = start
            while at.pointee != 0 {
                if at.pointee == 0x2F { name = at + 1 }
                at += 1
            }
            return openat(directory, name, O_RDONLY | O_CLOEXEC)
        }
        guard fd >= 0 else { throw ReadError.io(path: String(path.split(separator: "/").last ?? Substring(path)), message: String(cString: strerror(errno))) }
        defer { close(fd) }
        return try read(fd, path: path, limit: limit)
    }

    /// Reads `name` (relative to the open directory `directory`, or a path when that is
    /// `AT_FDCWD`) into the front of `buffer`, which is reused between calls and grown to `limit`
    /// + 1 bytes once: no stat and no allocation per file. The byte count, or nil when the file
    /// cannot be opened or read or holds more than `limit` bytes.
    public static func read(directory: Int32, name: String, into buffer: inout [UInt8], limit: Int) -> Int? {
        let fd = openat(directory, name, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if buffer.count < limit + 1 { buffer = [UInt8](repeating: 0, count: limit + 1) }
        let capacity = limit + 1
        return buffer.withUnsafeMutableBytes { raw -> Int? in
            var filled = 0
            while filled < capacity {
                let n = Glibc.read(fd, raw.baseAddress! + filled, capacity - filled)
                if n < 0 {
                    if errno == EINTR { continue }
                    return nil
                }
                if n == 0 { break }
                filled += n
            }
            return filled <= limit ? filled : nil
        }
    }

    private static func read(_ fd: Int32, path: String, limit: Int) throws -> [UInt8] {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ReadError.io(path: path, message: String(cString: strerror(errno))) }
        if info.st_mode & S_IFMT != S_IFREG { return try readStream(fd, path: path, limit: limit) }
        let size = Int(info.st_size)
        guard size <= limit else { throw ReadError.tooLarge(path: path, size: size, limit: limit) }
        // Read straight into the array's storage: no zero-filling of bytes about to be overwritten.
        return try [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var filled = 0
            while filled < size {
                let n = Glibc.read(fd, buffer.baseAddress! + filled, size - filled)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ReadError.io(path: path, message: String(cString: strerror(errno)))
                }
                if n == 0 { break }
                filled += n
            }
            count = filled
        }
    }

    /// Pipes, FIFOs and standard input: read until end of file, up to `limit` bytes.
    private static func readStream(_ fd: Int32, path: String, limit: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var block = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = block.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReadError.io(path: path, message: String(cString: strerror(errno)))
            }
            if n == 0 { return bytes }
            guard bytes.count + n <= limit else { throw ReadError.tooLarge(path: path, size: bytes.count + n, limit: limit) }
            bytes += block[0..<n]
        }
    }
}
