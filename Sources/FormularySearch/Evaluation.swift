import FormularyParsing

/// The evaluation set (`Evaluation/search-queries.tsv`) and the measures it gives:
/// success@1, success@5 and mean reciprocal rank, per category and overall.
public struct SearchEvaluation: Sendable {
    public struct Case: Sendable, Hashable {
        public var category: String
        public var query: String
        /// Ids any of which is a right first answer.
        public var expected: Set<String>
    }

    public struct Score: Sendable, Hashable {
        public var category: String
        public var queries: Int
        public var successAt1: Double
        public var successAt5: Double
        public var meanReciprocalRank: Double
    }

    public var cases: [Case]

    /// Reads `category<TAB>query<TAB>expected[|expected]` lines; `#` lines and the header are skipped.
    public init(tsv: String) {
        cases = tsv.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 3, fields[0] != "category" else { return nil }
            return Case(
                category: fields[0], query: fields[1],
                expected: Set(fields[2].split(separator: "|").map { $0.trimmingWhitespace() }))
        }
    }

    /// Scores ranked answers (ids, best first), one list per case, in case order.
    public func score(_ rankings: [[String]]) -> [Score] {
        var byCategory: [String: [(Bool, Bool, Double)]] = [:]
        for (testCase, ranking) in zip(cases, rankings) {
            let rank = ranking.firstIndex { testCase.expected.contains($0) }.map { $0 + 1 }
            let entry = (rank == 1, rank.map { $0 <= 5 } ?? false, rank.map { 1 / Double($0) } ?? 0)
            byCategory[testCase.category, default: []].append(entry)
            byCategory["overall", default: []].append(entry)
        }
        return byCategory.keys.sorted { ($0 == "overall" ? 1 : 0, $0) < ($1 == "overall" ? 1 : 0, $1) }.map {
            category in
            let entries = byCategory[category]!
            let count = Double(entries.count)
            return Score(
                category: category, queries: entries.count,
                successAt1: Double(entries.filter(\.0).count) / count,
                successAt5: Double(entries.filter(\.1).count) / count,
                meanReciprocalRank: entries.map(\.2).reduce(0, +) / count)
        }
    }
}
