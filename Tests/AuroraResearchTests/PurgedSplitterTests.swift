import Aurora
import Testing

@Suite("Purged, embargoed splits")
struct PurgedSplitterTests {
    /// Labels from t+1's open to t+6's open: a date's label reads prices through t + 6.
    static let label = LabelSpec(horizon: 5, price: .open)

    @Test("walk-forward: the purge stops exactly where a training label would reach the test block")
    func walkForwardPurge() {
        var s = WalkForwardSettings()
        s.train = 40; s.test = 20; s.embargo = 3
        let folds = PurgedSplitter.walkForward(dates: 100, labelEnd: Self.label.end(of:), settings: s)
        #expect(folds.map(\.test) == [[40..<60], [60..<80], [80..<100]])
        let first = folds[0]
        #expect(first.train == Array(0...33), "t = 33 reads prices through 39; t = 34 would read the test block's first date")
        #expect(first.purged == 6 && first.embargoed == 0)
        #expect(folds[1].train == Array(20...53), "rolling: the 40 dates before the block, less the purge")
        #expect(folds.allSatisfy { fold in fold.train.allSatisfy { Self.label.end(of: $0) < fold.test[0].lowerBound } })
    }

    @Test("expanding windows keep everything before the block; a short last block is kept")
    func expanding() {
        var s = WalkForwardSettings()
        s.mode = .expanding; s.train = 30; s.test = 25
        let folds = PurgedSplitter.walkForward(dates: 90, labelEnd: Self.label.end(of:), settings: s)
        #expect(folds.map(\.test) == [[30..<55], [55..<80], [80..<90]])
        #expect(folds[2].train == Array(0...73))
    }

    @Test("combinatorial CV: purge before and after each test block, then the embargo after its last label")
    func combinatorial() {
        let folds = PurgedSplitter.combinatorial(dates: 100, labelEnd: Self.label.end(of:), groups: 5, testGroups: 1, embargo: 3)
        #expect(folds.count == 5)
        let middle = folds[2]
        #expect(middle.test == [40..<60])
        // Before: t ≤ 33 kept (label ends at 39). After: the block's last label ends at 65, so
        // 60…65 overlap it (purged), 66…68 are the embargo, 69 is the first kept.
        #expect(middle.train == Array(0...33) + Array(69...99))
        #expect(middle.purged == 12 && middle.embargoed == 3)
        let pairs = PurgedSplitter.combinatorial(dates: 60, labelEnd: Self.label.end(of:), groups: 6, testGroups: 2, embargo: 0)
        #expect(pairs.count == 15)
        #expect(pairs[0].test == [0..<20], "neighbouring test groups form one block")
        #expect(pairs[1].test == [0..<10, 20..<30])
    }

    @Test("close-to-close labels end h dates later")
    func closeLabels() {
        let spec = LabelSpec(horizon: 3, price: .close)
        #expect(spec.end(of: 10) == 13)
        #expect(Self.label.end(of: 10) == 16)
        #expect(spec.name == "fwd_close_3" && Self.label.name == "fwd_open_5")
    }
}
