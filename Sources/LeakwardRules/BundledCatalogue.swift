extension BundledRules {
    /// The catalogue file at `path` (e.g. `rules/context/values.toml`), parsed with `parse`.
    ///
    /// A bundled file is part of the binary and the test suite parses every one of them, so a
    /// missing or broken one is a build defect, not bad input: stopping with its path is safer
    /// than scanning on with an empty catalogue, which would silently change every verdict that
    /// reads it.
    package static func catalogue<Catalogue>(at path: String, _ parse: (_ text: String, _ path: String) throws -> Catalogue) -> Catalogue {
        guard let file = files.first(where: { $0.path == path }) else {
            preconditionFailure("bundled catalogue \(path) is missing from the binary")
        }
        do { return try parse(file.text, file.path) } catch {
            preconditionFailure("bundled catalogue \(path): \(error)")
        }
    }
}
