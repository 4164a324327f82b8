/// Which models count and which one is the champion, decided by their record block by block:
/// a model whose mean Rank IC over a block falls below the floor for `retireAfter` blocks in a
/// row is retired (never the last active one); a challenger whose block IC beats the
/// champion's for `promoteAfter` blocks in a row becomes the champion (the best of them over
/// those blocks when several qualify). Blocks without a record (NaN) leave the counts alone.
public struct ModelRoster: Sendable, Equatable {
    public let names: [String]
    public private(set) var active: [Bool]
    public private(set) var champion: Int
    /// Per model, its mean Rank IC of every closed block.
    public private(set) var blocks: [[Double]]
    private var belowFloor: [Int]
    private var beating: [Int]

    public init(names: [String]) {
        self.names = names
        active = names.map { _ in true }
        champion = 0
        blocks = names.map { _ in [] }
        belowFloor = names.map { _ in 0 }
        beating = names.map { _ in 0 }
    }

    /// Closes a block with each model's mean Rank IC over it; returns the decisions it caused.
    public mutating func close(_ ics: [Double], rules: ModelStrategyConfig.Monitor) -> [ModelDecision] {
        precondition(ics.count == names.count, "a block IC per model")
        var decisions: [ModelDecision] = []
        for m in names.indices { blocks[m].append(ics[m]) }
        let keep = max(rules.retireAfter, rules.promoteAfter)
        func evidence(_ m: Int, _ n: Int) -> [Double] { Array(blocks[m].suffix(n)) }

        for m in names.indices where active[m] && ics[m].isFinite {
            belowFloor[m] = ics[m] < rules.icFloor ? belowFloor[m] + 1 : 0
        }
        for m in names.indices where active[m] && belowFloor[m] >= rules.retireAfter && active.filter({ $0 }).count > 1 {
            active[m] = false
            decisions.append(ModelDecision(action: .retired, model: names[m], evidence: evidence(m, keep),
                                           reason: "mean Rank IC below \(rules.icFloor) for \(belowFloor[m]) blocks of \(rules.block)"))
            if m == champion, let next = best(among: names.indices.filter { active[$0] }, over: rules.promoteAfter) {
                decisions.append(ModelDecision(action: .promoted, model: names[next], previous: names[m], evidence: evidence(next, keep),
                                               challengerEvidence: evidence(m, keep), reason: "the champion was retired; best active record"))
                champion = next
                beating = names.map { _ in 0 }
            }
        }
        let c = champion
        for m in names.indices where m != c {
            if active[m] && ics[m].isFinite && ics[c].isFinite { beating[m] = ics[m] > ics[c] ? beating[m] + 1 : 0 }
            else if !active[m] { beating[m] = 0 }
        }
        let ready = names.indices.filter { $0 != c && active[$0] && beating[$0] >= rules.promoteAfter }
        if let next = best(among: ready, over: rules.promoteAfter) {
            decisions.append(ModelDecision(action: .promoted, model: names[next], previous: names[c], evidence: evidence(next, keep),
                                           challengerEvidence: evidence(c, keep),
                                           reason: "beat the champion's block Rank IC \(beating[next]) blocks in a row"))
            champion = next
            beating = names.map { _ in 0 }
        }
        return decisions
    }

    /// The model with the highest mean of its last `n` defined block ICs (the first on ties).
    private func best(among candidates: [Int], over n: Int) -> Int? {
        var best: (Int, Double)?
        for m in candidates {
            let recent = blocks[m].suffix(n).filter(\.isFinite)
            let mean = recent.isEmpty ? -Double.infinity : recent.reduce(0, +) / Double(recent.count)
            if let b = best, mean <= b.1 { continue }
            best = (m, mean)
        }
        return best?.0
    }
}
