import Testing
@testable import LeakwardFindings
@testable import LeakwardRules

/// Shapes seen on the eleventh fresh held-out panel (dotfiles, home-lab and self-hosting configs,
/// personal bots): each judged for what it is, with must-match and must-not cases (values here
/// are made up, never the panel's).
@Suite struct HomeLabPanelTests {
    @Test func whereHomeLabFilesSit() {
        // An Ansible role's defaults are every user's defaults; its Molecule scenarios are tests.
        #expect(LocationContext.of(path: "roles/gitea/defaults/main.yml") == .example)
        #expect(LocationContext.of(path: "roles/drone-ci/molecule/default/molecule.yml") == .test)
        #expect(LocationContext.of(path: "roles/gitea/tasks/main.yml") == .production)
        #expect(LocationContext.of(path: "group_vars/all.yml") == .production)
        // A Home Assistant configuration's CI stand-ins for secrets.yaml are made up; the real one is not.
        #expect(LocationContext.of(path: "config/travis_secrets.yaml") == .fixture)
        #expect(LocationContext.of(path: "config/fake_secrets.yaml") == .fixture)
        #expect(LocationContext.of(path: "secrets.fake.yaml") == .fixture)
        #expect(LocationContext.of(path: ".stubs/secrets.yaml") == .fixture)
        #expect(LocationContext.of(path: "secrets.yaml") == .production)
        #expect(LocationContext.of(path: "config/secrets.yaml") == .production)
        // Dependencies fetched into `deps/` (Mix, Home Assistant) are vendored.
        #expect(LocationContext.of(path: "deps/werkzeug/urls.py") == .vendored)
        #expect(LocationContext.of(path: "lib/deploy/config.py") == .production)
    }
}
