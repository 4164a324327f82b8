import AuroraLog
import AuroraModel

/// A broker outside the kernel as a live session uses it: the `Broker` the session sends orders
/// to, plus what starting, resuming and following the session needs.
public protocol BrokerLink: Broker {
    /// Who fills, as the manifest records it (`session.broker`), e.g. `paper:http://…` or `alpaca`.
    var name: String { get }
    /// Facts the session keeps in its manifest (a client-order-id tag, say).
    var manifestProperties: [KeyValue] { get }
    /// Checks the account before the session's log exists; the line to show about it.
    func checkAccount() async throws -> String
    /// Takes over the orders a resumed session's log says it sent.
    func adopt(_ reader: LogReader) throws
    /// Follows the broker's order updates until it refuses or the task is cancelled, delivering
    /// each answer as an input; returns why it ended.
    func runUpdates(deliver: @escaping @Sendable (SessionInput) -> Void) async -> String
}

/// The feeds and brokers a session reaches over the network, by the names the command line
/// gives them (AuroraGateway's `AlpacaNetwork`: `paper:URL`, `alpaca`). The replayed feed and
/// the simulated broker need none.
public protocol SessionNetwork: Sendable {
    /// Refuses a feed and broker that cannot go together, before anything starts.
    func validate(feed: String, broker: String) throws
    /// The broker named `spec`; `tag` prefixes its client order ids.
    func broker(_ spec: String, tag: String) throws -> any BrokerLink
    /// The feed named `spec` for `symbols` (trades too when asked).
    func feed(_ spec: String, symbols: [String], trades: Bool) throws -> any Feed
    /// The symbols a feed offers, for a configuration that names none.
    func universe(_ spec: String) async throws -> [String]
    /// Whether the feed's clock is the wall clock (TWAP timers then follow it 1:1).
    func isLive(_ spec: String) -> Bool
}
