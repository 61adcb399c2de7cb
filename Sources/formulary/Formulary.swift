import ArgumentParser

@main
struct Formulary: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formulary",
        abstract: "An open medicine-information engine for Markdown monographs.",
        discussion: """
            A monograph is a Markdown file with YAML front matter, one medicine a file.
            Try `formulary show examples/site/content` to see how Formulary reads pages.
            """,
        version: "0.3.0",
        subcommands: [
            Init.self, Build.self, ServeCommand.self, Show.self, Check.self, Search.self, GenerateCommand.self,
            ImportCommand.self, ExportCommand.self, SuggestCommand.self, ReviewCommand.self, HistoryCommand.self,
            RevertCommand.self, UserCommand.self, AuditCommand.self, TranslationsCommand.self,
        ]
    )
}
