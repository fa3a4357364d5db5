import ArgumentParser
import LeakwardCore

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List or self-test the rule catalogue.", subcommands: [Check.self, List.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "check", abstract: "Verify every rule against its own examples.")

        @Option(name: .customLong("rules"), help: "Extra rule directories or files to check with the built-in ones.")
        var ruleDirectories: [String] = []

        func run() throws {
            let ruleSet: RuleSet
            do {
                ruleSet = try RuleSet.builtIn(addingFilesIn: ruleDirectories)
            } catch let error as RuleError {
                throw CLIError(error.description)
            }
            let checks: ConfigCheckSet
            do {
                checks = try ConfigCheckSet.builtIn()
            } catch let error as RuleError {
                throw CLIError(error.description)
            }
            let problems = RuleCheck.run(ruleSet) + ConfigCheckGate.run(checks, rules: ruleSet)
            for problem in problems { print("FAIL \(problem)") }
            print("\(ruleSet.rules.count) rules and \(checks.checks.count) config checks checked, \(problems.count) problems")
            if !problems.isEmpty { throw LeakwardExit.findings }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Print the catalogue: id, category, provider, severity.")

        func run() throws {
            let ruleSet = try RuleSet.builtIn()
            let width = ruleSet.rules.map(\.id.count).max() ?? 10
            for rule in ruleSet.rules {
                let id = rule.id.padding(toLength: width, withPad: " ", startingAt: 0)
                let category = rule.category.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
                let provider = rule.provider.padding(toLength: 20, withPad: " ", startingAt: 0)
                print("\(id)  \(category)  \(provider)  \(rule.severity.name)\(rule.isPublicByDesign ? " (public by design)" : "")")
            }
        }
    }
}
