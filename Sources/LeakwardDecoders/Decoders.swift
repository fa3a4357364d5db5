/// The decoders a scan uses by default: containers and compression first, then text
/// normalisers, then the encodings secrets hide in.
public enum Decoders {
    public static var standard: [any ContentDecoder] {
        [
            GzipDecoder(), BrotliDecoder(), ZipDecoder(), TarDecoder(), SourceMapDecoder(),
            CILogDecoder(), DotenvDecoder(), ConfigValueDecoder(), Base64Decoder(), PercentDecoder(), JSEscapeDecoder(),
            StringsDecoder(),
        ]
    }
}
