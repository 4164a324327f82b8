import ArgumentParser
import Aurora

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a log's manifest, event counts per kind, symbols, time range, size and digest.")

    @Argument(help: "The log.") var log: String
    @OptionGroup var output: TableOrJSON

    func run() throws {
        let r = try LogInspector.inspect(path: log)
        if output.format == .json {
            print(try JSONOutput.text(InfoReport(log: log, r)))
            if r.problem != nil { throw ExitCode(1) }
            return
        }
        print("log        \(log)")
        print("format     version \(r.formatVersion); zstd \(zstdLibraryVersion) here")
        if let m = r.manifest {
            print("engine     \(m.engineVersion)")
            print("source     \(m.dataSource.isEmpty ? "-" : m.dataSource); seed \(m.seed)")
            if !m.config.isEmpty { print("config     \(m.config.utf8.count) bytes, sha256 \(hexString(m.configDigest))") }
            for p in m.properties { print("           \(p.key) = \(p.value)") }
        }
        if r.problem == nil {
            // All the frames but a torn last one, which `recover` cuts.
            print("events     \(grouped(r.eventsRead)) in \(grouped(r.framesWhole)) frames")
        } else {
            // The counts below are of what was read before the damage, not of the whole log.
            print("events     \(grouped(r.eventsRead)) before the damage (\(wholeFrames(r)))")
        }
        for kind in EventKind.allCases where r.countsByKind[Int(kind.rawValue)] > 0 {
            let name = kind.name.padding(toLength: 16, withPad: " ", startingAt: 0)
            print("  \(name) \(grouped(r.countsByKind[Int(kind.rawValue)]))")
        }
        if r.unknownKinds > 0 { print("  (unknown kinds) \(grouped(r.unknownKinds))") }
        let shown = r.symbols.prefix(12).joined(separator: ", ")
        print("symbols    \(grouped(r.symbols.count))\(r.symbols.isEmpty ? "" : ": " + shown)\(r.symbols.count > 12 ? ", …" : "")")
        if let first = r.firstTimestamp, let last = r.lastTimestamp {
            print("time       \(first.iso8601) .. \(last.iso8601)")
        }
        let perEvent = r.eventsRead > 0 && r.problem == nil ? fixed(Double(r.fileSize) / Double(r.eventsRead), 2) : "-"
        print("file       \(grouped(r.fileSize)) bytes, \(perEvent) bytes/event")
        // A damaged log may still be closed (its index is there): the damage goes on the same line.
        let damage = r.problem.map { "; damaged at byte \($0.offset ?? 0)" } ?? ""
        print("state      \(describe(r.tail))\(r.indexRebuilt && r.tail != .closed ? " (index rebuilt by scanning)" : "")\(damage)")
        if let digest = r.digest { print("digest     \(hexString(digest))") }
        if let problem = r.problem {
            printError("error: \(problem)")
            throw ExitCode(1)
        }
    }
}

/// How much of a damaged log was read whole, of the frames its index lists.
func wholeFrames(_ r: LogInspection) -> String {
    "\(grouped(r.framesWhole)) of \(grouped(r.frameCount)) frames whole"
}

func describe(_ tail: TailState) -> String {
    switch tail {
    case .closed: "closed"
    case .unclosed: "not closed (no index; the writer stopped between frames)"
    case .torn(let e): "torn tail at byte \(e.offset ?? 0)"
    case .damaged(let e): "damaged at byte \(e.offset ?? 0)"
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every frame, checksum, sequence number and the digest.",
        discussion: """
        Exit status: 0 the log is sound and closed; 1 it is damaged (the first problem and its
        byte offset are printed); 2 it cannot be read as an Aurora log (empty, another format,
        a newer format version); 3 it ends in a torn tail or was never closed, which
        `aurora recover` (or reopening for append) repairs without losing intact events.
        """)

    @Argument(help: "The log.") var log: String

    func run() throws {
        let r: LogInspection
        // The portfolio is folded along the pass; any other reducer only if the log checkpoints it.
        let reducers = ComponentRegistry.standard.reducers
        var check = CheckpointVerifier.Check(reducers: reducers.filter { $0.name == PortfolioReducer.name })
        do {
            r = try LogInspector.inspect(path: log, observer: &check)
        } catch let error as LogError {
            printError("error: \(error)")
            if case .corrupt = error.problem { throw ExitCode(1) }
            throw ExitCode(2)
        }
        // A torn last frame is not counted: the prefix is what `recover` keeps.
        let counts = "\(grouped(r.eventsRead)) events in \(grouped(r.framesWhole)) frames"
        if let problem = r.problem {
            printError("damaged: \(problem)")
            print("intact before it: \(grouped(r.eventsRead)) events, \(wholeFrames(r))")
            throw ExitCode(1)
        }
        let checkpoints: CheckpointVerifier.Result
        do {
            checkpoints = try CheckpointVerifier.completing(check.result, reducers: reducers) {
                let reader = try LogReader(path: log)
                // A torn last frame was read as far as it goes above; the second pass stops before it.
                if case .torn = r.tail { try reader.restrict(toFrames: r.frameCount - 1) }
                return reader
            }
        } catch let error as LogError {
            printError("damaged: \(error)")
            throw ExitCode(1)
        }
        if let (sequence, reason) = checkpoints.mismatch {
            printError("damaged: \(log): checkpoint at event \(sequence): \(reason)")
            throw ExitCode(1)
        }
        let checked = checkpoints.checked > 0 ? "; \(checkpoints.checked) checkpoints recomputed and matching" : ""
        switch r.tail {
        case .closed:
            print("ok: \(log): \(counts), closed\(checked)")
            if let digest = r.digest { print("digest \(hexString(digest))") }
        case .unclosed where r.frameCount == 0:
            printError("not closed: \(log) holds no event (a session stopped before its first flush); `aurora live --resume --config FILE --out \(log)` starts it afresh, or delete it")
            throw ExitCode(3)
        case .unclosed:
            printError("not closed: \(log): \(counts) intact, but no index at the end (the writer stopped before close); run `aurora recover \(log)`")
            throw ExitCode(3)
        case .torn(let e):
            printError("torn tail: \(e)")
            print("intact prefix: \(counts), ending at byte \(e.offset ?? 0); run `aurora recover \(log)` to cut the tail")
            throw ExitCode(3)
        case .damaged(let e):
            printError("damaged: \(e)")
            throw ExitCode(1)
        }
    }
}

struct Recover: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Cut a torn tail and close the log (rewrites its index); intact events are kept.")

    @Argument(help: "The log.") var log: String

    func run() throws {
        if let reader = try? LogReader(path: log), reader.frames.isEmpty, reader.tail == .unclosed {
            printError("nothing to recover: \(log) holds no event (a session stopped before its first flush); `aurora live --resume --config FILE --out \(log)` starts it afresh, or delete it")
            throw ExitCode(1)
        }
        let (writer, recovery) = try LogWriter.openForAppend(path: log)
        let summary = try writer.close()
        if let torn = recovery.truncatedTail {
            print("cut       \(grouped(recovery.bytesTruncated)) bytes of torn tail at byte \(torn.offset ?? 0)")
        } else if recovery.bytesTruncated > 0 {
            print("replaced  the old index (\(grouped(recovery.bytesTruncated)) bytes)")
        }
        print("closed    \(log): \(grouped(summary.eventCount)) events in \(grouped(summary.frameCount)) frames")
        print("digest    \(summary.digestHex)")
    }
}

/// `aurora info --format json`.
struct InfoReport: Encodable {
    var log: String
    var formatVersion: UInt16
    var engine, source, configSHA256, state: String?
    var seed: UInt64?
    var properties: [String: String]
    var events: UInt64
    var frames: Int
    /// Frames read whole before any damage (all of them in a sound log).
    var framesWhole: Int
    var kinds: [String: Int]
    var unknownKinds: Int
    var symbols: [String]
    var first, last: String?
    var fileSize: Int64
    var digest, problem: String?

    enum CodingKeys: String, CodingKey {
        case log, formatVersion = "format_version", engine, source, configSHA256 = "config_sha256", state, seed, properties, events
        case frames, framesWhole = "frames_whole", kinds, unknownKinds = "unknown_kinds", symbols, first, last, fileSize = "file_size", digest, problem
    }

    init(log: String, _ r: LogInspection) {
        self.log = log
        formatVersion = r.formatVersion
        engine = r.manifest?.engineVersion
        source = r.manifest?.dataSource
        configSHA256 = r.manifest.flatMap { $0.config.isEmpty ? nil : hexString($0.configDigest) }
        seed = r.manifest?.seed
        // Keys are unique in a manifest; a repeated one keeps its last value.
        properties = Dictionary(r.manifest?.properties.map { ($0.key, $0.value) } ?? [], uniquingKeysWith: { _, b in b })
        events = r.eventsRead
        frames = r.frameCount
        framesWhole = r.framesWhole
        kinds = Dictionary(uniqueKeysWithValues: EventKind.allCases.filter { r.countsByKind[Int($0.rawValue)] > 0 }
            .map { ($0.name, r.countsByKind[Int($0.rawValue)]) })
        unknownKinds = r.unknownKinds
        symbols = r.symbols
        first = r.firstTimestamp?.iso8601
        last = r.lastTimestamp?.iso8601
        fileSize = r.fileSize
        state = describe(r.tail)
        digest = r.digest.map(hexString)
        problem = r.problem.map { "\($0)" }
    }
}
