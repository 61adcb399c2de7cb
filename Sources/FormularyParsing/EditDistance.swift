/// Optimal string alignment distance: insertions, deletions, substitutions and adjacent
/// transpositions each count one (`paracetmol` is one edit from `paracetamol`). Shared by
/// did-you-mean suggestions and typo-tolerant search.
public enum EditDistance {
    /// The distance between two words, compared by Unicode scalars; with `limit`, any distance
    /// above it comes back as `limit + 1` as soon as it is certain (cheap for far-apart words).
    public static func between(_ first: String, _ second: String, limit: Int = .max) -> Int {
        let a = Array(first.unicodeScalars)
        let b = Array(second.unicodeScalars)
        if limit < .max, abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
                rowMinimum = min(rowMinimum, current[j])
            }
            if limit < .max, rowMinimum > limit { return limit + 1 }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}

/// Did-you-mean suggestions by edit distance.
public enum Spelling {
    /// The candidate nearest to `word` when it is close enough to be a typo (at most 2 edits, and
    /// fewer than half the word's length).
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let lowered = word.lowercased()
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, candidate.lowercased())
            if distance <= 2, distance * 2 < max(lowered.count, 2), best == nil || distance < best!.1 {
                best = (candidate, distance)
            }
        }
        return best?.0
    }

    /// Optimal string alignment distance (a transposition counts one).
    public static func editDistance(_ first: String, _ second: String) -> Int {
        EditDistance.between(first, second)
    }
}
