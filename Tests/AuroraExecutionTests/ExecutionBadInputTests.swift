import Foundation
import Testing
import AuroraData
import AuroraKernel
import AuroraStats
import AuroraExecution
import AuroraLog
import AuroraModel

@Suite("Execution bad input")
struct ExecutionBadInputTests {
    static func bars(symbols: Int = 2, days: Int = 1) throws -> BarSeries {
        var u = SyntheticUniverse()
        u.symbolCount = symbols
        u.sectorCount = 1
        u.days = days
        u.timeframe = .minute
        return try u.generate()
    }

    @Test("zero quantities, unknown symbols, a cutoff outside the session are errors")
    func errors() throws {
        let bars = try Self.bars()
        let start = Timestamp(rawValue: bars.end[0] - 60_000_000_000)
        let end = Timestamp(rawValue: bars.end[bars.count - 1])
        let writer = try openLog(bars, at: start)
        var executor = TWAPExecutor(gateway: SimulatedExchange(), sink: writer)
        func plan(_ trades: [PlanTrade], _ a: Timestamp = end) -> RebalancingPlan { RebalancingPlan(trades: trades, startTime: start, aggressiveTime: a) }
        #expect(throws: ExecutionError.self) { try executor.executePlan(plan([PlanTrade(symbol: "SYN000", side: .buy, quantity: 0, priority: 0)]), bars: bars) }
        #expect(throws: ExecutionError.self) { try executor.executePlan(plan([PlanTrade(symbol: "SYN000", side: .buy, quantity: -5, priority: 0)]), bars: bars) }
        #expect(throws: ExecutionError.self) { try executor.executePlan(plan([PlanTrade(symbol: "NOPE", side: .buy, quantity: 5, priority: 0)]), bars: bars) }
        #expect(throws: ExecutionError.self) {
            try executor.executePlan(plan([PlanTrade(symbol: "SYN000", side: .buy, quantity: 5, priority: 0)], Timestamp(rawValue: end.rawValue + 86_400_000_000_000)), bars: bars)
        }
        #expect(throws: ExecutionError.self) {
            try executor.executePlan(plan([PlanTrade(symbol: "SYN000", side: .buy, quantity: 5, priority: 0)], Timestamp(rawValue: start.rawValue - 1)), bars: bars)
        }
    }

    @Test("no bars for a symbol in the window: the trade stays open and is reported, never filled at an invented price")
    func noBars() throws {
        var bars = try Self.bars()
        let keep = (0..<bars.count).filter { bars.symbol[$0] == 0 }
        var only = BarSeries(symbols: bars.symbols, timeframe: bars.timeframe)
        for i in keep { only.append(end: bars.end[i], bars.bar(i)) }
        bars = only
        let start = Timestamp(rawValue: bars.end[0] - 60_000_000_000)
        let writer = try openLog(bars, at: start)
        var executor = TWAPExecutor(gateway: SimulatedExchange(), numSlices: 4, sink: writer)
        let plan = RebalancingPlan(trades: [PlanTrade(symbol: "SYN000", side: .buy, quantity: 100, priority: 0),
                                            PlanTrade(symbol: "SYN001", side: .sell, quantity: 100, priority: 1)],
                                   startTime: start, aggressiveTime: Timestamp(rawValue: bars.end[200]))
        let report = try executor.executePlan(plan, bars: bars)
        #expect(report.trades[0].filled == Quantity(100)!)
        #expect(report.trades[1].filled == .zero)
        let reasons: [String] = report.open.map { $0.reason }
        #expect(reasons == ["no bars for SYN001 in the window"])
        try writer.close()
        let fills = try readEvents(writer.path).compactMap { if case .fill(let f) = $0.payload { f } else { nil } }
        #expect(fills.allSatisfy { $0.symbol == SymbolID(0) })
    }

    @Test("dry run logs the plan, slices and timers and submits nothing")
    func dryRun() throws {
        let bars = try Self.bars()
        let start = Timestamp(rawValue: bars.end[0] - 60_000_000_000)
        let writer = try openLog(bars, at: start)
        var executor = TWAPExecutor(gateway: SimulatedExchange(), numSlices: 5, dryRun: true, sink: writer)
        let plan = try RebalancingPlanner(startTime: start, aggressiveTime: Timestamp(rawValue: bars.end[300])).createPlan(current: [:], target: ["SYN000": 500])
        let report = try executor.executePlan(plan, bars: bars)
        try writer.close()
        let kinds = try readEvents(writer.path).map(\.kind)
        #expect(kinds.filter { $0 == .orderSlice }.count == 5 && kinds.filter { $0 == .timer }.count == 5)
        #expect(!kinds.contains(.orderSubmitted) && !kinds.contains(.fill))
        #expect(report.trades[0].filled == .zero && report.open.first?.reason == "dry run")
    }

    @Test("500 trades over a 390-minute session, planned, sliced, filled and monitored")
    func scale() throws {
        let bars = try Self.bars(symbols: 500)
        let start = Timestamp(rawValue: bars.end[0] - 60_000_000_000)
        var target: [String: Double] = [:]
        for (i, name) in bars.symbols.enumerated() { target[name] = Double(i % 2 == 0 ? 1_000 + i : -(500 + i)) }
        let began = Date()
        let plan = try RebalancingPlanner(startTime: start, aggressiveTime: Timestamp(rawValue: bars.end[bars.count - 1] - 30 * 60_000_000_000))
            .createPlan(current: [:], target: target)
        let writer = try openLog(bars, at: start)
        var executor = TWAPExecutor(gateway: SimulatedExchange(), numSlices: 10, sink: writer)
        let report = try executor.executePlan(plan, bars: bars)
        let elapsed = Date().timeIntervalSince(began)
        try writer.close()
        #expect(report.totalTrades == 500 && report.completedTrades == 500)
        var state = ExecutionMonitorState()
        for e in try readEvents(writer.path) { ExecutionMonitor.reduce(&state, e) }
        #expect(state.overallCompletion == 1)
        print("500 trades × 390 minutes: \(elapsed) s (debug build)")
    }
}
