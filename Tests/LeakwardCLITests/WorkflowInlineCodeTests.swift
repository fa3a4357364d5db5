import Foundation
import Testing

/// Shapes from the twenty-fourth fresh held-out panel (cloud vendor RAG accelerators): a GitHub
/// workflow whose step runs Python from a heredoc inside a YAML block, so the config reader sees
/// each `name = value` line of the script as a YAML value. Secrets are put together here so that
/// no fixture holds one whole.
@Suite struct WorkflowInlineCodeTests {
    /// `credential = DefaultAzureCredential(client_id=client_id)` and
    /// `token = credential.get_token("https://…/.default").token` are calls whose arguments are
    /// names or a scope URL: code, the token fetched at run time, not a value. A password typed
    /// into the same script's connection parameters is still reported.
    @Test func aCallInAWorkflowsInlineScriptIsCode() throws {
        let dir = try Scratch()
        let password = "Hv7_" + "0Qz9Lk" + "2Wr5"
        try dir.write(".github/workflows/ci.yml", """
            name: ci
            on: push
            jobs:
              populate:
                runs-on: ubuntu-latest
                steps:
                  - name: Populate PostgreSQL
                    run: |
                      python - <<EOF
                      import psycopg2
                      from azure.identity import DefaultAzureCredential
                      credential = DefaultAzureCredential(client_id=client_id)
                      token = credential.get_token("https://ossrdbms-aad.database.windows.net/.default").token
                      conn = psycopg2.connect(user=user, password=token, host=host)
                      EOF
                  - name: Populate the copy
                    run: |
                      python - <<EOF
                      db_params = {
                          "user": "admintest",
                          "password": "\(password)",
                          "sslmode": "require"
                      }
                      EOF

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found[".github/workflows/ci.yml"] == ["generic.config-value medium"], "\(found)")
    }
}
