import FormularyModel

/// The names by which a page's sections are edited one at a time (`usage`, `dosage`,
/// `other:Storage Notes`, `faqs#2` for a second FAQ section): what a section is, not where it
/// is, so that a name still means the same section after the text around it changed.
public enum SectionNames {
    /// A name for each of `sections` (in source order) that starts on a line of its own, nil
    /// for a section found inside the lines of the one before it (an inline label), which is
    /// edited with that one.
    public static func names(of sections: [Section]) -> [String?] {
        var seen: [String: Int] = [:]
        var lastLine = 0
        return sections.map { section in
            guard section.line >= 1, section.line > lastLine else { return nil }
            lastLine = section.line
            let base = section.kind == .other ? "other:\(section.heading)" : section.kind.rawValue
            let count = (seen[base] ?? 0) + 1
            seen[base] = count
            return count == 1 ? base : "\(base)#\(count)"
        }
    }
}
