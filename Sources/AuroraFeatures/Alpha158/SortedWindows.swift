/// Each symbol's last closes, kept sorted per window, for the rolling quantiles and the rank of
/// today's close: a bar removes the close leaving each window and inserts its own (a binary
/// search and a short move), instead of sorting the window again.
struct SortedWindows {
    let windows: [Int]
    /// Where each window's region starts inside a symbol's block.
    private let offsets: [Int]
    private let block: Int
    private(set) var symbols = 0
    private var values: [Double] = []
    private var sizes: [Int] = []

    init(windows: [Int]) {
        self.windows = windows
        var offsets: [Int] = []
        var total = 0
        for w in windows { offsets.append(total); total += w }
        self.offsets = offsets
        self.block = total
    }

    mutating func grow(to n: Int) {
        guard n > symbols else { return }
        values.append(contentsOf: repeatElement(0, count: (n - symbols) * block))
        sizes.append(contentsOf: repeatElement(0, count: (n - symbols) * windows.count))
        symbols = n
    }

    /// Window `j` of symbol `s` takes `entering` and, when it was full, drops `leaving`.
    mutating func update(_ s: Int, _ j: Int, entering: Double, leaving: Double?) {
        let start = s * block + offsets[j]
        let k = s * windows.count + j
        var n = sizes[k]
        values.withUnsafeMutableBufferPointer { buf in
            let a = buf.baseAddress! + start
            if let leaving, n > 0 {
                let i = Self.lowerBound(a, n, leaving)
                if i < n && a[i] == leaving {
                    (a + i).update(from: a + i + 1, count: n - i - 1)
                    n -= 1
                }
            }
            let i = Self.lowerBound(a, n, entering)
            (a + i + 1).update(from: a + i, count: n - i)
            a[i] = entering
            n += 1
        }
        sizes[k] = n
    }

    /// The sorted values of window `j` of symbol `s`, for reading.
    @inline(__always)
    func withWindow<R>(_ s: Int, _ j: Int, _ body: (UnsafePointer<Double>, Int) -> R) -> R {
        let start = s * block + offsets[j]
        let n = sizes[s * windows.count + j]
        return values.withUnsafeBufferPointer { body($0.baseAddress! + start, n) }
    }

    /// Linear interpolation between order statistics (pandas' and numpy's default).
    @inline(__always)
    static func quantile(_ a: UnsafePointer<Double>, _ n: Int, _ q: Double) -> Double {
        let position = q * Double(n - 1)
        let below = Int(position)
        let above = Swift.min(below + 1, n - 1)
        return a[below] + (a[above] - a[below]) * (position - Double(below))
    }

    /// pandas' `rank(pct=True)` of `x` among the window: its average 1-based rank over n.
    @inline(__always)
    static func percentile(_ a: UnsafePointer<Double>, _ n: Int, _ x: Double) -> Double {
        let less = lowerBound(a, n, x)
        var equal = 0
        while less + equal < n && a[less + equal] == x { equal += 1 }
        return (Double(less) + Double(equal + 1) / 2) / Double(n)
    }

    @inline(__always)
    static func lowerBound(_ a: UnsafePointer<Double>, _ n: Int, _ x: Double) -> Int {
        var lo = 0, hi = n
        while lo < hi {
            let mid = (lo + hi) >> 1
            if a[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    @inline(__always)
    static func lowerBound(_ a: UnsafeMutablePointer<Double>, _ n: Int, _ x: Double) -> Int {
        lowerBound(UnsafePointer(a), n, x)
    }
}
