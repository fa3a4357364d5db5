import Testing
@testable import LeakwardRules

/// The one loader behind rules, config checks and rotation playbooks: every typo is an error
/// that names the file and the entry, never a silently dropped entry.
@Suite struct DataTableTests {
    let known: Set<String> = ["id", "title"]

    @Test func readsEachTableWithItsLabel() throws {
        let text = "[[check]]\nid = \"a\"\ntitle = \"A\"\n\n[[check]]\ntitle = \"no id\"\n"
        let tables = try DataTable.tables(named: "check", knownKeys: known, fromTOML: text, path: "c.toml")
        #expect(tables.map(\.label) == ["a", "#2"])
        #expect(try tables[0].required("title") == "A")
        #expect(throws: RuleError.missingKey(path: "c.toml", rule: "#2", key: "id")) { try tables[1].required("id") }
    }

    @Test func anUnknownKeyNamesTheEntry() {
        let text = "[[check]]\nid = \"a\"\ntitel = \"typo\"\n"
        #expect(throws: RuleError.unknownKey(path: "c.toml", rule: "a", key: "titel")) {
            try DataTable.tables(named: "check", knownKeys: known, fromTOML: text, path: "c.toml")
        }
    }

    @Test func anotherTopLevelKeyIsAnError() {
        #expect(throws: RuleError.unknownKey(path: "c.toml", rule: "file", key: "rule")) {
            try DataTable.tables(named: "check", knownKeys: known, fromTOML: "[[rule]]\nid = \"x\"\n", path: "c.toml")
        }
        #expect((try? DataTable.tables(named: "check", knownKeys: known, fromTOML: "", path: "c.toml"))?.isEmpty == true)
    }
}
