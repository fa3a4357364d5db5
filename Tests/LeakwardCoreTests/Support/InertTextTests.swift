import Testing
@testable import LeakwardCore
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardReporting
@testable import LeakwardSupport

@Suite struct InertTextTests {
    @Test func controlCharactersAndOverridesBecomeVisible() {
        #expect(InertText.visible("a\n::error::x\u{1B}[31m\t\u{7}\u{202E}b") == "a\\n::error::x\\e[31m\\t\\x07\\u{202e}b")
        #expect(InertText.visible("plain/path.txt") == "plain/path.txt")
    }

    @Test func codeSpansCannotBeClosedFromInside() {
        #expect(InertText.codeSpan("src/a.js") == "`src/a.js`")
        #expect(InertText.codeSpan("a`b") == "`` a`b ``")
        #expect(InertText.codeSpan("x``y") == "``` x``y ```")
        #expect(InertText.codeSpan("a|b") == "`a\\|b`")
    }

    @Test func markdownAndHTMLSpecialsAreEscaped() {
        #expect(InertText.markdown("[x](http://e) <img> *b*") == "\\[x\\](http://e) \\<img\\> \\*b\\*")
        #expect(InertText.html("<a href=\"x\">&'") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;")
    }

    @Test func shellWordsAreQuotedWhenNeeded() {
        #expect(InertText.shellQuoted("app/.env") == "app/.env")
        #expect(InertText.shellQuoted("x; rm -rf ~") == "'x; rm -rf ~'")
        #expect(InertText.shellQuoted("it's") == "'it'\\''s'")
        #expect(InertText.shellQuoted("-rf") == "'-rf'")
    }

    @Test func ciCommandLinesAreRecognised() {
        #expect(InertText.startsCICommand("::error::x"))
        #expect(InertText.startsCICommand("  ##vso[task.setvariable]"))
        #expect(!InertText.startsCICommand("error: ::x"))
    }
}
