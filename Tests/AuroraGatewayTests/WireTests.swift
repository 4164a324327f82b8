@testable import AuroraAlpaca
import Foundation
import AuroraTestSupport
import Testing
@testable import AuroraGateway
import AuroraLive
import AuroraModel

@Suite("Alpaca wire messages and bar assembly")
struct WireTests {
    @Test("market-data messages parse into typed values; bad ones are errors that say what was wrong")
    func marketData() throws {
        let text = #"[{"T":"success","msg":"connected"},{"T":"b","S":"SPY","o":388.98,"h":389.13,"l":388.97,"c":389.12,"v":49378,"t":"2021-02-22T19:15:00Z"},{"T":"t","S":"AAPL","p":126.55,"s":1,"t":"2021-02-22T15:51:44.208Z"},{"T":"q","S":"AAPL"}]"#
        let m = try AlpacaWire.parseMarketData(text)
        #expect(m.count == 4)
        #expect(m[0] == .success("connected"))
        guard case .bar(let bar) = m[1] else { Issue.record("not a bar"); return }
        #expect(bar.symbol == "SPY" && bar.timeframe == .minute && bar.close == 389.12)
        #expect(bar.end.iso8601 == "2021-02-22T19:16:00Z")
        guard case .trade(let trade) = m[2] else { Issue.record("not a trade"); return }
        #expect(trade.price == 126.55 && trade.time.iso8601.hasPrefix("2021-02-22T15:51:44.208"))
        #expect(m[3] == .other("q"))

        func failure(_ s: String) -> String {
            do { _ = try AlpacaWire.parseMarketData(s); return "parsed" } catch { return error.description }
        }
        #expect(failure("{not json").contains("not JSON"))
        #expect(failure(#"{"T":"b"}"#).contains("array"))
        #expect(failure(#"[{"msg":"x"}]"#).contains("\"T\""))
        #expect(failure(#"[{"T":"b","S":"SPY","o":1,"h":1,"l":1,"v":1,"t":"2021-02-22T19:15:00Z"}]"#).contains("\"c\" is missing"))
        #expect(failure(#"[{"T":"b","S":"SPY","o":"NaN","h":1,"l":1,"c":1,"v":1,"t":"2021-02-22T19:15:00Z"}]"#).contains("not a number"))
        #expect(failure(#"[{"T":"b","S":"SPY","o":1,"h":1,"l":1,"c":1,"v":1,"t":"yesterday"}]"#).contains("RFC 3339"))
        #expect(failure("").contains("empty"))
    }

    @Test("order-update messages: fills, the auth answer, and refusals of malformed ones")
    func tradeStream() throws {
        let fill = #"{"stream":"trade_updates","data":{"event":"partial_fill","price":"10.5","qty":"3","order":{"id":"o1","client_order_id":"s-1","symbol":"SPY","side":"buy","qty":"10","filled_qty":"3","filled_avg_price":"10.5","status":"partially_filled"}}}"#
        guard case .update(let event, let order, let price, let qty) = try AlpacaWire.parseTradeStream(fill) else {
            Issue.record("not an update"); return
        }
        #expect(event == "partial_fill" && order.filledQuantity == 3 && price == 10.5 && qty == 3)
        #expect(try AlpacaWire.parseTradeStream(#"{"stream":"authorization","data":{"status":"unauthorized"}}"#) == .authorization(authorized: false))
        #expect(throws: AlpacaWire.WireError.self) { try AlpacaWire.parseTradeStream(#"{"data":{}}"#) }
        #expect(throws: AlpacaWire.WireError.self) { try AlpacaWire.parseTradeStream(#"{"stream":"trade_updates","data":{"event":"fill"}}"#) }
        #expect(AlpacaWire.errorMessage(#"{"code":40310000,"message":"insufficient buying power"}"#) == "insufficient buying power")
    }

    @Test("bar assembly: one group per time; unknown, duplicate, late and impossible bars become notices")
    func assembly() {
        var a = BarAssembler(symbols: ["AAA", "BBB"])
        func bar(_ s: String, _ minute: Int64, close: Double = 10) -> AlpacaWire.WireBar {
            AlpacaWire.WireBar(symbol: s, timeframe: .minute, start: Timestamp(rawValue: minute * 60_000_000_000),
                               open: 10, high: 11, low: 9, close: close, volume: 100)
        }
        func notices(_ inputs: [SessionInput]) -> [String] {
            inputs.compactMap { if case .answer(.inputNotice(let n)) = $0 { return n.detail } else { return nil } }
        }
        func groups(_ inputs: [SessionInput]) -> [BarGroup] {
            inputs.compactMap { if case .bars(let g) = $0 { return g } else { return nil } }
        }
        #expect(a.add(bar("AAA", 1)).isEmpty)
        #expect(notices(a.add(bar("ZZZ", 1))).first?.contains("unknown symbol ZZZ") == true)
        #expect(notices(a.add(bar("AAA", 1))).first?.contains("duplicate bar for AAA") == true)
        #expect(notices(a.add(bar("BBB", 1, close: 99))).first?.contains("impossible") == true)
        let released = a.add(bar("BBB", 2))            // a later time releases the group at minute 1+1
        #expect(groups(released).map { $0.bars.count } == [1])
        #expect(notices(a.add(bar("AAA", 0))).first?.contains("came after the step") == true)
        let complete = a.add(bar("AAA", 2))            // both symbols reported: released at once
        #expect(groups(complete).first?.bars.map(\.symbol) == [SymbolID(0), SymbolID(1)])
        #expect(a.flush() == nil)
    }

    @Test("bar assembly per update: each bar goes out at once; duplicates and late bars are still caught")
    func assemblyPerUpdate() {
        var a = BarAssembler(symbols: ["AAA", "BBB", "CCC"], eachBar: true)
        func bar(_ s: String, _ minute: Int64) -> AlpacaWire.WireBar {
            AlpacaWire.WireBar(symbol: s, timeframe: .minute, start: Timestamp(rawValue: minute * 60_000_000_000),
                               open: 10, high: 11, low: 9, close: 10, volume: 100)
        }
        func sizes(_ inputs: [SessionInput]) -> [Int] {
            inputs.map { if case .bars(let g) = $0 { g.bars.count } else { -1 } }
        }
        #expect(sizes(a.add(bar("BBB", 1))) == [1])
        #expect(sizes(a.add(bar("AAA", 1))) == [1])
        #expect(sizes(a.add(bar("AAA", 1))) == [-1])          // a duplicate: a notice
        #expect(!a.isPending, "nothing waits for a quiet stream")
        #expect(sizes(a.add(bar("CCC", 2))) == [1])           // the next minute closes minute 1
        #expect(sizes(a.add(bar("BBB", 1))) == [-1])          // late: a notice
    }

    @Test("trades become price updates; unknown symbols, out-of-order and impossible trades become notices")
    func trades() {
        var state = StreamState(symbols: ["AAA"])
        let delivered = Delivered()
        func trade(_ s: String, _ t: Int64, _ p: Double) -> AlpacaWire.MarketMessage {
            .trade(AlpacaWire.WireTrade(symbol: s, price: p, size: 1, time: Timestamp(rawValue: t)))
        }
        for m in [trade("AAA", 10, 5), trade("ZZZ", 11, 5), trade("AAA", 9, 5), trade("AAA", 12, -1), trade("AAA", 12, 6),
                  .other("q"), .error(code: 500, message: "internal error")] {
            state.take(m) { delivered.add($0) }
        }
        let out = delivered.all
        let prices = out.compactMap { if case .answer(.priceUpdate(let u)) = $0 { return u.price?.doubleValue } else { return nil } }
        let notes = out.compactMap { if case .answer(.inputNotice(let n)) = $0 { return n.detail } else { return nil } }
        #expect(prices == [5, 6])
        #expect(notes.count == 5)
        #expect(notes[0].contains("unknown symbol ZZZ") && notes[1].contains("older") && notes[2].contains("impossible"))
        #expect(notes[3].contains("unknown type \"q\"") && notes[4].contains("500"))
    }

    @Test("credentials: from the environment or a file, refused clearly when missing, never shown")
    func credentials() throws {
        let c = try AlpacaCredentials.resolve(file: nil, environment: ["APCA_API_KEY_ID": "PKTEST", "APCA_API_SECRET_KEY": "s3cr3t-value"])
        #expect(c.keyID == "PKTEST" && !"\(c)".contains("s3cr3t") && !"\(c)".contains("PKTEST"))
        do {
            _ = try AlpacaCredentials.resolve(file: nil, environment: [:])
            Issue.record("missing credentials accepted")
        } catch {
            #expect("\(error)".contains("APCA_API_KEY_ID") && "\(error)".contains("APCA_API_SECRET_KEY"))
        }
        let file = Paths.temporary("wire.yaml")
        try "key_id: PKFILE\nsecret: nope\n".write(toFile: file, atomically: true, encoding: .utf8)
        do {
            _ = try AlpacaCredentials.resolve(file: file, environment: [:])
            Issue.record("bad credentials file accepted")
        } catch {
            #expect("\(error)".contains(":2: unknown key \"secret\""))
        }
        try "key_id: PKFILE\nsecret_key: 'from-file'\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try AlpacaCredentials.resolve(file: file, environment: [:]).secretKey == "from-file")
    }
}
