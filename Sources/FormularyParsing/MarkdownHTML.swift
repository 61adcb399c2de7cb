import CCmarkArena
import CCmarkGFM

/// Renders Markdown to HTML with cmark-gfm, GitHub's CommonMark implementation.
///
/// The output is safe to put in a page whatever the Markdown holds: cmark-gfm's safe mode
/// (the default) replaces raw HTML with a comment and drops `javascript:`, `vbscript:`,
/// `file:` and most `data:` links, and the `tagfilter` extension neutralises the tags GitHub
/// filters (`<script>`, `<iframe>`, `<style>` ...) should raw HTML ever be let through.
public enum MarkdownHTML {
    /// The HTML for `markdown`: tables, strikethrough and autolinks as on GitHub.
    public static func render(_ markdown: String) -> String {
        defer { formulary_cmark_arena_reset() }
        let memory = formulary_cmark_arena_allocator()
        guard let parser = cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, memory) else { return "" }
        for ext in extensions { cmark_parser_attach_syntax_extension(parser, ext) }
        var markdown = markdown
        markdown.withUTF8 { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    cmark_parser_feed(parser, $0, buffer.count)
                }
            }
        }
        guard let document = cmark_parser_finish(parser),
            let html = cmark_render_html_with_mem(
                document, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser), memory)
        else { return "" }
        // The arena owns `html`; copy it out before the reset above frees it.
        return String(cString: html)
    }

    // cmark-gfm's extension registry is process-wide and immutable once registered: these are
    // pointers to extensions that live as long as the process and are only read (each parser
    // attaches them to its own state). `OpaquePointer` is not Sendable, hence the `unsafe`.
    nonisolated(unsafe) private static let extensions: [OpaquePointer] = {
        cmark_gfm_core_extensions_ensure_registered()
        let names: [String] = ["table", "strikethrough", "autolink", "tagfilter"]
        return names.compactMap { name in cmark_find_syntax_extension(name) }
    }()
}
