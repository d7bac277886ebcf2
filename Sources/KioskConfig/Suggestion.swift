/// "did you mean daily_limit?" for a misspelt key: the known key within a small edit distance.
///
/// Operators edit this file by hand on a hall's server; naming the intended key turns a refusal
/// to start into a one-character fix.
package enum Suggestion {
    /// The closest of `candidates` to `word`, if it is close enough to be a plausible typo
    /// (at most 2 edits, and fewer than half the word); ties go to the alphabetically first.
    package static func closest(to word: String, among candidates: Set<String>) -> String? {
        let limit = min(2, max(1, word.count / 2))
        return candidates
            .map { (distance: editDistance(word, $0), candidate: $0) }
            .filter { $0.distance <= limit }
            .min { ($0.distance, $0.candidate) < ($1.distance, $1.candidate) }?
            .candidate
    }

    /// Levenshtein distance, counting a swap of two neighbours as one edit (`daliy` → `daily`).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
