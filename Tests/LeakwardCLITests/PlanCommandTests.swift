import Foundation
import Testing

/// `leakward plan` end to end, on a leaky Next.js-style app laid out in a temp dir.
@Suite struct PlanCommandTests {
    static let publishable = "pk_live_" + "51Hq7ZxLm3Tr8Kw2Np5Vb9Cd4Fg6Jh1Qs0"

    /// `.env.production` with a server key behind NEXT_PUBLIC_, the built chunk that carries it,
    /// a client component with a publishable key, a server-only module with a database URL.
    static func leakyNextApp() throws -> Scratch {
        let dir = try Scratch()
        try dir.write("package.json", #"{ "name": "shop", "dependencies": { "next": "14.2.3" } }"# + "\n")
        try dir.write(".env.production", """
            NEXT_PUBLIC_SITE_URL=https://shop.example.com
            NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=\(publishable)
            NEXT_PUBLIC_OPENAI_API_KEY=\(Fakes.openAI)
            NODE_ENV=development

            """)
        try dir.write(".next/static/chunks/x.js",
                      "(self.webpackChunk=self.webpackChunk||[]).push([[1],{42:function(e){e.exports={key:\"\(Fakes.openAI)\"}}}]);\n")
        try dir.write("src/components/Checkout.tsx", """
            'use client';
            import { loadStripe } from "@stripe/stripe-js";
            export const stripe = loadStripe("\(publishable)");

            """)
        try dir.write("src/lib/db.ts", """
            import { Pool } from "pg";
            export const pool = new Pool({ connectionString: "\(Fakes.postgresURL)" });

            """)
        try dir.write("src/lib/openai.ts", "export const key = process.env.OPENAI_API_KEY;\n")
        return dir
    }

    @Test func listsTheClientExposedServerKeyFirstWithEvidenceAndProviderSteps() throws {
        let dir = try Self.leakyNextApp()
        let result = try CLI.run(["plan", dir.path])
        #expect(result.status == 1, "\(result.stderr)")
        let markdown = result.stdout
        let items = markdown.components(separatedBy: "\n### ").dropFirst()
        let first = try #require(items.first)
        #expect(first.hasPrefix("K1. OpenAI project API key"))
        #expect(first.contains("`NEXT_PUBLIC_OPENAI_API_KEY` in `\(dir.path)/.env.production` is inlined by Next.js into the browser bundle; the value appears in `\(dir.path)/.next/static/chunks/x.js` line 1 col "))
        #expect(first.contains("- [ ] **Revoke now**"))
        #expect(first.contains("platform.openai.com"))
        #expect(first.contains("`\(dir.path)/src/lib/openai.ts`"), "the consumer of OPENAI_API_KEY is listed")
        // The publishable key is in the low part, after every rotate-now section.
        let urgentEnd = try #require(markdown.range(of: "## Low: public by design and test keys"))
        let publishableItem = try #require(markdown.range(of: "Stripe publishable key"))
        #expect(publishableItem.lowerBound > urgentEnd.lowerBound)
        #expect(markdown.contains("Database"))
        for secret in [Fakes.openAI, Self.publishable, Fakes.postgresPassword] { #expect(!markdown.contains(secret)) }
        // Every credential carries concrete steps: a revoke step naming where to do it.
        for item in items where item.hasPrefix("K") {
            #expect(item.contains("- [ ] "), "\(item.prefix(60))")
        }
        #expect(markdown.contains("`NODE_ENV=development` in `\(dir.path)/.env.production`"))
    }

    @Test func jsonPlanValidatesAgainstTheDocumentedSchema() throws {
        let dir = try Self.leakyNextApp()
        let result = try CLI.run(["plan", dir.path, "--format", "json"])
        #expect(result.status == 1)
        let plan = try CLI.json(result.stdout)
        let schema = try PlanSchema.load()
        let problems = schema.validate(try JSONValue.parse(result.stdout), as: "Plan")
        #expect(problems.isEmpty, "\(problems)")
        let items = try #require(plan["items"] as? [[String: Any]])
        #expect(items.first?["rule_id"] as? String == "openai.project-key")
        #expect(items.first?["client_exposed"] as? Bool == true)
        let low = items.filter { ($0["urgency"] as? [String: Any])?["tier"] as? String == "low" }.compactMap { $0["rule_id"] as? String }
        #expect(low == ["stripe.publishable-key"])
        // The schema check itself catches a wrong shape.
        guard case .object(var broken) = try JSONValue.parse(result.stdout) else { Issue.record("not an object"); return }
        broken["summary"] = .string("not an object")
        broken["surprise"] = .int(1)
        broken["complete"] = .int(1)
        #expect(schema.validate(.object(broken), as: "Plan").count == 3)
    }

    @Test func fromASavedReportGivesTheSamePlan() throws {
        let dir = try Self.leakyNextApp()
        let elsewhere = try Scratch()
        let report = elsewhere.url.appendingPathComponent("report.json").path
        let scan = try CLI.run(["scan", dir.path, "--format", "json", "-o", report])
        #expect(scan.status == 1)
        func normalised(_ text: String) -> String {
            text.split(separator: "\n").filter { !$0.contains("\"generated_at\"") && !$0.contains("\"source\"") }.joined(separator: "\n")
        }
        let fresh = try CLI.run(["plan", dir.path, "--format", "json"])
        let saved = try CLI.run(["plan", "--from", report, "--format", "json"])
        #expect(saved.status == 1, "\(saved.stderr)")
        #expect(normalised(fresh.stdout) == normalised(saved.stdout))
        let markdownFresh = try CLI.run(["plan", dir.path]).stdout
        let markdownSaved = try CLI.run(["plan", "--from", report]).stdout
        func dropHeader(_ text: String) -> String { text.split(separator: "\n").filter { !$0.hasPrefix("Scanned ") }.joined(separator: "\n") }
        #expect(dropHeader(markdownFresh) == dropHeader(markdownSaved))
    }

    /// A saved report carries its project facts: `plan --from` reads nothing from the current
    /// directory, so it gives the same plan from `/`, from the project and from an unrelated
    /// project whose files mention the same variables and ship source maps.
    @Test func planFromAReportIsTheSameFromAnyDirectory() throws {
        let dir = try Self.leakyNextApp()
        let elsewhere = try Scratch()
        let report = elsewhere.url.appendingPathComponent("report.json").path
        #expect(try CLI.run(["scan", ".", "--format", "json", "-o", report], in: dir.url).status == 1)
        let saved = try String(contentsOfFile: report, encoding: .utf8)
        #expect(saved.contains("\"project\"") && saved.contains("\"root_paths\""))
        #expect(!saved.contains(Fakes.openAI) && !saved.contains(Fakes.postgresPassword), "facts never hold file bytes")
        let unrelated = try Scratch()
        try unrelated.write("package.json", #"{ "name": "other", "dependencies": { "vite": "5.0.0" } }"# + "\n")
        try unrelated.write("src/use.ts", "const k = process.env.OPENAI_API_KEY;\n")
        try unrelated.write("dist/assets/index.js.map", "{\"version\":3,\"sources\":[],\"mappings\":\"\"}\n")
        func plan(in directory: URL) throws -> String {
            let result = try CLI.run(["plan", "--from", report, "--format", "json"], in: directory)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(!result.stderr.contains("no project facts"))
            return result.stdout.split(separator: "\n").filter { !$0.contains("\"generated_at\"") }.joined(separator: "\n")
        }
        let fromProject = try plan(in: dir.url)
        #expect(try plan(in: URL(fileURLWithPath: "/")) == fromProject)
        let fromUnrelated = try plan(in: unrelated.url)
        #expect(fromUnrelated == fromProject)
        #expect(!fromUnrelated.contains("src/use.ts") && !fromUnrelated.contains("index.js.map"))
        #expect(fromProject.contains("src/lib/openai.ts"), "the project's own consumer is in the plan")
    }

    /// Anything that is not a Leakward JSON report is refused with one line that says what it is.
    @Test func planFromRejectsWhatIsNotAReport() throws {
        let dir = try Scratch()
        try dir.write("empty.json", "{}")
        try dir.write("leak.py", "t = '\(Fakes.github)'\n")
        let sarif = try CLI.run(["scan", "leak.py", "--format", "sarif", "-o", "out.sarif"], in: dir.url)
        #expect(sarif.status == 1)
        try dir.write("text.txt", "hello")
        for (file, reason) in [("empty.json", "not a Leakward report"), ("out.sarif", "a SARIF log"), ("text.txt", "not JSON")] {
            let result = try CLI.run(["plan", "--from", file], in: dir.url)
            #expect(result.status == 2, "\(file)")
            #expect(result.stderr.contains(reason), "\(file): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(file): \(result.stderr)")
            #expect(!result.stderr.contains("The data"), "\(file): \(result.stderr)")
        }
    }

    @Test func cleanTreeHasNothingToRotateAndBadInputIsAUsageError() throws {
        let dir = try Scratch()
        try dir.write("index.ts", "export const x = process.env.API_KEY;\n")
        let clean = try CLI.run(["plan", dir.path])
        #expect(clean.status == 0)
        #expect(clean.stdout.contains("Nothing to rotate"))
        // Only a publishable key, where it belongs: listed, but nothing to act on.
        try dir.write(".env.production", "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=\(Self.publishable)\n")
        let publicOnly = try CLI.run(["plan", dir.path])
        #expect(publicOnly.status == 0)
        #expect(publicOnly.stdout.contains("## Low: public by design and test keys"))
        #expect(try CLI.run(["plan", dir.path, "--format", "yaml"]).status == 2)
        #expect(try CLI.run(["plan", "--from", dir.path + "/missing.json"]).status == 2)
    }
}

/// The tables of docs/plan-schema.md as a checker: every documented key with its type, and no others.
struct PlanSchema {
    /// Object name → key → (type, optional).
    var objects: [String: [String: (type: String, isOptional: Bool)]] = [:]

    static func load() throws -> PlanSchema {
        let text = try String(contentsOf: CLI.packageRoot.appendingPathComponent("docs/plan-schema.md"), encoding: .utf8)
        var schema = PlanSchema()
        var current: String?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("### ") { current = String(line.dropFirst(4)); schema.objects[current!] = [:]; continue }
            guard let object = current, line.hasPrefix("| `") else { continue }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let key = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            var type = cells[1]
            let isOptional = type.hasSuffix("?")
            if isOptional { type.removeLast() }
            schema.objects[object]![key] = (type, isOptional)
        }
        return schema
    }

    /// Problems found, as `path: message`.
    func validate(_ value: JSONValue, as type: String, at path: String = "$") -> [String] {
        if type.hasPrefix("[") {
            guard case .list(let list) = value else { return ["\(path): expected a list"] }
            let element = String(type.dropFirst().dropLast())
            return list.enumerated().flatMap { validate($1, as: element, at: "\(path)[\($0)]") }
        }
        switch (type, value) {
        case ("string", .string), ("int", .int), ("bool", .bool): return []
        case ("string", _), ("int", _), ("bool", _): return ["\(path): expected \(type)"]
        default: break
        }
        guard let keys = objects[type] else { return ["\(path): undocumented type \(type)"] }
        guard case .object(let object) = value else { return ["\(path): expected a \(type) object"] }
        var problems: [String] = []
        for key in object.keys where keys[key] == nil { problems.append("\(path).\(key): not in docs/plan-schema.md") }
        for (key, spec) in keys {
            guard let field = object[key], field != .null else {
                if !spec.isOptional { problems.append("\(path).\(key): missing") }
                continue
            }
            problems += validate(field, as: spec.type, at: "\(path).\(key)")
        }
        return problems
    }
}

/// JSON with its types kept apart (JSONSerialization blurs bools and numbers).
enum JSONValue: Decodable, Equatable {
    case null, bool(Bool), int(Int), double(Double), string(String), list([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int.self) { self = .int(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .list(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    static func parse(_ text: String) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }
}

/// The same kind of app inside a real git repository: tracked and ignored files.
@Suite struct PlanInGitRepositoryTests {
    static func git(_ arguments: [String], in dir: Scratch) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"] + arguments
        process.currentDirectoryURL = dir.url
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "git \(arguments)")
    }

    @Test func trackedEnvFileIsCommittedAndAConfigProblemIgnoredOneIsLocalOnly() throws {
        let dir = try Scratch()
        try dir.write(".gitignore", "node_modules/\n.env.local\n")
        try dir.write(".env.production", "DATABASE_URL=\(Fakes.postgresURL)\n")
        try dir.write(".env.local", "GITHUB_TOKEN=\(Fakes.github)\n")
        try dir.write("src/lib/db.ts", "export const url = process.env.DATABASE_URL;\n")
        try Self.git(["init", "-q"], in: dir)
        try Self.git(["add", ".gitignore", ".env.production", "src/lib/db.ts"], in: dir)
        try Self.git(["commit", "-q", "-m", "init"], in: dir)

        let result = try CLI.run(["plan", dir.path, "--format", "json"])
        #expect(result.status == 1, "\(result.stderr)")
        let plan = try CLI.json(result.stdout)
        let items = try #require(plan["items"] as? [[String: Any]])
        #expect(items.map { $0["rule_id"] as? String } == ["database.url-password", "github.pat"])
        #expect(items.map { $0["worst_channel"] as? String } == ["committed", "local-only"])
        #expect(items.map { ($0["urgency"] as? [String: Any])?["tier"] as? String } == ["rotate", "review"])
        #expect((items[0]["consumers"] as? [String])?.contains(dir.path + "/src/lib/db.ts") == true)
        let purge = try #require(items[0]["history_purge"] as? [String: Any])
        #expect(!(purge["replace_text"] as! String).contains(Fakes.postgresPassword))
        #expect(items[1]["history_purge"] == nil)
        let problems = try #require(plan["config_problems"] as? [[String: Any]])
        let kinds = problems.map { $0["kind"] as? String ?? "" }
        #expect(kinds.contains("env-file-tracked"))
        let tracked = try #require(problems.first { $0["kind"] as? String == "env-file-tracked" })
        #expect(tracked["credentials"] as? [String] == ["K1"])

        let revealed = try CLI.run(["plan", dir.path, "--format", "json", "--reveal"])
        #expect(revealed.stdout.contains(Fakes.postgresPassword), "--reveal writes the literal into the replace file")
    }
}
