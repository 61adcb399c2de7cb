import FormularyReview
/// What changed between two versions of a page, section by section, and word by word inside
/// a changed section: what a reviewer reads.
public struct SectionDiff: Sendable, Equatable {
    public enum Change: Sendable, Equatable {
        case added(String)
        case removed(String)
        /// The words of both versions, each kept, inserted or deleted.
        case edited([WordChange])
    }

    public enum WordChange: Sendable, Equatable {
        case same(String)
        case inserted(String)
        case deleted(String)
    }

    public struct Section: Sendable, Equatable {
        public var name: String
        public var heading: String?
        public var change: Change
    }

    /// Changed sections only, in the new version's order (removed ones where they were).
    public var sections: [Section]

    public init(from old: String, to new: String) {
        let before = SectionText(old)
        let after = SectionText(new)
        var sections: [Section] = []
        for part in after.parts {
            if let previous = before.part(named: part.name) {
                if previous.text != part.text {
                    sections.append(
                        Section(
                            name: part.name, heading: part.heading,
                            change: .edited(Self.words(from: previous.text, to: part.text))))
                }
            } else {
                sections.append(Section(name: part.name, heading: part.heading, change: .added(part.text)))
            }
        }
        for (index, part) in before.parts.enumerated() where after.part(named: part.name) == nil {
            // After the section that came before it, when that one is still there.
            let previous = index > 0 ? before.parts[index - 1].name : nil
            let at =
                previous.flatMap { name in sections.firstIndex { $0.name == name } }.map { $0 + 1 } ?? sections.count
            sections.insert(Section(name: part.name, heading: part.heading, change: .removed(part.text)), at: at)
        }
        self.sections = sections
    }

    /// Words (and the spaces after them) of two texts, as the longest common run of words
    /// kept and the rest inserted or deleted.
    public static func words(from old: String, to new: String) -> [WordChange] {
        let a = tokens(old)
        let b = tokens(new)
        // Same words at both ends need no table.
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] {
            suffix += 1
        }
        let middleA = Array(a[prefix..<(a.count - suffix)])
        let middleB = Array(b[prefix..<(b.count - suffix)])
        var changes = a[..<prefix].map { WordChange.same($0) }
        changes += lcs(middleA, middleB)
        changes += a[(a.count - suffix)...].map { WordChange.same($0) }
        return merged(changes)
    }

    /// A longest-common-subsequence table for the changed middle: quadratic, bounded by
    /// section size; past 4 million cells, the middle is one deletion and one insertion.
    private static func lcs(_ a: [String], _ b: [String]) -> [WordChange] {
        if a.isEmpty { return b.map { .inserted($0) } }
        if b.isEmpty { return a.map { .deleted($0) } }
        guard a.count * b.count <= 4_000_000 else { return a.map { .deleted($0) } + b.map { .inserted($0) } }
        let width = b.count + 1
        var table = [Int32](repeating: 0, count: (a.count + 1) * width)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i * width + j] =
                    a[i] == b[j]
                    ? table[(i + 1) * width + j + 1] + 1 : max(table[(i + 1) * width + j], table[i * width + j + 1])
            }
        }
        var changes: [WordChange] = []
        var i = 0
        var j = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] {
                changes.append(.same(a[i]))
                i += 1
                j += 1
            } else if table[(i + 1) * width + j] >= table[i * width + j + 1] {
                changes.append(.deleted(a[i]))
                i += 1
            } else {
                changes.append(.inserted(b[j]))
                j += 1
            }
        }
        changes += a[i...].map { .deleted($0) }
        changes += b[j...].map { .inserted($0) }
        return changes
    }

    /// Neighbouring changes of one kind joined: `[-a ][-b ]` is `[-a b ]`.
    private static func merged(_ changes: [WordChange]) -> [WordChange] {
        var result: [WordChange] = []
        for change in changes {
            switch (result.last, change) {
            case (.same(let x)?, .same(let y)): result[result.count - 1] = .same(x + y)
            case (.inserted(let x)?, .inserted(let y)): result[result.count - 1] = .inserted(x + y)
            case (.deleted(let x)?, .deleted(let y)): result[result.count - 1] = .deleted(x + y)
            default: result.append(change)
            }
        }
        return result
    }

    /// A word with the white space after it: joined again, tokens give the text back.
    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var inSpace = false
        for character in text {
            let isSpace = character.isWhitespace
            if inSpace && !isSpace {
                tokens.append(current)
                current = ""
            }
            current.append(character)
            inSpace = isSpace
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    /// The diff as text for a terminal: `[-deleted-]{+inserted+}` inside each section.
    public var plainText: String {
        var output = ""
        for section in sections {
            let title = section.heading ?? "(front matter and text before the first section)"
            switch section.change {
            case .added(let text): output += "+++ \(title) (added)\n\(text)\n"
            case .removed(let text): output += "--- \(title) (removed)\n\(text)\n"
            case .edited(let words):
                output += "~~~ \(title)\n"
                for word in words {
                    switch word {
                    case .same(let text): output += text
                    case .inserted(let text): output += "{+\(text)+}"
                    case .deleted(let text): output += "[-\(text)-]"
                    }
                }
                output += "\n"
            }
        }
        return output
    }
}
