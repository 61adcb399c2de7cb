import ArgumentParser
import FormularyStore
import Foundation

/// `formulary user add|list|token`: the people who may sign in to suggest and review.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Add people who may sign in (contributors, reviewers, admins), list them, or make an API token.",
        discussion: """
            formulary user add NAME --role reviewer [--qualification pharmacist]
                asks for the password twice on a terminal; otherwise reads one line from
                standard input (or --password-file FILE). At least 10 characters.
            formulary user list
            formulary user token NAME [--label TEXT]
                prints a new API token for NAME once (the store keeps only its hash).
            """)

    enum Action: String, ExpressibleByArgument, CaseIterable {
        case add, list, token
    }

    @OptionGroup var store: StoreArguments

    @Argument(help: "add, list or token.")
    var action: Action

    @Argument(help: "The person's name (letters, digits, '.', '-', '_').")
    var name: String?

    @Option(help: "contributor (suggests), reviewer (also approves and reverts) or admin.")
    var role: User.Role = .contributor

    @Option(help: "A qualification the site may require for some sections (repeatable), e.g. pharmacist.")
    var qualification: [String] = []

    @Option(help: "Read the password from this file's first line instead of asking.", completion: .file())
    var passwordFile: String?

    @Option(help: "With token: what the token is for.")
    var label = "API token"

    func validate() throws {
        if action != .list, name == nil { throw ValidationError("give the person's name") }
        if let name, !User.isValidName(name) {
            throw ValidationError("'\(name)' is not a user name: use 1 to 40 letters, digits, '.', '-' or '_'")
        }
    }

    func run() throws {
        let password = action == .add ? try readPassword() : ""
        try waitForContribution("user") {
            let contributions = try await store.contributions()
            let accounts = Accounts(store: contributions.store)
            switch action {
            case .add:
                try await accounts.addUser(
                    User(name: name!, role: role, qualifications: qualification), password: password)
                print(
                    "added \(name!) as \(role.rawValue)"
                        + (qualification.isEmpty ? "" : ", qualified as \(qualification.joined(separator: ", "))"))
            case .list:
                for user in try await contributions.store.users() {
                    print(
                        "\(user.name)  \(user.role.rawValue)"
                            + (user.qualifications.isEmpty ? "" : "  (\(user.qualifications.joined(separator: ", ")))"))
                }
            case .token:
                let token = try await accounts.issueToken(for: name!, label: label)
                print(token)
            }
        }
    }

    private func readPassword() throws -> String {
        if let passwordFile {
            guard let data = FileManager.default.contents(atPath: passwordFile),
                let text = String(data: data, encoding: .utf8)
            else { throw ValidationError("cannot read \(passwordFile)") }
            return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        }
        guard isatty(STDIN_FILENO) != 0 else { return readLine(strippingNewline: true) ?? "" }
        let first = String(cString: getpass("Password for \(name!): "))
        let second = String(cString: getpass("Again: "))
        guard first == second else { throw ValidationError("the two passwords differ") }
        return first
    }
}

extension User.Role: ExpressibleByArgument {}
