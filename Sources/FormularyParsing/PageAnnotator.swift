/// Adds to a parsed page what the page itself cannot know: what a reference list (India's
/// prohibited combinations, a government price list) says about its medicine.
///
/// `MonographParser` calls it last, so every reader of the record (show, check, search, the
/// site, the API) sees the same facts. It must be cheap: it runs once for every page read.
public protocol PageAnnotator: Sendable {
    func annotate(_ page: inout ParsedPage)
}
