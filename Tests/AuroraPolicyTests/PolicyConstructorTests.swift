import Aurora
import Testing

/// A book the tests hold positions in: prices per symbol, positions applied from targets.
private struct Book {
    var prices: [Double]
    var positions: [Int64]
    var cash: Double

    init(prices: [Double], cash: Double = 1_000_000) {
        self.prices = prices
        positions = prices.map { _ in 0 }
        self.cash = cash
    }

    var equity: Double { cash + positions.indices.reduce(0) { $0 + Double(positions[$1]) / Double(Quantity.scale) * prices[$1] } }

    func weights() -> [Double] { positions.indices.map { Double(positions[$0]) / Double(Quantity.scale) * prices[$0] / equity } }

    func context(volume: Double = 1e9) -> PortfolioContext {
        let bars = prices.indices.map { s in
            Bar(symbol: SymbolID(s), timeframe: .day, open: Price(saturating: prices[s]), high: Price(saturating: prices[s]),
                low: Price(saturating: prices[s]), close: Price(saturating: prices[s]), volume: Quantity(volume) ?? Quantity(rawValue: 0))
        }
        return PortfolioContext(timestamp: Timestamp(rawValue: 0), equity: equity, positions: positions, lastPrice: prices, bars: bars,
                                barOf: prices.indices.map { Int32($0) })
    }

    /// Trades to the targets at today's prices, fees aside.
    mutating func apply(_ targets: [PortfolioTarget]) {
        for t in targets {
            let s = t.symbol.index
            cash -= Double(t.quantity - positions[s]) / Double(Quantity.scale) * prices[s]
            positions[s] = t.quantity
        }
    }
}

private func signal(_ s: Int, _ d: SignalDirection, expected: Double? = nil, confidence: Double? = nil) -> Signal {
    Signal(symbol: SymbolID(s), direction: d, score: 0, expectedReturn: expected, confidence: confidence)
}

private func bindings(_ c: inout PolicyConstructor) throws -> [PolicyBinding] {
    try c.takeExplanations().map { e in
        guard case .extension(let r) = e else { throw PayloadError("not an extension record") }
        return try PolicyBindingCodec.value(of: r)
    }
}

@Suite("Policy constructor")
struct PolicyConstructorTests {
    let symbols = (0..<8).map { "S\($0)" }

    @Test("the cost filter suppresses a trade whose expected return does not beat its round trip, keeps a position held that way, and logs what it cut")
    func costFilter() throws {
        var settings = PolicyConstruction()
        settings.costFilter = .init(margin: 1)
        settings.limits.name = 0.5
        // 10 bp fees and 5 bp slippage a side: a round trip costs 30 bp.
        let setup = ConstructionSetup(symbols: symbols, costs: TradingCosts(bps: 10, slippageBps: 5))
        var c = try #require(try settings.makeConstructor(setup) as? PolicyConstructor)
        var book = Book(prices: [Double](repeating: 100, count: 8))
        book.positions[2] = -1_000 * Quantity.scale          // held short
        book.cash += 100_000
        let targets = c.targets(for: [
            signal(0, .buy, expected: 0.0020),    // 20 bp < 30 bp: suppressed, flat stays flat
            signal(1, .buy, expected: 0.0080),    // 80 bp: traded
            signal(2, .sell, expected: -0.0010),  // suppressed, but already short: kept
            signal(3, .sell, expected: 0.0040),   // a sell expected to rise: suppressed
            signal(4, .buy),                      // no forecast: passes
        ], in: book.context())
        let traded = Set(targets.map(\.symbol.index))
        #expect(traded == [1, 4])
        let b = try bindings(&c)
        let cost = try #require(b.first { $0.rule == "cost" })
        #expect(cost.symbols == ["S0", "S2", "S3"])
        #expect(cost.before.map { ($0 * 1e4).rounded() } == [20, 10, -40])
        #expect(cost.after.allSatisfy { abs($0 - 0.003) < 1e-12 })
        // S2's short survives untouched (no target), S0 and S3 get none.
        #expect(!targets.contains { $0.symbol.index == 2 })
    }

    @Test("a daily turnover budget is met exactly, cutting the trades of least expected benefit first")
    func dailyBudget() throws {
        var settings = PolicyConstruction()
        settings.turnover = .init(daily: 0.3)
        settings.limits = .init(gross: 1, name: 0.25)
        var c = try #require(try settings.makeConstructor(ConstructionSetup(symbols: symbols)) as? PolicyConstructor)
        let book = Book(prices: [10, 20, 30, 40, 50, 60, 70, 80])
        let signals = (0..<4).map { signal($0, .buy, expected: 0.01 * Double($0 + 1)) }
        let targets = c.targets(for: signals, in: book.context())
        let turnover = targets.reduce(0) { $0 + abs($1.weight) }
        #expect(abs(turnover - 0.3) < 1e-12)
        // Each name wanted 0.25: the best (S3) keeps it whole, the next (S2) gets the rest, S1 and S0 nothing.
        let w = Dictionary(uniqueKeysWithValues: targets.map { ($0.symbol.index, $0.weight) })
        #expect(w[3] == 0.25)
        #expect(abs((w[2] ?? 0) - 0.05) < 1e-12)
        #expect(w[1] == nil && w[0] == nil)
        let b = try #require(try bindings(&c).first)
        #expect(b.rule == "turnover_daily" && b.limit == 0.3)
        #expect(abs(b.measureBefore - 1.0) < 1e-12 && abs(b.measureAfter - 0.3) < 1e-12)
        #expect(b.symbols == ["S0", "S1", "S2"])
    }

    @Test("weekly and monthly budgets count the turnover of the steps before: the window's sum never exceeds them")
    func windows() throws {
        var settings = PolicyConstruction()
        settings.turnover = .init(weekly: 0.5, monthly: 0.9)
        settings.limits = .init(gross: 1, name: 0.5)
        var c = try #require(try settings.makeConstructor(ConstructionSetup(symbols: symbols)) as? PolicyConstructor)
        var book = Book(prices: [Double](repeating: 100, count: 8))
        var traded: [Double] = []
        var rng = SeededGenerator(seed: 7)
        for step in 0..<40 {
            // A different pair of names each step, so the book always wants to trade.
            let a = step % 8, b = (step + 3) % 8
            let signals = (0..<8).map { s in signal(s, s == a ? .buy : (s == b ? .sell : .hold), expected: Double.random(in: -0.01...0.01, using: &rng)) }
            let before = book.weights()
            let targets = c.targets(for: signals, in: book.context())
            book.apply(targets)
            let after = book.weights()
            traded.append(zip(before, after).reduce(0) { $0 + abs($1.1 - $1.0) })
            _ = c.takeExplanations()
        }
        for end in traded.indices {
            #expect(traded[max(0, end - 4)...end].reduce(0, +) <= 0.5 + 1e-6)
            #expect(traded[max(0, end - 20)...end].reduce(0, +) <= 0.9 + 1e-6)
        }
        // The budgets bind (the book wants more than they allow): the month's is used up exactly.
        #expect(abs(traded[0..<21].reduce(0, +) - 0.9) < 1e-6)
    }

    @Test("risk limits are never exceeded: per name, per sector, net and gross, over random books, signals, confidences and volatilities")
    func limits() throws {
        let n = 30
        let names = (0..<n).map { "N\($0)" }
        let sectors = (0..<n).map { "Sector \($0 % 4)" }
        var settings = PolicyConstruction()
        settings.sizing = .init(method: .risk, volatilityWindow: 5)
        settings.limits = .init(gross: 1, net: 0.05, name: 0.06, sector: 0.04)
        var c = try #require(try settings.makeConstructor(ConstructionSetup(symbols: names, sectors: sectors)) as? PolicyConstructor)
        var rng = SeededGenerator(seed: 11)
        var book = Book(prices: (0..<n).map { _ in Double.random(in: 10...200, using: &rng) })
        var seen: Set<String> = []
        for _ in 0..<120 {
            for s in 0..<n { book.prices[s] *= 1 + Double.random(in: -0.04...0.04, using: &rng) * Double(s % 3 + 1) }
            // Mostly longs, so the net and sector limits have something to cut.
            let signals = (0..<n).map { s -> Signal in
                let u = Double.random(in: 0..<1, using: &rng)
                return signal(s, u < 0.6 ? .buy : (u < 0.8 ? .sell : .hold), expected: Double.random(in: -0.02...0.02, using: &rng),
                              confidence: Double.random(in: 0...1, using: &rng))
            }
            let targets = c.targets(for: signals, in: book.context())
            for b in try bindings(&c) { seen.insert(b.rule) }
            book.apply(targets)
            let w = book.weights()
            // Prices are those of the decision, so the book is the targets, to the rounding of
            // quantities to a millionth of a share (a few 1e-10 of equity per name).
            let tolerance = 1e-8
            #expect(w.allSatisfy { abs($0) <= 0.06 + tolerance })
            #expect(abs(w.reduce(0, +)) <= 0.05 + tolerance)
            #expect(w.reduce(0) { $0 + abs($1) } <= 1 + tolerance)
            for g in 0..<4 { #expect(abs(w.indices.filter { $0 % 4 == g }.reduce(0) { $0 + w[$1] }) <= 0.04 + tolerance) }
        }
        #expect(seen.isSuperset(of: ["name", "sector", "net"]))
    }

    @Test("risk sizing: more confidence and less volatility mean a larger position")
    func riskSizing() throws {
        var settings = PolicyConstruction()
        settings.sizing = .init(method: .risk, volatilityWindow: 3)
        settings.limits = .init(gross: 1, name: 1)
        var c = try #require(try settings.makeConstructor(ConstructionSetup(symbols: symbols)) as? PolicyConstructor)
        var book = Book(prices: [Double](repeating: 100, count: 8))
        // S0 moves 1% a bar, S1 4%: four bars fill the windows.
        for k in 0..<4 {
            book.prices[0] = 100 * (k % 2 == 0 ? 1.01 : 1.0)
            book.prices[1] = 100 * (k % 2 == 0 ? 1.04 : 1.0)
            _ = c.targets(for: [], in: book.context())
        }
        let t = c.targets(for: [signal(0, .buy, confidence: 0.5), signal(1, .buy, confidence: 0.5), signal(2, .sell, confidence: 1)],
                          in: book.context())
        let w = Dictionary(uniqueKeysWithValues: t.map { ($0.symbol.index, $0.weight) })
        let w0 = try #require(w[0]), w1 = try #require(w[1]), w2 = try #require(w[2])
        #expect(w0 > 0 && w1 > 0 && w2 < 0)
        #expect(abs(w0 / w1 - 3.94) < 0.05)        // about a quarter of the volatility, about four times the size
        #expect(abs(w0 + w1 - w2 - 1) < 1e-9)      // the gross is spent
    }

    @Test("policy settings read from YAML, written back canonically, and bad keys named")
    func config() throws {
        let yaml = """
        strategy: {type: alpha, alphas: [momentum_20d]}
        portfolio:
          initial_cash: 1000000
          construction: policy
          sizing: {method: risk, volatility_window: 10}
          cost_filter: {margin: 1.5}
          limits: {gross: 0.8, net: 0.1, name: 0.05, sector: 0.2}
          turnover: {daily: 0.2, monthly: 2}
        """
        let c = try ConfigReader.parse(yaml, registry: .standard)
        let p = try #require(c.portfolio.construction as? PolicyConstruction)
        #expect(p.sizing == .init(method: .risk, volatilityWindow: 10))
        #expect(p.costFilter?.margin == 1.5)
        #expect(p.limits == .init(gross: 0.8, net: 0.1, name: 0.05, sector: 0.2))
        #expect(p.turnover == .init(daily: 0.2, monthly: 2))
        #expect(try ConfigReader.parse(ConfigWriter.yaml(c), registry: .standard) == c)
        let bad = yaml.replacingOccurrences(of: "daily: 0.2", with: "hourly: 0.2")
        #expect { try ConfigReader.parse(bad, registry: .standard) } throws: { "\($0)".contains("portfolio.turnover.hourly") }
        let empty = yaml.replacingOccurrences(of: "turnover: {daily: 0.2, monthly: 2}", with: "turnover: {}")
        #expect { try ConfigReader.parse(empty, registry: .standard) } throws: { "\($0)".contains("portfolio.turnover") }
    }
}
