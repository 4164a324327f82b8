import Dispatch
import Foundation
import Aurora

/// SIGINT and SIGTERM run `handler` instead of ending the process, so a long-running command
/// (a live session, the paper exchange) can stop cleanly. `cancel()` restores nothing: the
/// command is ending anyway.
final class StopSignals {
    private var sources: [any DispatchSourceSignal] = []

    init(_ handler: @escaping @Sendable () -> Void) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: DispatchQueue.global())
            source.setEventHandler(handler: handler)
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
