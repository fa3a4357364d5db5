import Foundation
import Testing
@testable import LeakwardInputs

/// The walk's one-pass package.json reader against Foundation's JSON parser, which it replaced:
/// the same dependencies and scripts, and the same refusals.
@Suite struct PackageManifestTests {
    /// What JSONSerialization made of the same bytes, as `ShippedOutput.readPackage` read it before.
    static func reference(_ text: String) -> PackageManifest? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
        var manifest = PackageManifest()
        for key in ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] {
            if let table = object[key] as? [String: Any] { manifest.dependencies.formUnion(table.keys) }
        }
        manifest.scripts = (object["scripts"] as? [String: Any])?.values.compactMap { $0 as? String } ?? []
        return manifest
    }

    static let documents: [String] = [
        #"{"name":"a","dependencies":{"next":"14.0.0","react":"^18"},"devDependencies":{"vite":"5"},"scripts":{"build":"next build","dev":"vite"}}"#,
        #"{}"#,
        "\u{FEFF}{\"dependencies\":{\"astro\":\"4\"}}",
        #" { "peerDependencies" : { "@sveltejs/kit" : "*" } , "optionalDependencies": {"x": null} } "#,
        #"{"scripts":{"build":"react-scripts build","n":1,"o":{"deep":["gatsby build"]}},"private":true,"v":-1.5e+3}"#,
        #"{"dependencies":["next"],"scripts":"vite build"}"#,
        #"{"dependencies":{"a":"1"},"dependencies":{"b":"2"}}"#,
        #"{"scripts":{"build":"vite build","build":"nuxt generate"}}"#,
        #"{"dependencies":{"caf\u00e9":"1","\ud83d\ude00":"2","a\"b\\c\/d\n":"3"}}"#,
        #"{"workspaces":["packages/*"],"nested":{"a":{"b":{"c":[1,2,[3,{"d":false}]]}}},"dependencies":{"ok":"1"}}"#,
        "{\"dependencies\":{\"é\":\"1\"},\"description\":\"ünïcödé ✓\"}",
        // Foundation takes a comma before a closing bracket.
        #"{"a":1,}"#, #"{"a":[1,],"dependencies":{"x":"1",},"scripts":{"b":"vite build",},}"#,
        // Refused by both: not an object, damaged, trailing text, bad escapes and numbers.
        #"[1,2]"#, #"{"dependencies":{"a":"1"}"#, #"{"a":1} x"#, #"{"a":"\q"}"#, #"{"a":01}"#, #"{"a":1.}"#,
        #"{"a":tru}"#, #"{a:1}"#, #"{"a":"\ud800"}"#, "{\"a\":\"tab\there\"}", #""#, #"{,}"#, #"{"a":[,]}"#,
        #"{"a":1,,}"#, #"// c\n{}"#,
    ]

    @Test func readsWhatJSONSerializationRead() {
        for text in PackageManifestTests.documents {
            let expected = PackageManifestTests.reference(text)
            let read = PackageManifest(bytes: Array(text.utf8))
            #expect(read?.dependencies == expected?.dependencies, "\(text)")
            #expect(read.map { Set($0.scripts) } == expected.map { Set($0.scripts) }, "\(text)")
            #expect((read == nil) == (expected == nil), "\(text)")
        }
    }

    @Test func keepsTheLastOfAFieldGivenTwice() throws {
        let manifest = try #require(PackageManifest(bytes: Array(#"{"dependencies":{"a":"1"},"dependencies":{"b":"2"},"scripts":{"x":"vite","x":"next build"}}"#.utf8)))
        #expect(manifest.dependencies == ["b"])
        #expect(manifest.scripts == ["next build"])
    }

    @Test func refusesBytesThatAreNotUTF8AsJSONSerializationDoes() {
        let bytes = Array(#"{"dependencies":{"a"#.utf8) + [0xC3, 0x28] + Array(#"":"1"}}"#.utf8)
        let reference = try? JSONSerialization.jsonObject(with: Data(bytes))
        #expect(PackageManifest(bytes: bytes) == nil)
        #expect(reference == nil)
    }
}
