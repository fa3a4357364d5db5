import Foundation
import Testing

/// Shapes of the twenty-second session (issue 13): a base64 keyboard mash in a compose file.
/// Secrets are put together here so that no fixture holds one whole.
@Suite struct KeyboardMashShapeTests {
    /// `NACOS_AUTH_TOKEN=` the base64 of `token` and a home-row mash straying to `owiejfo;` in a
    /// developer's compose file: a typed value, at info. A random token of letters keeps its
    /// severity, and so does a generated key in mixed case whose letters fall mostly on the top
    /// row (a Baidu API key of 24 letters on the panel did).
    @Test func aBase64LongMashInAComposeFileIsInfo() throws {
        let dir = try Scratch()
        let mash = Data(("token" + "alsdkfjlaskdjflaskdjf" + "laskdjfowiejfo;sdlf").utf8).base64EncodedString()
        let random = Data(("token" + "qmzvtrplwxbnhcgykdfsue" + "jroaipvnz").utf8).base64EncodedString()
        try dir.write("deploy/docker-compose.yaml", """
            services:
              nacos:
                image: nacos/nacos-server:latest
                environment:
                  - NACOS_AUTH_TOKEN=\(mash)
              other:
                image: nacos/nacos-server:latest
                environment:
                  - NACOS_AUTH_TOKEN=\(random)
              app:
                environment:
                  BAIDU_CLOUD_API_KEY: '\("TqeWrUoIyPtEaQwR" + "uOiTeYpWqRsEtUoI")'

            """)
        let found = try CLI.scanFindings(dir).findings.filter { CLI.relativePath($0, in: dir) == "deploy/docker-compose.yaml" }
        let byLine = Dictionary(found.map { ((($0["location"] as? [String: Any])?["line"] as? Int) ?? 0, $0["severity"] as? String ?? "") },
                                uniquingKeysWith: { a, b in a == "info" ? b : a })
        #expect(byLine[5] == "info", "\(found)")
        #expect(byLine[9].map { $0 != "info" } == true, "\(found)")
        #expect(byLine[12].map { $0 != "info" } == true, "\(found)")
    }
}
