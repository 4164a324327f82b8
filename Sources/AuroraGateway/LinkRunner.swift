import AuroraLive
import AuroraModel
import HummingbirdWSClient
import Logging
import NIOCore
import Synchronization

/// Runs one WebSocket link of a session for as long as it lives: connect, let `converse` do the
/// protocol's handshake and read messages, and when the connection drops, log it, wait the
/// backoff and connect again. A refusal that retrying cannot cure (bad credentials) ends the
/// link for good; so does the server closing with the end-of-data reason. Every connect and drop is
/// delivered as a connection event; pings keep idle connections honest (a dead peer is noticed).
struct LinkRunner: Sendable {
    var url: String
    var link: Link
    var backoff: Backoff
    var pingEvery: Duration = .seconds(10)
    var maxMessageSize = 1 << 24

    /// What ended a conversation that did not throw: the connection dropped, and why.
    enum Outcome: Sendable { case dropped(String) }

    /// A refusal that reconnecting cannot cure.
    struct Fatal: Error, CustomStringConvertible { var description: String }

    typealias Converse = @Sendable (inout WebSocketInboundMessageStream.AsyncIterator, WebSocketOutboundWriter,
                                    _ connected: @Sendable () -> Void) async throws -> Outcome

    /// Returns the reason the link ended (end of data or a fatal refusal); never while it can retry.
    func run(deliver: @escaping @Sendable (SessionInput) -> Void, converse: @escaping Converse) async -> String {
        var backoff = self.backoff
        let logger = Logger(label: "aurora.\(link.name)")
        let config = WebSocketClientConfiguration(maxFrameSize: maxMessageSize, autoPing: .enabled(timePeriod: pingEvery))
        let link = self.link, maxSize = maxMessageSize
        while !Task.isCancelled {
            let attempt = backoff.attempt
            let box = OutcomeBox()
            do {
                let close = try await WebSocketClient.connect(url: url, configuration: config, logger: logger) { inbound, outbound, _ in
                    var messages = inbound.messages(maxSize: maxSize).makeAsyncIterator()
                    let outcome = try await converse(&messages, outbound) {
                        deliver(.answer(.connection(ConnectionChange(link: link, state: .connected, attempt: attempt))))
                    }
                    box.set(outcome)
                }
                if let reason = close?.reason, reason == Self.endOfData { return reason }
                switch box.get() {
                case .dropped(let why)?: drop(why + (close.map { " (\($0.closeCode)\($0.reason.map { ": " + $0 } ?? ""))" } ?? ""), deliver)
                case nil:
                    drop("closed by the server" + (close.map { " (\($0.closeCode)\($0.reason.map { ": " + $0 } ?? ""))" } ?? ""), deliver)
                }
                backoff.reset()
            } catch let fatal as Fatal {
                deliver(.answer(.inputNotice(InputNotice(link: link, detail: fatal.description))))
                return fatal.description
            } catch {
                if Task.isCancelled { break }
                drop("\(error)", deliver)
            }
            if Task.isCancelled { break }
            try? await Task.sleep(for: backoff.next())
        }
        return "cancelled"
    }

    /// The close reason a paper exchange gives when its recorded data has run out.
    static let endOfData = "end of data"

    private func drop(_ why: String, _ deliver: @Sendable (SessionInput) -> Void) {
        deliver(.answer(.connection(ConnectionChange(link: link, state: .disconnected, attempt: backoff.attempt, detail: why))))
    }
}

/// The conversation's outcome, carried out of the WebSocket handler.
private final class OutcomeBox: Sendable {
    private let outcome = Mutex<LinkRunner.Outcome?>(nil)
    func set(_ o: LinkRunner.Outcome) { outcome.withLock { $0 = o } }
    func get() -> LinkRunner.Outcome? { outcome.withLock { $0 } }
}

extension WebSocketMessage {
    /// Text frames as sent, binary frames (Alpaca's paper order stream uses them) as UTF-8.
    var text: String {
        switch self {
        case .text(let s): s
        case .binary(let b): String(buffer: b)
        }
    }
}
