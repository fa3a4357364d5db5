#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Copies of file texts kept for later, packed into large blocks that the kernel may back
/// with huge pages: the working-tree walk keeps the texts the consumer search reads (up to
/// 24 MiB) so it need not open them again. Kept as arrays, each text took fresh heap pages,
/// each faulted in one by one (about 6,000 page faults, a twentieth of a monorepo scan's
/// CPU); a 2 MiB block is one fault where transparent huge pages are on (`madvise`), and
/// ordinary pages otherwise, as before.
///
/// Filled by one thread (a walk's worker), then only read, by any thread, once the walk is
/// over and the arena handed on.
///
/// NOTE: `@unchecked Sendable`: the blocks are written only while one thread owns the arena
/// (`keep`), and every `KeptText` points at bytes that are never written again.
public final class TextArena: @unchecked Sendable {
    /// Each block: where it was mapped (for `munmap`), its usable start and size, and how much is used.
    private var blocks: [(mapped: UnsafeMutableRawPointer, mappedSize: Int, start: UnsafeMutableRawPointer, size: Int)] = []
    private var used = 0

    /// The size of a block, and its alignment: one huge page on x86-64 and arm64 Linux.
    static let blockSize = 2 << 20

    public init() {}

    deinit {
        for block in blocks { munmap(block.mapped, block.mappedSize) }
    }

    /// A copy of `bytes` in the arena; nil when no memory could be mapped (the caller then keeps nothing).
    public func keep(_ bytes: UnsafeBufferPointer<UInt8>) -> KeptText? {
        let count = bytes.count
        if blocks.isEmpty || used + count > blocks[blocks.count - 1].size {
            guard addBlock(holding: count) else { return nil }
        }
        let block = blocks[blocks.count - 1]
        let start = block.start + used
        if let source = bytes.baseAddress, count > 0 { start.copyMemory(from: source, byteCount: count) }
        used += count
        return KeptText(arena: self, start: UnsafeRawPointer(start).assumingMemoryBound(to: UInt8.self), count: count)
    }

    private func addBlock(holding count: Int) -> Bool {
        let alignment = TextArena.blockSize
        let size = max(alignment, (count + alignment - 1) / alignment * alignment)
        // One alignment more than needed, so a block can start on a huge-page boundary.
        let mappedSize = size + alignment
        guard let mapped = mmap(nil, mappedSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              mapped != MAP_FAILED else { return false }
        let address = (Int(bitPattern: mapped) + alignment - 1) / alignment * alignment
        let start = UnsafeMutableRawPointer(bitPattern: address)!
        #if os(Linux)
        // Only advice: where huge pages are off, the block is faulted in ordinary pages.
        _ = madvise(start, size, MADV_HUGEPAGE)
        #endif
        blocks.append((mapped, mappedSize, start, size))
        used = 0
        return true
    }
}

/// One text kept in a `TextArena` (which it keeps alive).
public struct KeptText: Sendable {
    let arena: TextArena
    // The arena's bytes, never written after `keep` returned: safe to read from any thread.
    nonisolated(unsafe) let start: UnsafePointer<UInt8>
    public let count: Int

    /// Calls `body` with the text's bytes.
    public func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(arena) { try body(UnsafeBufferPointer(start: start, count: count)) }
    }

    /// The text as an array (a copy).
    public var bytes: [UInt8] { withBytes { Array($0) } }
}
