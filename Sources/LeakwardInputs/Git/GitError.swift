import CGit2

/// A libgit2 failure, with libgit2's own message read on the failing thread right after the call.
public struct GitError: Error, CustomStringConvertible {
    public var operation: String
    public var code: Int32
    public var message: String

    public var description: String { "\(operation): \(message)" }

    /// Wraps a libgit2 return code; call it immediately after the C call, on the same thread.
    public static func check(_ code: Int32, _ operation: @autoclosure () -> String) throws {
        guard code < 0 else { return }
        throw GitError(operation: operation(), code: code, message: lastMessage(code))
    }

    static func lastMessage(_ code: Int32) -> String {
        if let error = git_error_last(), let text = error.pointee.message { return String(cString: text) }
        return "libgit2 error \(code)"
    }
}
