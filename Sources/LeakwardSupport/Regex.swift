import CPCRE2

/// A PCRE2 pattern compiled and JIT-compiled once. Matching needs a `MatchScratch` per thread.
///
/// NOTE: this is the one `@unchecked Sendable` type of the matcher: compiled and JIT-compiled
/// PCRE2 code is read-only after `pcre2_jit_compile`, and the PCRE2 docs allow sharing it
/// between threads as long as each has its own match data and JIT stack.
public final class Regex: @unchecked Sendable {
    public let code: OpaquePointer
    public let pattern: String
    public let captureCount: Int

    /// Compiles `pattern`; throws `MatchError.compile` with PCRE2's message and offset.
    public init(_ pattern: String, caseless: Bool = false) throws {
        var errorCode: Int32 = 0
        var errorOffset = 0
        // Lets `firstMatch` bound where a match may start (pcre2_set_offset_limit), so a
        // window's search never runs on to the end of a long buffer.
        var options = UInt32(PCRE2_USE_OFFSET_LIMIT)
        if caseless { options |= UInt32(PCRE2_CASELESS) }
        let compiled = pattern.withCString { cString in
            cString.withMemoryRebound(to: UInt8.self, capacity: pattern.utf8.count) {
                pcre2_compile_8($0, pattern.utf8.count, options, &errorCode, &errorOffset, nil)
            }
        }
        guard let compiled else {
            throw MatchError.compile(pattern: pattern, message: Regex.message(for: errorCode), offset: errorOffset)
        }
        let jit = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE))
        guard jit == 0 else {
            pcre2_code_free_8(compiled)
            throw MatchError.compile(pattern: pattern, message: "JIT: " + Regex.message(for: jit), offset: 0)
        }
        var count: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        self.code = compiled
        self.pattern = pattern
        self.captureCount = Int(count)
    }

    deinit { pcre2_code_free_8(code) }

    /// The first match in `subject` starting at or after `start`, whose start is at most
    /// `latestStart`; returns the ranges of group 0...captureCount (nil for unset groups).
    public func firstMatch(in subject: UnsafeBufferPointer<UInt8>, from start: Int, latestStart: Int = Int.max,
                           scratch: MatchScratch) throws -> [Range<Int>?]? {
        guard start <= subject.count, let base = subject.baseAddress ?? UnsafePointer(bitPattern: 1) else { return nil }
        // Without a start limit, a window with no match would search the rest of the buffer:
        // one window per keyword hit made matching quadratic in the file size.
        pcre2_set_offset_limit_8(scratch.context, latestStart == Int.max ? cpcre2_unset() : latestStart)
        let rc = pcre2_jit_match_8(code, base, subject.count, start, 0, scratch.matchData, scratch.context)
        if rc == PCRE2_ERROR_NOMATCH { return nil }
        if rc < 0 { throw MatchError.limit(pattern: pattern, message: Regex.message(for: rc)) }
        let ovector = pcre2_get_ovector_pointer_8(scratch.matchData)!
        let matchStart = ovector[0]
        guard matchStart <= latestStart else { return nil }
        let unset = cpcre2_unset()
        return (0...captureCount).map { group in
            let lower = ovector[2 * group], upper = ovector[2 * group + 1]
            return lower == unset || upper == unset ? nil : lower..<upper
        }
    }

    /// Convenience for tests and one-off checks on small inputs.
    public func matches(_ text: String, scratch: MatchScratch) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { (try? firstMatch(in: $0, from: 0, scratch: scratch)) ?? nil } != nil
    }

    public static func message(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = pcre2_get_error_message_8(code, &buffer, buffer.count)
        return length > 0 ? String(decoding: buffer.prefix(Int(length)), as: UTF8.self) : "PCRE2 error \(code)"
    }
}

/// Per-thread PCRE2 state: match data, a match context with limits, and a private JIT stack.
/// Never shared between threads (not Sendable).
public final class MatchScratch {
    let matchData: OpaquePointer
    public let context: OpaquePointer
    let jitStack: OpaquePointer

    /// `matchLimit` bounds backtracking so a hostile input cannot stall a worker.
    public init(maxCaptures: Int = 64, matchLimit: UInt32 = 2_000_000) {
        matchData = pcre2_match_data_create_8(UInt32(maxCaptures + 1), nil)
        context = pcre2_match_context_create_8(nil)
        jitStack = pcre2_jit_stack_create_8(32 * 1024, 1024 * 1024, nil)
        pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(jitStack))
        pcre2_set_match_limit_8(context, matchLimit)
        pcre2_set_depth_limit_8(context, 100_000)
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        pcre2_match_context_free_8(context)
        pcre2_jit_stack_free_8(jitStack)
    }
}

/// Why matching failed: a pattern that does not compile, or a match that hit its limits.
public enum MatchError: Error, CustomStringConvertible {
    case compile(pattern: String, message: String, offset: Int)
    case limit(pattern: String, message: String)

    public var description: String {
        switch self {
        case .compile(_, let message, let offset): "\(message) at offset \(offset)"
        case .limit(_, let message): "match stopped: \(message)"
        }
    }
}
