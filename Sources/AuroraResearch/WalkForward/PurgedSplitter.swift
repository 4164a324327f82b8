/// One train/test split of the panel's dates.
public struct Fold: Sendable, Codable, Equatable {
    public var index: Int
    /// Training dates (indices into the panel's dates), ascending, after purge and embargo.
    public var train: [Int]
    /// The test blocks: one for walk-forward, several for combinatorial CV.
    public var test: [Range<Int>]
    /// Training dates dropped because their label interval overlaps a test block's.
    public var purged: Int
    /// Training dates dropped because they start within the embargo after a test block.
    public var embargoed: Int

    public var testDates: [Int] { test.flatMap { Array($0) } }
}

/// Train/test splits that keep labels from leaking (López de Prado, *Advances in Financial
/// Machine Learning*, ch. 7). A date t's label reads prices through `labelEnd(t)`, so a test
/// block [a, b) carries information from a through L = labelEnd(b − 1). A training date t is
/// *purged* when its interval [t, labelEnd(t)] meets [a, L]; a training date after the block is
/// *embargoed* when L < t ≤ L + embargo, since what follows a test period is correlated with it.
/// Walk-forward trains on the past only, so the embargo matters in combinatorial CV.
public enum PurgedSplitter {
    /// Fixed test blocks of `test` dates, the first after `train` dates; each trained on the
    /// `train` dates before it (rolling) or on everything before it (expanding). A last block
    /// shorter than `test` is kept.
    public static func walkForward(dates n: Int, labelEnd: (Int) -> Int, settings: WalkForwardSettings) -> [Fold] {
        var folds: [Fold] = []
        var a = settings.train
        while a < n {
            let b = min(a + settings.test, n)
            let start = settings.mode == .rolling ? max(0, a - settings.train) : 0
            folds.append(split(index: folds.count, candidates: Array(start..<a), test: [a..<b], labelEnd: labelEnd, embargo: settings.embargo))
            a = b
        }
        return folds
    }

    /// Combinatorial purged CV: the dates in `groups` contiguous blocks; every choice of
    /// `testGroups` of them (in lexicographic order) is a test set, the rest trains.
    public static func combinatorial(dates n: Int, labelEnd: (Int) -> Int, groups: Int, testGroups: Int, embargo: Int) -> [Fold] {
        let bounds = (0...groups).map { $0 * n / groups }
        var folds: [Fold] = []
        for chosen in combinations(groups, testGroups) {
            let blocks = merged(chosen.map { bounds[$0]..<bounds[$0 + 1] })
            let inTest = Set(chosen.flatMap { Array(bounds[$0]..<bounds[$0 + 1]) })
            let candidates = (0..<n).filter { !inTest.contains($0) }
            folds.append(split(index: folds.count, candidates: candidates, test: blocks, labelEnd: labelEnd, embargo: embargo))
        }
        return folds
    }

    /// Removes purged and embargoed dates from `candidates`.
    static func split(index: Int, candidates: [Int], test: [Range<Int>], labelEnd: (Int) -> Int, embargo: Int) -> Fold {
        let spans = test.filter { !$0.isEmpty }.map { (a: $0.lowerBound, last: labelEnd($0.upperBound - 1)) }
        var train: [Int] = [], purged = 0, embargoed = 0
        for t in candidates {
            if spans.contains(where: { t <= $0.last && labelEnd(t) >= $0.a }) {
                purged += 1
            } else if spans.contains(where: { t > $0.last && t <= $0.last + embargo }) {
                embargoed += 1
            } else {
                train.append(t)
            }
        }
        return Fold(index: index, train: train, test: test, purged: purged, embargoed: embargoed)
    }

    /// Adjacent blocks joined, so a test set of neighbouring groups is one span.
    static func merged(_ blocks: [Range<Int>]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for b in blocks {
            if let last = out.last, last.upperBound == b.lowerBound { out[out.count - 1] = last.lowerBound..<b.upperBound } else { out.append(b) }
        }
        return out
    }

    /// k-subsets of 0..<n in lexicographic order.
    static func combinations(_ n: Int, _ k: Int) -> [[Int]] {
        guard k > 0, k <= n else { return [] }
        var out: [[Int]] = []
        var c = Array(0..<k)
        while true {
            out.append(c)
            var i = k - 1
            while i >= 0 && c[i] == n - k + i { i -= 1 }
            guard i >= 0 else { return out }
            c[i] += 1
            for j in (i + 1)..<k { c[j] = c[j - 1] + 1 }
        }
    }
}
