import Testing
import AuroraData
import AuroraKernel
import AuroraStats
import AuroraModel

/// Every state change the portfolio reducer makes, one event at a time (TCA-style: the whole
/// state is compared after each step, so an unexpected change anywhere fails).
@Suite("Portfolio reducer")
struct PortfolioReducerTests {
    var state = PortfolioState()
    var sequence: UInt64 = 0

    mutating func send(_ payload: EventPayload, at t: Int64 = 1) {
        PortfolioReducer.reduce(&state, Event(sequence: sequence, timestamp: Timestamp(rawValue: t), payload: payload))
        sequence += 1
    }

    func bar(_ s: Int, close: Double) -> EventPayload {
        let p = Price(close)!
        return .bar(Bar(symbol: SymbolID(s), timeframe: .day, open: p, high: p, low: p, close: p, volume: Quantity(rawValue: 0)))
    }

    func fill(_ s: Int, _ side: Side, _ shares: Double, at price: Double, fee: Double = 0) -> EventPayload {
        .fill(Fill(orderID: 1, symbol: SymbolID(s), side: side, quantity: Quantity(shares)!, price: Price(price)!, fees: Price(fee)!))
    }

    @Test("manifest sets the starting cash; symbols make room; bars mark prices")
    mutating func setup() {
        send(.manifest(Manifest(formatVersion: 1, engineVersion: "t", properties: [KeyValue("portfolio.initial_cash", "1000")])))
        var expected = PortfolioState()
        expected.initialCash = 1000
        expected.cash = 1000
        expected.timestamp = Timestamp(rawValue: 1)
        #expect(state == expected)

        send(.symbolDefinition(SymbolDefinition(symbol: SymbolID(1), name: "B")), at: 2)
        expected.positions = [0, 0]; expected.averageCost = [0, 0]; expected.lastPrice = [0, 0]
        expected.timestamp = Timestamp(rawValue: 2); expected.sequence = 1
        #expect(state == expected)

        send(bar(1, close: 12.5), at: 3)
        expected.lastPrice = [0, 12.5]
        expected.timestamp = Timestamp(rawValue: 3); expected.sequence = 2
        #expect(state == expected)
        #expect(state.equity == 1000)
    }

    @Test("buy, add, partial sell, flip to short, cover: cash, cost, realized P&L, fees, turnover")
    mutating func tradeLifecycle() {
        send(.manifest(Manifest(formatVersion: 1, engineVersion: "t", properties: [KeyValue("portfolio.initial_cash", "10000")])))
        send(.symbolDefinition(SymbolDefinition(symbol: SymbolID(0), name: "A")))

        send(fill(0, .buy, 10, at: 100, fee: 1))
        #expect(state.cash == 10000 - 1000 - 1)
        #expect(state.positions[0] == 10_000_000)
        #expect(state.averageCost[0] == 100)
        #expect(state.fees == 1 && state.turnover == 1000 && state.fillCount == 1 && state.realizedPnL == 0)

        send(fill(0, .buy, 10, at: 110))
        #expect(state.averageCost[0] == 105)
        #expect(state.cash == 10000 - 1000 - 1 - 1100)

        send(fill(0, .sell, 5, at: 120))
        #expect(state.positions[0] == 15_000_000)
        #expect(state.averageCost[0] == 105)                 // reducing keeps the cost
        #expect(state.realizedPnL == 5 * 15)

        send(fill(0, .sell, 20, at: 90))                      // closes 15 long, opens 5 short
        #expect(state.positions[0] == -5_000_000)
        #expect(state.realizedPnL == 75 + 15 * (90 - 105))
        #expect(state.averageCost[0] == 90)

        send(bar(0, close: 80))
        #expect(state.unrealizedPnL == -5 * (80 - 90))
        #expect(state.netExposure == -400 && state.grossExposure == 400)

        send(fill(0, .buy, 5, at: 85))                        // cover
        #expect(state.positions[0] == 0)
        #expect(state.averageCost[0] == 0)
        #expect(state.realizedPnL == 75 - 225 + 5 * (90 - 85))
        #expect(state.turnover == 1000 + 1100 + 600 + 1800 + 425)
        #expect(state.fillCount == 5)
        // Cash is what the fills say, and equity with no position is cash.
        #expect(abs(state.equity - (10000 + state.realizedPnL - state.fees)) < 1e-9)
    }

    @Test("a trade tick marks its symbol like a bar close; a tick without a price does not")
    mutating func ticks() {
        send(.manifest(Manifest(formatVersion: 1, engineVersion: "t", properties: [KeyValue("portfolio.initial_cash", "1000")])))
        send(bar(0, close: 10), at: 2)
        send(fill(0, .buy, 10, at: 10), at: 3)
        var expected = state
        send(.priceUpdate(PriceUpdate(symbol: SymbolID(0), kind: .trade, price: Price(12), size: Quantity(5))), at: 4)
        expected.lastPrice = [12]
        expected.timestamp = Timestamp(rawValue: 4); expected.sequence = sequence - 1
        #expect(state == expected)
        #expect(state.equity == 1020)
        send(.priceUpdate(PriceUpdate(symbol: SymbolID(0), kind: .trade, price: nil, size: Quantity(5))), at: 5)
        expected.timestamp = Timestamp(rawValue: 5); expected.sequence = sequence - 1
        #expect(state == expected)
    }

    @Test("other kinds only move time and sequence")
    mutating func otherKindsAreInert() {
        send(.manifest(Manifest(formatVersion: 1, engineVersion: "t", properties: [KeyValue("portfolio.initial_cash", "5")])))
        var before = state
        let inert: [EventPayload] = [
            .signal(Signal(symbol: SymbolID(0), direction: .buy, score: 1)),
            .targetPosition(TargetPosition(symbol: SymbolID(0), quantity: Quantity(rawValue: 5), weight: 0.1)),
            .plannedTrade(PlannedTrade(planID: 1, tradeID: 1, symbol: SymbolID(0), side: .buy, quantity: Quantity(rawValue: 5), priority: 0)),
            .orderSubmitted(OrderSubmitted(orderID: 1, tradeID: 1, symbol: SymbolID(0), side: .buy, type: .market, quantity: Quantity(rawValue: 5))),
            .orderCancelled(OrderCancelled(orderID: 1, reason: "x")),
            .orderRejected(OrderRejected(orderID: 1, reason: "x")),
            .sessionEnd(SessionEnd(reason: "x")),
            .connection(ConnectionChange(link: .marketData, state: .disconnected, detail: "x")),
            .inputNotice(InputNotice(link: .orderUpdates, detail: "x")),
            .priceUpdate(PriceUpdate(symbol: SymbolID(0), kind: .quote, bid: Price(1), ask: Price(2))),
        ]
        for payload in inert {
            send(payload, at: 7)
            before.timestamp = Timestamp(rawValue: 7)
            before.sequence = sequence - 1
            #expect(state == before, "\(payload.kind.name) changed the portfolio")
        }
    }

    @Test("checkpoint bytes restore the exact state")
    mutating func checkpointRoundTrip() throws {
        send(.manifest(Manifest(formatVersion: 1, engineVersion: "t", properties: [KeyValue("portfolio.initial_cash", "1000")])))
        send(.symbolDefinition(SymbolDefinition(symbol: SymbolID(2), name: "C")))
        send(fill(2, .buy, 1.5, at: 33.3, fee: 0.01))
        send(bar(2, close: 34.1))
        let restored = try #require(PortfolioState(checkpointBytes: state.checkpointBytes))
        #expect(restored == state)
        #expect(restored.equity.bitPattern == state.equity.bitPattern)
        #expect(PortfolioState(checkpointBytes: [9, 9, 9]) == nil)
        #expect(PortfolioState(checkpointBytes: Array(state.checkpointBytes.dropLast())) == nil)
    }
}
