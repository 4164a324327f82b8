import Foundation
import Testing
@testable import AuroraLog
import AuroraModel

/// The second thread changes when work happens, never what is written or read: the write-behind
/// writer against the plain one, the prefetching cursor against the plain one, on sound and
/// damaged logs alike.
@Suite("One thread or two")
struct ThreadingTests {
    @Test("the write-behind writer gives the same bytes and digest as the plain one, over hundreds of frames")
    func writeBehindSameBytes() throws {
        let dir = temporaryDirectory()
        let plain = try writeSampleLog(dir + "/plain.alog", count: 20_000, eventsPerFrame: 37, seed: 11, pipelined: false)
        let piped = try writeSampleLog(dir + "/piped.alog", count: 20_000, eventsPerFrame: 37, seed: 11, pipelined: true)
        let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/plain.alog"))
        let b = try Data(contentsOf: URL(fileURLWithPath: dir + "/piped.alog"))
        #expect(a == b)
        #expect(plain.count == piped.count && zip(plain, piped).allSatisfy(bitIdentical))
        #expect(try LogReader(path: dir + "/piped.alog").frames.count > 500)
        let inspection = try LogInspector.inspect(path: dir + "/piped.alog")
        #expect(inspection.isSound)
        #expect(inspection.digest == (try LogReader(path: dir + "/plain.alog").storedDigest))
    }

    @Test("digested behind or as appended, the digest is the same: mid-frame, after a flush, at close, after reopening, bars included; frames digested behind, by the writer's thread, or as they are encoded")
    func digestBehindSame() throws {
        let dir = temporaryDirectory()
        func write(_ name: String, pipelined: Bool, digestingHere: Bool = false, encodingHere: Bool = false) throws
            -> (mid: [[UInt8]], closed: [UInt8], reopened: [UInt8])
        {
            let path = dir + "/" + name
            let options = LogWriterOptions(flush: FlushPolicy(maxEvents: 50), pipelined: pipelined)
            let w = try LogWriter.create(path: path, manifest: Manifest(formatVersion: 1, engineVersion: "t"), timestamp: Timestamp(rawValue: 0),
                                         options: options)
            w.digestsEveryFrameHere = digestingHere
            w.encodesCanonicalEveryFrame = encodingHere
            var mid: [[UInt8]] = []
            let s = try w.symbol("S", at: Timestamp(rawValue: 0))
            for i in 1...1_000 {
                let t = Timestamp(rawValue: Int64(i))
                // Bars by both paths (the writer makes their canonical records itself when it digests behind).
                let bar = Bar(symbol: s, timeframe: .day, open: Price(rawValue: Int64(100 + i % 13) * 1_000_000), high: Price(rawValue: 120_000_000),
                              low: Price(rawValue: 90_000_000), close: Price(rawValue: Int64(100 + i % 11) * 1_000_000), volume: Quantity(rawValue: Int64(i)))
                if i % 3 == 0 {
                    try w.append(bar: bar, at: t)
                } else if i % 5 == 0 {
                    try w.append(.bar(bar), at: t)
                } else {
                    try w.append(.timer(TimerFired(timerID: UInt64(i), purpose: "tick \(i % 7)")), at: t)
                }
                if i % 173 == 0 { mid.append(w.currentDigest) }
                if i == 500 { try w.flush() }
            }
            let closed = try w.close().digest
            let (again, _) = try LogWriter.openForAppend(path: path, options: options)
            again.digestsEveryFrameHere = digestingHere
            again.encodesCanonicalEveryFrame = encodingHere
            for i in 1_001...1_300 { try again.append(.timer(TimerFired(timerID: UInt64(i), purpose: "late")), at: Timestamp(rawValue: Int64(i))) }
            return (mid, closed, try again.close().digest)
        }
        let plain = try write("plain.alog", pipelined: false)
        let piped = try write("piped.alog", pipelined: true)
        // The writer's thread digesting frames itself (what it does while the thread behind is busy).
        let shared = try write("shared.alog", pipelined: true, digestingHere: true)
        // Its canonical records made as each record is encoded (what it does when the thread behind is busy as a frame starts).
        let encoded = try write("encoded.alog", pipelined: true, encodingHere: true)
        #expect(plain.mid == piped.mid && plain.closed == piped.closed && plain.reopened == piped.reopened)
        #expect(plain.mid == shared.mid && plain.closed == shared.closed && plain.reopened == shared.reopened)
        #expect(plain.mid == encoded.mid && plain.closed == encoded.closed && plain.reopened == encoded.reopened)
        #expect(try LogInspector.inspect(path: dir + "/piped.alog").digest == plain.reopened)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/piped.alog")) == Data(contentsOf: URL(fileURLWithPath: dir + "/shared.alog")))
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/piped.alog")) == Data(contentsOf: URL(fileURLWithPath: dir + "/encoded.alog")))
    }

    @Test("signals and alpha values appended without the enum: the same bytes and digest as through append(_:at:), one thread or two, and the same refusals")
    func typedAppendsSameBytes() throws {
        let dir = temporaryDirectory()
        func write(_ name: String, typed: Bool, pipelined: Bool, encodingHere: Bool = false) throws -> Data {
            let path = dir + "/" + name
            var gen = EventGenerator(seed: 21, symbolCount: 5)
            let w = try LogWriter.create(path: path, manifest: Manifest(formatVersion: 1, engineVersion: "t"), timestamp: Timestamp(rawValue: 1_000),
                                         options: LogWriterOptions(flush: FlushPolicy(maxEvents: 23), pipelined: pipelined))
            w.encodesCanonicalEveryFrame = encodingHere
            for i in 0..<5 { _ = try w.symbol("S\(i)", at: Timestamp(rawValue: 1_000)) }
            // Mostly the two kinds, between others (a bar's delta context, a fill's strings), so
            // frames open and close on each of them.
            let kinds: [EventKind] = [.signal, .alphaValue, .signal, .alphaValue, .bar, .fill, .orderRejected]
            var t: Int64 = 1_000
            for i in 0..<3_000 {
                t += Int64.random(in: 0...2, using: &gen.rng)
                let at = Timestamp(rawValue: t)
                switch gen.payload(kinds.randomElement(using: &gen.rng)!) {
                case .signal(let s) where typed: try w.append(signal: s, at: at)
                case .alphaValue(let v) where typed: try w.append(alphaValue: v, at: at)
                case let payload: try w.append(payload, at: at)
                }
                if i % 97 == 0 {
                    // Twenty contributions of two alphas: a record past 127 bytes, its length in two.
                    let wide = Signal(symbol: SymbolID(2), direction: .buy, score: 0.5, rank: 3,
                                      contributions: (0..<20).map { AlphaContribution(alpha: $0 % 2 == 0 ? "momentum_20d" : "mean_reversion", value: Double($0)) },
                                      expectedReturn: i % 2 == 0 ? 0.01 : nil, confidence: nil)
                    if typed { try w.append(signal: wide, at: at) } else { try w.append(.signal(wide), at: at) }
                }
            }
            try w.close()
            return try Data(contentsOf: URL(fileURLWithPath: path))
        }
        let general = try write("general.alog", typed: false, pipelined: true)
        #expect(try write("typed.alog", typed: true, pipelined: true) == general)
        #expect(try write("typed-plain.alog", typed: true, pipelined: false) == general)
        // The index holds the digest: canonical records made as encoded give the same one.
        #expect(try write("typed-encoded.alog", typed: true, pipelined: true, encodingHere: true) == general)
        #expect(try write("general-encoded.alog", typed: false, pipelined: true, encodingHere: true) == general)
        #expect(try LogInspector.inspect(path: dir + "/typed.alog").isSound)

        let w = try LogWriter.create(path: dir + "/rules.alog", manifest: Manifest(formatVersion: 1, engineVersion: "t"),
                                     timestamp: Timestamp(rawValue: 0), options: LogWriterOptions(pipelined: true))
        let s = try w.symbol("S", at: Timestamp(rawValue: 10))
        let signal = Signal(symbol: s, direction: .buy, score: 1)
        try w.append(signal: signal, at: Timestamp(rawValue: 20))
        #expect(throws: LogError.self) { try w.append(signal: signal, at: Timestamp(rawValue: 19)) }
        let undefined = SymbolID(7)
        #expect(throws: LogError.self) { try w.append(alphaValue: AlphaValue(alpha: "a", symbol: undefined, value: 1), at: Timestamp(rawValue: 20)) }
        #expect(throws: LogError.self) { try w.append(signal: Signal(symbol: undefined, direction: .sell, score: 0), at: Timestamp(rawValue: 20)) }
        try w.close()
        #expect(throws: LogError.self) { try w.append(signal: signal, at: Timestamp(rawValue: 30)) }
        #expect(try LogReader(path: dir + "/rules.alog").storedEventCount == 3)
    }

    @Test("flush and close wait for the write-behind thread: frames are in the file when they return")
    func flushWaits() throws {
        let path = temporaryDirectory() + "/a.alog"
        let w = try LogWriter.create(path: path, manifest: Manifest(formatVersion: 1, engineVersion: "t"), timestamp: Timestamp(rawValue: 0),
                                     options: LogWriterOptions(flush: FlushPolicy(maxEvents: 10), pipelined: true))
        for i in 1...29 { try w.append(.timer(TimerFired(timerID: UInt64(i), purpose: "tick \(i % 3)")), at: Timestamp(rawValue: Int64(i))) }
        try w.flush()
        #expect(try LogReader(path: path).frames.count == 3)
        let summary = try w.close()
        #expect(summary.eventCount == 30)
        #expect(try LogInspector.inspect(path: path).isSound)
    }

    @Test("the prefetching cursor yields the same events as the plain one, from the start and from a seek")
    func prefetchSameEvents() throws {
        let path = temporaryDirectory() + "/a.alog"
        _ = try writeSampleLog(path, count: 5_000, eventsPerFrame: 50, seed: 3)
        let reader = try LogReader(path: path)
        let last = reader.frames.count - 1
        let plain = try drain(EventCursor(reader: reader, firstFrame: 0, lastFrame: last, prefetch: false))
        let piped = try drain(EventCursor(reader: reader, firstFrame: 0, lastFrame: last, prefetch: true))
        #expect(plain.events.count == 5_006)
        #expect(plain.events.count == piped.events.count && zip(plain.events, piped.events).allSatisfy(bitIdentical))
        // Two decoding threads, each taking the next frame not taken: the same events in the same order.
        let twoDecoders = try drain(EventCursor(reader: reader, firstFrame: 0, lastFrame: last, prefetch: true, decodeThreads: 2))
        #expect(plain.events.count == twoDecoders.events.count && zip(plain.events, twoDecoders.events).allSatisfy(bitIdentical))
        let middle = reader.frames[last / 2].firstSequence + 7
        let seekPlain = try drain(EventCursor(reader: reader, firstFrame: last / 2, lastFrame: last, skipBelowSequence: middle, prefetch: false))
        let seekPiped = try drain(EventCursor(reader: reader, firstFrame: last / 2, lastFrame: last, skipBelowSequence: middle, prefetch: true))
        #expect(seekPiped.events.first?.sequence == middle)
        #expect(zip(seekPlain.events, seekPiped.events).allSatisfy(bitIdentical) && seekPlain.events.count == seekPiped.events.count)
    }

    @Test("on a damaged frame both cursors yield the same events and then the same error")
    func prefetchSameError() throws {
        let path = temporaryDirectory() + "/a.alog"
        _ = try writeSampleLog(path, count: 2_000, eventsPerFrame: 40, seed: 5)
        let frames = try LogReader(path: path).frames
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        // A byte inside the compressed data of a middle frame: zstd's checksum catches it.
        let target = frames[frames.count / 2]
        bytes[Int(target.dataOffset) + Int(target.compressedSize) / 2] ^= 0x5A
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let reader = try LogReader(path: path)
        let plain = try drain(EventCursor(reader: reader, firstFrame: 0, lastFrame: reader.frames.count - 1, prefetch: false))
        let piped = try drain(EventCursor(reader: reader, firstFrame: 0, lastFrame: reader.frames.count - 1, prefetch: true))
        let twoDecoders = try drain(EventCursor(reader: reader, firstFrame: 0, lastFrame: reader.frames.count - 1, prefetch: true, decodeThreads: 2))
        #expect(plain.error != nil)
        #expect(plain.error == piped.error && plain.error == twoDecoders.error)
        #expect(plain.events.count == twoDecoders.events.count && zip(plain.events, twoDecoders.events).allSatisfy(bitIdentical))
        #expect(plain.events.count == Int(target.firstSequence))
        #expect(plain.events.count == piped.events.count && zip(plain.events, piped.events).allSatisfy(bitIdentical))
    }

    @Test("a cursor for some kinds yields exactly the events of those kinds, bars after skipped bars included, on one thread or two")
    func kindFilter() throws {
        let path = temporaryDirectory() + "/a.alog"
        let all = try writeSampleLog(path, count: 4_000, eventsPerFrame: 60, seed: 13)
        let reader = try LogReader(path: path)
        for wanted: Set<EventKind> in [[.fill], [.bar], [.timer, .signal, .manifest], []] {
            let expected = all.filter { wanted.contains($0.kind) }
            for (prefetch, decoders) in [(false, 1), (true, 1), (true, 2)] {
                let cursor = EventCursor(reader: reader, firstFrame: 0, lastFrame: reader.frames.count - 1, prefetch: prefetch, kinds: wanted,
                                         decodeThreads: decoders)
                let got = try drain(cursor)
                #expect(got.error == nil)
                #expect(got.events.count == expected.count && zip(got.events, expected).allSatisfy(bitIdentical))
            }
        }
        #expect(all.contains { $0.kind == .bar } && all.contains { $0.kind == .fill })
    }

    @Test("work claimed by two threads at uneven speeds comes out in order, never more than the window ahead; an ending item stops it; a consumer gone releases a waiting worker")
    func orderedWork() throws {
        final class Counter: @unchecked Sendable {
            private let lock = NSLock()
            private var claimed = 0, taken = 0, worst = 0
            func claim() { lock.withLock { claimed += 1; worst = max(worst, claimed - taken) } }
            func take() { lock.withLock { taken += 1 } }
            var furthestAhead: Int { lock.withLock { worst } }
        }
        func run(count: Int, window: Int, endAt: Int?) -> (items: [Int], furthestAhead: Int) {
            let work = OrderedWork<Int>(count: count, window: window)
            // Should it ever wait forever (a slot lost), the watchdog lets every side go and the
            // items come out short instead of the test hanging.
            DispatchQueue.global().asyncAfter(deadline: .now() + 30) { work.cancel() }
            let counter = Counter()
            let group = DispatchGroup()
            for w in 0..<2 {
                DispatchQueue.global().async(group: group) {
                    while let i = work.claim() {
                        counter.claim()
                        // The second worker is slower, and both vary: items finish out of order.
                        if (i + w) % 3 == 0 { usleep(UInt32(200 * (w + 1))) }
                        work.put(i * 10, at: i, ends: i == endAt)
                    }
                }
            }
            var items: [Int] = []
            while let item = work.next() {
                counter.take()
                items.append(item)
                if items.count % 7 == 0 { usleep(300) }
            }
            group.wait()
            return (items, counter.furthestAhead)
        }
        let whole = run(count: 200, window: 6, endAt: nil)
        #expect(whole.items == (0..<200).map { $0 * 10 })
        // The consumer counts an item just after `next` has freed its slot, so a worker may claim
        // the freed slot in between: the count lags by at most that one item (exactly, below).
        #expect(whole.furthestAhead <= 6 + 1)
        // Exactly: a window's worth of claims, then the next waits until the consumer takes one.
        let windowed = OrderedWork<Int>(count: 10, window: 3)
        #expect(windowed.claim() == 0 && windowed.claim() == 1 && windowed.claim() == 2)
        let fourth = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var claimedFourth: Int?
        DispatchQueue.global().async {
            claimedFourth = windowed.claim()
            fourth.signal()
        }
        #expect(fourth.wait(timeout: .now() + 0.1) == .timedOut)
        windowed.put(0, at: 0)
        #expect(windowed.next() == 0)
        #expect(fourth.wait(timeout: .now() + 10) == .success)
        #expect(claimedFourth == 3)
        let ended = run(count: 200, window: 4, endAt: 57)
        #expect(ended.items == (0...57).map { $0 * 10 })
        // A worker waiting for room is let go when the consumer cancels.
        let work = OrderedWork<Int>(count: 10, window: 1)
        #expect(work.claim() == 0)
        let released = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            _ = work.claim()
            released.signal()
        }
        usleep(20_000)
        work.cancel()
        #expect(released.wait(timeout: .now() + 10) == .success)
        #expect(work.next() == nil)
    }

    @Test("frames decoded out of order by two threads are hashed in order, each handed on only once hashed; nothing after a failed frame is hashed")
    func inOrderHashing() throws {
        // Frames of uneven sizes with bytes of their own, and what one thread hashing them in turn makes of them.
        let frames: [[UInt8]] = (0..<120).map { i in (0..<(1 + (i * 7919) % 3000)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) } }
        // sequential[n]: the digest of the first n frames.
        let sequential: [[UInt8]] = {
            let h = SHA256Hasher()
            var digests = [h.digest()]
            for f in frames {
                f.withUnsafeBytes { h.update($0) }
                digests.append(h.digest())
            }
            return digests
        }()
        // Frame i as a decoding thread hands it over: its canonical bytes, and whether it failed.
        @Sendable func frame(_ i: Int, failing: Bool = false) -> DecodedFrame {
            let canonical = ByteBuffer(capacity: 64)
            canonical.append(frames[i])
            return DecodedFrame(canonical: canonical, failure: failing ? LogError(path: "t", .corrupt("frame \(i)")) : nil)
        }
        func run(failAt: Int?) -> (delivered: Int, hashedWhenDelivered: Bool, digest: [UInt8]) {
            let window = 6
            // Used by one thread at a time, as the hasher hands it on.
            nonisolated(unsafe) let hasher = SHA256Hasher()
            let inOrder = InOrderHasher(hasher: hasher, window: window)
            let work = OrderedWork<DecodedFrame>(count: frames.count, window: window)
            DispatchQueue.global().asyncAfter(deadline: .now() + 30) { work.cancel() }
            let group = DispatchGroup()
            for w in 0..<2 {
                DispatchQueue.global().async(group: group) {
                    while let i = work.claim() {
                        if (i + w) % 3 == 0 { usleep(UInt32(150 * (w + 1))) }
                        inOrder.add(frame(i, failing: i == failAt), at: i) { frame, index in
                            // Handed on with its bytes in the hash: the hash so far is that of the frames up to it.
                            var copy = frame
                            copy.surplus = hasher.digest() == sequential[index + 1] ? nil : LogError(path: "t", .corrupt("early"))
                            work.put(copy, at: index, ends: copy.failure != nil)
                        }
                    }
                }
            }
            var delivered = 0
            var hashedFirst = true
            while let frame = work.next() {
                delivered += 1
                if frame.surplus != nil { hashedFirst = false }
            }
            group.wait()
            return (delivered, hashedFirst, hasher.digest())
        }
        // On one thread, step by step: a frame waits for those before it, a failed one ends the hashing.
        let stepHasher = SHA256Hasher()
        let steps = InOrderHasher(hasher: stepHasher, window: 4)
        var handed: [Int] = []
        steps.add(frame(2), at: 2) { handed.append($1) }
        #expect(handed.isEmpty && stepHasher.digest() == sequential[0])
        steps.add(frame(0), at: 0) { handed.append($1) }
        #expect(handed == [0] && stepHasher.digest() == sequential[1])
        steps.add(frame(1, failing: true), at: 1) { handed.append($1) }
        steps.add(frame(3), at: 3) { handed.append($1) }
        #expect(handed == [0, 1] && stepHasher.digest() == sequential[2])

        let whole = run(failAt: nil)
        #expect(whole.delivered == frames.count && whole.hashedWhenDelivered)
        #expect(whole.digest == sequential[frames.count])
        let failed = run(failAt: 47)
        #expect(failed.delivered == 48 && failed.hashedWhenDelivered)
        #expect(failed.digest == sequential[48])
    }

    @Test("a cursor dropped half way stops its prefetch threads without reading on, one decoding thread or two")
    func dropHalfWay() throws {
        let path = temporaryDirectory() + "/a.alog"
        _ = try writeSampleLog(path, count: 3_000, eventsPerFrame: 30, seed: 9)
        let reader = try LogReader(path: path)
        for round in 0..<50 {
            // Half the rounds with two decoding threads, one of them maybe waiting for room.
            let cursor = EventCursor(reader: reader, firstFrame: 0, lastFrame: reader.frames.count - 1, prefetch: true,
                                     decodeThreads: 1 + round % 2)
            for _ in 0..<45 { _ = try cursor.next() }
        }
        #expect(try readAll(path).count == 3_006)
    }

    @Test("the comparison behind a replay finds the same first divergence and digests on one thread or two")
    func comparisonSameResult() throws {
        let path = temporaryDirectory() + "/a.alog"
        let events = try writeSampleLog(path, count: 30_000, eventsPerFrame: 200, seed: 21)
        var changed = events
        changed[23_456] = Event(sequence: 23_456, timestamp: changed[23_456].timestamp, payload: .sessionEnd(SessionEnd(reason: "other")))
        let streams: [(name: String, events: [Event], divergence: UInt64?)] = [
            ("identical", events, nil), ("one event changed", changed, 23_456),
            ("stream cut short", Array(events.prefix(12_000)), 12_000), ("stream cut mid-frame", Array(events.prefix(12_345)), 12_345),
            ("stream runs on", events + [Event(sequence: UInt64(events.count), timestamp: events.last!.timestamp, payload: .sessionEnd(SessionEnd(reason: "x")))], UInt64(events.count)),
            ("stream runs on far", events + (0..<5_000).map { i in Event(sequence: UInt64(events.count + i), timestamp: events.last!.timestamp, payload: .sessionEnd(SessionEnd(reason: "run \(i)"))) }, UInt64(events.count)),
        ]
        // The decisions digests, computed plainly: what either side's must be.
        func decisionsDigest(_ events: [Event]) -> [UInt8] {
            let digest = RunDigest()
            for e in events where !e.kind.isInput { digest.add(e) }
            return digest.current()
        }
        let recordedDecisions = decisionsDigest(events)
        for stream in streams {
            var results: [LogComparison.Result] = []
            for threaded in [false, true] {
                let comparison = LogComparison(recorded: try LogReader(path: path), threaded: threaded)
                // Bars come both ways a sink may hand them over.
                for e in stream.events {
                    if case .bar(let b) = e.payload, e.sequence % 2 == 0 { try comparison.add(bar: b, sequence: e.sequence, timestamp: e.timestamp) } else { try comparison.add(e) }
                }
                results.append(try comparison.finish())
            }
            let (one, two) = (results[0], results[1])
            #expect(one.firstDivergence?.sequence == stream.divergence, "\(stream.name)")
            #expect(two.firstDivergence?.sequence == stream.divergence, "\(stream.name)")
            #expect(one.replayedDecisions == two.replayedDecisions && one.recordedDecisions == two.recordedDecisions, "\(stream.name)")
            #expect(one.replayedDecisions == decisionsDigest(stream.events), "\(stream.name)")
            #expect(one.recordedDecisions == recordedDecisions, "\(stream.name)")
            #expect(one.compared == UInt64(stream.events.count) && two.compared == one.compared)
            // Frames before the first divergence are compared whole, as bytes, never decoded.
            let frames = try LogReader(path: path).frames
            let whole = frames.filter { $0.lastSequence < (stream.divergence ?? .max) && $0.lastSequence < UInt64(stream.events.count) }.count
            #expect(one.framesMatched == whole && two.framesMatched == whole, "\(stream.name): \(one.framesMatched) of \(whole)")
            let pairs = [(one.firstDivergence?.recorded, two.firstDivergence?.recorded), (one.firstDivergence?.replayed, two.firstDivergence?.replayed)]
            for (a, b) in pairs {
                #expect((a == nil) == (b == nil))
                if let a, let b { #expect(bitIdentical(a, b)) }
            }
        }
    }

    private func drain(_ cursor: EventCursor) throws -> (events: [Event], error: LogError?) {
        var events: [Event] = []
        do {
            while let e = try cursor.next() { events.append(e) }
        } catch let error as LogError {
            return (events, error)
        }
        return (events, nil)
    }
}
