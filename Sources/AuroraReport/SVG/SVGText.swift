import Foundation

/// Text in SVG and HTML: escaped, and numbers written short and the same way in every report.
public enum SVGText {
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A coordinate to a tenth of a pixel: small files, no visible loss.
    static func coordinate(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
    }

    public static func percent(_ v: Double, digits: Int = 1) -> String {
        guard v.isFinite else { return "-" }
        return String(format: "%.\(digits)f%%", v * 100)
    }

    public static func fixed(_ v: Double, _ digits: Int) -> String {
        guard v.isFinite else { return "-" }
        return String(format: "%.\(digits)f", v)
    }

    /// 1.2M, 35k, 0.25: an axis label's length.
    public static func short(_ v: Double) -> String {
        guard v.isFinite else { return "-" }
        let a = abs(v)
        func trim(_ s: String) -> String {
            guard s.contains(".") else { return s }
            var t = s
            while t.hasSuffix("0") { t.removeLast() }
            if t.hasSuffix(".") { t.removeLast() }
            return t
        }
        if a >= 1e9 { return trim(String(format: "%.2f", v / 1e9)) + "B" }
        if a >= 1e6 { return trim(String(format: "%.2f", v / 1e6)) + "M" }
        if a >= 1e4 { return trim(String(format: "%.1f", v / 1e3)) + "k" }
        if a >= 100 || a == 0 { return trim(String(format: "%.0f", v)) }
        if a >= 1 { return trim(String(format: "%.2f", v)) }
        return trim(String(format: "%.4f", v))
    }

    /// 1,234,567.89
    public static func money(_ v: Double) -> String {
        guard v.isFinite else { return "-" }
        let s = String(format: "%.2f", abs(v))
        let parts = s.split(separator: ".")
        var whole = String(parts[0]), grouped = ""
        while whole.count > 3 { grouped = "," + whole.suffix(3) + grouped; whole.removeLast(3) }
        return (v < 0 ? "-" : "") + whole + grouped + "." + parts[1]
    }
}
