/// The decoders a scan uses by default, outermost formats first.
public enum Decoders {
    public static var standard: [any ContentDecoder] {
        [GzipDecoder(), BrotliDecoder(), ZipDecoder(), TarDecoder()]
    }
}
