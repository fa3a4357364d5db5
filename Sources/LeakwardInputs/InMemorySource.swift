/// Named buffers held in memory: tests, rule examples and stdin.
public struct InMemorySource: Source {
    public var files: [(name: String, bytes: [UInt8])]

    public init(_ files: [(name: String, text: String)]) {
        self.files = files.map { ($0.name, Array($0.text.utf8)) }
    }

    public init(buffers: [(name: String, bytes: [UInt8])]) { self.files = buffers }

    public func enumerate(into catalog: inout BlobCatalog) throws {
        for file in files { catalog.add(.memory(origin: .file(root: ".", path: file.name), bytes: file.bytes), size: file.bytes.count) }
    }

    public func makeReader() throws -> any BlobReader { Reader() }

    struct Reader: BlobReader {
        mutating func read(_ ref: BlobRef, limit: Int) throws -> Blob {
            guard case .memory(_, let bytes) = ref else { throw ReadError.io(path: ref.display, message: "not in memory") }
            return Blob(ref: ref, bytes: bytes)
        }
    }
}
