import AuroraLive
import AuroraModel
import Foundation

/// What the dashboard shows, as the session reports it (every quarter second at most): the
/// status line's figures, the equity so far, positions, recent fills and notices. It holds no
/// credentials and no order ids — nothing in it could be used against the account.
public actor DashboardFeed {
    private var latest: String = "{}"
    private var equity: [(time: Int64, value: Double)] = []
    private var subscribers: [Int: AsyncStream<String>.Continuation] = [:]
    private var nextID = 0
    private var finished = false

    public init() {}

    /// The session's status: kept, and sent to every open page.
    public func update(_ s: LiveStatus) {
        equity.append((s.time.rawValue, s.equity))
        // Keep the history small: every other point once it grows past 4,000.
        if equity.count > 4_000 { equity = equity.enumerated().filter { $0.offset % 2 == 0 || $0.offset == equity.count - 1 }.map(\.element) }
        latest = Self.json(s, equity: equity)
        for c in subscribers.values { c.yield(latest) }
    }

    /// The session ended: pages get a last message and their streams close.
    public func finish(reason: String) {
        finished = true
        for c in subscribers.values {
            c.yield("{\"ended\": \(Self.quoted(reason))}")
            c.finish()
        }
        subscribers.removeAll()
    }

    public var snapshot: String { latest }

    /// A stream of JSON messages, starting with the latest.
    public func subscribe() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(4))
        continuation.yield(latest)
        if finished { continuation.finish(); return stream }
        let id = nextID
        nextID += 1
        subscribers[id] = continuation
        continuation.onTermination = { [weak self] _ in Task { await self?.drop(id) } }
        return stream
    }

    private func drop(_ id: Int) { subscribers[id] = nil }

    static func json(_ s: LiveStatus, equity: [(time: Int64, value: Double)]) -> String {
        func n(_ v: Double) -> String { v.isFinite ? String(format: "%.2f", v) : "null" }
        var out = "{\"time\": \(quoted(s.time.iso8601)), \"events\": \(s.events), \"positions\": \(s.positions), \"equity\": \(n(s.equity))"
        out += ", \"pnl\": \(n(s.pnl)), \"fills\": \(s.fills), \"rejects\": \(s.rejects), \"notices\": \(s.notices)"
        out += ", \"rate_limit_waits\": \(s.rateLimitWaits), \"deepest_queue\": \(s.deepestQueue), \"resuming\": \(s.resuming)"
        out += ", \"holdings\": [" + s.holdings.prefix(50).map { "[\(quoted($0.symbol)), \(n($0.shares)), \(n($0.value))]" }.joined(separator: ", ") + "]"
        out += ", \"recent_fills\": [" + s.recentFills.reversed().map { f in
            "[\(quoted(f.time.iso8601)), \(quoted(f.symbol)), \(quoted(f.side.description)), \(n(f.quantity.doubleValue)), \(n(f.price.doubleValue))]"
        }.joined(separator: ", ") + "]"
        out += ", \"recent_notices\": [" + s.recentNotices.reversed().map(quoted).joined(separator: ", ") + "]"
        out += ", \"equity_curve\": [" + equity.map { "[\($0.time / 1_000_000_000), \(n($0.value))]" }.joined(separator: ", ") + "]}"
        return out
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "<": out += "\\u003c"
            default:
                if c.value < 0x20 { out += String(format: "\\u%04x", c.value) } else { out.unicodeScalars.append(c) }
            }
        }
        return out + "\""
    }
}
