import Foundation

/// One plot as inline SVG: a frame, an x and a y axis (`<g class="axis x">`, `<g class="axis
/// y">`) with ticks and labels, the marks as paths, a legend. A plot without data keeps its
/// frame and axes and says why in its middle, so an empty section is never a blank box.
public struct Chart: Sendable {
    public enum XAxis: Sendable { case time, value, categories([String]) }
    public enum Format: Sendable { case percent, number, money, bps }

    public struct Series: Sendable {
        public enum Style: Sendable { case line, area, columns }
        public var name: String
        public var x: [Double]
        public var y: [Double]
        public var color: String
        public var style: Style
        public init(_ name: String, x: [Double], y: [Double], color: String, style: Style = .line) {
            self.name = name
            self.x = x
            self.y = y
            self.color = color
            self.style = style
        }
    }

    public var title: String
    public var xAxis: XAxis
    public var yFormat: Format
    public var series: [Series]
    /// What the plot says when no series has a finite point.
    public var emptyReason: String
    public var width = 860.0, height = 260.0
    /// A horizontal line at this value (0 for returns), when inside the range.
    public var baseline: Double? = 0

    public init(title: String, xAxis: XAxis = .time, yFormat: Format, series: [Series], emptyReason: String = "no data") {
        self.title = title
        self.xAxis = xAxis
        self.yFormat = yFormat
        self.series = series
        self.emptyReason = emptyReason
    }

    static let margin = (left: 64.0, right: 16.0, top: 30.0, bottom: 34.0)

    public var svg: String {
        let m = Self.margin
        let plotW = width - m.left - m.right, plotH = height - m.top - m.bottom
        var out = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\" aria-label=\"\(SVGText.escape(title))\">"
        out += "<text class=\"title\" x=\"\(n(m.left))\" y=\"18\">\(SVGText.escape(title))</text>"
        out += "<path class=\"frame\" d=\"M\(n(m.left)),\(n(m.top))h\(n(plotW))v\(n(plotH))h\(n(-plotW))z\"/>"

        var points: [(Double, Double)] = []
        for s in series { for (x, y) in zip(s.x, s.y) where x.isFinite && y.isFinite { points.append((x, y)) } }
        guard !points.isEmpty else {
            out += "<g class=\"axis x\"></g><g class=\"axis y\"></g>"
            out += "<text class=\"empty\" x=\"\(n(m.left + plotW / 2))\" y=\"\(n(m.top + plotH / 2))\" text-anchor=\"middle\">\(SVGText.escape(emptyReason))</text>"
            return out + "</svg>"
        }
        var (x0, x1) = (points.map(\.0).min() ?? 0, points.map(\.0).max() ?? 1)
        var (y0, y1) = (points.map(\.1).min() ?? 0, points.map(\.1).max() ?? 1)
        let hasColumns = series.contains { $0.style == .columns || $0.style == .area }
        if hasColumns { y0 = min(y0, 0); y1 = max(y1, 0) }
        if case .categories(let names) = xAxis { x0 = -0.5; x1 = Double(names.count) - 0.5 }
        if x1 == x0 { x0 -= 0.5; x1 += 0.5 }
        if y1 == y0 { let pad = y0 == 0 ? 1 : abs(y0) * 0.05; y0 -= pad; y1 += pad }
        let pad = (y1 - y0) * 0.05
        if !(hasColumns && y0 == 0) { y0 -= pad }
        y1 += pad
        let sx = { (x: Double) in m.left + (x - x0) / (x1 - x0) * plotW }
        let sy = { (y: Double) in m.top + (y1 - y) / (y1 - y0) * plotH }

        // y axis: grid lines and labels.
        out += "<g class=\"axis y\">"
        for t in Ticks.values(y0, y1) {
            let y = sy(t)
            out += "<path class=\"grid\" d=\"M\(n(m.left)),\(n(y))h\(n(plotW))\"/>"
            out += "<text x=\"\(n(m.left - 6))\" y=\"\(n(y + 4))\" text-anchor=\"end\">\(SVGText.escape(label(t)))</text>"
        }
        out += "</g>"
        // x axis.
        out += "<g class=\"axis x\">"
        let bottom = m.top + plotH
        switch xAxis {
        case .time:
            for t in Ticks.times(x0, x1) {
                let x = sx(t.seconds)
                out += "<path class=\"tick\" d=\"M\(n(x)),\(n(bottom))v5\"/>"
                out += "<text x=\"\(n(x))\" y=\"\(n(bottom + 18))\" text-anchor=\"middle\">\(SVGText.escape(t.label))</text>"
            }
        case .value:
            for t in Ticks.values(x0, x1, count: 8) {
                let x = sx(t)
                out += "<path class=\"tick\" d=\"M\(n(x)),\(n(bottom))v5\"/>"
                out += "<text x=\"\(n(x))\" y=\"\(n(bottom + 18))\" text-anchor=\"middle\">\(SVGText.escape(label(t)))</text>"
            }
        case .categories(let names):
            let every = max(1, names.count / 16)
            for (i, name) in names.enumerated() where i % every == 0 {
                let x = sx(Double(i))
                out += "<path class=\"tick\" d=\"M\(n(x)),\(n(bottom))v5\"/>"
                out += "<text x=\"\(n(x))\" y=\"\(n(bottom + 18))\" text-anchor=\"middle\">\(SVGText.escape(name))</text>"
            }
        }
        out += "</g>"
        if let b = baseline, b > y0, b < y1 { out += "<path class=\"baseline\" d=\"M\(n(m.left)),\(n(sy(b)))h\(n(plotW))\"/>" }

        // Marks.
        let columnCount = max(1, series.filter { $0.style == .columns }.count)
        var columnIndex = 0
        for s in series {
            let pts = zip(s.x, s.y).filter { $0.0.isFinite && $0.1.isFinite }
            guard !pts.isEmpty else { continue }
            switch s.style {
            case .line, .area:
                var d = ""
                for (i, p) in pts.enumerated() { d += (i == 0 ? "M" : "L") + n(sx(p.0)) + "," + n(sy(p.1)) }
                if s.style == .area, let first = pts.first, let last = pts.last {
                    let zero = sy(max(min(0, y1), y0))
                    let fill = d + "L\(n(sx(last.0))),\(n(zero))L\(n(sx(first.0))),\(n(zero))Z"
                    out += "<path class=\"area\" fill=\"\(s.color)\" d=\"\(fill)\"/>"
                }
                out += "<path class=\"line\" stroke=\"\(s.color)\" d=\"\(d)\"/>"
            case .columns:
                // Each column as wide as the smallest gap between x values allows.
                let xs = pts.map(\.0)
                var gap = x1 - x0
                for i in 1..<max(xs.count, 1) where xs[i] > xs[i - 1] { gap = min(gap, xs[i] - xs[i - 1]) }
                if case .categories = xAxis { gap = 1 }
                let full = max(0.5, gap / (x1 - x0) * plotW * 0.8), w = full / Double(columnCount)
                let zero = sy(max(min(0, y1), y0))
                var d = ""
                for p in pts {
                    let left = sx(p.0) - full / 2 + w * Double(columnIndex), top = min(sy(p.1), zero), h = abs(sy(p.1) - zero)
                    d += "M\(n(left)),\(n(top))h\(n(w))v\(n(max(h, 0.5)))h\(n(-w))z"
                }
                out += "<path class=\"columns\" fill=\"\(s.color)\" d=\"\(d)\"/>"
                columnIndex += 1
            }
        }
        if series.count > 1 {
            out += "<g class=\"legend\">"
            var x = m.left + 8
            for s in series {
                out += "<path d=\"M\(n(x)),\(n(m.top + 10))h14\" stroke=\"\(s.color)\" stroke-width=\"3\"/>"
                out += "<text x=\"\(n(x + 18))\" y=\"\(n(m.top + 14))\">\(SVGText.escape(s.name))</text>"
                x += 30 + Double(s.name.count) * 7
            }
            out += "</g>"
        }
        return out + "</svg>"
    }

    func label(_ v: Double) -> String {
        switch yFormat {
        case .percent: return SVGText.percent(v)
        case .number: return SVGText.short(v)
        case .money: return SVGText.short(v)
        case .bps: return SVGText.short(v) + " bp"
        }
    }

    private func n(_ v: Double) -> String { SVGText.coordinate(v) }
}
