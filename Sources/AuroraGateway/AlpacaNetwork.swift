import AuroraLive
import Foundation

/// The feeds and brokers `aurora live` reaches over the network: `paper:URL` (an `aurora
/// paper-exchange`, market data and trading on one address) and `alpaca` (Alpaca's v2 stream,
/// `--data-feed iex|sip`, and its trading API; `APCA_API_BASE_URL` overrides the trading address).
/// Credentials come from `APCA_API_KEY_ID` / `APCA_API_SECRET_KEY` or a file; a paper exchange
/// takes any non-empty pair (`paper`/`paper` when none is set).
public struct AlpacaNetwork: SessionNetwork {
    public var credentialsFile: String?
    public var dataFeed: String
    public var environment: [String: String]

    public init(credentialsFile: String? = nil, dataFeed: String = "iex",
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.credentialsFile = credentialsFile
        self.dataFeed = dataFeed
        self.environment = environment
    }

    enum Place: Equatable { case paper(String), alpaca }

    func place(_ spec: String) -> Place? {
        if spec == "alpaca" { return .alpaca }
        if spec.hasPrefix("paper:"), spec.count > 6 { return .paper(String(spec.dropFirst(6))) }
        return nil
    }

    public func validate(feed: String, broker: String) throws {
        let f = LiveSessionOptions.replayFeed(feed) == nil ? place(feed) : nil
        guard LiveSessionOptions.replayFeed(feed) != nil || f != nil else {
            throw LiveError("--feed must be replay:PATH[@SPEED] (SPEED a positive number or max), paper:URL or alpaca, not \"\(feed)\"")
        }
        guard dataFeed == "iex" || dataFeed == "sip" else { throw LiveError("--data-feed must be iex or sip, not \"\(dataFeed)\"") }
        guard broker != "sim" else { return }
        guard let b = place(broker) else { throw LiveError("--broker must be sim, paper:URL or alpaca, not \"\(broker)\"") }
        // An outside broker fills against the market its own feed shows: a paper exchange's clock only
        // moves for a subscriber, and Alpaca's fills follow today's market, not recorded bars.
        switch (f, b) {
        case (.paper(let u)?, .paper(let v)) where u != v:
            throw LiveError("--broker paper:\(v) needs --feed paper:\(v) (the same exchange), not paper:\(u)")
        case (.paper?, .paper), (.alpaca?, .alpaca): return
        case (_, .paper(let v)): throw LiveError("--broker paper:\(v) needs --feed paper:\(v): the exchange fills against the bars it streams")
        case (_, .alpaca): throw LiveError("--broker alpaca needs --feed alpaca: Alpaca fills against today's market")
        }
    }

    func endpoints(_ place: Place) throws -> AlpacaEndpoints {
        switch place {
        case .paper(let url): return try AlpacaEndpoints.paper(url)
        case .alpaca:
            var e = AlpacaEndpoints.alpaca(dataFeed: dataFeed)
            if let base = environment["APCA_API_BASE_URL"], !base.isEmpty {
                let custom = try AlpacaEndpoints.paper(base)
                e.trading = custom.trading
                e.tradeStream = custom.tradeStream
            }
            return e
        }
    }

    func credentials(_ place: Place) throws -> AlpacaCredentials {
        let fallback: AlpacaCredentials? = if case .paper = place { AlpacaCredentials(keyID: "paper", secretKey: "paper") } else { nil }
        return try AlpacaCredentials.resolve(file: credentialsFile, environment: environment, fallback: fallback)
    }

    public func broker(_ spec: String, tag: String) throws -> any BrokerLink {
        guard let p = place(spec) else { throw LiveError("unknown broker \"\(spec)\"") }
        return AlpacaTradingGateway(endpoints: try endpoints(p), credentials: try credentials(p), tag: tag, name: spec)
    }

    public func feed(_ spec: String, symbols: [String], trades: Bool) throws -> any Feed {
        guard let p = place(spec) else { throw LiveError("unknown feed \"\(spec)\"") }
        if p == .alpaca && symbols.isEmpty { throw LiveError("--feed alpaca needs data.symbols in the configuration") }
        let isPaper = p != .alpaca
        return AlpacaMarketStream(url: try endpoints(p).marketData, credentials: try credentials(p), symbols: symbols, trades: trades,
                                  dailyBars: isPaper)
    }

    public func universe(_ spec: String) async throws -> [String] {
        guard let p = place(spec) else { throw LiveError("unknown feed \"\(spec)\"") }
        guard case .paper = p else { throw LiveError("--feed alpaca needs data.symbols in the configuration") }
        return try await AlpacaTradingGateway(endpoints: try endpoints(p), credentials: try credentials(p), tag: "").assets()
    }

    public func isLive(_ spec: String) -> Bool { place(spec) != nil }
}
