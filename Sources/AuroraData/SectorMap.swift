import Foundation
import AuroraLog

/// Symbol → sector, from a `Symbol,Name,Sector` CSV (such as the S&P constituents file) or from
/// the synthetic universe. Symbols the map does not know are reported and put together in one
/// extra group, "(unmapped)", so they are neutralized against each other rather than dropped.
public struct SectorMap: Sendable, Equatable {
    public var sectorOf: [String: String]
    public static let unmapped = "(unmapped)"

    public init(_ sectorOf: [String: String]) { self.sectorOf = sectorOf }

    public static func load(path: String) throws -> SectorMap {
        guard let data = FileManager.default.contents(atPath: path) else { throw DataError("\(path): cannot read the sector map") }
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
        guard let header = lines.first else { throw DataError("\(path): empty sector map") }
        let names = splitCSV(String(header)).map { $0.lowercased() }
        guard let symbolColumn = names.firstIndex(of: "symbol"), let sectorColumn = names.firstIndex(of: "sector") else {
            throw DataError("\(path):1: expected columns Symbol and Sector, found \(names.joined(separator: ", "))")
        }
        var map: [String: String] = [:]
        for (n, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let fields = splitCSV(String(line))
            guard fields.count > max(symbolColumn, sectorColumn) else {
                throw DataError("\(path):\(n + 1): expected \(names.count) fields, found \(fields.count)")
            }
            map[fields[symbolColumn]] = fields[sectorColumn]
        }
        return SectorMap(map)
    }

    /// Group ids (sectors in name order, then "(unmapped)") for `symbols`, and which were unmapped.
    public func groups(for symbols: [String]) -> (groups: [Int], sectors: [String], unmapped: [String]) {
        let known = Array(Set(symbols.compactMap { sectorOf[$0] })).sorted()
        let missing = symbols.filter { sectorOf[$0] == nil }
        let sectors = missing.isEmpty ? known : known + [Self.unmapped]
        let id = Dictionary(uniqueKeysWithValues: sectors.enumerated().map { ($1, $0) })
        let groups = symbols.map { id[sectorOf[$0] ?? Self.unmapped] ?? 0 }
        return (groups, sectors, missing)
    }

    /// Fields of one CSV line, honouring double quotes ("Alphabet, Inc." stays one field).
    static func splitCSV(_ line: String) -> [String] {
        var fields: [String] = [], current = "", quoted = false
        var chars = line.makeIterator()
        while let c = chars.next() {
            if c == "\"" { quoted.toggle() } else if c == "," && !quoted { fields.append(current); current = "" } else { current.append(c) }
        }
        fields.append(current)
        return fields.map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
