import Foundation
import Testing
@testable import LeakwardCore
@testable import LeakwardFindings
@testable import LeakwardModel
@testable import LeakwardSupport

/// Shapes left over on the 306-repository panel that are samples, stand-ins or public values by
/// what they are: a digest of a sample written twice, public program
/// addresses, CSS-module class names, a JWT's header alone, weak secrets in compose files, a
/// site's browser key in a saved copy of its page, a search box's search-only key. Each with
/// must-match and must-not cases; values are made up at test time, never the panel's.
@Suite struct SampleShapeLeftoverTests: PanelShapeSuite {
    private let signals = ValueSignals.bundled

    private func base64url(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    @Test func aSampleDigestWrittenTwiceIsTheSample() {
        // MD5 of `password`, split so no scanner reads this file as holding it.
        let md5 = "5f4dcc3b5aa765d6" + "1d8327deb882cf99"
        #expect(signals.hashedSampleReason(for: Array((md5 + md5).utf8)) != nil)
        #expect(signals.hashedSampleReason(for: Array((md5 + md5 + md5).utf8)) != nil)
        let env = "# Persistent Secret Key for Session Management\nRAGFLOW_SECRET_KEY=\(md5 + md5)\n"
        #expect(scan(env, at: "docker/.env").allSatisfy { $0.severity == .info })
        // Must stay: a sample digest beside random hex, random hex written twice.
        let other = made(32, "0123456789abcdef")
        #expect(signals.hashedSampleReason(for: Array((md5 + other).utf8)) == nil)
        #expect(signals.hashedSampleReason(for: Array((other + other).utf8)) == nil)
    }

    @Test func aSolanaProgramAddressIsPublic() {
        // SPL Token's program ID, on chain for everyone (split so the file holds no key-shaped run).
        let program = "Tokenkeg" + "QfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
        #expect(signals.publicAddressReason(for: Array(program.utf8)) != nil)
        let config = "{\n  \"core_programs\": {\n    \"token_program\": \"\(program)\"\n  }\n}\n"
        #expect(scan(config, at: "ALLOWLIST_UPDATE.json").allSatisfy { $0.severity == .info })
        // Must stay: any other base58 value under the same name.
        let other = made(44, "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
        #expect(signals.publicAddressReason(for: Array(other.utf8)) == nil)
        #expect(scan(config.replacingOccurrences(of: program, with: other), at: "ALLOWLIST_UPDATE.json").map(\.severity) == [.medium])
    }

    @Test func aCSSModuleClassNameIsNoKey() {
        #expect(Placeholder.isCSSModuleClass("api-key-text___sIBAC", of: "api-key-text"))
        #expect(Placeholder.isCSSModuleClass("apiKeyCell__x7Ab9", of: "apiKeyCell"))
        #expect(Placeholder.genericReason(for: Array("api-key-cell___SlOWa".utf8), variable: "api-key-cell") != nil)
        // Must stay: another name's prefix, a long random tail, a key with no name before it.
        #expect(!Placeholder.isCSSModuleClass("api-key-text___sIBAC", of: "secret"))
        #expect(!Placeholder.isCSSModuleClass("api-key-text___" + made(32), of: "api-key-text"))
        #expect(!Placeholder.isCSSModuleClass(made(24), of: "api-key-text"))
    }

    @Test func aJWTHeaderAloneIsNoToken() {
        #expect(Placeholder.isJWTHeaderAlone(Array(base64url("{\"alg\":\"HS256\"}").utf8)))
        #expect(Placeholder.isJWTHeaderAlone(Array(base64url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}").utf8)))
        let request = "GET /api/v2/orders HTTP/1.1\nAuthorization: Bearer \(base64url("{\"alg\":\"HS256\"}"))\n"
        #expect(scan(request, at: "prompts/benchmark.yaml").allSatisfy { $0.severity == .info })
        // Must stay: base64 JSON of a credential's own fields (Grafana's `{"k":…,"n":…}` keys),
        // a whole JWT, a header with a claim in it.
        #expect(!Placeholder.isJWTHeaderAlone(Array(base64url("{\"k\":\"\(made(32))\",\"n\":\"ha\",\"id\":1}").utf8)))
        let whole = base64url("{\"alg\":\"HS256\"}") + "." + base64url("{\"sub\":\"1\"}") + "." + made(43)
        #expect(!Placeholder.isJWTHeaderAlone(Array(whole.utf8)))
        #expect(!Placeholder.isJWTHeaderAlone(Array(base64url("{\"alg\":\"HS256\",\"sub\":\"admin\"}").utf8)))
    }

    @Test func aWeakSigningSecretInAComposeFileIsTheStacksTypedValue() {
        let compose = "services:\n  app:\n    environment:\n      - INITIAL_USER=admin\n      - JWT_SECRET=self-hosting\n"
        for path in ["self-host.docker-compose.yml", "docker-compose.yml", "deploy/compose.yaml"] {
            #expect(scan(compose, at: path).allSatisfy { $0.severity == .info }, "\(path)")
        }
        // Must stay: the same in a production compose file and in program code, and a generated
        // secret in a compose file.
        #expect(scan(compose, at: "docker-compose.prod.yml").contains { $0.severity > .info })
        #expect(scan("const JWT_SECRET = 'self-hosting';\n", at: "src/server.js").contains { $0.severity > .info })
        let generated = compose.replacingOccurrences(of: "self-hosting", with: made(40))
        #expect(scan(generated, at: "docker-compose.yml").contains { $0.severity > .info })
    }

    @Test func aBrowserKeyInASavedCopyOfASitesPageIsTheSites() {
        let key = "AI" + "za" + made(35)
        let page = "<!DOCTYPE html>\n<html><head><link rel=\"canonical\" href=\"https://www.travel.example/hotels\"></head>\n"
            + "<body><img src=\"//maps.googleapis.com/maps/api/staticmap?format=jpg&amp;key=\(key)&amp;size=500x203\"></body></html>\n"
        #expect(scan(page, at: "temp/run_flight_search/html_3.html").map(\.severity) == [.info])
        // Must stay: a page with no public address of its own (the project's own example page),
        // and another provider's key in a served page.
        let own = page.replacingOccurrences(of: "<link rel=\"canonical\" href=\"https://www.travel.example/hotels\">", with: "")
        #expect(scan(own, at: "examples/minimal.html").map(\.severity) == [.high])
        let github = "sk_live_" + made(24)
        let leaked = page.replacingOccurrences(of: "&amp;key=\(key)", with: "&amp;key=\(key)&amp;stripe=\(github)")
        #expect(scan(leaked, at: "temp/page.html").contains { $0.severity > .info })
    }

    @Test func aSearchBoxsKeyBesideItsApplicationAndIndexIsSearchOnly() {
        let key = made(32, "0123456789abcdef")
        let docusaurus = "  themeConfig: {\n    algolia: {\n      appId: 'WB1FQYI187',\n      apiKey: '\(key)',\n      indexName: 'docs',\n    },\n"
        #expect(scan(docusaurus, at: "website/docusaurus.config.js").allSatisfy { $0.severity == .info })
        let widget = "export const ALGOLIA = {\n  appId: 'S5T5EPDFWK',\n  apiKey: '\(key)',\n  indexName: 'docs'\n}\n"
        #expect(scan(widget, at: "website/src/constant.ts").allSatisfy { $0.severity == .info })
        // Must stay: the admin key beside the same names, a key beside an index name alone
        // (Pinecone's `index_name`), a key with neither.
        let admin = "ALGOLIA_ADMIN_KEY=\(key)\nALGOLIA_APP_ID=WB1FQYI187\nALGOLIA_INDEX_NAME=docs\n"
        #expect(scan(admin, at: "scripts/index.env").contains { $0.severity > .info })
        let pinecone = "index_name = \"docs\"\napi_key = \"\(key)\"\n"
        #expect(scan(pinecone, at: "app/store.py").contains { $0.severity > .info })
        #expect(scan("ALGOLIA_API_KEY=\(key)\n", at: "server/.env").contains { $0.severity > .info })
    }

    @Test func aTypedPasswordOnAManagedHostIsASample() {
        let sample = "export Postgres__ConnectionString=\"Host=myserver.postgres.database.azure.com;Database=mydb;Username=myuser;Password=mypassword;\"\n"
        #expect(scan(sample, at: "dotnet/test/VectorData/PgVector.ConformanceTests/README.md").allSatisfy { $0.severity == .info })
        // Must stay: a generated password on the same host in a test (a pasted connection), and a
        // person's own weak one (a word and a counting run).
        let pasted = sample.replacingOccurrences(of: "mypassword", with: made(24))
        #expect(scan(pasted, at: "dotnet/test/VectorData/PgVector.ConformanceTests/README.md").contains { $0.severity > .info })
        let own = "url = \"redis://vector:Vectortest123@r-bp1wvb0pgh7x58z.redis.rds.aliyuncs.com:6379/0\"\n"
        #expect(scan(own, at: "test/document_stores/test_tair.py").contains { $0.severity > .info })
    }

    @Test func aClientNamingItsSitesPageAsRefererSendsThatFrontEndsValues() {
        let token = made(32, "0123456789abcdef")
        let client = "class Site:\n    url = \"https://chat.site.example\"\n\n    async def create(cls):\n        headers = {\n"
            + "            \"Origin\": cls.url,\n            \"Referer\": f\"{cls.url}/\",\n"
            + "            \"Authorization\": \"Bearer \(token)\",\n        }\n"
        #expect(scan(client, at: "g4f/Provider/Site.py").allSatisfy { $0.severity == .info })
        // Must stay: the same request with no referer naming a page.
        let plain = client.replacingOccurrences(of: "            \"Referer\": f\"{cls.url}/\",\n", with: "")
        #expect(scan(plain, at: "g4f/Provider/Site.py").contains { $0.severity > .info })
        // The login body after a long browser-like header block: its shared password 16 lines
        // below the `Referer`.
        let headers = (1...11).map { "            \"X-Header-\($0)\": \"value-\($0)\",\n" }.joined()
        let login = "class Site:\n    url = \"https://chat.site.example\"\n\n    async def create(cls):\n        headers = {\n"
            + "            \"Referer\": f\"{cls.url}/\",\n" + headers + "        }\n"
            + "        data = {\n            \"account\": \"free@site.example\",\n            \"password\": '\(made(20))'\n        }\n"
        let judged = scan(login, at: "g4f/Provider/Site.py")
        #expect(!judged.isEmpty && judged.allSatisfy { $0.severity == .info }, "\(judged)")
    }

    @Test func aPasswordMadeOfTheUserNameBesideItIsTheStacks() {
        let compose = "services:\n  db:\n    environment:\n      - ORACLE_USER=hr\n      - ORACLE_PASSWORD=hr_2025\n"
        func repeated(_ secret: String, in text: String) -> Bool {
            Array(text.utf8).withUnsafeBufferPointer { signals.repeatedNameReason(for: Array(secret.utf8), in: $0) != nil }
        }
        #expect(repeated("hr_2025", in: compose))
        // The SHA-256 of the user name beside it (a dashboard's default login as its form compares it).
        let name = "dashuser"
        let digest = SHA256.hex(of: Array(name.utf8))
        let config = "    \"dashboard\": {\n        \"username\": \"\(name)\",\n        \"password\": \"\(digest)\",\n    },\n"
        #expect(scan(config, at: "app/core/config/default.py").allSatisfy { $0.severity == .info })
        // Must stay: another user's name, random hex.
        let other = compose.replacingOccurrences(of: "ORACLE_USER=hr", with: "ORACLE_USER=scott")
        #expect(!repeated("hr_2025", in: other))
        let random = config.replacingOccurrences(of: digest, with: made(64, "0123456789abcdef"))
        #expect(scan(random, at: "app/core/config/default.py").contains { $0.severity > .info })
    }

    @Test func aCodeSampleOfACompiledMDXPageIsDocumentation() {
        let secret = made(32, "0123456789abcdef")
        let chunk = "\"use strict\";(self.webpackChunk=self.webpackChunk||[]).push([[1],{1:(e,t,n)=>{function u(e){return(0,a.kt)(\"p\",null,\"The following configuration:\"),"
            + "(0,a.kt)(\"pre\",null,(0,a.kt)(\"code\",{parentName:\"pre\",className:\"language-yaml\"},'settings:\\n  - provider: namecheap\\n    password: \(secret)\\n'))}u.isMDXComponent=!0}}]);\n"
        let offset = chunk.utf8.count - chunk.components(separatedBy: secret)[1].utf8.count - secret.count
        Array(chunk.utf8).withUnsafeBufferPointer { buffer in
            #expect(LiteralValue.isInEmbeddedDocumentation(offset, in: buffer, path: "assets/js/19b672e0.6aee3ce8.js"))
        }
        // MDX 3's JSX form: the text under `children:` in the code element's props.
        let jsx = "(0,s.jsx)(n.p,{children:\"The following configuration:\"}),(0,s.jsx)(n.pre,{children:(0,s.jsx)(n.code,{className:\"language-yaml\",children:'settings:\\n    password: \(secret)\\n'})})\n"
        let jsxOffset = jsx.utf8.count - jsx.components(separatedBy: secret)[1].utf8.count - secret.count
        Array(jsx.utf8).withUnsafeBufferPointer { buffer in
            #expect(LiteralValue.isInEmbeddedDocumentation(jsxOffset, in: buffer, path: "assets/js/19b672e0.9001407b.js"))
        }
        // Must stay: the same value in the page's code outside a code block's text, and in a
        // file that is no script.
        let code = "(0,a.kt)(\"code\",{parentName:\"pre\"},'x');const config={password:\"\(secret)\"};\n"
        let codeOffset = code.utf8.count - code.components(separatedBy: secret)[1].utf8.count - secret.count
        Array(code.utf8).withUnsafeBufferPointer { buffer in
            #expect(!LiteralValue.isInEmbeddedDocumentation(codeOffset, in: buffer, path: "assets/js/main.js"))
        }
        Array(chunk.utf8).withUnsafeBufferPointer { buffer in
            #expect(!LiteralValue.isInEmbeddedDocumentation(offset, in: buffer, path: "config/settings.yaml"))
        }
    }

    @Test func aKeyItsCommentCallsPublicAndReadOnlyIsADemoKey() {
        let uuid = UUID().uuidString.lowercased()
        let cell = "# This uses a public READ-ONLY Weaviate API key\nauth_config = weaviate.auth.AuthApiKey(api_key=\"\(uuid)\")\n"
        #expect(scan(cell, at: "notebooks/search.py").allSatisfy { $0.severity == .info })
        // Must stay: a key called read-only alone, and one with no such comment.
        let readOnly = cell.replacingOccurrences(of: "a public READ-ONLY", with: "a read-only")
        #expect(scan(readOnly, at: "notebooks/search.py").contains { $0.severity > .info })
        let bare = "auth_config = weaviate.auth.AuthApiKey(api_key=\"\(uuid)\")\n"
        #expect(scan(bare, at: "notebooks/search.py").contains { $0.severity > .info })
    }

    @Test func aSearchAPIsIntentionallyPublicFreeTierKeyIsPublished() {
        // A search vendor's shared free-tier key in the integration it contributed to a framework,
        // with the comment on the line above or on the key's own line.
        let key = made(32, "0123456789ABCDEF")
        let above = "# Intentionally public free-tier key (100 searches/day). Users can set SEARCHCO_API_KEY for higher limits.\n"
            + "DEFAULT_SEARCHCO_API_KEY = \"\(key)\"\nSEARCHCO_API_URL = \"https://api.searchco.example/v1/search\"\n"
        let found = scan(above, at: "src/tools/searchco_tool.py")
        #expect(!found.isEmpty && found.allSatisfy { $0.severity == .info }, "\(found)")
        let inline = "SEARCHCO_DEFAULT_API_KEY = \"\(key)\"  # intentionally public - free tier key\n"
        #expect(scan(inline, at: "src/websearch/searchco.py").allSatisfy { $0.severity == .info })
        // Must stay: the same key without the comment, and a comment saying the key is not public.
        let bare = "DEFAULT_SEARCHCO_API_KEY = \"\(key)\"\n"
        #expect(scan(bare, at: "src/tools/searchco_tool.py").contains { $0.severity > .info })
        let privateKey = "# keep this key private, never public\nDEFAULT_SEARCHCO_API_KEY = \"\(key)\"\n"
        #expect(scan(privateKey, at: "src/tools/searchco_tool.py").contains { $0.severity > .info })
    }

    @Test func aTestNamedForItsRunnerIsATest() {
        #expect(LocationContext.of(origin: .file(root: ".", path: "web/src/ResetPasswordPage.clienttest.tsx"), members: []) == .test)
        #expect(LocationContext.of(origin: .file(root: ".", path: "web/src/oci-iam-fetch.servertest.ts"), members: []) == .test)
        // Must stay production: a module whose name only ends in the word.
        #expect(LocationContext.of(origin: .file(root: ".", path: "web/src/contest.ts"), members: []) == .production)
    }

    @Test func aSampleAnErrorMessageIntroducesIsTheMessagesExample() {
        // A provider-shaped key inside an error message's text, after "e.g." in the same string.
        let key = "sk-" + made(48)
        let code = """
            throw new AuthenticationError(
              "Invalid API key format. Expected format: 'sk-' followed by random characters " +
                "(e.g., '\(key)'). " +
                'Find your API key at https://platform.example.com/keys'
            )

            """
        let found = scan(code, at: "packages/js-sdk/src/connectionConfig.ts")
        #expect(found.allSatisfy { $0.severity == .info }, "\(found)")
        // Must stay: the same key assigned in code, even after an "e.g." comment, or under a
        // name that says example.
        let assigned = "// e.g. the production key\nconst key = '\(key)'\nconst example = { example: '\(key)' }\n"
        #expect(scan(assigned, at: "src/client.ts").filter { $0.severity > .info }.count >= 1, "\(scan(assigned, at: "src/client.ts"))")
        let inline = "const apiKey = '\(key)' // e.g.\n"
        #expect(scan(inline, at: "src/client.ts").contains { $0.severity > .info })
    }

    @Test func aSecretStoresEntryNameInTerraformIsNoValue() {
        let tf = """
            data "google_secret_manager_secret_version" "posthog_cloud_environments" {
              secret = "acme-posthog-cloud-environments"
            }

            resource "aws_secretsmanager_secret" "db" {
              name = "acme-prod-database-credentials"
            }

            """
        #expect(scan(tf, at: "packages/api/main.tf").allSatisfy { $0.severity == .info }, "\(scan(tf, at: "packages/api/main.tf"))")
        // Must stay: the value a version resource stores, and a secret in another block.
        let value = made(28)
        let stored = """
            resource "aws_secretsmanager_secret_version" "db" {
              secret_id     = aws_secretsmanager_secret.db.id
              secret_string = "\(value)"
            }

            resource "acme_service" "api" {
              secret = "\(value)"
            }

            """
        #expect(scan(stored, at: "infra/main.tf").filter { $0.severity > .info }.count >= 2, "\(scan(stored, at: "infra/main.tf"))")
    }

    @Test func aMigrationNamedForItsDemonstrationDataIsSeedData() {
        let path = "crates/db/migrations/20231005073231_demonstration_setup.sql"
        #expect(LocationContext.of(origin: .file(root: ".", path: path), members: []) == .fixture)
        // An argon2 hash of a demo account there is at info; in the schema's own migration it stays.
        let hash = "$argon2id$v=19$m=4096,t=3,p=1$" + made(22, "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
            + "$" + made(43, "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        let sql = "INSERT INTO users (email, hashed_password) VALUES ('demo@example.com', '\(hash)');\n"
        let seeded = scan(sql, at: path)
        #expect(!seeded.isEmpty && seeded.allSatisfy { $0.severity == .info }, "\(seeded)")
        #expect(scan(sql, at: "crates/db/migrations/20231005073230_users.sql").contains { $0.severity > .info })
        // Must stay production: a module whose name only holds the word.
        #expect(LocationContext.of(origin: .file(root: ".", path: "src/demonstrations.py"), members: []) == .production)
    }
}
