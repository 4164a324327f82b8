import Foundation
import AuroraTestSupport
import AuroraRun
import AuroraStrategies
import AuroraData
import AuroraKernel
import AuroraStats
import AuroraGateway
import AuroraLive
import AuroraLog
import AuroraModel
import AuroraPaperExchange

enum Gateway {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func fixture(_ name: String) -> String { root.appendingPathComponent("fixtures/" + name).path }
    static func temporary(_ name: String) -> String { Paths.temporary(name) }
    static let paperCredentials = AlpacaCredentials(keyID: "paper-key", secretKey: "paper-secret")

    static func events(_ path: String) throws -> [Event] {
        let cursor = try LogReader(path: path).events()
        var out: [Event] = []
        while let e = try cursor.next() { out.append(e) }
        return out
    }

    static func config() throws -> AuroraConfig {
        var c = try ConfigReader.load(path: fixture("backtest-momentum.yaml")).0
        c.data.source = fixture("bars-daily.csv")
        return c
    }

    static func series() throws -> BarSeries { try CSVDataSource(path: fixture("bars-daily.csv")).load().0 }

    /// A paper exchange serving on a free port, and its base URL once it listens.
    static func startExchange(_ exchange: PaperExchange) async throws -> (url: String, server: Task<Void, Error>) {
        let (ports, found) = AsyncStream<Int>.makeStream()
        // On a thread of its own, so a test runner busy with other tests cannot starve it.
        let server = Task(executorPreference: DedicatedExecutor.shared) {
            try await PaperExchangeServer.run(exchange, port: 0) { port in found.yield(port) }
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw GatewayError("the paper exchange did not start") }
        return ("http://127.0.0.1:\(port)", server)
    }

    /// A live session against a paper exchange: its market data and its broker, until the data ends.
    static func paperSession(config: AuroraConfig, exchangeURL: String, symbols: [String], out: String,
                             credentials: AlpacaCredentials = paperCredentials,
                             snapshot: SnapshotMode = .barClose) async throws -> LiveSummary {
        let endpoints = try AlpacaEndpoints.paper(exchangeURL)
        let inputs = SessionInputs()
        let gateway = AlpacaTradingGateway(endpoints: endpoints, credentials: credentials, tag: "test", name: "paper:\(exchangeURL)")
        let stream = AlpacaMarketStream(url: endpoints.marketData, credentials: credentials, symbols: symbols, dailyBars: true,
                                        backoff: Backoff(initial: .milliseconds(50), maximum: .milliseconds(400)))
        inputs.start(feed: stream, perUpdate: snapshot == .update, broker: gateway, clockEvery: nil)
        defer { inputs.close() }
        let session = try LiveSession(config: config, symbols: symbols, sourceDescription: "paper:\(exchangeURL)", out: out,
                                      resume: false, broker: gateway.name, snapshot: snapshot)
        return try await session.run(inputs: inputs.stream, broker: gateway)
    }
}
