/// Monthly returns as a grid: a row per year, a column per month, each cell coloured by its
/// return (red below zero, green above, stronger with size) and labelled with it.
public struct HeatMap: Sendable {
    public var title: String
    public var rows: [String]
    public var columns: [String]
    /// `values[row][column]`, nil where there is no value.
    public var values: [[Double?]]
    public var emptyReason: String

    public init(title: String, rows: [String], columns: [String], values: [[Double?]], emptyReason: String) {
        self.title = title
        self.rows = rows
        self.columns = columns
        self.values = values
        self.emptyReason = emptyReason
    }

    public var svg: String {
        let left = 64.0, top = 30.0, cellW = 60.0, cellH = 22.0
        let width = left + cellW * Double(max(columns.count, 12)) + 16, height = top + cellH * Double(max(rows.count, 1)) + 34
        var out = "<svg class=\"chart heatmap\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(c(width)) \(c(height))\" width=\"\(c(width))\" height=\"\(c(height))\" role=\"img\" aria-label=\"\(SVGText.escape(title))\">"
        out += "<text class=\"title\" x=\"\(c(left))\" y=\"18\">\(SVGText.escape(title))</text>"
        let gridW = cellW * Double(columns.count), gridH = cellH * Double(rows.count)
        out += "<path class=\"frame\" d=\"M\(c(left)),\(c(top))h\(c(max(gridW, cellW * 12)))v\(c(max(gridH, cellH)))h\(c(-max(gridW, cellW * 12)))z\"/>"
        let all = values.flatMap { $0 }.compactMap { $0 }.filter(\.isFinite)
        out += "<g class=\"axis y\">"
        for (r, name) in rows.enumerated() {
            out += "<text x=\"\(c(left - 6))\" y=\"\(c(top + cellH * (Double(r) + 0.7)))\" text-anchor=\"end\">\(SVGText.escape(name))</text>"
        }
        out += "</g><g class=\"axis x\">"
        for (k, name) in columns.enumerated() {
            out += "<text x=\"\(c(left + cellW * (Double(k) + 0.5)))\" y=\"\(c(top + gridH + 18))\" text-anchor=\"middle\">\(SVGText.escape(name))</text>"
        }
        out += "</g>"
        guard !all.isEmpty else {
            out += "<text class=\"empty\" x=\"\(c(left + cellW * 6))\" y=\"\(c(top + cellH * 0.7))\" text-anchor=\"middle\">\(SVGText.escape(emptyReason))</text>"
            return out + "</svg>"
        }
        let scale = max(all.map(abs).max() ?? 0, 1e-12)
        for (r, row) in values.enumerated() {
            for (k, value) in row.enumerated() {
                guard let v = value, v.isFinite else { continue }
                let strength = min(abs(v) / scale, 1), alpha = 0.15 + 0.75 * strength
                let color = v < 0 ? "rgba(200,40,40,\(SVGText.fixed(alpha, 2)))" : "rgba(30,140,70,\(SVGText.fixed(alpha, 2)))"
                let x = left + cellW * Double(k), y = top + cellH * Double(r)
                out += "<path class=\"cell\" fill=\"\(color)\" d=\"M\(c(x + 1)),\(c(y + 1))h\(c(cellW - 2))v\(c(cellH - 2))h\(c(-(cellW - 2)))z\"/>"
                out += "<text class=\"cell\" x=\"\(c(x + cellW / 2))\" y=\"\(c(y + cellH * 0.7))\" text-anchor=\"middle\">\(SVGText.percent(v))</text>"
            }
        }
        return out + "</svg>"
    }

    private func c(_ v: Double) -> String { SVGText.coordinate(v) }
}
