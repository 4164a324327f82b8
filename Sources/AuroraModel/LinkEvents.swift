/// What a live session's connections to the outside did, and what it refused to take from them.
/// Both are input events: replay feeds them back so that a session's record is complete.

/// One of a live session's connections.
public enum Link: UInt8, Sendable, CaseIterable {
    case marketData = 1
    case broker = 2
    case orderUpdates = 3

    public var name: String {
        switch self {
        case .marketData: "market_data"
        case .broker: "broker"
        case .orderUpdates: "order_updates"
        }
    }
}

public enum LinkState: UInt8, Sendable, CaseIterable {
    case connected = 1
    case disconnected = 2

    public var name: String { self == .connected ? "connected" : "disconnected" }
}

/// A connection came up or went down; `attempt` counts reconnects since the last success.
public struct ConnectionChange: Hashable, Sendable {
    public var link: Link
    public var state: LinkState
    public var attempt: UInt32
    public var detail: String
    public init(link: Link, state: LinkState, attempt: UInt32 = 0, detail: String = "") {
        self.link = link
        self.state = state
        self.attempt = attempt
        self.detail = detail
    }
}

/// Something a connection sent that the session did not use (a malformed or unknown message, a
/// duplicate or out-of-order bar, an unknown symbol, an answer about an unknown order), and why.
public struct InputNotice: Hashable, Sendable {
    public var link: Link
    public var detail: String
    public init(link: Link, detail: String) { self.link = link; self.detail = detail }
}
