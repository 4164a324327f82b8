/// One section of a run's configuration as a plug-in reads it: typed values by key, every refusal
/// an error that names the key's dotted path (and, read from YAML, its line). The run layer
/// implements it over YAML; a component declares its keys and reads them, never the file format.
public protocol ConfigSection {
    /// The section's dotted path, e.g. `execution.twap`.
    var path: String { get }
    /// Refuses any key outside `allowed`.
    func allow(_ allowed: [String]) throws
    func has(_ key: String) -> Bool
    func double(_ key: String, min: Double?, max: Double?) throws -> Double?
    func int(_ key: String, min: Int?, max: Int?) throws -> Int?
    func bool(_ key: String) throws -> Bool?
    func string(_ key: String) throws -> String?
    /// An error about `key`, placed at its line when the section knows it.
    func error(_ key: String, _ message: String) -> any Error
    /// The mapping under `key` as a section of its own (`portfolio.turnover`), nil without one.
    func section(_ key: String) throws -> (any ConfigSection)?
}

extension ConfigSection {
    /// Sections that cannot nest refuse a mapping under any key.
    public func section(_ key: String) throws -> (any ConfigSection)? {
        guard has(key) else { return nil }
        throw error(key, "expected a value, not a mapping")
    }

    /// One of an enumeration's raw values.
    public func choice<E: RawRepresentable & CaseIterable>(_ key: String, _: E.Type) throws -> E? where E.RawValue == String {
        guard let text = try string(key) else { return nil }
        guard let v = E(rawValue: text) else {
            throw error(key, "\"\(ConfigText.clipped(text))\" is not one of: \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return v
    }

    /// A New York session time `HH:MM` within 09:30–16:00, as minutes after midnight.
    public func sessionTime(_ key: String) throws -> Int? {
        guard let text = try string(key) else { return nil }
        let parts = text.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else {
            throw error(key, "\"\(ConfigText.clipped(text))\" is not a time HH:MM")
        }
        let minutes = h * 60 + m
        guard (9 * 60 + 30)...(16 * 60) ~= minutes else { throw error(key, "\(text) is outside the session 09:30–16:00") }
        return minutes
    }
}

/// How canonical configuration text spells values, so that reading it back gives the same value
/// and the same text gives the same digest.
public enum ConfigText {
    /// Shortest text that reads back to the same Double ("1000000", "0.05").
    public static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    /// `HH:MM`, double-quoted.
    public static func sessionTime(_ minutes: Int) -> String {
        "\"\(minutes / 60 < 10 ? "0" : "")\(minutes / 60):\(minutes % 60 < 10 ? "0" : "")\(minutes % 60)\""
    }

    /// A value shortened for a message (a 10 MB scalar must not become a 10 MB error).
    public static func clipped(_ text: String) -> String { text.count > 60 ? String(text.prefix(57)) + "…" : text }

    /// Double-quoted when YAML would otherwise read the text as something else, with escapes for
    /// everything YAML would fold or refuse inside double quotes (a newline reads back as a space):
    /// the text reads back exactly.
    public static func quoted(_ s: String) -> String {
        let plain = s.allSatisfy { $0.isLetter || $0.isNumber || "._/-".contains($0) } && !s.isEmpty
            && Double(s) == nil && !["true", "false", "yes", "no", "on", "off", "null", "~"].contains(s.lowercased())
        if plain && !s.contains("-") { return s }
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
