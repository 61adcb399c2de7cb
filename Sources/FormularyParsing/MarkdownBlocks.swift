import CCmarkArena
import CCmarkGFM

/// A block of a Markdown document as cmark-gfm parsed it, with its place in the source.
///
/// Only the levels section and FAQ recognition need are kept: the document's top-level
/// blocks, the items of their lists, and the blocks inside those items. Deeper structure
/// stays in the source text, so a page with 10,000 nested lists costs no recursion.
struct MarkdownBlock: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case heading(level: Int)
        case paragraph
        case list
        case item
        case codeBlock
        case htmlBlock
        case blockQuote
        case thematicBreak
        case other
    }

    var kind: Kind
    /// 1-based lines in the text that was parsed.
    var startLine: Int
    var endLine: Int
    /// 1-based byte column where the block's content starts.
    var startColumn: Int
    /// Where this block's children (a list's items, an item's blocks) sit in `MarkdownOutline.nested`.
    var children: Range<Int>
}

/// The blocks of a document: plain values in two flat arrays, so walking them costs no
/// reference counting.
struct MarkdownOutline: Sendable {
    /// The document's top-level blocks.
    var blocks: [MarkdownBlock] = []
    /// Children of lists and items, each block's children contiguous.
    var nested: [MarkdownBlock] = []

    func children(of block: MarkdownBlock) -> ArraySlice<MarkdownBlock> { nested[block.children] }
}

/// Parses Markdown into blocks with cmark-gfm (GitHub's CommonMark implementation).
enum MarkdownBlockParser {
    /// How deep children go: 0 the document's blocks, 1 list items, 2 blocks inside an item.
    private static let keptDepth = 2

    static func parse(_ bytes: ArraySlice<UInt8>) -> MarkdownOutline {
        // Everything cmark allocates for this page comes from this thread's arena and is
        // released in one step when the blocks have been copied out.
        defer { formulary_cmark_arena_reset() }
        guard let parser = cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, formulary_cmark_arena_allocator()) else {
            return MarkdownOutline()
        }
        if let table = tableExtension {
            cmark_parser_attach_syntax_extension(parser, table)
        }
        bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    cmark_parser_feed(parser, $0, buffer.count)
                }
            }
        }
        guard let document = cmark_parser_finish(parser) else { return MarkdownOutline() }
        var outline = MarkdownOutline()
        collect(under: document, depth: 0, stack: &outline.blocks, nested: &outline.nested)
        return outline
    }

    /// The children of `parent` as blocks, pushed onto `stack`; deeper children kept are
    /// appended to `nested`, each block's children as one run (one stack for the whole page
    /// instead of an array per list and item).
    private static func collect(
        under parent: OpaquePointer, depth: Int, stack: inout [MarkdownBlock], nested: inout [MarkdownBlock]
    ) {
        var node = cmark_node_first_child(parent)
        while let current = node {
            let kind = kind(of: current)
            var block = MarkdownBlock(
                kind: kind,
                startLine: Int(cmark_node_get_start_line(current)),
                endLine: Int(cmark_node_get_end_line(current)),
                startColumn: Int(cmark_node_get_start_column(current)),
                children: 0..<0)
            if depth < keptDepth, kind == .list || kind == .item {
                let mark = stack.count
                collect(under: current, depth: depth + 1, stack: &stack, nested: &nested)
                let start = nested.count
                nested += stack[mark...]
                stack.removeSubrange(mark...)
                block.children = start..<nested.count
            }
            stack.append(block)
            node = cmark_node_next(current)
        }
    }

    private static func kind(of node: OpaquePointer) -> MarkdownBlock.Kind {
        let type = cmark_node_get_type(node)
        switch type {
        case CMARK_NODE_HEADING: return .heading(level: Int(cmark_node_get_heading_level(node)))
        case CMARK_NODE_PARAGRAPH: return .paragraph
        case CMARK_NODE_LIST: return .list
        case CMARK_NODE_ITEM: return .item
        case CMARK_NODE_CODE_BLOCK: return .codeBlock
        case CMARK_NODE_HTML_BLOCK: return .htmlBlock
        case CMARK_NODE_BLOCK_QUOTE: return .blockQuote
        case CMARK_NODE_THEMATIC_BREAK: return .thematicBreak
        default: return .other
        }
    }

    // cmark-gfm's extension registry is process-wide and immutable once registered: these are
    // pointers to extensions that live as long as the process and are only read (each parser
    // attaches them to its own state). `OpaquePointer` is not Sendable, hence the `unsafe`.
    nonisolated(unsafe) private static let tableExtension: OpaquePointer? = {
        cmark_gfm_core_extensions_ensure_registered()
        return cmark_find_syntax_extension("table")
    }()
}
