import Foundation
import Testing
@testable import AuroraLog
import AuroraModel

@Suite("Torn tails, damage and recovery")
struct CrashTests {
    @Test("a log cut at every byte inside its last two frames: torn tail reported, intact prefix read, append continues")
    func cutAtEveryOffset() throws {
        let dir = temporaryDirectory()
        let original = dir + "/whole.alog"
        let events = try writeSampleLog(original, count: 120, eventsPerFrame: 20)
        let whole = try Data(contentsOf: URL(fileURLWithPath: original))
        let frames = try LogReader(path: original).frames
        #expect(frames.count == 7)
        let cutFrom = Int(frames[frames.count - 2].offset)
        let path = dir + "/cut.alog"
        for cut in cutFrom..<whole.count {
            try whole.prefix(cut).write(to: URL(fileURLWithPath: path))
            let intactFrames = frames.filter { $0.endOffset <= Int64(cut) }
            let intactEvents = intactFrames.reduce(0) { $0 + Int($1.eventCount) }
            let boundary = intactFrames.last?.endOffset ?? 0

            let reader = try LogReader(path: path)
            if Int64(cut) == boundary {
                #expect(reader.tail == .unclosed, "cut at \(cut)")
            } else {
                guard case .torn(let e) = reader.tail else {
                    Issue.record("cut at \(cut): expected a torn tail, got \(reader.tail)"); continue
                }
                #expect(e.offset == boundary, "cut at \(cut)")
            }
            let read = try readAll(path)
            #expect(read.count == intactEvents, "cut at \(cut)")
            #expect(zip(read, events).allSatisfy(bitIdentical))

            let inspection = try LogInspector.inspect(path: path)
            #expect(inspection.problem == nil && !inspection.isSound, "cut at \(cut)")

            let (writer, recovery) = try LogWriter.openForAppend(path: path)
            #expect(recovery.nextSequence == UInt64(intactEvents))
            try writer.append(.sessionStart(SessionStart(mode: .live, sessionID: "resumed")), at: events[intactEvents - 1].timestamp)
            try writer.close()
            let after = try LogInspector.inspect(path: path)
            #expect(after.isSound, "cut at \(cut): \(String(describing: after.problem))")
            #expect(after.eventsRead == UInt64(intactEvents + 1))
        }
    }

    @Test("a flipped byte anywhere in a closed log is detected")
    func flippedByteDetected() throws {
        let dir = temporaryDirectory()
        let original = dir + "/whole.alog"
        try writeSampleLog(original, count: 60, eventsPerFrame: 20)
        let whole = [UInt8](try Data(contentsOf: URL(fileURLWithPath: original)))
        let path = dir + "/flipped.alog"
        var undetected: [Int] = []
        for offset in 0..<whole.count {
            var bytes = whole
            bytes[offset] ^= 0x5A
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let sound = (try? LogInspector.inspect(path: path))?.isSound ?? false
            if sound { undetected.append(offset) }
        }
        #expect(undetected.isEmpty, "undetected flips at \(undetected.prefix(20)) of \(whole.count) bytes")
    }

    @Test("reopening a log damaged in the middle refuses to append")
    func damagedMiddleRefusesAppend() throws {
        let dir = temporaryDirectory()
        let path = dir + "/a.alog"
        try writeSampleLog(path, count: 100, eventsPerFrame: 20)
        let frames = try LogReader(path: path).frames
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[Int(frames[1].offset) + 2] ^= 0xFF  // the magic of frame 1's header
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let reader = try LogReader(path: path)
        guard case .damaged(let e) = reader.tail else { Issue.record("expected damage, got \(reader.tail)"); return }
        #expect(e.offset == frames[1].offset)
        #expect(throws: LogError.self) { try LogWriter.openForAppend(path: path) }
    }
}

@Suite("Files that are not sound logs")
struct BadLogFileTests {
    func problem(_ bytes: [UInt8]) -> LogError? {
        let path = temporaryDirectory() + "/x.alog"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        do {
            _ = try LogReader(path: path)
            return nil
        } catch let e as LogError {
            return e
        } catch {
            return nil
        }
    }

    @Test("empty file") func empty() { #expect(problem([])?.problem == .emptyFile) }

    @Test("a text file") func text() {
        guard case .notAnAuroraLog? = problem(Array("date,open\n1,2\n".utf8))?.problem else { Issue.record("accepted"); return }
    }

    @Test("a plain zstd file") func plainZstd() {
        let p = problem([0x28, 0xB5, 0x2F, 0xFD, 0x20, 0x00, 0x01, 0x00, 0x00])
        guard case .notAnAuroraLog(let why)? = p?.problem else { Issue.record("accepted"); return }
        #expect(why.contains("zstd"))
    }

    @Test("a newer format version") func newerVersion() throws {
        let dir = temporaryDirectory()
        try writeSampleLog(dir + "/a.alog", count: 10)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/a.alog")))
        bytes[16] = 9  // version field of the file header
        let header = ByteBuffer()
        header.append(Array(bytes[8..<20]))
        header.appendCRC(since: 0)
        bytes.replaceSubrange(20..<24, with: Array(header.bytes[12..<16]))
        #expect(problem(bytes)?.problem == .newerFormat(found: 9, supported: 1))
    }

    @Test("a missing file names the path") func missing() {
        #expect(throws: LogError.self) { try LogReader(path: "/nonexistent/run.alog") }
    }
}

@Suite("Tails whole in size but bad in content")
struct ZeroFilledTailTests {
    @Test("an unclosed log whose last frame was zero-filled is recovered as a torn tail")
    func zeroFilledLastFrame() throws {
        let dir = temporaryDirectory()
        let path = dir + "/a.alog"
        let w = try LogWriter.create(path: path, manifest: Manifest(formatVersion: 1, engineVersion: "t"), timestamp: Timestamp(rawValue: 0),
                                     options: LogWriterOptions(flush: FlushPolicy(maxEvents: 10)))
        for i in 1...29 { try w.append(.timer(TimerFired(timerID: UInt64(i), purpose: "tick")), at: Timestamp(rawValue: Int64(i))) }
        let frames = try LogReader(path: path).frames
        #expect(frames.count == 3)
        // As after a power loss: the last frame's data pages never reached the disk.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        for i in Int(frames[2].dataOffset + 4)..<bytes.count { bytes[i] = 0 }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        withExtendedLifetime(w) {}

        let inspection = try LogInspector.inspect(path: path)
        guard case .torn(let e) = inspection.tail else { Issue.record("expected a torn tail, got \(inspection.tail)"); return }
        #expect(e.offset == frames[2].offset)
        #expect(inspection.problem == nil)

        let (writer, recovery) = try LogWriter.openForAppend(path: path)
        #expect(recovery.nextSequence == 20)
        #expect(recovery.truncatedTail?.offset == frames[2].offset)
        try writer.close()
        let after = try LogInspector.inspect(path: path)
        #expect(after.isSound && after.eventsRead == 20)
    }
}
