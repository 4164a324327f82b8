import AuroraLog
import AuroraModel

/// Reads a log as groups of events that share a timestamp (one step of a run).
struct GroupedCursor {
    private let cursor: EventCursor
    private var lookahead: Event?
    private(set) var finished = false

    init(_ reader: LogReader) { cursor = reader.events() }

    mutating func next() throws -> (time: Timestamp, events: [Event])? {
        if lookahead == nil && !finished { lookahead = try cursor.next() }
        guard let first = lookahead else { finished = true; return nil }
        var events = [first]
        lookahead = nil
        while let e = try cursor.next() {
            if e.timestamp != first.timestamp { lookahead = e; return (first.timestamp, events) }
            events.append(e)
        }
        finished = true
        return (first.timestamp, events)
    }
}
