/// The templates and assets a site starts with. The files live in `Theme/` beside this file
/// and are compiled in (`scripts/embed-theme.py`), so the tool works without them on disk;
/// `formulary init` writes them into a new site for the owner to edit.
public enum DefaultTheme {
    /// Every default file as it is written into a new site folder: templates under
    /// `templates/`, assets under `static/assets/`, the theme's words under `strings/`.
    public static var siteFiles: [(path: String, text: String)] {
        templates.sorted { $0.key < $1.key }.map { ("templates/\($0.key).mustache", $0.value) }
            + assets.sorted { $0.key < $1.key }.map { ("static/assets/\($0.key)", $0.value) }
            + strings.sorted { $0.key < $1.key }.map { ("strings/\($0.key).yml", $0.value) }
    }
}
