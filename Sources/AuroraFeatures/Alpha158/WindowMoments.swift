import Foundation

/// One window's sums, taken backward from today (k = 0) over its rows, around today's values:
/// four tight passes (closes and their range, close and volume ratios, changes, volumes) each
/// fill every window at its boundary, since the windows are nested and all end today.
struct WindowMoments {
    // close − today's close: Σy, Σy², Σk·y
    var sy = 0.0, syy = 0.0, sky = 0.0
    var maxHigh = -Double.infinity, minLow = Double.infinity
    /// Rows back of the oldest maximum high / minimum low (pandas' argmax takes the first).
    var kMax = 0, kMin = 0
    // log(volume + 1) − today's: Σl, Σl², Σy·l
    var sl = 0.0, sll = 0.0, syl = 0.0
    // close ratio and log volume ratio, both defined, around today's
    var nPair = 0, sa = 0.0, sb = 0.0, saa = 0.0, sbb = 0.0, sab = 0.0
    // close changes
    var nChange = 0, up = 0, down = 0, gain = 0.0, loss = 0.0, moved = 0.0
    // volume − today's
    var sv = 0.0, svv = 0.0
    // |ratio − 1| × volume − today's
    var nMove = 0, sx = 0.0, sxx = 0.0
    // volume changes
    var nVolume = 0, volumeGain = 0.0, volumeLoss = 0.0, volumeMoved = 0.0

    // Each pass reads pointers at today's row and steps back (X[-k]); `bounds[j]` is window j's
    // row count. NaN marks an undefined row (x != x).

    static func closes(_ C: UnsafePointer<Double>, _ H: UnsafePointer<Double>, _ L: UnsafePointer<Double>, _ LV: UnsafePointer<Double>,
                       _ bounds: UnsafePointer<Int>, _ nw: Int, into m: UnsafeMutablePointer<WindowMoments>) {
        let c0 = C[0], l0 = LV[0]
        var sy = 0.0, syy = 0.0, sky = 0.0, sl = 0.0, sll = 0.0, syl = 0.0
        var maxHigh = -Double.infinity, minLow = Double.infinity, kMax = 0, kMin = 0
        var k = 0, dk = 0.0
        for j in 0..<nw {
            let end = bounds[j]
            while k < end {
                let y = C[-k] - c0
                sy += y; syy += y * y; sky += dk * y
                let h = H[-k], lo = L[-k]
                let higher = h >= maxHigh, lower = lo <= minLow
                maxHigh = higher ? h : maxHigh; kMax = higher ? k : kMax
                minLow = lower ? lo : minLow; kMin = lower ? k : kMin
                let l = LV[-k] - l0
                sl += l; sll += l * l; syl += y * l
                k += 1; dk += 1
            }
            m[j].sy = sy; m[j].syy = syy; m[j].sky = sky; m[j].sl = sl; m[j].sll = sll; m[j].syl = syl
            m[j].maxHigh = maxHigh; m[j].minLow = minLow; m[j].kMax = kMax; m[j].kMin = kMin
        }
    }

    static func pairs(_ RA: UnsafePointer<Double>, _ LR: UnsafePointer<Double>, _ bounds: UnsafePointer<Int>, _ nw: Int,
                      into m: UnsafeMutablePointer<WindowMoments>) {
        let a0 = RA[0].isNaN ? 1 : RA[0], b0 = LR[0].isNaN ? 0 : LR[0]
        var n = 0, sa = 0.0, sb = 0.0, saa = 0.0, sbb = 0.0, sab = 0.0
        var k = 0
        for j in 0..<nw {
            let end = bounds[j]
            while k < end {
                let a = RA[-k] - a0, b = LR[-k] - b0
                if a == a && b == b {
                    n += 1; sa += a; sb += b; saa += a * a; sbb += b * b; sab += a * b
                }
                k += 1
            }
            m[j].nPair = n; m[j].sa = sa; m[j].sb = sb; m[j].saa = saa; m[j].sbb = sbb; m[j].sab = sab
        }
    }

    static func changes(_ DC: UnsafePointer<Double>, _ DV: UnsafePointer<Double>, _ bounds: UnsafePointer<Int>, _ nw: Int,
                        into m: UnsafeMutablePointer<WindowMoments>) {
        var n = 0, up = 0, down = 0, gain = 0.0, loss = 0.0, moved = 0.0
        var nv = 0, vGain = 0.0, vLoss = 0.0, vMoved = 0.0
        var k = 0
        for j in 0..<nw {
            let end = bounds[j]
            while k < end {
                let d = DC[-k]
                if d == d {
                    n += 1
                    up += d > 0 ? 1 : 0; down += d < 0 ? 1 : 0
                    gain += d > 0 ? d : 0; loss += d < 0 ? -d : 0; moved += abs(d)
                }
                let v = DV[-k]
                if v == v {
                    nv += 1
                    vGain += v > 0 ? v : 0; vLoss += v < 0 ? -v : 0; vMoved += abs(v)
                }
                k += 1
            }
            m[j].nChange = n; m[j].up = up; m[j].down = down; m[j].gain = gain; m[j].loss = loss; m[j].moved = moved
            m[j].nVolume = nv; m[j].volumeGain = vGain; m[j].volumeLoss = vLoss; m[j].volumeMoved = vMoved
        }
    }

    static func volumes(_ V: UnsafePointer<Double>, _ WM: UnsafePointer<Double>, _ bounds: UnsafePointer<Int>, _ nw: Int,
                        into m: UnsafeMutablePointer<WindowMoments>) {
        let v0 = V[0], x0 = WM[0].isNaN ? 0 : WM[0]
        var sv = 0.0, svv = 0.0, n = 0, sx = 0.0, sxx = 0.0
        var k = 0
        for j in 0..<nw {
            let end = bounds[j]
            while k < end {
                let v = V[-k] - v0
                sv += v; svv += v * v
                let x = WM[-k] - x0
                if x == x { n += 1; sx += x; sxx += x * x }
                k += 1
            }
            m[j].sv = sv; m[j].svv = svv; m[j].nMove = n; m[j].sx = sx; m[j].sxx = sxx
        }
    }

    /// Qlib's `Corr` is NaN where either side's rolling std is within 2e-5 of zero.
    static let flatStd = 2e-5

    /// The rolling operators of the window of the last `rows` rows of a `window`-bar window.
    func values(rows: Int, window: Int, minPeriods: Int, close c0: Double, volume v0: Double, weightedMove x0: Double) -> RollingValues {
        var out = RollingValues()
        out.needed = minPeriods
        let w = Double(window)
        if rows >= minPeriods {
            let n = Double(rows)
            let meanY = sy / n
            let spread = Swift.max(syy - sy * meanY, 0)            // Σ(y − ȳ)²
            out.ma = (c0 + meanY) / c0
            out.max = maxHigh / c0
            out.min = minLow / c0
            out.rsv = (c0 - minLow) / (maxHigh - minLow + 1e-12)
            out.imax = Double(rows - kMax) / w
            out.imin = Double(rows - kMin) / w
            out.imxd = Double(kMin - kMax) / w
            out.vma = (v0 + sv / n) / (v0 + 1e-12)
            if rows >= 2 {
                out.std = (spread / (n - 1)).squareRoot() / c0
                // Regression on x = −k (today at 0): only differences of x matter.
                let sk = n * (n - 1) / 2, skk = (n - 1) * n * (2 * n - 1) / 6
                let den = n * skk - sk * sk
                let num = sk * sy - n * sky
                let slope = num / den
                out.beta = slope / c0
                out.rsqr = spread > 0 ? num * num / (den * n * spread) : .nan
                out.resi = (-slope * sk / n - meanY) / c0
                let sLog = Swift.max(sll - sl * sl / n, 0)
                out.corr = Self.correlation(spread, sLog, syl - sy * sl / n, n)
                out.vstd = (Swift.max(svv - sv * sv / n, 0) / (n - 1)).squareRoot() / (v0 + 1e-12)
            }
        }
        if nPair >= minPeriods && nPair >= 2 {
            let n = Double(nPair)
            out.cord = Self.correlation(Swift.max(saa - sa * sa / n, 0), Swift.max(sbb - sb * sb / n, 0), sab - sa * sb / n, n)
        }
        if nChange >= minPeriods && nChange > 0 {
            let n = Double(nChange)
            out.cntp = Double(up) / n
            out.cntn = Double(down) / n
            out.cntd = out.cntp - out.cntn
            out.sump = gain / (moved + 1e-12)
            out.sumn = loss / (moved + 1e-12)
            out.sumd = (gain - loss) / (moved + 1e-12)
        }
        if nMove >= minPeriods && nMove >= 2 {
            let n = Double(nMove)
            let sd = (Swift.max(sxx - sx * sx / n, 0) / (n - 1)).squareRoot()
            out.wvma = sd / (x0 + sx / n + 1e-12)
        }
        if nVolume >= minPeriods && nVolume > 0 {
            out.vsump = volumeGain / (volumeMoved + 1e-12)
            out.vsumn = volumeLoss / (volumeMoved + 1e-12)
            out.vsumd = (volumeGain - volumeLoss) / (volumeMoved + 1e-12)
        }
        return out
    }

    /// Pearson's r from the centred sums; NaN when either side is flat (Qlib's rule).
    static func correlation(_ sxx: Double, _ syy: Double, _ sxy: Double, _ n: Double) -> Double {
        guard (sxx / (n - 1)).squareRoot() > flatStd, (syy / (n - 1)).squareRoot() > flatStd else { return .nan }
        return sxy / (sxx * syy).squareRoot()
    }
}

/// One window's 29 operator values, NaN until set.
struct RollingValues {
    var needed = 0
    var roc = Double.nan, ma = Double.nan, std = Double.nan, beta = Double.nan, rsqr = Double.nan, resi = Double.nan
    var max = Double.nan, min = Double.nan, qtlu = Double.nan, qtld = Double.nan, rank = Double.nan, rsv = Double.nan
    var imax = Double.nan, imin = Double.nan, imxd = Double.nan, corr = Double.nan, cord = Double.nan
    var cntp = Double.nan, cntn = Double.nan, cntd = Double.nan, sump = Double.nan, sumn = Double.nan, sumd = Double.nan
    var vma = Double.nan, vstd = Double.nan, wvma = Double.nan, vsump = Double.nan, vsumn = Double.nan, vsumd = Double.nan

    /// Stores the values in operator order at `(13 + op × windows + window) × symbols + symbol`.
    @inline(__always)
    func write(to out: UnsafeMutablePointer<Double>, window j: Int, windows nw: Int, symbol s: Int, symbols S: Int) {
        let all = (roc, ma, std, beta, rsqr, resi, max, min, qtlu, qtld, rank, rsv, imax, imin, imxd, corr, cord,
                   cntp, cntn, cntd, sump, sumn, sumd, vma, vstd, wvma, vsump, vsumn, vsumd)
        var p = out + (Alpha158.rollingStart + j) * S + s
        let stride = nw * S
        withUnsafeBytes(of: all) { raw in
            for v in raw.bindMemory(to: Double.self) {
                p.pointee = v
                p += stride
            }
        }
    }
}
