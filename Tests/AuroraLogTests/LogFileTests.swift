import Foundation
import Testing
@testable import AuroraLog
import AuroraModel

@Suite("Writing and reading logs")
struct LogFileTests {
    @Test("every event written is read back bit-identical, across many frames")
    func roundTripThroughFile() throws {
        let dir = temporaryDirectory()
        let path = dir + "/a.alog"
        let events = try writeSampleLog(path, count: 3_000, eventsPerFrame: 40)
        #expect(events.count == 3_006)
        let reader = try LogReader(path: path)
        #expect(reader.frames.count == 76)
        #expect(reader.tail == .closed)
        #expect(reader.symbols == ["S0", "S1", "S2", "S3", "S4"])
        #expect(reader.manifest?.engineVersion == "test")
        for (i, e) in events.enumerated() { #expect(e.sequence == UInt64(i)) }
    }

    @Test("the digest depends on the events, not on frame boundaries or compression level")
    func digestIsFramingIndependent() throws {
        let dir = temporaryDirectory()
        let events = try writeSampleLog(dir + "/a.alog", count: 500, eventsPerFrame: 7)
        let writer = try LogWriter.create(path: dir + "/b.alog", manifest: manifest(events), timestamp: events[0].timestamp,
                                          options: LogWriterOptions(flush: FlushPolicy(maxBytes: 1 << 20), compressionLevel: 9))
        for e in events.dropFirst() { try writer.append(e.payload, at: e.timestamp) }
        let b = try writer.close()
        let a = try LogInspector.inspect(path: dir + "/a.alog")
        #expect(a.digest == b.digest)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/a.alog")) != Data(contentsOf: URL(fileURLWithPath: dir + "/b.alog")))
    }

    @Test("the same events written twice give byte-identical files")
    func deterministicBytes() throws {
        let dir = temporaryDirectory()
        try writeSampleLog(dir + "/a.alog", count: 800)
        try writeSampleLog(dir + "/b.alog", count: 800)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/a.alog")) == Data(contentsOf: URL(fileURLWithPath: dir + "/b.alog")))
    }

    @Test("seeking by sequence and by time decodes from the right frame")
    func seeking() throws {
        let dir = temporaryDirectory()
        let path = dir + "/a.alog"
        let events = try writeSampleLog(path, count: 2_000, eventsPerFrame: 50)
        let reader = try LogReader(path: path)
        let bySequence = reader.events(from: .sequence(1_234))
        #expect(try bySequence.next()?.sequence == 1_234)
        #expect(bySequence.framesRead == 0)
        let target = events[1_500].timestamp
        let byTime = reader.events(from: .timestamp(target))
        let first = try byTime.next()
        let expected = events.first { $0.timestamp >= target }
        #expect(first?.sequence == expected?.sequence)
        var count = 1
        while try byTime.next() != nil { count += 1 }
        #expect(count == events.count - Int(expected!.sequence))
        #expect(byTime.framesRead <= reader.frames.count - 29)
        #expect(try reader.events(from: .sequence(99_999)).next() == nil)
    }

    @Test("a digesting cursor reading fills as values: the same events from next and nextItem, fills in runs from nextRecord, the same digest")
    func fillsAsValues() throws {
        let dir = temporaryDirectory()
        let path = dir + "/f.alog"
        let events = try writeSampleLog(path, count: 3_000, eventsPerFrame: 40)
        let reader = try LogReader(path: path)
        let fillCount = events.filter { $0.kind == .fill }.count
        #expect(fillCount > 50)
        for threads in [1, 2] {
            let plainDigest = RunDigest(), valuesDigest = RunDigest(), itemsDigest = RunDigest(), recordsDigest = RunDigest()
            let plain = EventCursor(reader: reader, firstFrame: 0, lastFrame: reader.frames.count - 1, digest: plainDigest,
                                    decodeThreads: threads)
            let values = EventCursor(reader: reader, firstFrame: 0, lastFrame: reader.frames.count - 1, digest: valuesDigest,
                                     decodeThreads: threads, fillsAsValues: true)
            let items = EventCursor(reader: reader, firstFrame: 0, lastFrame: reader.frames.count - 1, digest: itemsDigest,
                                    decodeThreads: threads, fillsAsValues: true)
            var read = 0
            while let e = try plain.next() {
                #expect(try values.next().map { bitIdentical($0, e) } ?? false)
                guard case .event(let item)? = try items.nextItem() else {
                    Issue.record("event \(e.sequence) did not come from nextItem")
                    break
                }
                #expect(bitIdentical(item, e))
                read += 1
            }
            #expect(read == events.count)
            #expect(try values.next() == nil)
            #expect(try items.nextItem() == nil)
            // From nextRecord, fills come in runs of values, in order among themselves and the
            // rest, except those with a decimal too wide for the writer's short form (the
            // generator's full-range values, most of its fills), which are read whole.
            let records = EventCursor(reader: reader, firstFrame: 0, lastFrame: reader.frames.count - 1, digest: recordsDigest,
                                      decodeThreads: threads, fillsAsValues: true)
            var sequences: [UInt64] = []
            var fills: [String] = []
            var asValues = 0
            while let record = try records.nextRecord() {
                switch record {
                case .fills(let run):
                    for f in records.fills[run] {
                        sequences.append(f.sequence)
                        fills.append("\(f.sequence) \(f.timestamp.rawValue) \(f.fill)")
                    }
                    asValues += run.count
                case .event(let e):
                    sequences.append(e.sequence)
                    if case .fill(let f) = e.payload { fills.append("\(e.sequence) \(e.timestamp.rawValue) \(f)") }
                default: break
                }
            }
            let expected = events.compactMap { e -> String? in
                if case .fill(let f) = e.payload { "\(e.sequence) \(e.timestamp.rawValue) \(f)" } else { nil }
            }
            #expect(fills == expected)
            #expect(asValues > 10 && asValues < fillCount)
            #expect(sequences == sequences.sorted())
            let stored = try #require(reader.storedDigest)
            for digest in [plainDigest, valuesDigest, itemsDigest, recordsDigest] { #expect(digest.current() == stored) }
        }
    }

    @Test("nextItem hands out the same events as next, bars in runs when read as values, for every filter and thread count")
    func itemsEqualEvents() throws {
        let dir = temporaryDirectory()
        let path = dir + "/a.alog"
        let events = try writeSampleLog(path, count: 3_000, eventsPerFrame: 40)
        let reader = try LogReader(path: path)
        let middle = events[1_700]
        var wholeBars = 0, inRuns = 0, longestRun = 0
        for start in [LogReader.Start.beginning, .sequence(middle.sequence), .timestamp(middle.timestamp)] {
            for kinds in [nil, Set<EventKind>([.bar, .fill, .signal])] {
                for threads in [1, 2] {
                    for runs in [false, true] {
                        let plain = reader.events(from: start, kinds: kinds, decodeThreads: threads)
                        let items = reader.events(from: start, kinds: kinds, decodeThreads: threads, barsAsValues: runs)
                        // A cursor reading bars in runs still hands them out one by one from next().
                        let again = reader.events(from: start, kinds: kinds, decodeThreads: threads, barsAsValues: runs)
                        var pending: [(Event, Bool)] = []
                        while true {
                            if pending.isEmpty, let item = try items.nextItem() {
                                let skipped = items.skippedBeforeLast
                                switch item {
                                case .bars(let run):
                                    #expect(runs, "runs from a cursor that does not read bars as values")
                                    inRuns += run.count
                                    longestRun = max(longestRun, run.count)
                                    pending = run.enumerated().map { k, b in
                                        (Event(sequence: b.sequence, timestamp: b.timestamp, payload: .bar(b.bar)), k == 0 && skipped)
                                    }
                                case .event(let e):
                                    if case .bar = e.payload {
                                        if runs { Issue.record("a bar came out as an event") }
                                        wholeBars += 1
                                    }
                                    pending = [(e, skipped)]
                                }
                            }
                            let event = try plain.next()
                            let other = try again.next()
                            guard let event, let (item, skipped) = pending.first else {
                                #expect(event == nil && pending.isEmpty && other == nil)
                                break
                            }
                            pending.removeFirst()
                            #expect(bitIdentical(item, event))
                            #expect(other.map { bitIdentical($0, event) } ?? false)
                            #expect(skipped == plain.skippedBeforeLast)
                            #expect(again.skippedBeforeLast == plain.skippedBeforeLast)
                        }
                    }
                }
            }
        }
        #expect(wholeBars > 500)
        #expect(inRuns > 500)
        #expect(longestRun > 1)
    }

    @Test("a load of some symbols' bars gets exactly those bars and every other event, with one decoding thread or two")
    func barsOfSomeSymbols() throws {
        let path = temporaryDirectory() + "/a.alog"
        let events = try writeSampleLog(path, count: 3_000, eventsPerFrame: 40)
        let reader = try LogReader(path: path)
        var barsKept = 0, barsLeft = 0
        for kinds in [nil, Set<EventKind>([.bar, .fill, .signal])] {
            for symbols in [Set([SymbolID(1)]), [SymbolID(0), SymbolID(3)], [], [SymbolID(7)]] {
                let expected = events.filter { e in
                    guard kinds?.contains(e.payload.kind) ?? true else { return false }
                    guard case .bar(let bar) = e.payload else { return true }
                    return symbols.contains(bar.symbol)
                }
                for threads in [1, 2] {
                    let items = reader.events(kinds: kinds, decodeThreads: threads, barsAsValues: true, barSymbols: symbols)
                    var got: [Event] = []
                    while let item = try items.nextItem() {
                        switch item {
                        case .bars(let run): got += run.map { Event(sequence: $0.sequence, timestamp: $0.timestamp, payload: .bar($0.bar)) }
                        case .event(let e): got.append(e)
                        }
                    }
                    #expect(got.count == expected.count)
                    #expect(zip(got, expected).allSatisfy { bitIdentical($0, $1) })
                    // One by one from next(), the same.
                    let plain = reader.events(kinds: kinds, decodeThreads: threads, barsAsValues: true, barSymbols: symbols)
                    var one: [Event] = []
                    while let e = try plain.next() { one.append(e) }
                    #expect(one.count == expected.count && zip(one, expected).allSatisfy { bitIdentical($0, $1) })
                }
                barsKept += expected.filter { $0.payload.kind == .bar }.count
                barsLeft += events.filter { $0.payload.kind == .bar }.count
            }
        }
        // The sample has bars of every symbol: some were kept and some passed over.
        #expect(barsKept > 50 && barsKept < barsLeft)
    }

    @Test("writer rules are enforced with clear errors")
    func writerRules() throws {
        let dir = temporaryDirectory()
        let w = try LogWriter.create(path: dir + "/a.alog", manifest: Manifest(formatVersion: 1, engineVersion: "t"),
                                     timestamp: Timestamp(rawValue: 100))
        let bar = EventPayload.bar(Bar(symbol: SymbolID(0), timeframe: .day, open: .zero, high: .zero, low: .zero, close: .zero, volume: .zero))
        #expect(throws: LogError.self) { try w.append(bar, at: Timestamp(rawValue: 100)) }  // undefined symbol
        _ = try w.symbol("A", at: Timestamp(rawValue: 100))
        try w.append(bar, at: Timestamp(rawValue: 200))
        let backwards = #expect(throws: LogError.self) { try w.append(bar, at: Timestamp(rawValue: 150)) }
        #expect(backwards?.description.contains("time went backwards") == true)
        #expect(throws: LogError.self) { try w.append(.manifest(Manifest(formatVersion: 1, engineVersion: "t")), at: Timestamp(rawValue: 300)) }
        #expect(throws: LogError.self) {
            try w.append(.symbolDefinition(SymbolDefinition(symbol: SymbolID(1), name: "A")), at: Timestamp(rawValue: 300))
        }
        #expect(throws: LogError.self) {
            try w.append(.symbolDefinition(SymbolDefinition(symbol: SymbolID(5), name: "B")), at: Timestamp(rawValue: 300))
        }
        let summary = try w.close()
        #expect(summary.eventCount == 3)
        #expect(throws: LogError.self) { try w.append(bar, at: Timestamp(rawValue: 400)) }
        #expect(try LogInspector.inspect(path: dir + "/a.alog").isSound)
    }

    @Test("flush policy: frames close by event count, explicitly, and by age")
    func flushPolicy() throws {
        let dir = temporaryDirectory()
        let path = dir + "/live.alog"
        let w = try LogWriter.create(path: path, manifest: Manifest(formatVersion: 1, engineVersion: "t"), timestamp: Timestamp(rawValue: 0),
                                     options: LogWriterOptions(flush: FlushPolicy(maxEvents: 10, maxMilliseconds: 30)))
        for i in 1...24 { try w.append(.timer(TimerFired(timerID: UInt64(i), purpose: "tick")), at: Timestamp(rawValue: Int64(i))) }
        // Two full frames are on disk while the writer is still open; another reader sees them.
        var reader = try LogReader(path: path)
        #expect(reader.frames.count == 2)
        #expect(reader.tail == .unclosed)
        #expect(reader.eventCount == 20)
        Thread.sleep(forTimeInterval: 0.05)
        try w.flushIfDue()
        reader = try LogReader(path: path)
        #expect(reader.eventCount == 25)
        try w.append(.timer(TimerFired(timerID: 99, purpose: "x")), at: Timestamp(rawValue: 99))
        try w.flush()
        #expect(try LogReader(path: path).eventCount == 26)
        try w.close()
        #expect(try LogReader(path: path).tail == .closed)
    }

    @Test("a writer dropped without close keeps what it was given")
    func droppedWriterFlushes() throws {
        let dir = temporaryDirectory()
        let path = dir + "/a.alog"
        do {
            let w = try LogWriter.create(path: path, manifest: Manifest(formatVersion: 1, engineVersion: "t"), timestamp: Timestamp(rawValue: 0))
            try w.append(.sessionEnd(SessionEnd(reason: "error")), at: Timestamp(rawValue: 1))
        }
        let reader = try LogReader(path: path)
        #expect(reader.eventCount == 2)
        #expect(reader.tail == .unclosed)
    }

    private func manifest(_ events: [Event]) -> Manifest {
        if case .manifest(let m) = events[0].payload { return m }
        return Manifest(formatVersion: 1, engineVersion: "?")
    }
}
