import AuroraModel

/// Where a live session's bars come from: recorded bars paced as if live (`PacedReplayFeed`), or
/// a market-data stream (`AlpacaMarketStream` in AuroraGateway). A feed runs until it ends and
/// delivers what it has as session inputs — bar groups (each bar on its own when the session
/// decides per update), and what went wrong as notices and connection changes — then the end of
/// the feed (or a halt, when retrying cannot help).
public protocol Feed: Sendable {
    func run(perUpdate: Bool, deliver: @escaping @Sendable (SessionInput) -> Void) async
}

extension PacedReplayFeed: Feed {
    public func run(perUpdate: Bool, deliver: @escaping @Sendable (SessionInput) -> Void) async {
        await groups.deliver(perUpdate: perUpdate, to: deliver)
    }
}
