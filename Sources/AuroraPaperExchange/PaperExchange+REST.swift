import AuroraAlpaca
import AuroraData
import AuroraModel
import Foundation

/// The REST side of the paper exchange: Alpaca's trading API models with every field the SDK's
/// models require (UUID ids, RFC 3339 times, decimal strings, Alpaca's enum values), and
/// Alpaca's `{"code", "message"}` errors with its status codes.
extension PaperExchange {
    /// Status and JSON body of a REST call.
    public struct Reply: Sendable { public var status: Int; public var body: String }

    static let accountID = AlpacaWire.uuid("acc00000", 1)

    func account() -> Reply {
        let equity = book.equity
        var long = 0.0, short = 0.0
        for i in book.positions.indices where book.positions[i] != 0 && book.lastPrice[i].isFinite {
            let v = book.positions[i] * book.lastPrice[i]
            if v > 0 { long += v } else { short += v }
        }
        let money = AlpacaWire.decimal
        return Reply(status: 200, body: AlpacaWire.text([
            "id": Self.accountID, "account_number": "PA0000000001", "status": "ACTIVE", "crypto_status": "INACTIVE",
            "currency": "USD", "cash": money(book.cash), "buying_power": money(book.buyingPower),
            "regt_buying_power": money(book.buyingPower), "daytrading_buying_power": money(0), "non_marginable_buying_power": money(book.buyingPower),
            "equity": money(equity), "last_equity": money(equity), "portfolio_value": money(equity),
            "long_market_value": money(long), "short_market_value": money(short), "initial_margin": money(0),
            "maintenance_margin": money(0), "last_maintenance_margin": money(0), "sma": money(0), "multiplier": "1",
            "daytrade_count": 0, "pattern_day_trader": false, "trading_blocked": false, "transfers_blocked": false,
            "account_blocked": false, "trade_suspended_by_user": false, "shorting_enabled": true,
            "created_at": Timestamp(rawValue: series.end[0]).iso8601, "accrued_fees": money(0), "pending_transfer_in": money(0),
        ]))
    }

    func positions() -> Reply {
        var items: [[String: Any]] = []
        for i in book.positions.indices where book.positions[i] != 0 {
            let q = book.positions[i], p = book.lastPrice[i], cost = book.averageCost[i]
            let value = p.isFinite ? q * p : 0
            items.append(["asset_id": PaperBook.assetID(i), "symbol": book.symbols[i], "exchange": "NASDAQ", "asset_class": "us_equity",
                          "avg_entry_price": AlpacaWire.decimal(cost), "qty": AlpacaWire.decimal(q),
                          "qty_available": AlpacaWire.decimal(q), "side": q > 0 ? "long" : "short",
                          "market_value": AlpacaWire.decimal(value), "cost_basis": AlpacaWire.decimal(q * cost),
                          "unrealized_pl": AlpacaWire.decimal(value - q * cost),
                          "current_price": p.isFinite ? AlpacaWire.decimal(p) : NSNull(), "asset_marginable": false])
        }
        return Reply(status: 200, body: AlpacaWire.text(items))
    }

    func assets() -> Reply {
        Reply(status: 200, body: AlpacaWire.text(book.symbols.indices.map { i in
            ["id": PaperBook.assetID(i), "class": "us_equity", "exchange": "NASDAQ", "symbol": book.symbols[i], "name": book.symbols[i],
             "status": "active", "tradable": true, "marginable": false, "shortable": true, "easy_to_borrow": true,
             "fractionable": true, "attributes": [String]()] as [String: Any]
        }))
    }

    /// The exchange's clock: its data's time; the session is open until the data ends.
    func clock() -> Reply {
        let (open, close) = Self.session(after: now)
        return Reply(status: 200, body: AlpacaWire.text(["timestamp": now.iso8601, "is_open": !finished,
                                                         "next_open": open.iso8601, "next_close": close.iso8601]))
    }

    /// Monday–Friday sessions from 09:30 to 16:00 New York time over the data's days.
    func calendar() -> Reply {
        var days: [String] = []
        for step in series.steps {
            let day = TimeText.localDate(step.time, timeZone: "America/New_York")
            if days.last != day { days.append(day) }
        }
        return Reply(status: 200, body: AlpacaWire.text(days.map { ["date": $0, "open": "09:30", "close": "16:00"] }))
    }

    /// The next session open after `t` and the close of the session `t` is in (or the next one).
    static func session(after t: Timestamp) -> (open: Timestamp, close: Timestamp) {
        func at(_ day: Int64, _ time: String) -> Timestamp {
            (try? TimeText.parse("\(Timestamp(rawValue: day * 86_400_000_000_000).iso8601.prefix(10)) \(time)", timeZone: "America/New_York"))
                ?? Timestamp(rawValue: day * 86_400_000_000_000)
        }
        var day = t.rawValue / 86_400_000_000_000
        func weekday(_ d: Int64) -> Bool { let w = ((d % 7) + 7 + 3) % 7; return w < 5 }   // 1970-01-01 was a Thursday
        var close = at(day, "16:00")
        if !weekday(day) || close <= t { repeat { day += 1 } while !weekday(day); close = at(day, "16:00") }
        var openDay = t.rawValue / 86_400_000_000_000
        var open = at(openDay, "09:30")
        while !weekday(openDay) || open <= t { openDay += 1; open = at(openDay, "09:30") }
        return (open, close)
    }

    func submit(_ body: [UInt8]) -> Reply {
        let request: AlpacaOrderRequest
        do throws(AlpacaOrderRequest.Refusal) {
            request = try AlpacaOrderRequest.parse(body)
        } catch {
            return refusal(error)
        }
        switch book.submit(request) {
        case .success(let order):
            let n = book.orders.count - 1
            record { try $0.submitted(n, symbol: book.orders[n].symbolIndex, order, at: now) }
            broadcastUpdate(event: "new", order: order, price: nil, quantity: nil, position: nil)
            return Reply(status: 200, body: AlpacaWire.text(AlpacaWire.orderObject(order)))
        case .failure(let r): return refusal(r)
        }
    }

    func cancel(_ id: String) -> Reply {
        switch book.cancel(id) {
        case .success(let order):
            if let n = book.byID[id] { record { try $0.cancelled(n, at: now) } }
            broadcastUpdate(event: "canceled", order: order, price: nil, quantity: nil, position: nil)
            return Reply(status: 204, body: "")
        case .failure(let r): return refusal(r)
        }
    }

    /// Cancels every open order: Alpaca's multi-status answer, one entry per order.
    func cancelAll() -> Reply {
        var out: [[String: Any]] = []
        for n in book.open {
            let id = book.orders[n].wire.id
            guard case .success(let order) = book.cancel(id) else { continue }
            record { try $0.cancelled(n, at: now) }
            broadcastUpdate(event: "canceled", order: order, price: nil, quantity: nil, position: nil)
            out.append(["id": id, "status": 200, "body": AlpacaWire.orderObject(order)])
        }
        return Reply(status: 207, body: AlpacaWire.text(out))
    }

    func order(_ id: String) -> Reply {
        guard let n = book.byID[id] else { return refusal(PaperBook.Refusal(status: 404, code: 40410000, message: "order not found")) }
        return Reply(status: 200, body: AlpacaWire.text(AlpacaWire.orderObject(book.orders[n].wire)))
    }

    func order(clientOrderID id: String) -> Reply {
        guard let n = book.byClientID[id] else { return refusal(PaperBook.Refusal(status: 404, code: 40410000, message: "order not found")) }
        return Reply(status: 200, body: AlpacaWire.text(AlpacaWire.orderObject(book.orders[n].wire)))
    }

    /// Orders by `status` (open, the default; closed; all), newest first as Alpaca lists them,
    /// at most `limit` (50 by default, 500 at most), optionally only some `symbols`.
    func orders(status: String?, limit: String?, symbols: String?) -> Reply {
        let wanted = status ?? "open"
        guard ["open", "closed", "all"].contains(wanted) else {
            return refusal(PaperBook.Refusal(status: 422, code: 42210000, message: "status must be open, closed or all"))
        }
        let count = limit.flatMap { Int($0) }.map { max(1, min($0, 500)) } ?? 50
        let only = symbols.map { Set($0.split(separator: ",").map(String.init)) }
        let picked = book.orders.reversed().filter { o in
            let open = PaperBook.isOpen(o)
            return (wanted == "all" || (wanted == "open") == open) && (only?.contains(o.wire.symbol) ?? true)
        }.prefix(count)
        return Reply(status: 200, body: AlpacaWire.text(picked.map { AlpacaWire.orderObject($0.wire) }))
    }

    fileprivate func refusal(_ r: PaperBook.Refusal) -> Reply {
        Reply(status: r.status, body: AlpacaWire.text(["code": r.code, "message": r.message]))
    }
}
