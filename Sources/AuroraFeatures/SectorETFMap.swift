import AuroraData

/// Which ETF stands for which sector, for residualizing a stock's returns against its sector.
public struct SectorETFMap: Sendable, Equatable {
    public var etfOf: [String: String]
    /// Stands in for a sector whose ETF has no bars on a date (the market).
    public var fallback: String?

    public init(_ etfOf: [String: String], fallback: String? = nil) {
        self.etfOf = etfOf
        self.fallback = fallback
    }

    /// The Select Sector SPDRs by GICS sector name (the names of the shared S&P sector file).
    /// Telecommunication Services sat in XLK until the 2018 reshuffle created XLC; Real Estate
    /// got XLRE in 2015 (before that it was part of XLF, and where XLRE has no bars the
    /// fallback, SPY, stands in).
    public static let spdr = SectorETFMap([
        "Consumer Discretionary": "XLY",
        "Consumer Staples": "XLP",
        "Energy": "XLE",
        "Financials": "XLF",
        "Health Care": "XLV",
        "Industrials": "XLI",
        "Information Technology": "XLK",
        "Materials": "XLB",
        "Real Estate": "XLRE",
        "Telecommunication Services": "XLK",
        "Communication Services": "XLC",
        "Utilities": "XLU",
    ], fallback: "SPY")

    /// For each symbol, the ETF of its sector (or the fallback), and the symbols left without one.
    public func etfs(for symbols: [String], sectors: SectorMap) -> (etf: [String?], unmapped: [String]) {
        var out: [String?] = [], unmapped: [String] = []
        for name in symbols {
            if let sector = sectors.sectorOf[name], let etf = etfOf[sector] {
                out.append(etf)
            } else {
                out.append(fallback)
                unmapped.append(name)
            }
        }
        return (out, unmapped)
    }
}
