import AuroraAlpaca
import AuroraLive
import AuroraModel
import HummingbirdWSClient
import Synchronization

/// A session's market data from Alpaca's v2 stream (or a paper exchange speaking it): connect,
/// authenticate, subscribe to minute bars (and daily bars, which a paper exchange playing daily
/// data sends) and optionally trades for the session's
/// symbols, then deliver bar groups and trades as they come. Drops are logged and reconnected
/// with backoff; messages it cannot use are logged as notices; bad credentials end the feed.
public struct AlpacaMarketStream: Feed {
    public var url: String
    public var credentials: AlpacaCredentials
    public var symbols: [String]
    public var trades: Bool
    /// Also subscribe to daily bars. Alpaca sends both kinds to whoever asks, and one session
    /// steps on one timeframe, so ask for daily bars only where they are the session's bars.
    public var dailyBars: Bool
    /// Deliver each bar as its own update instead of one group per bar time.
    public var perUpdate = false
    /// How long a partial bar group waits for more symbols once bars stop arriving.
    public var groupWait: Duration
    public var backoff: Backoff

    public init(url: String, credentials: AlpacaCredentials, symbols: [String], trades: Bool = false, dailyBars: Bool = false,
                groupWait: Duration = .milliseconds(200), backoff: Backoff = Backoff()) {
        self.dailyBars = dailyBars
        self.url = url
        self.credentials = credentials
        self.symbols = symbols
        self.trades = trades
        self.groupWait = groupWait
        self.backoff = backoff
    }

    public func run(perUpdate: Bool, deliver: @escaping @Sendable (SessionInput) -> Void) async {
        var stream = self
        stream.perUpdate = perUpdate
        await stream.run(deliver: deliver)
    }

    /// Delivers inputs until the server ends the data, the credentials are refused or the task
    /// is cancelled; then delivers the end of the feed.
    public func run(deliver: @escaping @Sendable (SessionInput) -> Void) async {
        let state = Mutex(StreamState(symbols: symbols, eachBar: perUpdate))
        let wait = groupWait
        // Releases a partial group once the stream has been quiet for `groupWait`.
        let flusher = Task {
            let clock = ContinuousClock()
            while !Task.isCancelled {
                try? await Task.sleep(for: wait / 2)
                state.withLock { s in
                    if s.assembler.isPending, clock.now - s.lastBar >= wait, let group = s.assembler.flush() { deliver(group) }
                }
            }
        }
        defer { flusher.cancel() }
        let runner = LinkRunner(url: url, link: .marketData, backoff: backoff)
        let credentials = self.credentials, symbols = self.symbols, trades = self.trades, daily = dailyBars
        let ended = await runner.run(deliver: deliver) { messages, outbound, connected in
            guard try await Self.expect(&messages, "connected") else { return .dropped("closed before the handshake") }
            try await outbound.write(.text(AlpacaWire.text(["action": "auth", "key": credentials.keyID, "secret": credentials.secretKey])))
            guard try await Self.expect(&messages, "authenticated") else { return .dropped("closed during the handshake") }
            try await outbound.write(.text(AlpacaWire.text(["action": "subscribe", "bars": symbols, "dailyBars": daily ? symbols : [],
                                                            "trades": trades ? symbols : []])))
            connected()
            while let message = try await messages.next() {
                let parsed: [AlpacaWire.MarketMessage]
                do { parsed = try AlpacaWire.parseMarketData(message.text) } catch {
                    deliver(notice("malformed message: \(error)"))
                    continue
                }
                state.withLock { s in
                    for m in parsed { s.take(m, deliver: deliver) }
                }
            }
            // A partial group is real data: release it before reporting the drop.
            state.withLock { s in if let group = s.assembler.flush() { deliver(group) } }
            return .dropped("the stream closed")
        }
        state.withLock { s in if let group = s.assembler.flush() { deliver(group) } }
        deliver(ended == LinkRunner.endOfData || ended == "cancelled" ? .endOfFeed : .halt(ended))
    }

    /// Waits for `{"T":"success","msg":what}`; false when the server closed first (its close
    /// frame says why); an error message fails the handshake.
    static func expect(_ messages: inout WebSocketInboundMessageStream.AsyncIterator, _ what: String) async throws -> Bool {
        while let message = try await messages.next() {
            let parsed: [AlpacaWire.MarketMessage]
            do { parsed = try AlpacaWire.parseMarketData(message.text) } catch {
                throw GatewayError("market data handshake: \(error)")
            }
            for m in parsed {
                switch m {
                case .success(let msg) where msg == what: return true
                case .error(let code, let msg) where [401, 402, 403, 404, 405, 406, 409].contains(code):
                    throw LinkRunner.Fatal(description: "market data refused the session: \(code) \(msg)")
                case .error(let code, let msg): throw GatewayError("market data error \(code): \(msg)")
                default: continue
                }
            }
        }
        return false
    }
}

private func notice(_ detail: String) -> SessionInput { .answer(.inputNotice(InputNotice(link: .marketData, detail: detail))) }

/// What the market-data link remembers across messages and reconnects.
struct StreamState {
    var assembler: BarAssembler
    var lastBar = ContinuousClock().now
    var index: [String: Int] = [:]
    var lastTrade: [Int64]

    init(symbols: [String], eachBar: Bool = false) {
        assembler = BarAssembler(symbols: symbols, eachBar: eachBar)
        for (i, s) in symbols.enumerated() { index[s] = i }
        lastTrade = Array(repeating: .min, count: symbols.count)
    }

    mutating func take(_ m: AlpacaWire.MarketMessage, deliver: @Sendable (SessionInput) -> Void) {
        switch m {
        case .bar(let b):
            lastBar = ContinuousClock().now
            for input in assembler.add(b) { deliver(input) }
        case .trade(let t):
            guard let id = index[t.symbol] else { return deliver(notice("trade for unknown symbol \(t.symbol): dropped")) }
            guard t.time.rawValue >= lastTrade[id] else {
                return deliver(notice("trade for \(t.symbol) at \(t.time.iso8601) is older than the last one: dropped"))
            }
            guard let price = Price(t.price), price.rawValue > 0, let size = Quantity(t.size) else {
                return deliver(notice("trade for \(t.symbol) at \(t.time.iso8601) has an impossible price or size: dropped"))
            }
            lastTrade[id] = t.time.rawValue
            deliver(.answer(.priceUpdate(PriceUpdate(symbol: SymbolID(id), kind: .trade, price: price, size: size))))
        case .error(let code, let msg): deliver(notice("stream error \(code): \(msg)"))
        case .other(let type): deliver(notice("message of unknown type \"\(type)\": ignored"))
        case .success, .subscription: break
        }
    }
}
