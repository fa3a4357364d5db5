import Foundation
import Testing

/// Shapes of the twenty-third session (issue 13): tests kept inside the Rust file they test.
/// Tokens are put together here so that no fixture holds one whole.
@Suite struct RustTestModuleShapeTests {
    /// A JWT made of the given claims with a random-looking signature.
    static func token(_ claims: String, signature: String) -> String {
        func encode(_ text: String) -> String {
            Data(text.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        }
        return encode(#"{"alg":"RS512","typ":"JWT"}"#) + "." + encode(claims) + "." + signature
    }

    /// `src/service/license.rs` checks licence JWTs and tests itself in `#[cfg(test)] mod tests`:
    /// the tokens in that block are the test's (info); one in the program above it keeps its
    /// severity, and so does one after a `#[cfg(test)]` that marks only a `use`.
    @Test func aTokenInACfgTestModuleIsATestFixture() throws {
        let dir = try Scratch()
        let claims = #"{"iss":"licence.example.org","sub":"someone@example.org","iat":1707290000,"exp":1907290000,"typ":"TEAM"}"#
        let inTest = RustTestModuleShapeTests.token(claims, signature: "Qm9xT3RlcFd" + "hbGxhQ2tyb3NzN2Z2bGtqc2Rma2pzZGZrbGoyMzQ1")
        let inProgram = RustTestModuleShapeTests.token(claims, signature: "Zk9wUmVkV2" + "FsbEJsdWVIb3VzZTk4MjNsa2pzZGZsa2pzZGY3NjU0")
        let afterUse = RustTestModuleShapeTests.token(claims, signature: "WG9tUGlrZU" + "ZpZWxkR3JlZW5MYW1wNzcxMmxranNkZmxrajkwOTg3")
        try dir.write("ee/webserver/src/service/license.rs", """
            use jsonwebtoken as jwt;

            pub fn builtin_license() -> &'static str { let token = "\(inProgram)"; token }

            pub fn validate_license(token: &str) -> jwt::errors::Result<()> {
                Ok(())
            }

            #[cfg(test)]
            mod tests {
                use super::*;

                #[test]
                fn test_validate_license() {
                    let token = "\(inTest)";
                    assert!(validate_license(token).is_ok());
                }
            }

            """)
        try dir.write("ee/webserver/src/service/seat.rs", """
            #[cfg(test)]
            use mockall::automock;

            pub fn seat_token() -> &'static str {
                let token = "\(afterUse)";
                token
            }

            """)
        let found = try CLI.scanFindings(dir).findings
        func severity(_ path: String, line: Int) -> String? {
            found.first { CLI.relativePath($0, in: dir) == path && (($0["location"] as? [String: Any])?["line"] as? Int) == line }?["severity"] as? String
        }
        #expect(severity("ee/webserver/src/service/license.rs", line: 15) == "info", "\(found)")
        #expect(severity("ee/webserver/src/service/license.rs", line: 3).map { $0 != "info" } == true, "\(found)")
        #expect(severity("ee/webserver/src/service/seat.rs", line: 5).map { $0 != "info" } == true, "\(found)")
    }
}
