import Foundation
import AuroraTestSupport
import Testing
import AuroraData
import AuroraKernel
import AuroraStats
import AuroraExecution
import AuroraLog
import AuroraModel

enum Shared {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ name: String) -> String { root.appendingPathComponent("../shared/data/" + name).standardized.path }
    static let available = FileManager.default.fileExists(atPath: path("spy-1min-2011-01.csv"))
    static func temporary(_ name: String) -> String { Paths.temporary(name) }
}

/// A log writer with the manifest and the series' symbols written, ready for execution events.
func openLog(_ series: BarSeries, at t: Timestamp) throws -> LogWriter {
    let writer = try LogWriter.create(path: Shared.temporary("exec.alog"), manifest: Manifest(formatVersion: 1, engineVersion: "t"), timestamp: t)
    for name in series.symbols { _ = try writer.symbol(name, at: t) }
    return writer
}

func readEvents(_ path: String) throws -> [Event] {
    let cursor = try LogReader(path: path).events()
    var out: [Event] = []
    while let e = try cursor.next() { out.append(e) }
    return out
}

@Suite("Planner, rate limit, escalation")
struct ExecutionPartsTests {
    @Test("the original plan example; sells first, then larger trades")
    func plan() throws {
        let planner = RebalancingPlanner(startTime: Timestamp(rawValue: 0), aggressiveTime: Timestamp(rawValue: 1))
        let plan = try planner.createPlan(current: ["AAPL": 100, "MSFT": 50], target: ["AAPL": 150, "MSFT": 0, "GOOGL": 75])
        #expect(plan.trades.map { "\($0.side) \($0.symbol) \(Int($0.quantity))" } == ["SELL MSFT 50", "BUY GOOGL 75", "BUY AAPL 50"])
        #expect(plan.trades.map(\.priority) == [0, 1, 2])
        let byNotional = try planner.createPlan(current: [:], target: ["A": 10, "B": 5], prices: ["A": 1, "B": 100])
        #expect(byNotional.trades.map(\.symbol) == ["B", "A"])
        #expect(throws: RebalancingPlanner.PlanError.self) {
            try RebalancingPlanner(startTime: Timestamp(rawValue: 5), aggressiveTime: Timestamp(rawValue: 1)).createPlan(current: [:], target: ["A": 1])
        }
    }

    @Test("1,000 orders through a 200/minute queue: five minute-batches, priority order, nothing lost, every wait reported once")
    func rateLimit() {
        var queue = RateLimitedOrderQueue(maxPerMinute: 200)
        for i in 0..<1_000 { queue.enqueue(QueuedOrder(orderID: UInt64(i), priority: (i * 7) % 5, enqueuedAt: Timestamp(rawValue: 0))) }
        var now = Timestamp(rawValue: 0)
        var released: [(UInt64, Int64)] = []
        var waits: [UInt64] = []
        while queue.depth > 0 {
            for r in queue.processBatch(now: now) {
                switch r {
                case .released(let o): released.append((o.orderID, now.rawValue))
                case .waiting(let o, let until, _): waits.append(o.orderID); #expect(until >= now)
                }
            }
            if queue.depth > 0 { now = queue.nextRelease(after: now) }
        }
        #expect(released.count == 1_000 && Set(released.map(\.0)).count == 1_000)
        let minute: Int64 = 60_000_000_000
        #expect(Set(released.map(\.1)) == [0, minute, 2 * minute, 3 * minute, 4 * minute])   // done within the 5th minute
        #expect(waits.count == 800 && Set(waits).count == 800)
        let priorities = released.map { (Int($0.0) * 7) % 5 }
        #expect(priorities == priorities.sorted())
        // FIFO among equals.
        let zeros = released.map(\.0).filter { (Int($0) * 7) % 5 == 0 }
        #expect(zeros == zeros.sorted())
    }

    @Test("nothing before the cutoff; market orders for what is left at and after it")
    func completion() {
        let handler = AggressiveCompletionHandler(cutoffTime: Timestamp(rawValue: 100))
        let pending = [PendingTrade(tradeID: 1, symbol: SymbolID(0), side: .buy, remaining: Quantity(30)!),
                       PendingTrade(tradeID: 2, symbol: SymbolID(1), side: .sell, remaining: .zero)]
        #expect(handler.checkAndEscalate(pending, now: Timestamp(rawValue: 99)).isEmpty)
        let orders = handler.checkAndEscalate(pending, now: Timestamp(rawValue: 100))
        #expect(orders.map(\.trade.tradeID) == [1] && orders.first?.reason == "cutoff_time_reached")
    }

    @Test("the monitor's original example: buy 100 at 181 against a 180 market VWAP is about 55 bps worse, 100% complete")
    func monitorExample() {
        var state = ExecutionMonitorState()
        func send(_ p: EventPayload, _ t: Int64) { ExecutionMonitor.reduce(&state, Event(sequence: 0, timestamp: Timestamp(rawValue: t), payload: p)) }
        let aapl = SymbolID(0)
        send(.symbolDefinition(SymbolDefinition(symbol: aapl, name: "AAPL")), 0)
        send(.bar(Bar(symbol: aapl, timeframe: .minute, open: Price(180)!, high: Price(180)!, low: Price(180)!, close: Price(180)!, volume: Quantity(1000)!)), 1)
        send(.plannedTrade(PlannedTrade(planID: 1, tradeID: 7, symbol: aapl, side: .buy, quantity: Quantity(100)!, priority: 0)), 1)
        send(.orderSubmitted(OrderSubmitted(orderID: 9, tradeID: 7, symbol: aapl, side: .buy, type: .market, quantity: Quantity(100)!)), 1)
        send(.bar(Bar(symbol: aapl, timeframe: .minute, open: Price(180)!, high: Price(180)!, low: Price(180)!, close: Price(180)!, volume: Quantity(5000)!)), 2)
        send(.fill(Fill(orderID: 9, symbol: aapl, side: .buy, quantity: Quantity(100)!, price: Price(181)!)), 2)
        let t = state.trades[0]
        #expect(t.marketVWAP == 180 && t.executionVWAP == 181)
        #expect(abs((t.slippageVsMarketVWAPBps ?? 0) - 55.555555555555557) < 1e-9)
        #expect(t.completion == 1 && state.overallCompletion == 1)
        #expect(abs((t.shortfallBps ?? 0) - 55.555555555555557) < 1e-9)
        #expect(t.participation == 100.0 / 5000)
        let perSymbol = state.bySymbol
        #expect(perSymbol.count == 1 && perSymbol[0].executionVWAP == 181 && perSymbol[0].completion == 1)
    }
}

@Suite("TWAP on the SPY minute file", .enabled(if: Shared.available, "../shared/data is absent: the SPY execution test is skipped"))
struct SPYTWAPTests {
    static func day() throws -> BarSeries {
        var options = BarCSVOptions(stamp: .end)
        options.filters = [RowFilter(column: "session", value: "RTH")]
        let (all, _) = try CSVDataSource(path: Shared.path("spy-1min-2011-01.csv"), options: options).load()
        return try all.selecting(symbols: nil, from: try TimeText.parse("2011-01-03"), to: try TimeText.parse("2011-01-04"))
    }

    @Test("10 slices 09:30–15:30 on schedule, a small cap binds, the cutoff completes the rest, market VWAP matches the bars")
    func twap() throws {
        let bars = try Self.day()
        #expect(bars.count == 390)
        let start = try TimeText.parse("2011-01-03T09:30:00", timeZone: "America/New_York")
        let cutoff = try TimeText.parse("2011-01-03T15:30:00", timeZone: "America/New_York")
        let plan = try RebalancingPlanner(startTime: start, aggressiveTime: cutoff).createPlan(current: [:], target: ["SPY": 2_000_000])
        var model = FillModel()
        model.participationCap = 0.02
        model.price = .typical
        let writer = try openLog(bars, at: start)
        var executor = TWAPExecutor(gateway: SimulatedExchange(model: model), rateLimit: 200, numSlices: 10, sink: writer)
        let report = try executor.executePlan(plan, bars: bars)
        try writer.close()
        let events = try readEvents(writer.path)

        let scheduled = events.compactMap { if case .orderSlice(let s) = $0.payload { s.scheduledTime } else { nil } }
        #expect(scheduled.count == 10)
        #expect(scheduled.map { ($0.rawValue - start.rawValue) / 60_000_000_000 } == [0, 36, 72, 108, 144, 180, 216, 252, 288, 324])
        let submitted = events.filter { $0.kind == .orderSubmitted }.map(\.timestamp)
        #expect(zip(submitted, scheduled).allSatisfy { $0 >= $1 })

        // The cap binds: before the cutoff no bar fills more than 2% of its volume.
        var volumeAt: [Int64: Double] = [:]
        for e in events { if case .bar(let b) = e.payload { volumeAt[e.timestamp.rawValue] = b.volume.doubleValue } }
        var filledAt: [Int64: Double] = [:]
        var escalated: Set<UInt64> = []
        for e in events { if case .escalation(let x) = e.payload { escalated.insert(x.orderID) } }
        for e in events { if case .fill(let f) = e.payload, !escalated.contains(f.orderID) { filledAt[e.timestamp.rawValue, default: 0] += f.quantity.doubleValue } }
        #expect(filledAt.allSatisfy { t, q in q <= 0.02 * (volumeAt[t] ?? 0) + 1e-6 })
        #expect(filledAt.contains { t, q in q >= 0.02 * (volumeAt[t] ?? 0) - 1 })   // and it does bind
        #expect(events.contains { if case .escalation(let x) = $0.payload { x.reason == "cutoff_time_reached" } else { false } })
        #expect(report.trades[0].filled == Quantity(2_000_000)!)
        #expect(report.trades[0].escalated)

        var state = ExecutionMonitorState()
        for e in events { ExecutionMonitor.reduce(&state, e) }
        let t = state.trades[0]
        #expect(t.completion == 1)
        // Independent market VWAP: bars after the plan up to the last fill, typical price × volume.
        var pv = 0.0, v = 0.0
        for i in 0..<bars.count where bars.end[i] > start.rawValue && bars.end[i] <= (t.lastFill?.rawValue ?? 0) {
            let typical = (Double(bars.high[i]) + Double(bars.low[i]) + Double(bars.close[i])) / 3 / 1e9
            pv += typical * Double(bars.volume[i]) / 1e6
            v += Double(bars.volume[i]) / 1e6
        }
        #expect(abs((t.marketVWAP ?? 0) - pv / v) < 1e-9)
        #expect(t.slippageVsArrivalBps != nil && t.shortfallBps != nil)
    }
}

@Suite("Simulated exchange")
struct SimulatedExchangeTests {
    let bar = Bar(symbol: SymbolID(0), timeframe: .minute, open: Price(100)!, high: Price(102)!, low: Price(98)!, close: Price(101)!,
                  volume: Quantity(1_000)!)
    let now = Timestamp(rawValue: 60)

    func order(_ id: UInt64, _ side: Side, _ q: Double, type: OrderType = .market, limit: Double? = nil, uncapped: Bool = false) -> WorkingOrder {
        WorkingOrder(orderID: id, tradeID: id, symbol: SymbolID(0), side: side, type: type, limitPrice: limit.flatMap(Price.init),
                     remaining: Quantity(q)!, submittedAt: Timestamp(rawValue: 0), uncapped: uncapped)
    }

    @Test("price models, a cap shared by the bar's orders, slippage and square-root impact against the trader, costs with a minimum")
    func models() {
        var model = FillModel()
        model.price = .typical
        model.participationCap = 0.1
        model.slippageBps = 10
        model.impactBps = 100
        model.costPerShare = 0.01
        model.minimumPerOrder = 1
        let exchange = SimulatedExchange(model: model)
        var orders = [order(1, .buy, 60), order(2, .sell, 80), order(3, .buy, 500, uncapped: true)]
        let fills = exchange.match(&orders, bar: bar, at: now)
        #expect(fills.map(\.quantity) == [Quantity(60)!, Quantity(40)!, Quantity(500)!])   // 100 shared, escalation uncapped
        let typical = (102.0 + 98 + 101) / 3
        #expect(abs(fills[0].price.doubleValue - typical * (1 + (10 + 100 * (0.06).squareRoot()) / 10_000)) < 1e-6)
        #expect(abs(fills[1].price.doubleValue - typical * (1 - (10 + 100 * (0.04).squareRoot()) / 10_000)) < 1e-6)
        #expect(fills[0].fees == Price(1)!)            // 0.60 raised to the 1.00 minimum
        #expect(fills[2].fees == Price(5)!)
        #expect(orders[1].remaining == Quantity(40)!)  // the rest waits for the next bar
    }

    @Test("limit orders fill only when the bar trades through the limit; nothing before submission or without volume")
    func limits() {
        var model = FillModel()
        model.participationCap = nil
        let exchange = SimulatedExchange(model: model)
        var orders = [order(1, .buy, 10, type: .limit, limit: 97), order(2, .buy, 10, type: .limit, limit: 99),
                      order(3, .sell, 10, type: .limit, limit: 101.5)]
        let fills = exchange.match(&orders, bar: bar, at: now)
        #expect(fills.map(\.orderID) == [2, 3])
        #expect(fills[0].price == Price(99)! && fills[1].price == Price(101.5)!)
        var late = [WorkingOrder(orderID: 9, tradeID: 9, symbol: SymbolID(0), side: .buy, type: .market, remaining: Quantity(1)!, submittedAt: now)]
        #expect(exchange.match(&late, bar: bar, at: now).isEmpty)
        var quiet = [order(4, .buy, 1)]
        var empty = bar
        empty.volume = .zero
        #expect(exchange.match(&quiet, bar: empty, at: now).isEmpty)
    }
}
