import Aurora

/// Turns events into JSON lines or CSV rows. Fixed-point values print as exact decimals, doubles
/// in Swift's shortest round-trip form (non-finite ones as strings, since JSON has no NaN).
struct EventRenderer {
    let symbols: [String]
    var registry = ComponentRegistry.standard

    enum Value {
        case int(Int64)
        case uint(UInt64)
        case decimal(String)
        case double(Double)
        case text(String)
        case time(Timestamp)
        /// Already JSON (an extension record's fields, from its codec).
        case json(String)
        case none
    }

    static let common = ["sequence", "timestamp", "kind", "symbol"]

    /// The field names of a kind, in the order `values` returns them.
    static func keys(_ kind: EventKind) -> [String] {
        switch kind {
        case .manifest: ["format_version", "engine_version", "data_source", "seed", "config_sha256", "properties"]
        case .symbolDefinition: ["symbol_id", "name"]
        case .bar: ["timeframe", "open", "high", "low", "close", "volume"]
        case .priceUpdate: ["update", "price", "size", "bid", "bid_size", "ask", "ask_size"]
        case .timer: ["timer_id", "purpose"]
        case .alphaValue: ["alpha", "value"]
        case .signal: ["direction", "score", "rank", "contributions", "expected_return", "confidence"]
        case .targetPosition: ["quantity", "weight"]
        case .plannedTrade: ["plan_id", "trade_id", "side", "quantity", "priority", "limit_price"]
        case .orderSlice: ["trade_id", "slice_index", "order_id", "scheduled_time", "quantity"]
        case .orderSubmitted: ["order_id", "trade_id", "side", "order_type", "quantity", "limit_price"]
        case .orderAccepted: ["order_id", "broker_order_id"]
        case .orderRejected, .orderCancelled: ["order_id", "reason"]
        case .fill: ["order_id", "side", "quantity", "price", "fees", "liquidity"]
        case .escalation: ["trade_id", "order_id", "side", "quantity", "reason"]
        case .rateLimitWait: ["order_id", "until", "queue_depth"]
        case .sessionStart: ["mode", "session_id"]
        case .sessionEnd: ["reason"]
        case .connection: ["link", "state", "attempt", "detail"]
        case .inputNotice: ["link", "detail"]
        case .checkpoint: ["covers_sequence", "reducer", "digest", "state_bytes"]
        case .alphaWeights: ["model", "weights"]
        case .extension: ["name", "version", "bytes", "fields"]
        case .corporateAction: ["action", "ex_date", "ratio", "cash", "target", "note"]
        }
    }

    func values(_ p: EventPayload) -> [Value] {
        switch p {
        case .manifest(let m):
            let props = m.properties.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
            return [.uint(UInt64(m.formatVersion)), .text(m.engineVersion), .text(m.dataSource), .uint(m.seed),
                    .text(hexString(m.configDigest)), .text(props)]
        case .symbolDefinition(let e): return [.uint(UInt64(e.symbol.rawValue)), .text(e.name)]
        case .bar(let b):
            return [.text(b.timeframe.description), .decimal(b.open.description), .decimal(b.high.description),
                    .decimal(b.low.description), .decimal(b.close.description), .decimal(b.volume.description)]
        case .priceUpdate(let e):
            return [.text(e.kind == .trade ? "trade" : "quote"), price(e.price), quantity(e.size), price(e.bid),
                    quantity(e.bidSize), price(e.ask), quantity(e.askSize)]
        case .timer(let e): return [.uint(e.timerID), .text(e.purpose)]
        case .alphaValue(let e): return [.text(e.alpha), .double(e.value)]
        case .signal(let e):
            let parts = e.contributions.map { "\($0.alpha)=\($0.value)" }.joined(separator: ";")
            return [.text(e.direction.description), .double(e.score), .int(Int64(e.rank)), .text(parts),
                    e.expectedReturn.map { .double($0) } ?? .none, e.confidence.map { .double($0) } ?? .none]
        case .targetPosition(let e): return [.decimal(e.quantity.description), .double(e.weight)]
        case .plannedTrade(let e):
            return [.uint(e.planID), .uint(e.tradeID), .text(e.side.description), .decimal(e.quantity.description),
                    .int(Int64(e.priority)), price(e.limitPrice)]
        case .orderSlice(let e):
            return [.uint(e.tradeID), .uint(UInt64(e.sliceIndex)), .uint(e.orderID), .time(e.scheduledTime),
                    .decimal(e.quantity.description)]
        case .orderSubmitted(let e):
            return [.uint(e.orderID), .uint(e.tradeID), .text(e.side.description), .text(e.type == .market ? "market" : "limit"),
                    .decimal(e.quantity.description), price(e.limitPrice)]
        case .orderAccepted(let e): return [.uint(e.orderID), .text(e.brokerOrderID)]
        case .orderRejected(let e): return [.uint(e.orderID), .text(e.reason)]
        case .orderCancelled(let e): return [.uint(e.orderID), .text(e.reason)]
        case .fill(let e):
            let liquidity = switch e.liquidity { case .maker: "maker"; case .taker: "taker"; case .unknown: "unknown" }
            return [.uint(e.orderID), .text(e.side.description), .decimal(e.quantity.description),
                    .decimal(e.price.description), .decimal(e.fees.description), .text(liquidity)]
        case .escalation(let e):
            return [.uint(e.tradeID), .uint(e.orderID), .text(e.side.description), .decimal(e.quantity.description), .text(e.reason)]
        case .rateLimitWait(let e): return [.uint(e.orderID), .time(e.until), .uint(UInt64(e.queueDepth))]
        case .sessionStart(let e): return [.text(modeName(e.mode)), .text(e.sessionID)]
        case .sessionEnd(let e): return [.text(e.reason)]
        case .connection(let e): return [.text(e.link.name), .text(e.state.name), .uint(UInt64(e.attempt)), .text(e.detail)]
        case .inputNotice(let e): return [.text(e.link.name), .text(e.detail)]
        case .checkpoint(let e):
            return [.uint(e.coversSequence), .text(e.reducer), .text(hexString(e.digest)), .uint(UInt64(e.state.count))]
        case .alphaWeights(let e):
            return [.text(e.model), .text(e.weights.map { "\($0.alpha)=\($0.value)" }.joined(separator: ";"))]
        case .corporateAction(let e):
            let target = e.target.index < symbols.count ? symbols[e.target.index] : "#\(e.target.rawValue)"
            return [.text(e.kind.name), .text(e.exDate), .double(e.ratio), .decimal(e.cash.description), .text(target), .text(e.note)]
        case .extension(let e):
            // The fields when a codec for the kind is registered; a reader without one shows name and size.
            let fields = registry.extensionCodec(named: e.name)?.fields(e)
            return [.text(e.name), .uint(UInt64(e.version)), .uint(UInt64(e.payload.count)), fields.map { .json($0) } ?? .none]
        }
    }

    private func price(_ p: Price?) -> Value { p.map { .decimal($0.description) } ?? .none }
    private func quantity(_ q: Quantity?) -> Value { q.map { .decimal($0.description) } ?? .none }

    private func modeName(_ m: SessionMode) -> String {
        switch m {
        case .importer: "import"
        case .backtest: "backtest"
        case .live: "live"
        case .replay: "replay"
        case .paper: "paper"
        }
    }

    private func symbolName(_ event: Event) -> String? {
        guard let s = event.payload.symbol else { return nil }
        return s.index < symbols.count ? symbols[s.index] : "#\(s.rawValue)"
    }

    // MARK: JSON lines

    func jsonLine(_ event: Event) -> String {
        var line = "{\"sequence\":\(event.sequence),\"timestamp\":\"\(event.timestamp.iso8601)\",\"kind\":\"\(event.kind.name)\""
        if let name = symbolName(event) { line += ",\"symbol\":\(jsonString(name))" }
        for (key, value) in zip(Self.keys(event.kind), values(event.payload)) {
            line += ",\"\(key)\":"
            switch value {
            case .int(let v): line += String(v)
            case .uint(let v): line += String(v)
            case .decimal(let v): line += v
            case .double(let v): line += v.isFinite ? "\(v)" : "\"\(v)\""
            case .text(let v): line += jsonString(v)
            case .time(let t): line += "\"\(t.iso8601)\""
            case .json(let v): line += v
            case .none: line += "null"
            }
        }
        return line + "}\n"
    }

    private func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    // MARK: CSV

    /// The common columns, then the union of the kinds' fields in kind order.
    static func csvColumns(for kinds: [EventKind]) -> [String] {
        var columns = common
        for kind in kinds.sorted() {
            for key in keys(kind) where !columns.contains(key) { columns.append(key) }
        }
        return columns
    }

    /// The CSV columns, and for each kind where its fields go among them (looked up once, not per
    /// row), and the row being built (its storage reused row after row).
    final class CSVLayout {
        let columns: [String]
        fileprivate let positions: [[Int?]]
        fileprivate var cells: [String]

        init(kinds: [EventKind]) {
            columns = EventRenderer.csvColumns(for: kinds)
            let index = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
            positions = (0..<256).map { code in
                guard let kind = EventKind(rawValue: UInt8(code)) else { return [] }
                return EventRenderer.keys(kind).map { index[$0] }
            }
            cells = Array(repeating: "", count: columns.count)
        }
    }

    /// Writes one CSV row, with its newline.
    func writeCSVLine(_ event: Event, layout: CSVLayout, to out: OutputStream) {
        layout.cells.withUnsafeMutableBufferPointer { cells in
            for i in cells.indices.dropFirst(Self.commonColumns) { cells[i] = "" }
            fill(cells, event, layout.positions[Int(event.kind.rawValue)])
        }
        // The columns every event has go straight out; the payload's through the cells.
        out.write(decimal: event.sequence)
        out.write(byte: 44)
        out.write(iso8601: event.timestamp)
        out.write(byte: 44)
        out.write(event.kind.name)
        out.write(byte: 44)
        if let name = symbolName(event) { out.write(Self.csvCell(name)) }
        for cell in layout.cells.dropFirst(Self.commonColumns) {
            out.write(byte: 44)
            out.write(cell)
        }
        out.write(byte: 10)
    }

    /// sequence, timestamp, kind, symbol: the first columns of every CSV layout.
    private static var commonColumns: Int { common.count }

    private func fill(_ cells: UnsafeMutableBufferPointer<String>, _ event: Event, _ positions: [Int?]) {
        for (position, value) in zip(positions, values(event.payload)) {
            guard let i = position else { continue }
            switch value {
            case .int(let v): cells[i] = String(v)
            case .uint(let v): cells[i] = String(v)
            case .decimal(let v): cells[i] = v
            case .double(let v): cells[i] = "\(v)"
            case .text(let v): cells[i] = Self.csvCell(v)
            case .time(let t): cells[i] = t.iso8601
            case .json(let v): cells[i] = Self.csvCell(v)
            case .none: cells[i] = ""
            }
        }
    }

    static func csvCell(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
