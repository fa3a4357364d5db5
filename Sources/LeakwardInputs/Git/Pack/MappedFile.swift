#if canImport(Glibc)
import Glibc
#endif

/// A whole file mapped read-only. Immutable after init, so one mapping serves every worker.
final class MappedFile: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer

    init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw PackError.io("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw PackError.io("cannot stat \(path)") }
        let size = Int(info.st_size)
        guard size > 0 else { throw PackError.malformed("\(path) is empty") }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw PackError.io("cannot map \(path): \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    /// Drops the mapping's pages from this process's resident set: they stay in the page
    /// cache and come back on the next touch (a minor fault), unchanged since the mapping is
    /// read-only. Safe while other threads read it. A scan touches every page of a pack (the
    /// header table, the tree walk, every blob), so without this the whole pack would count in
    /// the peak RSS (a 380 MB pack for a 1.2-million-object history).
    func releasePages() {
        _ = madvise(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count, Int32(MADV_DONTNEED))
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count) }
}
