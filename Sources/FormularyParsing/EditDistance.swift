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
