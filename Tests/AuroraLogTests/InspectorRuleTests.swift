import Testing
@testable import AuroraLog
import AuroraModel

/// The log rules `LogInspector` checks event by event — the manifest first, every symbol defined
/// before use — hold where the pass takes events in runs (headers, bars and fills as values): the
/// problem names the first event that breaks a rule, and the counts are those of the events
/// before it, as when each event was checked on its own.
@Suite("Inspector rules over runs")
struct InspectorRuleTests {
    /// Two symbols defined after the manifest, then `body` from event 3 on, one second apart.
    static func events(_ body: [EventPayload], manifestFirst: Bool = true) -> [Event] {
        let definitions: [EventPayload] = [.symbolDefinition(SymbolDefinition(symbol: SymbolID(0), name: "A")),
                                           .symbolDefinition(SymbolDefinition(symbol: SymbolID(1), name: "B"))]
        let manifest = EventPayload.manifest(Manifest(formatVersion: 1, engineVersion: "test"))
        let head = manifestFirst ? [manifest] + definitions : [body[0], manifest] + definitions
        let payloads = head + (manifestFirst ? body : Array(body.dropFirst()))
        return payloads.enumerated().map { i, p in
            Event(sequence: UInt64(i), timestamp: Timestamp(rawValue: 1_000_000_000 * Int64(i + 1)), payload: p)
        }
    }

    static func bar(_ s: Int) -> EventPayload {
        .bar(Bar(symbol: SymbolID(s), timeframe: .day, open: Price(rawValue: 100), high: Price(rawValue: 120),
                 low: Price(rawValue: 90), close: Price(rawValue: 110), volume: Quantity(rawValue: 5)))
    }

    static func target(_ s: Int) -> EventPayload {
        .targetPosition(TargetPosition(symbol: SymbolID(s), quantity: Quantity(rawValue: 3), weight: 0.5))
    }

    static func fill(_ s: Int) -> EventPayload {
        .fill(Fill(orderID: 1, symbol: SymbolID(s), side: .buy, quantity: Quantity(rawValue: 3), price: Price(rawValue: 110)))
    }

    /// Bars, targets and fills for the defined symbols, with `bad` (naming symbol 2) at its place.
    static func body(_ bad: EventPayload, at place: Int) -> [EventPayload] {
        var body: [EventPayload] = [bar(0), bar(1), bar(0), target(0), target(1), fill(0), fill(1), target(1), bar(1)]
        body.insert(bad, at: place)
        return body
    }

    @Test("a symbol used before its definition, in a run of headers, bars or fills",
          arguments: [EventKind.targetPosition, .bar, .fill])
    func undefinedSymbol(kind: EventKind) throws {
        let body = switch kind {
        case .bar: Self.body(Self.bar(2), at: 2)
        case .fill: Self.body(Self.fill(2), at: 6)
        default: Self.body(Self.target(2), at: 4)
        }
        let events = Self.events(body)
        let bad = try #require(events.firstIndex { $0.payload.symbol == SymbolID(2) })
        #expect(events[bad].kind == kind)
        let path = temporaryDirectory() + "/rules.alog"
        // Frames of five events: the one at fault is in the second of three (damage in the last
        // frame of a log never closed reads as a torn tail).
        #expect(bad / 5 == 1 && events.count > 10)
        try writeWithoutRules(path, events, perFrame: 5)
        var fills = FillsWhole()
        for inspection in [try LogInspector.inspect(path: path), try LogInspector.inspect(path: path, observer: &fills)] {
            let problem = try #require(inspection.problem)
            #expect("\(problem)".contains("event \(bad) uses symbol id 2 before its definition"))
            #expect(inspection.eventsRead == UInt64(bad))
            for k in EventKind.allCases {
                #expect(inspection.countsByKind[Int(k.rawValue)] == events[..<bad].filter { $0.kind == k }.count, "\(k.name)")
            }
            #expect(inspection.lastTimestamp == events[bad - 1].timestamp)
        }
        // The observer is given no run that holds the event at fault, nor anything after it.
        #expect(fills.lastSequence.map { $0 < UInt64(bad) } ?? false)
    }

    @Test("a log whose event 0 is not the manifest, though its first frame holds one")
    func manifestNotFirst() throws {
        let events = Self.events([Self.target(0), Self.bar(0), Self.target(1), Self.bar(1)], manifestFirst: false)
        #expect(events[0].kind == .targetPosition)
        let path = temporaryDirectory() + "/first.alog"
        // Not in the last frame: damage there in a log never closed reads as a torn tail.
        try writeWithoutRules(path, events, perFrame: 3)
        let inspection = try LogInspector.inspect(path: path)
        let problem = try #require(inspection.problem)
        #expect("\(problem)".contains("event 0 is a \(EventKind.targetPosition.name), not the manifest"))
        #expect(inspection.eventsRead == 0)
        #expect(inspection.countsByKind.allSatisfy { $0 == 0 })
    }

    @Test("the manifest and symbols come from the pass as the opening reads them; a log the opening refuses is refused")
    func definitionsFromThePass() throws {
        let dir = temporaryDirectory()
        try writeSampleLog(dir + "/sound.alog", count: 400, eventsPerFrame: 30)
        let inspection = try LogInspector.inspect(path: dir + "/sound.alog")
        let opened = try LogReader(path: dir + "/sound.alog")
        #expect(inspection.isSound)
        #expect(inspection.manifest == opened.manifest && inspection.manifest != nil)
        #expect(inspection.symbols == opened.symbols && inspection.symbols.count == 5)
        // No manifest anywhere: opening throws, and so does the inspection, with the same error.
        let events = Self.events([Self.bar(0), Self.bar(1), Self.target(0), Self.bar(0)]).dropFirst().map {
            Event(sequence: $0.sequence - 1, timestamp: $0.timestamp, payload: $0.payload)
        }
        let path = dir + "/nomanifest.alog"
        try writeWithoutRules(path, events, perFrame: 3)
        let refusal = try #require(throws: LogError.self) { try LogReader(path: path) }
        let error = try #require(throws: LogError.self) { try LogInspector.inspect(path: path) }
        #expect("\(error)" == "\(refusal)")
    }

    @Test("a sound log read in runs: every event counted, the observer moved to the last of each run")
    func soundLogInRuns() throws {
        let events = Self.events([Self.bar(0), Self.target(0), Self.target(1), Self.fill(1), Self.target(0), Self.bar(1)])
        let path = temporaryDirectory() + "/sound.alog"
        try writeWithoutRules(path, events, perFrame: 4)
        var fills = FillsWhole()
        let inspection = try LogInspector.inspect(path: path, observer: &fills)
        #expect(inspection.problem == nil)
        #expect(inspection.eventsRead == UInt64(events.count))
        #expect(inspection.firstTimestamp == events.first?.timestamp)
        #expect(inspection.lastTimestamp == events.last?.timestamp)
        #expect(inspection.countsByKind[Int(EventKind.targetPosition.rawValue)] == 3)
        #expect(fills.fills == 1)
        // Frames of events 0–3, 4–7 and 8: targets 4 and 5 end at the fill, 7 at the frame's end.
        #expect(fills.headerRunEnds == [5, 7])
        #expect(fills.headerSequences == [4, 5, 7])
        // Never closed, read without a problem: the definitions are the pass's, as the opening reads them.
        let opened = try LogReader(path: path)
        #expect(inspection.tail == .unclosed)
        #expect(inspection.manifest == opened.manifest && inspection.manifest != nil)
        #expect(inspection.symbols == opened.symbols && inspection.symbols == ["A", "B"])
    }
}

/// Takes fills whole (as `verify` does) and notes where each run of headers ended.
private struct FillsWhole: InspectionObserver {
    var fills = 0
    var lastSequence: UInt64?
    var headerRunEnds: [UInt64] = []
    /// Every header's sequence, as its run gives it.
    var headerSequences: [UInt64] = []
    var wholeKinds: Set<EventKind> { [.fill] }
    mutating func observe(_ event: Event) { lastSequence = event.sequence }
    mutating func observeHeader(kind: EventKind, sequence: UInt64, timestamp: Timestamp) {
        Issue.record("headers come in runs from LogInspector")
    }
    mutating func observeHeaders(_ headers: HeaderRun) {
        if let last = headers.last { headerRunEnds.append(last.sequence); lastSequence = last.sequence }
        headerSequences += headers.map(\.sequence)
    }
    mutating func observeBars(_ bars: ArraySlice<LoggedBar>) { lastSequence = bars.last?.sequence ?? lastSequence }
    mutating func observeFills(_ fills: ArraySlice<LoggedFill>) {
        self.fills += fills.count
        lastSequence = fills.last?.sequence ?? lastSequence
    }
}

/// Writes `events` as a log the way the writer lays one out (file header, then frames of
/// `perFrame` events), without the writer's rules, which refuse what these tests need; no index
/// (the log reads as never closed).
func writeWithoutRules(_ path: String, _ events: [Event], perFrame: Int) throws {
    let file = try LogFile(path: path, mode: .create)
    let header = ByteBuffer(capacity: 64)
    header.appendFileHeader()
    try file.write(header.bytes, at: 0)
    let output = try FrameOutput(path: path, compressionLevel: 1, fsync: false, endOffset: Int64(FrameLayout.fileHeaderSize))
    for start in stride(from: 0, to: events.count, by: perFrame) {
        let part = events[start..<min(start + perFrame, events.count)]
        let encoder = RecordEncoder(canonical: false)
        let raw = ByteBuffer()
        for e in part { encoder.encode(e, into: raw) }
        let defines = part.contains { $0.kind == .manifest || $0.kind == .symbolDefinition }
        let info = FrameInfo(offset: 0, firstSequence: part[start].sequence, eventCount: UInt32(part.count), rawSize: UInt32(raw.count),
                             compressedSize: 0, flags: defines ? FrameLayout.flagHasDefinitions : 0,
                             firstTimestamp: part[start].timestamp.rawValue, lastTimestamp: part[part.endIndex - 1].timestamp.rawValue)
        try output.write(raw, info, to: file)
    }
}
