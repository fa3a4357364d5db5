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

    private static func read(_ fd: Int32, path: String, limit: Int) throws -> [UInt8] {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ReadError.io(path: path, message: String(cString: strerror(errno))) }
        if info.st_mode & S_IFMT != S_IFREG { return try readStream(fd, path: path, limit: limit) }
        let size = Int(info.st_size)
        guard size <= limit else { throw ReadError.tooLarge(path: path, size: size, limit: limit) }
        var bytes = [UInt8](repeating: 0, count: size)
        var filled = 0
        while filled < size {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, size - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReadError.io(path: path, message: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            filled += n
        }
        if filled < size { bytes.removeLast(size - filled) }
        return bytes
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
