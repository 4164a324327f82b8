import Foundation

/// Each symbol's recent bars and the series derived from them, contiguous per field so a
/// window is a plain slice. A symbol's region holds `capacity` rows; when it fills, the newest
/// `keep − 1` rows move to its start (amortized O(1) per bar, memory bounded by the longest
/// window however long the run).
struct SymbolHistory {
    /// The per-row series, in storage order.
    enum Field: Int, CaseIterable {
        case close, high, low, volume
        /// log(volume + 1)
        case logVolume
        /// close / previous close
        case ratio
        /// log(volume / previous volume + 1)
        case logVolumeRatio
        /// close − previous close
        case change
        /// |close / previous close − 1| × volume
        case weightedMove
        /// volume − previous volume
        case volumeChange
    }

    static let fields = Field.allCases.count
    let keep: Int
    let capacity: Int
    private(set) var symbols = 0
    var rows: [Double] = []
    var length: [Int] = []

    /// Room for `keep` rows per symbol (the longest window and one more, for `Ref(close, w)`).
    init(keep: Int) {
        self.keep = keep
        self.capacity = 2 * keep
    }

    mutating func grow(to n: Int) {
        guard n > symbols else { return }
        rows.append(contentsOf: repeatElement(.nan, count: (n - symbols) * Self.fields * capacity))
        length.append(contentsOf: repeatElement(0, count: n - symbols))
        symbols = n
    }

    @inline(__always) func base(_ s: Int, _ f: Field) -> Int { (s * Self.fields + f.rawValue) * capacity }

    /// Appends a bar's fields and what derives from the previous row; returns the new row's index.
    mutating func push(_ s: Int, close c: Double, high h: Double, low l: Double, volume v: Double) -> Int {
        if length[s] == capacity { compact(s) }
        let p = length[s]
        let hasPrevious = p > 0
        let cPrev = hasPrevious ? rows[base(s, .close) + p - 1] : .nan
        let vPrev = hasPrevious ? rows[base(s, .volume) + p - 1] : .nan
        rows[base(s, .close) + p] = c
        rows[base(s, .high) + p] = h
        rows[base(s, .low) + p] = l
        rows[base(s, .volume) + p] = v
        rows[base(s, .logVolume) + p] = log(v + 1)
        let ratio = c / cPrev
        rows[base(s, .ratio) + p] = ratio
        let lvr = log(v / vPrev + 1)
        rows[base(s, .logVolumeRatio) + p] = lvr.isFinite ? lvr : .nan
        rows[base(s, .change) + p] = c - cPrev
        rows[base(s, .weightedMove) + p] = abs(ratio - 1) * v
        rows[base(s, .volumeChange) + p] = v - vPrev
        length[s] = p + 1
        return p
    }

    private mutating func compact(_ s: Int) {
        let moved = keep - 1
        for f in Field.allCases {
            let b = base(s, f)
            for i in 0..<moved { rows[b + i] = rows[b + capacity - moved + i] }
        }
        length[s] = moved
    }
}
