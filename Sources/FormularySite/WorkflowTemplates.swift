import Foundation

/// The review pages `formulary serve` shows under `/_formulary/` (suggest, suggestion, review
/// queue, history, compare, sign-in, account, sign-off, coverage, report, worklist, errors):
/// the theme's `workflow-*.mustache` templates, replaceable by a site's `templates/` like every
/// other template and as strict, in the words of each of the site's languages.
public struct WorkflowTemplates: Sendable {
    /// The templates with each language's words written in, by language.
    private let sets: [String: TemplateSet]
    /// The words of each language the site shows.
    public let strings: [String: SiteStrings]
    /// The site's languages, the main language first.
    public let languages: [String]
    public let siteTitle: String
    public let styleURL: String
    let basePath: String

    /// The templates and words of the site `request` builds (its `templates/` and `strings/`
    /// over the theme's).
    public init(request: SiteBuilder.Request, styleURL: String) throws(SiteBuilder.Failure) {
        let configuration = request.configuration
        do throws(SiteStrings.Failure) {
            strings = try SiteEditions.strings(for: configuration, stringsFolder: request.stringsFolder)
        } catch {
            throw .strings(error)
        }
        languages = [configuration.language] + configuration.languages.filter { $0 != configuration.language }
        siteTitle = configuration.title
        basePath = configuration.basePath
        self.styleURL = styleURL
        do throws(TemplateError) {
            let templates = try TemplateSet(folder: request.templatesFolder)
            try templates.checkWords(strings[configuration.language]?.keys ?? SiteStrings.english.keys)
            var sets: [String: TemplateSet] = [:]
            for language in languages {
                let words = strings[language] ?? .english
                sets[language] = try templates.inliningWords(words.templateValues(siteTitle: configuration.title))
            }
            self.sets = sets
        } catch {
            throw .template(error)
        }
    }

    public var mainLanguage: String { languages[0] }

    /// The words of `language` (the main language's for one the site does not show).
    public func words(_ language: String) -> SiteStrings {
        strings[language] ?? strings[mainLanguage] ?? .english
    }

    /// The home page of `language`'s edition.
    public func homeURL(_ language: String) -> String {
        language == mainLanguage ? basePath : basePath + language + "/"
    }

    /// Renders `workflow-NAME` in `language`, with what every review page shows (`language`,
    /// `siteTitle`, `styleURL`, `homeURL`) added to `data`.
    public func render(_ name: String, language: String, _ data: [String: Any]) throws(TemplateError) -> String {
        let language = sets[language] == nil ? mainLanguage : language
        var data = data
        data["language"] = language
        data["siteTitle"] = siteTitle
        data["styleURL"] = styleURL
        data["homeURL"] = homeURL(language)
        return try sets[language]!.render("workflow-" + name, data)
    }

    /// Values for a template that has nothing in `name` (`{{#notice}}` skips it).
    public static var none: Any { TemplateNull() }
}
