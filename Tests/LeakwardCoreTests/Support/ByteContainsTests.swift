import Foundation
import Testing
@testable import LeakwardFindings
@testable import LeakwardSupport

/// The byte-level searches judging uses instead of Foundation's must give Foundation's answers.
@Suite struct ByteContainsTests {
    @Test func asciiContainsAgreesWithFoundation() {
        let texts = ["/app/spec/fixtures/", "theme_token", "api_key_id", "", "x", "abcabcabd", "hash\r\nsha", "config/settings.yml"]
        let needles = ["/spec/", "token", "key_id", "abd", "sha", "x", "settings", "hashsha", "abcabd"]
        for text in texts {
            for needle in needles {
                #expect(ByteSearch.asciiContains(needle, in: text) == text.contains(needle), "\(needle) in \(text)")
            }
        }
    }

    @Test func asciiContainsLeavesOtherTextToFoundation() {
        // A combining accent joins the `c` before it: the characters differ, the bytes do not.
        #expect(ByteSearch.asciiContains("nosec", in: "nose\u{0063}\u{0301}") == nil)
        #expect(ByteSearch.asciiContains("café", in: "a café") == nil)
        #expect(ByteSearch.asciiContains("a\nb", in: "a\nb") == nil)
    }

    @Test func hostlessTextIsToldWithoutParsing() {
        #expect(ValueSignals.isPlainlyHostless("token = \"abc123\""))
        #expect(!ValueSignals.isPlainlyHostless("postgres://u:p@db.internal/app"))
        #expect(!ValueSignals.isPlainlyHostless("Server=db1,1433;Password=x"))
        #expect(!ValueSignals.isPlainlyHostless("DATA SOURCE=db1;pwd=x"))
        #expect(!ValueSignals.isPlainlyHostless("Addr=db1;pwd=x"))
        #expect(!ValueSignals.isPlainlyHostless("hôst=db1;pwd=x"))
        // The answers stay those of the full parse.
        #expect(ValueSignals.host(ofConnection: "token = \"abc123\"") == nil)
        #expect(ValueSignals.host(ofConnection: "Server=db1,1433;Password=x") == "db1")
        #expect(ValueSignals.host(ofConnection: "password=x;HOST=db2") == "db2")
    }
}
