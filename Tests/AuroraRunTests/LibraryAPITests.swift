import Foundation
import Testing
import Aurora
import AuroraTestSupport

/// The library as a user calls it: `import Aurora`, a configuration, `runMulti`, and the log.
@Suite("The library API")
struct LibraryAPITests {
    @Test("a TWAP backtest through the library API needs no factory or setup: plans, slices and fills, and replay is identical")
    func twapWithoutFactory() throws {
        var config = try ConfigReader.load(path: Paths.fixture("alpha-twap.yaml")).config
        config.data.synthetic.symbolCount = 8
        config.data.synthetic.sectorCount = 2
        config.data.synthetic.days = 4
        config.strategy = .momentum(lookback: 1, threshold: 0)   // trades from the second day on
        let path = Paths.temporary("twap.alog")
        let result = try BacktestEngine(config: config, logPath: path).runMulti()
        #expect(result.trades.count > 0)
        let reader = try LogInspector.inspect(path: path)
        #expect(reader.countsByKind[Int(EventKind.orderSlice.rawValue)] > 0)
        #expect(try ReplayEngine.replay(path: path).identical)
    }

    @Test("an end given as a day means through that day (as --end D does); an instant means that instant")
    func throughDateD() throws {
        var config = AuroraConfig()
        config.data.source = Paths.fixture("bars-daily.csv")
        let engine = BacktestEngine(config: config, logPath: Paths.temporary("d.alog"))
        let day = try engine.runMulti(start: "2020-02-03", end: .day("2020-02-07"))
        // Daily bars end at the 16:00 New York close: 21:00 UTC in winter.
        #expect(day.first.iso8601 == "2020-02-03T21:00:00Z" && day.last.iso8601 == "2020-02-07T21:00:00Z")
        let midnight = try TimeText.parse("2020-02-07T00:00:00Z")
        let instant = try engine.runMulti(start: "2020-02-03", end: .instant(midnight))
        #expect(instant.last.iso8601 == "2020-02-06T21:00:00Z", "a midnight instant does not include that day's close")
        let exact = try engine.runMulti(start: "2020-02-03", end: .instant(Timestamp(rawValue: try TimeText.parse("2020-02-07T21:00:00Z").rawValue)))
        #expect(exact.last == day.last)
    }

    @Test("an extension record is logged, read back through its codec, covered by the digest, and skipped by a reader without the codec")
    func extensionRecord() throws {
        let path = Paths.temporary("ext.alog")
        let writer = try LogWriter.create(path: path, manifest: Manifest(formatVersion: 1, engineVersion: "t"), timestamp: Timestamp(rawValue: 0))
        let value = ModelScore(model: "ridge", scores: [0.25, -1.5, .nan], promoted: true)
        try writer.append(ModelScoreCodec.record(value), at: Timestamp(rawValue: 1))
        try writer.append(.sessionEnd(SessionEnd(reason: "done")), at: Timestamp(rawValue: 2))
        let summary = try writer.close()
        let events = try LogReader(path: path).events()
        var records: [ExtensionRecord] = []
        while let e = try events.next() { if case .extension(let r) = e.payload { records.append(r) } }
        let record = try #require(records.first)
        #expect(record.name == "test.model_score" && record.version == 2)
        let back = try ModelScoreCodec.value(of: record)
        #expect(back.model == "ridge" && back.scores[0] == 0.25 && back.scores[1] == -1.5 && back.scores[2].isNaN && back.promoted)
        // The codec is exact, the digest covers the bytes, and the log verifies without knowing the kind's codec.
        let event = Event(sequence: 1, timestamp: Timestamp(rawValue: 1), payload: .extension(record))
        #expect(try EventCodec.decodeCanonical(EventCodec.canonicalBytes(event)) == event)
        let inspection = try LogInspector.inspect(path: path)
        #expect(inspection.isSound && inspection.digest == summary.digest && inspection.unknownKinds == 0)
        var registry = ComponentRegistry.builtIn
        #expect(registry.extensionCodec(named: record.name) == nil)
        registry.register(extension: ModelScoreCodec.self)
        let fields = try #require(registry.extensionCodec(named: record.name)?.fields(record))
        #expect(fields.contains("\"model\":\"ridge\"") && fields.contains("\"nan\""))
        // Another kind's bytes, or a newer version, are refused rather than misread.
        #expect(throws: PayloadError.self) { try ModelScoreCodec.value(of: ExtensionRecord(name: "other", version: 1, payload: record.payload)) }
        #expect(throws: PayloadError.self) { try ModelScoreCodec.value(of: ExtensionRecord(name: record.name, version: 3, payload: record.payload)) }
    }

    /// Copies the log at `path` to `to` with the first event `alter` changes (nil: unchanged)
    /// changed; the writer digests the copy afresh. Returns that event's sequence.
    static func rewrite(_ path: String, to: String, _ alter: (Event) -> EventPayload?) throws -> UInt64? {
        let out = try LogWriter.create(path: to)
        let copy = try LogReader(path: path).events()
        var altered: UInt64?
        while let e = try copy.next() {
            var payload = e.payload
            if altered == nil, let changed = alter(e) {
                payload = changed
                altered = e.sequence
            }
            try out.append(payload, at: e.timestamp)
        }
        try out.close()
        return altered
    }

    @Test("verify's pass hands the portfolio check headers for kinds it does not fold: the same verdict, digest and state")
    func headersForUnfoldedKinds() throws {
        var config = AuroraConfig()
        config.kernel.checkpointEvery = 997
        let path = Paths.temporary("headers.alog")
        _ = try BacktestEngine(config: config, logPath: path).runMulti()
        let whole = try CheckpointVerifier.verify(LogReader(path: path))
        var check = CheckpointVerifier.Check()
        let inspection = try LogInspector.inspect(path: path, observer: &check)
        let stored = try LogReader(path: path).storedDigest
        #expect(inspection.isSound && stored != nil && inspection.digest == stored)
        #expect(whole.checked > 10 && whole.mismatch == nil)
        #expect(check.result.checked == whole.checked && check.result.mismatch == nil)
        // Most events came as headers: the kinds left out are the ones a backtest logs most.
        #expect(!check.wholeKinds.contains(.signal) && !check.wholeKinds.contains(.orderSubmitted))
        // For every kind the portfolio does not fold, the fold and the header's advance agree.
        var folded = PortfolioState()
        let cursor = try LogReader(path: path).events()
        var advanced = 0
        while let e = try cursor.next() {
            if !PortfolioReducer.foldedKinds.contains(e.kind) {
                var byHeader = folded
                PortfolioReducer.advance(&byHeader, sequence: e.sequence, timestamp: e.timestamp)
                PortfolioReducer.reduce(&folded, e)
                #expect(byHeader.checkpointBytes == folded.checkpointBytes, "\(e.kind.name) at \(e.sequence)")
                advanced += 1
            } else {
                PortfolioReducer.reduce(&folded, e)
            }
        }
        #expect(advanced > 1_000)

        // The pass takes bars as values: a bar's close altered (digest recomputed on rewrite, so
        // only the checkpoints can tell) is found at the next portfolio checkpoint, as by events.
        let tampered = Paths.temporary("headers-bar.alog")
        let altered = try Self.rewrite(path, to: tampered) { e in
            guard e.sequence > 5_000, case .bar(var b) = e.payload else { return nil }
            b.close = Price(rawValue: b.close.rawValue + 1_000_000)
            b.high = max(b.high, b.close)
            return .bar(b)
        }
        let byEvents = try CheckpointVerifier.verify(LogReader(path: tampered))
        var byValues = CheckpointVerifier.Check()
        let tamperedInspection = try LogInspector.inspect(path: tampered, observer: &byValues)
        #expect(tamperedInspection.problem == nil)
        let alteredAt = try #require(altered)
        let mismatch = try #require(byValues.result.mismatch)
        #expect(mismatch.sequence > alteredAt && mismatch.sequence == byEvents.mismatch?.sequence)
        #expect(byValues.result.checked == byEvents.checked)

        // Fills too come as values: one fill's price altered is found at the same checkpoint as by events.
        let tamperedFill = Paths.temporary("headers-fill.alog")
        let alteredFill = try Self.rewrite(path, to: tamperedFill) { e in
            guard e.sequence > 5_000, case .fill(var f) = e.payload else { return nil }
            f.price = Price(rawValue: f.price.rawValue + 1_000_000)
            return .fill(f)
        }
        let fillByEvents = try CheckpointVerifier.verify(LogReader(path: tamperedFill))
        var fillByValues = CheckpointVerifier.Check()
        #expect(try LogInspector.inspect(path: tamperedFill, observer: &fillByValues).problem == nil)
        let fillAlteredAt = try #require(alteredFill)
        let fillMismatch = try #require(fillByValues.result.mismatch)
        #expect(fillMismatch.sequence > fillAlteredAt && fillMismatch.sequence == fillByEvents.mismatch?.sequence)
        #expect(fillByValues.result.checked == fillByEvents.checked)
    }

    @Test("any registered reducer: completion checkpoints are written, recomputed by verify, and state starts from them")
    func completionCheckpoints() throws {
        var config = AuroraConfig()
        config.kernel.checkpointEvery = 5_000
        config.kernel.checkpointReducers = [ReducerEntry(CompletionReducer.self)]
        let path = Paths.temporary("ck.alog")
        _ = try BacktestEngine(config: config, logPath: path).runMulti()
        let registry = ComponentRegistry.builtIn
        let check = try CheckpointVerifier.verify(LogReader(path: path), reducers: registry.reducers)
        #expect(check.mismatch == nil && check.unchecked == 0)
        let reader = try LogReader(path: path)
        let entry = try #require(registry.reducer(named: "completion"))
        let fromCheckpoint = try StateQuery.state(of: reader, at: nil, reducer: entry)
        #expect(fromCheckpoint.checkpointSequence != nil)
        // The same state as a fold from the first event.
        let full = entry.fold()
        let cursor = reader.events()
        while let e = try cursor.next() { full.observe(e) }
        #expect(try JSONOutputForTests.text(fromCheckpoint.fold.report(symbols: [])) == JSONOutputForTests.text(full.report(symbols: [])))
        // The configuration says so in YAML, and reads back.
        #expect(ConfigWriter.yaml(config).contains("checkpoint_reducers: [completion]"))
        #expect(try ConfigReader.parse(ConfigWriter.yaml(config)) == config)

        // `verify` folds the portfolio along its pass and the completion reducer in a second one,
        // only because the log checkpoints it: the same count and verdict as folding both at once.
        var portfolioOnly = CheckpointVerifier.Check(reducers: registry.reducers.filter { $0.name == PortfolioReducer.name })
        let all = try LogReader(path: path).events()
        while let e = try all.next() { portfolioOnly.observe(e) }
        #expect(portfolioOnly.result.unchecked > 0 && portfolioOnly.result.uncheckedReducers == ["completion"])
        let completed = try CheckpointVerifier.completing(portfolioOnly.result, reducers: registry.reducers) { try LogReader(path: path) }
        #expect(completed.checked == check.checked && completed.withState == check.withState)
        #expect(completed.unchecked == 0 && completed.uncheckedReducers.isEmpty && completed.mismatch == nil)

        // A completion checkpoint altered is found by the second pass.
        let tampered = Paths.temporary("ck-tampered.alog")
        let altered = try Self.rewrite(path, to: tampered) { e in
            guard case .checkpoint(var c) = e.payload, c.reducer == "completion", e.sequence > 1_000 else { return nil }
            c.digest[0] ^= 1
            return .checkpoint(c)
        }
        var first = CheckpointVerifier.Check(reducers: registry.reducers.filter { $0.name == PortfolioReducer.name })
        let again = try LogReader(path: tampered).events()
        while let e = try again.next() { first.observe(e) }
        #expect(first.result.mismatch == nil)
        let found = try CheckpointVerifier.completing(first.result, reducers: registry.reducers) { try LogReader(path: tampered) }
        #expect(altered != nil && found.mismatch?.sequence == altered)
    }
}

struct ModelScore: Encodable, Equatable {
    var model: String
    var scores: [Double]
    var promoted: Bool
}

/// A user's own record kind: version 2 added `promoted` (version 1 records read as not promoted).
enum ModelScoreCodec: ExtensionCodec {
    static let name = "test.model_score"
    static let version: UInt16 = 2
    static func encode(_ v: ModelScore, into w: inout PayloadWriter) {
        w.string(v.model)
        w.doubles(v.scores)
        w.bool(v.promoted)
    }
    static func decode(_ r: inout PayloadReader, version: UInt16) throws -> ModelScore {
        ModelScore(model: try r.string(), scores: try r.doubles(), promoted: version >= 2 ? try r.bool() : false)
    }
}

enum JSONOutputForTests {
    static func text(_ value: any Encodable) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: try e.encode(value), as: UTF8.self)
    }
}
