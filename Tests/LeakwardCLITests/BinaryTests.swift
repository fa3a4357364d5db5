import Foundation
import Testing

/// Binaries are searched, not skipped (issue 17.2): the printable runs of a compiled program,
/// a SQLite database and a `.pyc` are matched with the rules that have a strong format. Each
/// fixture is made at test time by the tool that makes it for real, when it is installed.
@Suite struct BinaryTests {
    func findings(in dir: Scratch) throws -> (status: Int32, findings: [[String: Any]], errors: [[String: Any]]) {
        let result = try CLI.run(["scan", ".", "--no-git", "--format", "json"], in: dir.url)
        let report = try CLI.json(result.stdout)
        #expect(!result.stdout.contains(Fakes.github), "the secret is redacted")
        return (result.status, report["findings"] as? [[String: Any]] ?? [], report["errors"] as? [[String: Any]] ?? [])
    }

    static func path(_ finding: [String: Any]) -> String { (finding["location"] as? [String: Any])?["path"] as? String ?? "" }
    static func decoders(_ finding: [String: Any]) -> [String] {
        ((finding["location"] as? [String: Any])?["decoders"] as? [[String: Any]])?.compactMap { $0["decoder"] as? String } ?? []
    }

    static func tool(_ name: String) -> String? {
        ["/usr/bin/", "/usr/local/bin/", "/bin/"].map { $0 + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test func aTokenCompiledIntoAProgramIsFound() throws {
        let dir = try Scratch()
        if let cc = Self.tool("cc") ?? Self.tool("gcc") ?? Self.tool("clang") {
            try dir.write("main.c", "#include <stdio.h>\nstatic const char *token = \"\(Fakes.github)\";\nint main(void) { puts(token); return 0; }\n")
            let built = try CLI.runTool(cc, ["-O2", "-o", "app", "main.c"], in: dir.url)
            try #require(built.status == 0, "\(built.stdout)")
            try FileManager.default.removeItem(at: dir.url.appendingPathComponent("main.c"))
        } else {
            // No compiler here: an ELF header, padding and the literal in a read-only section.
            var elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 120)
            elf += Array(Fakes.github.utf8) + [0] + [UInt8](repeating: 0, count: 64)
            try dir.write("app", Data(elf))
        }
        // A Windows-style UTF-16LE string table holding a second copy.
        var pe: [UInt8] = Array("MZ".utf8) + [UInt8](repeating: 0, count: 62)
        for byte in Fakes.github.utf8 { pe += [byte, 0] }
        pe += [0, 0] + [UInt8](repeating: 0xFF, count: 16)
        try dir.write("app.exe", Data(pe))
        let (status, found, _) = try findings(in: dir)
        #expect(status == 1)
        let app = found.first { Self.path($0) == "app" }
        #expect(app?["rule_id"] as? String == "github.pat", "\(found)")
        #expect(app.map(Self.decoders) == ["strings"])
        let exe = found.first { Self.path($0) == "app.exe" }
        #expect(exe?["rule_id"] as? String == "github.pat", "\(found)")
        #expect(exe.map(Self.decoders) == ["strings"])
    }

    @Test func aTokenInASQLiteDatabaseIsFound() throws {
        let dir = try Scratch()
        let python = try #require(Self.tool("python3"))
        let script = "import sqlite3,sys; c=sqlite3.connect('app.db'); c.execute('create table settings(k text, v text)'); "
            + "c.execute('insert into settings values (?, ?)', ('openai', sys.argv[1])); c.commit(); c.close()"
        let made = try CLI.runTool(python, ["-c", script, Fakes.openAI], in: dir.url)
        try #require(made.status == 0, "\(made.stdout)")
        let (status, found, _) = try findings(in: dir)
        #expect(status == 1)
        let db = found.first { Self.path($0) == "app.db" }
        #expect(db?["rule_id"] as? String == "openai.project-key", "\(found)")
    }

    @Test func aTokenInACompiledPythonModuleIsFound() throws {
        let dir = try Scratch()
        let python = try #require(Self.tool("python3"))
        try dir.write("settings.py", "GITHUB_TOKEN = '\(Fakes.github)'\n")
        let compiled = try CLI.runTool(python, ["-c", "import py_compile; py_compile.compile('settings.py', cfile='settings.pyc', doraise=True)"], in: dir.url)
        try #require(compiled.status == 0, "\(compiled.stdout)")
        try FileManager.default.removeItem(at: dir.url.appendingPathComponent("settings.py"))
        let (status, found, errors) = try findings(in: dir)
        #expect(status == 1)
        #expect(found.contains { Self.path($0) == "settings.pyc" && $0["rule_id"] as? String == "github.pat" }, "\(found) \(errors)")
    }

    /// A 51-byte legacy OpenAI key in a `.pyc`: its marshal type byte (`z`) and its length
    /// (`3`) are both printable, so the printable run starts two bytes before the key.
    @Test func aLongKeyInACompiledPythonModuleIsFound() throws {
        let dir = try Scratch()
        let python = try #require(Self.tool("python3"))
        let key = "sk-" + "u4rlL6e0ETfIN8aWSgar" + "T3BlbkFJ" + "Qm2Xp9Lk7Rt3Vz8Nc4Wy"
        try dir.write("constants.py", "APIKEY = '\(key)'\n")
        let compiled = try CLI.runTool(python, ["-c", "import py_compile; py_compile.compile('constants.py', cfile='constants.pyc', doraise=True)"], in: dir.url)
        try #require(compiled.status == 0, "\(compiled.stdout)")
        try FileManager.default.removeItem(at: dir.url.appendingPathComponent("constants.py"))
        let (status, found, errors) = try findings(in: dir)
        #expect(status == 1)
        #expect(found.contains { Self.path($0) == "constants.pyc" && $0["rule_id"] as? String == "openai.legacy-key" }, "\(found) \(errors)")
    }

    /// A pickle (protocol 3, as a LangChain vector store of 2023 was saved) keeps each string
    /// after `X` and a 32-bit little-endian length, and the opcode after it is a letter (`q`
    /// BINPUT, `u` SETITEMS): the key's end is where its length says, not a boundary byte.
    @Test func aKeyInAPickledObjectIsFound() throws {
        let dir = try Scratch()
        let python = try #require(Self.tool("python3"))
        let key = "sk-" + "u4rlL6e0ETfIN8aWSgar" + "T3BlbkFJ" + "Qm2Xp9Lk7Rt3Vz8Nc4Wy"
        let script = "import pickle; open('faiss_store.pkl', 'wb').write(pickle.dumps({'model_name': 'babbage', 'openai_api_key': '\(key)', 'chunk_size': 1000}, protocol=3))"
        let pickled = try CLI.runTool(python, ["-c", script], in: dir.url)
        try #require(pickled.status == 0, "\(pickled.stdout)")
        let (status, found, errors) = try findings(in: dir)
        #expect(status == 1)
        #expect(found.contains { Self.path($0) == "faiss_store.pkl" && $0["rule_id"] as? String == "openai.legacy-key" }, "\(found) \(errors)")
    }

    /// Only strong formats match in a binary: a name and a random-looking value (a symbol table
    /// is full of both) is not a finding there, though it is one in a text file.
    @Test func genericRulesStayOffInBinaries() throws {
        let dir = try Scratch()
        let assignment = "DB_PASSWORD=Xq7Lm2Zp9Rt4Wv8Ks3Nb"
        var blob: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 56)
        blob += Array(assignment.utf8) + [0] + [UInt8](repeating: 0, count: 32)
        try dir.write("tool", Data(blob))
        try dir.write("app.env", assignment + "\n")
        let (_, found, errors) = try findings(in: dir)
        #expect(found.contains { Self.path($0) == "app.env" }, "the text file's value is a finding: \(found)")
        #expect(!found.contains { Self.path($0) == "tool" }, "\(found)")
        #expect(!errors.contains { ($0["path"] as? String) == "tool" }, "the binary was searched, not skipped: \(errors)")
    }
}
