import Foundation
import Testing

/// False positives the 200-repository panel still failed CI on, through the binary: typed
/// defaults in production configuration that the file itself gives away. Secrets are put together
/// here so that no fixture holds one whole.
@Suite struct PrecisionPanelShapeTests {
    /// Production configuration runs with what it says, except a password the file itself gives
    /// away: the stack's own names with a counter (a Helm chart's `acmegateai123456` beside the
    /// `acmegate` database). A random password there fails CI.
    @Test func aStacksOwnNamesAreInfoInProductionConfig() throws {
        let dir = try Scratch()
        try dir.write("helm/values.yaml", """
            postgresql:
              auth:
                postgresPassword: '\("acmegateai" + "123456")'
                username: 'admin'
                database: 'acmegate'
            redis:
              auth:
                password: '\("Wq3vK8zLp2" + "Tn7Rx4Ym")'

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["helm/values.yaml"]?.count == 2, "\(found)")
        #expect(found["helm/values.yaml"]?.filter { $0.hasSuffix(" info") }.count == 1, "\(found)")
    }
}
