#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The names in an open directory, read with the directory's own descriptor, which stays open
/// for its files (the walk opens each file relative to it).
///
/// On Linux the entries come straight from `getdents64` into one buffer: `fdopendir` wanted a
/// descriptor of its own (a `dup`) and checked it (`fstat`, two `fcntl`s), and `closedir`
/// closed the copy, five system calls per directory besides the listing itself (16 k of a
/// 3,200-directory monorepo walk). glibc declares `getdents64` only for `_GNU_SOURCE`, which
/// Swift's Glibc module does not see, so it is looked up once by name; where it is missing
/// (or off Linux) the directory is read through `readdir` on a copy of the descriptor.
enum DirectoryEntries {
    /// Calls `body` with each entry's name and `d_type` (`DT_UNKNOWN` where the file system
    /// does not say), "." and ".." left out, in the order the file system gives them.
    static func read(_ fd: Int32, _ body: (String, UInt8) -> Void) {
        #if os(Linux)
        if let getdents = getdents64 {
            readListing(fd, getdents, body)
            return
        }
        #endif
        readThroughDIR(fd, body)
    }

    #if os(Linux)
    typealias GetDents = @convention(c) (Int32, UnsafeMutableRawPointer?, Int) -> Int

    /// glibc's `getdents64` (2.30 and later), found once.
    static let getdents64: GetDents? = dlsym(nil, "getdents64").map { unsafeBitCast($0, to: GetDents.self) }

    /// The size of one read: as much as `readdir` asks for at a time.
    static let bufferSize = 32 * 1024

    /// Reads `struct linux_dirent64` records (inode, offset, record length, type, name) until
    /// the call says the end (0) or fails (-1: the listing ends there, as `readdir` would).
    private static func readListing(_ fd: Int32, _ getdents: GetDents, _ body: (String, UInt8) -> Void) {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bufferSize, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let count = getdents(fd, buffer, bufferSize)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            var offset = 0
            while offset < count {
                let record = buffer + offset
                let length = Int(record.loadUnaligned(fromByteOffset: 16, as: UInt16.self))
                guard length > 19 else { return }
                let type = record.load(fromByteOffset: 18, as: UInt8.self)
                let name = (record + 19).assumingMemoryBound(to: UInt8.self)
                let nameLength = strnlen(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self), length - 19)
                offset += length
                // "." and "..": never walked.
                if name[0] == UInt8(ascii: "."), nameLength == 1 || (nameLength == 2 && name[1] == UInt8(ascii: ".")) { continue }
                body(String(decoding: UnsafeBufferPointer(start: name, count: nameLength), as: UTF8.self), type)
            }
        }
    }
    #endif

    /// Through `readdir`, on a copy of the descriptor (`closedir` closes the one it was given).
    private static func readThroughDIR(_ fd: Int32, _ body: (String, UInt8) -> Void) {
        let copy = dup(fd)
        guard copy >= 0 else { return }
        guard let dir = fdopendir(copy) else {
            close(copy)
            return
        }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let type = entry.pointee.d_type
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            body(name, type)
        }
    }
}
