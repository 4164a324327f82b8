import AuroraAlpaca
import AuroraData
import AuroraKernel
import AuroraLog
import AuroraGateway
import AuroraModel
import Foundation

/// How a paper exchange plays its data and what faults it rehearses.
public struct PaperExchangeOptions: Sendable {
    /// Recorded time per wall time (1 is real time); nil plays bar times as fast as clients take them.
    public var speed: Double?
    /// The largest share of a bar's volume one symbol's orders can take (partial fills below it).
    public var maxParticipation = 0.1
    /// Refuse every Nth order (0: never), as a broker reject to rehearse.
    public var rejectEvery = 0
    /// Close every stream connection after every N bar times (0: never), to rehearse reconnects.
    public var dropEvery = 0
    public var cash = 1_000_000.0
    /// When set, the only key pair accepted; otherwise any non-empty pair is.
    public var credentials: AlpacaCredentials?
    /// Where to record what the exchange did as an Aurora log (nil: nowhere).
    public var logPath: String?
    /// The data's description, for the recorded log's manifest.
    public var dataSource = ""

    public init() {}
}

/// A local exchange speaking the subset of Alpaca's trading API, order-updates stream and v2
/// market-data stream that Aurora's gateway uses. It plays recorded bars as live bars, one bar
/// time after another, and fills orders against them (`PaperBook`). Its clock waits while no
/// market-data client is subscribed, and while a client that sent orders has no order-updates
/// link, so a dropped client misses neither bars nor fills.
public actor PaperExchange {
    public enum Outgoing: Sendable {
        case text(String)
        case binary([UInt8])
        case close(reason: String)
    }

    enum LinkKind { case data, orders }

    struct Connection {
        var kind: LinkKind
        var send: AsyncStream<Outgoing>.Continuation
        var authenticated = false
        var subscribed = false
        /// nil: all symbols.
        var symbols: Set<String>?
        /// The client asked for MessagePack (`Content-Type: application/msgpack`), as Alpaca's SDKs do.
        var msgpack = false
    }

    /// A market-data message in the format the connection asked for.
    private func emit(_ send: AsyncStream<Outgoing>.Continuation, msgpack: Bool, _ messages: [[String: Any]]) {
        send.yield(msgpack ? .binary(MessagePack.encode(messages)) : .text(AlpacaWire.text(messages)))
    }

    let series: BarSeries
    let options: PaperExchangeOptions
    var book: PaperBook
    var connections: [Int: Connection] = [:]
    var nextConnection = 0
    var everListened = false
    public private(set) var barTimesPlayed = 0
    public private(set) var finished = false
    var now: Timestamp { didSet { book.now = now } }
    var recorder: ExchangeRecorder?
    /// The first failure to record (the exchange goes on serving; the log stops there).
    public private(set) var recordingError: String?

    public init(series: BarSeries, options: PaperExchangeOptions) throws {
        guard series.timeframe == .day || series.timeframe == .minute else {
            throw GatewayError("the paper exchange plays daily or 1-minute bars (Alpaca's \"d\" and \"b\" messages); the data has \(series.timeframe) bars")
        }
        guard series.count > 0 else { throw GatewayError("the paper exchange's data has no bars") }
        self.series = series
        self.options = options
        var firstOpen = [Double](repeating: .nan, count: series.symbols.count)
        for i in 0..<series.count where firstOpen[Int(series.symbol[i])].isNaN {
            firstOpen[Int(series.symbol[i])] = Price(rawValue: series.open[i]).doubleValue
        }
        book = PaperBook(symbols: series.symbols, firstOpen: firstOpen, cash: options.cash, maxParticipation: options.maxParticipation,
                         rejectEvery: options.rejectEvery)
        now = Timestamp(rawValue: series.end[0])
        book.now = now
        if let path = options.logPath {
            recorder = try ExchangeRecorder(path: path, symbols: series.symbols, cash: options.cash, source: options.dataSource, at: now)
        }
    }

    /// Records through the recorder, if there is one; a failure ends the recording, not the exchange.
    func record(_ body: (ExchangeRecorder) throws -> Void) {
        guard let recorder else { return }
        do { try body(recorder) } catch {
            recordingError = "\(error)"
            self.recorder = nil
        }
    }

    /// Ends the recorded log (at SIGINT); its summary, or nil when nothing was recorded.
    public func closeLog(reason: String) -> LogSummary? {
        guard let recorder else { return nil }
        self.recorder = nil
        do { return try recorder.close(at: now, reason: reason) } catch {
            recordingError = "\(error)"
            return nil
        }
    }

    // MARK: clock

    /// Plays every bar time, then closes the market-data streams with the end-of-data reason.
    public func play() async {
        let steps = series.steps
        var previous: Int64?
        for step in steps {
            while !ready() {
                if Task.isCancelled { return }
                try? await Task.sleep(for: .milliseconds(5))
            }
            let t = step.time.rawValue
            if let speed = options.speed, let p = previous, t > p {
                try? await Task.sleep(for: .seconds(min(Double(t - p) / 1e9 / speed, 3_600)))
            }
            if Task.isCancelled { return }
            previous = t
            now = Timestamp(rawValue: t)
            var bars: [Bar] = []
            series.bars(step.range, into: &bars)
            record { try $0.bars(bars, at: now) }
            for e in book.fill(bars) {
                if let n = book.byID[e.order.id] {
                    record { try $0.filled(n, symbol: book.orders[n].symbolIndex, side: e.order.side, quantity: e.quantity, price: e.price, at: now) }
                }
                broadcastUpdate(event: e.event, order: e.order, price: e.price, quantity: e.quantity, position: e.position)
            }
            broadcastBars(bars, at: t)
            barTimesPlayed += 1
            if options.dropEvery > 0 && barTimesPlayed % options.dropEvery == 0 && barTimesPlayed < steps.count {
                // Closed connections stop counting at once: the clock waits for the clients to come back.
                for id in connections.keys.sorted() {
                    connections[id]?.send.yield(.close(reason: "rehearsal disconnect"))
                    connections[id]?.subscribed = false
                }
            }
            await Task.yield()
        }
        finished = true
        for (_, c) in connections.sorted(by: { $0.key < $1.key }) where c.kind == .data {
            c.send.yield(.close(reason: "end of data"))
        }
    }

    private func ready() -> Bool {
        let data = connections.values.contains { $0.kind == .data && $0.subscribed }
        let orders = connections.values.contains { $0.kind == .orders && $0.subscribed }
        return data && (orders || (!everListened && book.orders.isEmpty))
    }

    private func broadcastBars(_ bars: [Bar], at t: Int64) {
        let tf = series.timeframe
        let start = Timestamp(rawValue: t - tf.rawValue)
        for id in connections.keys.sorted() {
            guard let c = connections[id], c.kind == .data, c.subscribed else { continue }
            let messages: [[String: Any]] = bars.compactMap { b in
                let name = series.symbols[b.symbol.index]
                if let s = c.symbols, !s.contains(name) { return nil }
                return AlpacaWire.barMessage(AlpacaWire.WireBar(symbol: name, timeframe: tf, start: start, open: b.open.doubleValue,
                                                                high: b.high.doubleValue, low: b.low.doubleValue,
                                                                close: b.close.doubleValue, volume: b.volume.doubleValue))
            }
            if !messages.isEmpty { emit(c.send, msgpack: c.msgpack, messages) }
        }
    }

    func broadcastUpdate(event: String, order: AlpacaWire.WireOrder, price: Double?, quantity: Double?, position: Double?) {
        var data: [String: Any] = ["event": event, "order": AlpacaWire.orderObject(order), "timestamp": now.iso8601]
        if let price { data["price"] = AlpacaWire.decimal(price) }
        if let quantity { data["qty"] = AlpacaWire.decimal(quantity) }
        if let position { data["position_qty"] = AlpacaWire.decimal(position) }
        let text = AlpacaWire.text(["stream": "trade_updates", "data": data])
        // Alpaca's paper order stream sends binary frames; so does this one.
        for id in connections.keys.sorted() where connections[id]?.kind == .orders && connections[id]?.subscribed == true {
            connections[id]?.send.yield(.binary(Array(text.utf8)))
        }
    }

    // MARK: connections

    func connect(_ kind: LinkKind, _ send: AsyncStream<Outgoing>.Continuation, msgpack: Bool = false) -> Int {
        nextConnection += 1
        connections[nextConnection] = Connection(kind: kind, send: send, msgpack: msgpack)
        if kind == .data { emit(send, msgpack: msgpack, [["T": "success", "msg": "connected"]]) }
        if finished && kind == .data { send.yield(.close(reason: "end of data")) }
        return nextConnection
    }

    func disconnect(_ id: Int) {
        connections[id]?.send.finish()
        connections[id] = nil
    }

    /// A binary frame: MessagePack from a client that asked for it, else JSON text.
    func receive(binary bytes: [UInt8], from id: Int) {
        guard let c = connections[id] else { return }
        guard c.msgpack else { return receive(String(decoding: bytes, as: UTF8.self), from: id) }
        guard let value = try? MessagePack.decode(bytes) else {
            return emit(c.send, msgpack: true, [["T": "error", "code": 400, "msg": "invalid syntax"]])
        }
        receive(AlpacaWire.text(value), from: id)
    }

    func receive(_ text: String, from id: Int) {
        guard let c = connections[id] else { return }
        switch c.kind {
        case .data: receiveData(text, c, id)
        case .orders: receiveOrders(text, c, id)
        }
    }

    private func receiveData(_ text: String, _ c: Connection, _ id: Int) {
        func error(_ code: Int, _ msg: String) { emit(c.send, msgpack: c.msgpack, [["T": "error", "code": code, "msg": msg]]) }
        guard let m = AlpacaWire.object(text), let action = m["action"] as? String else { return error(400, "invalid syntax") }
        switch action {
        case "auth":
            if c.authenticated { return error(403, "already authenticated") }
            guard accepts(key: m["key"] as? String, secret: m["secret"] as? String) else {
                error(402, "auth failed")
                c.send.yield(.close(reason: "auth failed"))
                return
            }
            connections[id]?.authenticated = true
            emit(c.send, msgpack: c.msgpack, [["T": "success", "msg": "authenticated"]])
        case "subscribe":
            guard c.authenticated else { return error(401, "not authenticated") }
            // Daily data goes to dailyBars subscribers, minute data to bars subscribers, as Alpaca's "d" and "b".
            let bars = m["bars"] as? [String] ?? [], daily = m["dailyBars"] as? [String] ?? []
            let wanted = series.timeframe == .day ? daily : bars
            if !wanted.isEmpty {
                connections[id]?.symbols = wanted.contains("*") ? nil : Set(wanted).union(c.symbols ?? [])
                connections[id]?.subscribed = true
            }
            emit(c.send, msgpack: c.msgpack, [["T": "subscription", "bars": bars, "dailyBars": daily, "trades": [String](),
                                               "quotes": [String]()]])
        default: error(400, "invalid syntax")
        }
    }

    private func receiveOrders(_ text: String, _ c: Connection, _ id: Int) {
        guard let m = AlpacaWire.object(text), let action = m["action"] as? String else {
            c.send.yield(.text(AlpacaWire.text(["stream": "error", "data": ["error_message": "invalid syntax"]])))
            return
        }
        switch action {
        case "auth", "authenticate":
            let data = m["data"] as? [String: Any] ?? [:]
            let ok = accepts(key: (m["key"] ?? data["key_id"]) as? String, secret: (m["secret"] ?? data["secret_key"]) as? String)
            connections[id]?.authenticated = ok
            c.send.yield(.text(AlpacaWire.text(["stream": "authorization",
                                                "data": ["status": ok ? "authorized" : "unauthorized", "action": "authenticate"]])))
            if !ok { c.send.yield(.close(reason: "unauthorized")) }
        case "listen":
            guard c.authenticated else { return }
            let streams = ((m["data"] as? [String: Any])?["streams"] as? [String]) ?? []
            connections[id]?.subscribed = streams.contains("trade_updates")
            if streams.contains("trade_updates") { everListened = true }
            c.send.yield(.text(AlpacaWire.text(["stream": "listening", "data": ["streams": streams.filter { $0 == "trade_updates" }]])))
        default:
            c.send.yield(.text(AlpacaWire.text(["stream": "error", "data": ["error_message": "unknown action \(action)"]])))
        }
    }

    nonisolated func accepts(key: String?, secret: String?) -> Bool {
        guard let key, let secret, !key.isEmpty, !secret.isEmpty else { return false }
        guard let required = options.credentials else { return true }
        return key == required.keyID && secret == required.secretKey
    }
}
