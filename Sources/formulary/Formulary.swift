import ArgumentParser

@main
struct Formulary: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formulary",
        abstract: "An open medicine-information engine: read, check, build, search and serve Markdown monographs.",
        discussion: """
            A monograph is a Markdown file with YAML front matter, one medicine a file.
            Start with `formulary show content/` to see how Formulary reads your pages.
            """,
        version: "0.1.0",
        subcommands: [Show.self]
    )
}
