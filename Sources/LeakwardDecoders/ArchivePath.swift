/// Judges member names of archives. Members are only ever read in memory, but a name that
/// would escape an extraction directory marks a hostile or broken archive, so it is reported.
enum ArchivePath {
    /// Whether `name` is absolute or climbs out with `..`.
    static func escapes(_ name: String) -> Bool {
        if name.hasPrefix("/") || name.hasPrefix("\\") { return true }
        if name.count >= 2, name.dropFirst().first == ":" { return true }  // C:\…
        return name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).contains("..")
    }
}
