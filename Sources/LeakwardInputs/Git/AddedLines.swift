import CGit2
import LeakwardModel

/// Keeps only the lines a change added: every other line of the new text is blanked (its
/// bytes become spaces, newlines stay), so line and column numbers still match the real
/// file while old secrets in unchanged lines are not reported again.
enum AddedLines {
    /// `new` with the lines also present in `old` (per a line diff, no context) blanked.
    static func mask(new: [UInt8], old: [UInt8]) throws -> [UInt8] {
        _ = GitLibrary.ready
        var options = git_diff_options()
        try GitError.check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "diff options")
        options.context_lines = 0
        options.interhunk_lines = 0
        options.flags |= GIT_DIFF_FORCE_TEXT.rawValue
        let collector = Collector()
        let status = old.withUnsafeBufferPointer { oldBuffer in
            new.withUnsafeBufferPointer { newBuffer in
                withExtendedLifetime(collector) {
                    git_diff_buffers(
                        oldBuffer.baseAddress, oldBuffer.count, nil, newBuffer.baseAddress, newBuffer.count, nil, &options,
                        nil, nil, nil,
                        { _, _, line, payload in
                            guard let line, let payload else { return 0 }
                            if line.pointee.origin == CChar(UInt8(ascii: "+")), line.pointee.new_lineno > 0 {
                                Unmanaged<Collector>.fromOpaque(payload).takeUnretainedValue().added.insert(Int(line.pointee.new_lineno))
                            }
                            return 0
                        },
                        Unmanaged.passUnretained(collector).toOpaque())
                }
            }
        }
        try GitError.check(status, "diff against the previous version")
        var masked = new
        var line = 1
        var keep = collector.added.contains(1)
        for i in masked.indices {
            if masked[i] == UInt8(ascii: "\n") {
                line += 1
                keep = collector.added.contains(line)
            } else if !keep {
                masked[i] = UInt8(ascii: " ")
            }
        }
        return masked
    }

    private final class Collector {
        var added = Set<Int>()
    }
}
