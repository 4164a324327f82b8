import Foundation

/// How reports spell numbers for people: money with thousands separators and cents, fixed
/// decimals, percentages, grouped counts. (Machine output uses JSON's exact numbers instead.)
public enum ReportText {
    public static func money(_ v: Double) -> String {
        let cents = (v * 100).rounded()
        guard cents.isFinite, abs(cents) < 9e17 else { return "\(v)" }
        let c = Int64(cents)
        let frac = abs(c) % 100
        return "\(c < 0 ? "-" : "")\(grouped(abs(c) / 100)).\(frac < 10 ? "0" : "")\(frac)"
    }

    public static func percent(_ v: Double) -> String { v.isFinite ? fixed(v * 100, 2) + "%" : "\(v)" }

    /// 480378 → "480,378".
    public static func grouped<T: BinaryInteger>(_ value: T) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return value < 0 ? "-" + out : out
    }

    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var text = "\(rounded)"
        if let dot = text.firstIndex(of: ".") {
            let have = text.distance(from: dot, to: text.endIndex) - 1
            if have < decimals { text += String(repeating: "0", count: decimals - have) }
        } else if decimals > 0 {
            text += "." + String(repeating: "0", count: decimals)
        }
        return text
    }
}

extension String {
    /// Right-aligned in `width` characters.
    public func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
