import Foundation
import LeakwardModel
import LeakwardPlan

/// The machine-readable report described in `docs/report-schema.md`, written as a stream:
/// each finding, credential and error is encoded on its own and handed to the sink, so a
/// report of a big history is never one string in memory. The text is the same as encoding
/// the whole report at once (keys sorted, two-space indentation).
public struct JSONReportWriter: ReportWriter {
    public static let formatName = "json"
    /// Include raw secrets (`--reveal`).
    public var revealsSecrets: Bool

    /// What `plan --from` needs about the project beyond the findings (written as `project`).
    public var project: ProjectFacts?

    public init(revealsSecrets: Bool = false, project: ProjectFacts? = nil) {
        self.revealsSecrets = revealsSecrets
        self.project = project
    }

    public func render(_ report: ScanReport) throws -> String {
        var text = ""
        try write(report) { text += $0 }
        return text
    }

    public func write(_ report: ScanReport, to sink: (String) throws -> Void) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.userInfo[.revealSecrets] = revealsSecrets
        let newline = UInt8(ascii: "\n")
        func encoded(_ value: some Encodable, indent: String) throws -> String {
            let data = try encoder.encode(value)
            // Every line but the first indented, as bytes: the encoder escapes newlines inside
            // strings, so each newline byte ends a line. An empty array or object is written
            // with an empty line inside, never indented.
            var text: [UInt8] = []
            text.reserveCapacity(data.count + data.count / 4)
            let margin = Array(indent.utf8)
            var lineStart = true, isFirstLine = true
            // Through the bytes' buffer: `Data`'s own iterator cost a call per byte.
            data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
                for byte in bytes {
                    if byte == newline {
                        text.append(byte)
                        lineStart = true
                        isFirstLine = false
                        continue
                    }
                    if lineStart && !isFirstLine { text += margin }
                    lineStart = false
                    text.append(byte)
                }
            }
            return String(decoding: text, as: UTF8.self)
        }
        func array<T: Encodable>(_ key: String, _ values: [T], last: Bool = false) throws {
            guard !values.isEmpty else {
                try sink("  \"\(key)\" : [\n\n  ]\(last ? "" : ",")\n")
                return
            }
            try sink("  \"\(key)\" : [\n")
            for (i, value) in values.enumerated() {
                try sink("    " + encoded(value, indent: "    ") + (i == values.count - 1 ? "\n" : ",\n"))
            }
            try sink("  ]\(last ? "" : ",")\n")
        }
        func scalar(_ key: String, _ value: some Encodable, last: Bool = false) throws {
            try sink("  \"\(key)\" : " + encoded(value, indent: "  ") + (last ? "\n" : ",\n"))
        }
        // Keys in sorted order, as `.sortedKeys` writes them.
        try sink("{\n")
        try scalar("complete", report.isComplete)
        try array("credentials", report.credentials)
        try array("errors", report.errors)
        try array("findings", report.findings)
        if let project { try scalar("project", project) }
        if let rootPaths = report.rootPaths { try array("root_paths", rootPaths) }
        try array("roots", report.roots)
        try scalar("schema", report.schema)
        try scalar("stats", report.stats)
        try scalar("tool", report.tool)
        try scalar("version", report.version, last: true)
        try sink("}\n")
    }
}
