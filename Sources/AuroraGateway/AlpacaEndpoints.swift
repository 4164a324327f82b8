/// Where the trading REST API, the order-updates stream and the market-data stream live.
public struct AlpacaEndpoints: Sendable, Equatable {
    public var trading: String
    public var tradeStream: String
    public var marketData: String

    /// Alpaca's own servers: paper or live trading, IEX or SIP data.
    public static func alpaca(live: Bool = false, dataFeed: String = "iex") -> AlpacaEndpoints {
        let host = live ? "api.alpaca.markets" : "paper-api.alpaca.markets"
        return AlpacaEndpoints(trading: "https://\(host)", tradeStream: "wss://\(host)/stream",
                               marketData: "wss://stream.data.alpaca.markets/v2/\(dataFeed)")
    }

    /// A local paper exchange at `base` (http://host:port): everything on one server.
    public static func paper(_ base: String) throws -> AlpacaEndpoints {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        let ws: String
        if base.hasPrefix("http://") { ws = "ws://" + base.dropFirst("http://".count) }
        else if base.hasPrefix("https://") { ws = "wss://" + base.dropFirst("https://".count) }
        else { throw GatewayError("paper exchange address \"\(base)\" must start with http:// or https://") }
        guard ws.count > "wss://".count else { throw GatewayError("paper exchange address \"\(base)\" has no host") }
        return AlpacaEndpoints(trading: base, tradeStream: ws + "/stream", marketData: ws + "/v2/iex")
    }
}
