/// What the model strategy remembers of its last `capacity` bar times: each date's features
/// (feature-major, as the sources write them), its labels once they are known (NaN until
/// then), each model's predictions and the ensemble's score. A ring: date t lives in slot
/// t mod capacity until date t + capacity takes it, so memory stays flat however long a run is.
/// Slots are allocated as dates arrive, so a window longer than the run costs only the run.
struct DateHistory {
    let capacity: Int, features: Int, symbols: Int, models: Int
    private(set) var values: [Double]
    private(set) var labels: [Double]
    /// Per slot: one row of predictions per model, then the ensemble's score.
    private(set) var predictions: [Double]
    /// Per slot, the date (step index) it holds, and that date's bar time.
    private(set) var dates: [Int]
    private(set) var times: [Int64]

    init(capacity: Int, features: Int, symbols: Int, models: Int) {
        self.capacity = capacity
        self.features = features
        self.symbols = symbols
        self.models = models
        values = []
        labels = []
        predictions = []
        dates = []
        times = []
    }

    /// The slot of date t, or nil when the ring no longer (or not yet) holds it.
    func slot(_ t: Int) -> Int? {
        guard t >= 0 else { return nil }
        let k = t % capacity
        return k < dates.count && dates[k] == t ? k : nil
    }

    func time(_ t: Int) -> Int64? { slot(t).map { times[$0] } }

    /// Takes the oldest slot for date t, every value NaN.
    mutating func begin(_ t: Int, time: Int64) -> Int {
        let k = t % capacity
        if k >= dates.count {
            // Dates arrive in order, so only the next slot can be missing.
            let grow = k + 1 - dates.count
            dates += repeatElement(-1, count: grow)
            times += repeatElement(0, count: grow)
            values += repeatElement(.nan, count: grow * features * symbols)
            labels += repeatElement(.nan, count: grow * symbols)
            predictions += repeatElement(.nan, count: grow * (models + 1) * symbols)
        }
        dates[k] = t
        times[k] = time
        let F = features * symbols, P = (models + 1) * symbols
        values.withUnsafeMutableBufferPointer { $0[(k * F)..<((k + 1) * F)].update(repeating: .nan) }
        labels.withUnsafeMutableBufferPointer { $0[(k * symbols)..<((k + 1) * symbols)].update(repeating: .nan) }
        predictions.withUnsafeMutableBufferPointer { $0[(k * P)..<((k + 1) * P)].update(repeating: .nan) }
        return k
    }

    /// Slot k's features: `[feature × symbols + symbol]`.
    mutating func withFeatures<R>(_ k: Int, _ body: (UnsafeMutableBufferPointer<Double>) -> R) -> R {
        let n = features * symbols
        return values.withUnsafeMutableBufferPointer { body(UnsafeMutableBufferPointer(rebasing: $0[(k * n)..<((k + 1) * n)])) }
    }

    func feature(_ k: Int, _ f: Int, _ s: Int) -> Double { values[(k * features + f) * symbols + s] }

    /// Slot k's features of `rows` (symbol indexes) as a row-major matrix: row r, feature f at
    /// `out[r × features + f]`.
    func copyRows(_ k: Int, symbols rows: [Int], into out: inout [Double]) {
        let F = features, n = symbols
        values.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { o in
                for f in 0..<F {
                    let column = v.baseAddress! + (k * F + f) * n
                    for (r, s) in rows.enumerated() { o[r * F + f] = column[s] }
                }
            }
        }
    }

    func hasFeature(_ k: Int, _ s: Int) -> Bool {
        for f in 0..<features where values[(k * features + f) * symbols + s].isFinite { return true }
        return false
    }

    func label(_ k: Int, _ s: Int) -> Double { labels[k * symbols + s] }
    mutating func setLabels(_ k: Int, _ row: [Double]) {
        labels.replaceSubrange((k * symbols)..<((k + 1) * symbols), with: row)
    }
    func labelRow(_ k: Int) -> [Double] { Array(labels[(k * symbols)..<((k + 1) * symbols)]) }

    /// Model m's predictions in slot k (m == models: the ensemble's score).
    func predictionRow(_ k: Int, _ m: Int) -> [Double] {
        let start = (k * (models + 1) + m) * symbols
        return Array(predictions[start..<(start + symbols)])
    }
    mutating func setPrediction(_ k: Int, _ m: Int, _ s: Int, _ v: Double) { predictions[(k * (models + 1) + m) * symbols + s] = v }
}
