import Foundation
import Testing
import AuroraRun
import AuroraStrategies
import AuroraData
import AuroraKernel
import AuroraStats
import AuroraExecution
import AuroraGateway
import AuroraLive
import AuroraLog
import AuroraModel
import AuroraPaperExchange

@Suite("Paper sessions against the paper exchange")
struct PaperSessionTests {
    @Test("partial fills, broker rejects and forced reconnects are recorded, and replay reproduces every decision")
    func acceptance() async throws {
        let series = try Gateway.series()
        var options = PaperExchangeOptions()
        options.maxParticipation = 0.002   // ~1-2k shares per bar: the ~5k-share orders fill in parts
        options.rejectEvery = 7
        options.dropEvery = 60
        let exchange = try PaperExchange(series: series, options: options)
        let (url, server) = try await Gateway.startExchange(exchange)
        defer { server.cancel() }
        let clock = Task { await exchange.play() }
        defer { clock.cancel() }

        let out = Gateway.temporary("paper.alog")
        let summary = try await Gateway.paperSession(config: try Gateway.config(), exchangeURL: url, symbols: series.symbols, out: out)
        #expect(summary.reason == "end of feed")
        #expect(await exchange.barTimesPlayed == series.groups.count)

        let events = try Gateway.events(out)
        var ordered: [UInt64: Int64] = [:], filled: [UInt64: Int64] = [:], fillsPerOrder: [UInt64: Int] = [:]
        var rejects = 0, accepted = 0, drops: [Link] = [], connects: [Link] = [], bars = 0
        for e in events {
            switch e.payload {
            case .orderSubmitted(let o): ordered[o.orderID] = o.quantity.rawValue
            case .orderAccepted: accepted += 1
            case .orderRejected(let r):
                rejects += 1
                #expect(r.reason.contains("HTTP 403"))
            case .fill(let f):
                filled[f.orderID, default: 0] += f.quantity.rawValue
                fillsPerOrder[f.orderID, default: 0] += 1
            case .connection(let c): if c.state == .disconnected { drops.append(c.link) } else { connects.append(c.link) }
            case .bar: bars += 1
            default: break
            }
        }
        #expect(bars == series.count, "every bar the exchange played is in the log, none lost to a reconnect")
        #expect(rejects >= 1 && accepted >= 1)
        #expect(fillsPerOrder.values.contains { $0 > 1 }, "some order filled in several parts")
        for (id, q) in filled { #expect(q <= ordered[id] ?? 0, "order \(id) never fills beyond its quantity") }
        #expect(drops.contains(.marketData) && drops.contains(.orderUpdates))
        #expect(connects.filter { $0 == .marketData }.count >= 2 && connects.filter { $0 == .orderUpdates }.count >= 2)

        let report = try ReplayEngine.replay(path: out)
        #expect(report.identical, "replay diverged at \(String(describing: report.divergence?.sequence))")
        #expect(report.decisionDigest == report.recordedDecisionDigest)
    }
}

@Suite("Backtest/paper parity")
struct PaperParityTests {
    @Test("a paper session through the gateway takes the same signals as the backtest; plans and fills differ only through the broker's fills")
    func parity() async throws {
        let config = try Gateway.config()
        let backtest = Gateway.temporary("bt.alog")
        _ = try BacktestEngine(config: config, logPath: backtest).runMulti()
        let series = try Gateway.series()
        var options = PaperExchangeOptions()
        options.maxParticipation = 1
        let exchange = try PaperExchange(series: series, options: options)
        let (url, server) = try await Gateway.startExchange(exchange)
        defer { server.cancel() }
        let clock = Task { await exchange.play() }
        defer { clock.cancel() }
        let paper = Gateway.temporary("paper.alog")
        _ = try await Gateway.paperSession(config: config, exchangeURL: url, symbols: series.symbols, out: paper)
        // Signals depend on prices only: identical, bar time by bar time. Targets depend on the
        // portfolio, which the paper broker fills at its own times, so those may differ.
        func signals(_ path: String) throws -> [String] {
            try Gateway.events(path).compactMap { e in
                guard case .signal(let s) = e.payload else { return nil }
                return "\(e.timestamp.rawValue) \(s.symbol.rawValue) \(s.direction) \(s.score.bitPattern)"
            }
        }
        let expected = try signals(backtest)
        #expect(!expected.isEmpty)
        #expect(try signals(paper) == expected)
    }
}

@Suite("TWAP through an outside broker")
struct PaperTWAPTests {
    @Test("TWAP slices pass the rate limit and go to the paper exchange; its fills complete the trades; replay is identical")
    func twapThroughBroker() async throws {
        var config = try ConfigReader.load(path: Gateway.fixture("alpha-twap.yaml")).0
        config.strategy = .momentum(lookback: 1, threshold: 0)   // trades from the second day on
        config.data.synthetic.symbolCount = 6
        config.data.synthetic.sectorCount = 2
        config.data.synthetic.days = 3
        config.execution.twap?.rateLimitPerMinute = 4
        let series = try config.data.synthetic.generate()
        var options = PaperExchangeOptions()
        options.maxParticipation = 0.5
        let exchange = try PaperExchange(series: series, options: options)
        let (url, server) = try await Gateway.startExchange(exchange)
        defer { server.cancel() }
        let clock = Task { await exchange.play() }
        defer { clock.cancel() }
        let out = Gateway.temporary("twap-paper.alog")
        let summary = try await Gateway.paperSession(config: config, exchangeURL: url, symbols: series.symbols, out: out)
        #expect(summary.reason == "end of feed")
        var slices = 0, submitted: [UInt64: Int64] = [:], filled: [UInt64: Int64] = [:], waits = 0, accepted = 0
        for e in try Gateway.events(out) {
            switch e.payload {
            case .orderSlice: slices += 1
            case .orderSubmitted(let o): submitted[o.orderID] = o.quantity.rawValue
            case .orderAccepted: accepted += 1
            case .fill(let f): filled[f.orderID, default: 0] += f.quantity.rawValue
            case .rateLimitWait: waits += 1
            default: break
            }
        }
        #expect(slices > 0 && waits > 0, "slices were planned and some waited for the rate limit")
        #expect(accepted == submitted.count, "every released slice reached the broker")
        #expect(!filled.isEmpty)
        for (id, q) in filled { #expect(q <= submitted[id] ?? 0, "order \(id) fills within its quantity") }
        let report = try ReplayEngine.replay(path: out)
        #expect(report.identical, "diverged at \(String(describing: report.divergence))")
    }
}

@Suite("Deciding per update against the paper exchange")
struct PaperPerUpdateTests {
    @Test("every bar message is a step as it arrives; the broker's answers fall between them; replay is identical")
    func perUpdate() async throws {
        let series = try Gateway.series()
        let exchange = try PaperExchange(series: series, options: PaperExchangeOptions())
        let (url, server) = try await Gateway.startExchange(exchange)
        defer { server.cancel() }
        let clock = Task { await exchange.play() }
        defer { clock.cancel() }
        let out = Gateway.temporary("update-paper.alog")
        let summary = try await Gateway.paperSession(config: try Gateway.config(), exchangeURL: url, symbols: series.symbols,
                                                     out: out, snapshot: .update)
        #expect(summary.reason == "end of feed" && summary.notices == 0)
        let recorded = try RecordedInputs.read(try LogReader(path: out))
        #expect(recorded.steps.count == series.count, "one step per bar")
        #expect(try ReplayEngine.replay(path: out).identical)
    }
}
