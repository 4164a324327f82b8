import Foundation
import Testing

@Suite("The aurora command line", .serialized)
struct CLITests {
    @Test("import-bars, info, verify and cat on the daily fixture")
    func importInfoVerifyCat() throws {
        let dir = CLI.temporaryDirectory()
        let log = dir + "/daily.alog"
        let imported = try CLI.run(["import-bars", CLI.fixture("bars-daily.csv"), "--out", log])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(CLI.field("bars", in: imported.stdout)?.hasPrefix("3,120 of 12 symbols, timeframe 1d") == true)
        let digest = try #require(CLI.field("digest", in: imported.stdout))
        #expect(digest.count == 64)

        let info = try CLI.run(["info", log])
        #expect(info.status == 0)
        #expect(info.stdout.contains("bar              3,120"))
        #expect(info.stdout.contains("symbol           12"))
        #expect(info.stdout.contains("2020-01-02T21:00:00Z .. "))
        #expect(CLI.field("digest", in: info.stdout) == digest)
        #expect(CLI.field("state", in: info.stdout) == "closed")

        let verify = try CLI.run(["verify", log])
        #expect(verify.status == 0)
        #expect(verify.stdout.contains("digest \(digest)"))

        let csv = try CLI.run(["cat", log, "--kind", "bar", "--symbol", "BRK.B", "--format", "csv"])
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.first == "sequence,timestamp,kind,symbol,timeframe,open,high,low,close,volume")
        #expect(lines.count == 261)
        #expect(lines.dropFirst().allSatisfy { $0.contains(",bar,BRK.B,1d,") })

        let json = try CLI.run(["cat", log, "--limit", "20"])
        let objects = try json.stdout.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(objects.count == 20)
        #expect(objects.first??["kind"] as? String == "manifest")
        #expect(objects.last??["kind"] as? String == "bar")
    }

    @Test("cat --symbol shows exactly the events of the whole stream about those symbols, bars included")
    func catSymbols() throws {
        let golden = CLI.root.appendingPathComponent("replay/golden-momentum.alog").path
        let all = try CLI.run(["cat", golden]).stdout.split(separator: "\n")
        let some = try CLI.run(["cat", golden, "--symbol", "SYN003", "--symbol", "SYN011"]).stdout.split(separator: "\n")
        let expected = all.filter { $0.contains("\"symbol\":\"SYN003\"") || $0.contains("\"symbol\":\"SYN011\"") }
        #expect(some.count > 500 && some.elementsEqual(expected))
        #expect(some.contains { $0.contains("\"kind\":\"bar\"") } && some.contains { $0.contains("\"kind\":\"fill\"") })
    }

    @Test("cat --from seeks and shows the same events as filtering from the start")
    func catFrom() throws {
        let dir = CLI.temporaryDirectory()
        let log = dir + "/daily.alog"
        try CLI.run(["import-bars", CLI.fixture("bars-daily.csv"), "--out", log])
        let seeked = try CLI.run(["cat", log, "--from", "2020-10-01", "--to", "2020-10-31T23:59:59Z", "--format", "csv"])
        let all = try CLI.run(["cat", log, "--format", "csv"])
        let expected = all.stdout.split(separator: "\n").filter { $0.contains(",2020-10-") }
        #expect(seeked.stdout.split(separator: "\n").dropFirst().elementsEqual(expected))
        #expect(expected.count == 22 * 12)
    }

    @Test("the minute fixture with a local time column, bar-end stamps and a session filter")
    func minuteImport() throws {
        let log = CLI.temporaryDirectory() + "/spy.alog"
        let r = try CLI.run(["import-bars", CLI.fixture("bars-1min.csv"), "--time-column", "timestamp_et", "--stamp", "end",
                             "--where", "session=RTH", "--out", log])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("rows not matching --where"))
        #expect(CLI.field("bars", in: r.stdout) == "780 of 1 symbols, timeframe 1m")
        #expect(CLI.field("time", in: r.stdout)?.hasPrefix("2021-03-12T14:31:00Z .. 2021-03-15T20:00:00Z") == true)
    }

    @Test("two processes importing the same CSV write byte-identical logs")
    func twoProcessesIdentical() async throws {
        let dir = CLI.temporaryDirectory()
        async let a = Task { try CLI.run(["import-bars", CLI.fixture("bars-daily.csv"), "--out", dir + "/a.alog"]) }.value
        async let b = Task { try CLI.run(["import-bars", CLI.fixture("bars-daily.csv"), "--out", dir + "/b.alog"]) }.value
        let (ra, rb) = try await (a, b)
        #expect(ra.status == 0 && rb.status == 0)
        let bytesA = try Data(contentsOf: URL(fileURLWithPath: dir + "/a.alog"))
        #expect(bytesA == (try Data(contentsOf: URL(fileURLWithPath: dir + "/b.alog"))))
        #expect(CLI.field("digest", in: ra.stdout) == CLI.field("digest", in: rb.stdout))
    }

    @Test("invalid rows are reported with their lines; --invalid-rows fail stops")
    func invalidRowsReported() throws {
        let dir = CLI.temporaryDirectory()
        let skip = try CLI.run(["import-bars", CLI.fixture("bad/invalid-rows.csv"), "--out", dir + "/a.alog"])
        #expect(skip.status == 0)
        #expect(skip.stdout.contains("skipped   2 invalid rows (1 missing value, 1 low above open or close)"))
        #expect(skip.stdout.contains("line 3: missing value"))
        #expect(skip.stdout.contains("line 4: low above open or close"))
        let fail = try CLI.run(["import-bars", CLI.fixture("bad/invalid-rows.csv"), "--invalid-rows", "fail", "--out", dir + "/b.alog"])
        #expect(fail.status != 0)
        #expect(fail.stderr.contains("invalid-rows.csv:3"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/b.alog"))
    }

    @Test("bad CSV files: non-zero exit and the file, line and problem", arguments: [
        ("empty.csv", "empty.csv:1: empty file"),
        ("missing-column.csv", "missing column for low"),
        ("unparsable-number.csv", "unparsable-number.csv:3 (column close): \"1.5x\" is not a number"),
        ("duplicate-row.csv", "duplicate-row.csv:4 (column date): duplicate time for AAA (also on line 3)"),
        ("time-backwards.csv", "time-backwards.csv:4 (column date): time goes backwards for AAA"),
        ("does-not-exist.csv", "no such file"),
    ])
    func badCSV(name: String, message: String) throws {
        let r = try CLI.run(["import-bars", CLI.fixture("bad/" + name), "--out", CLI.temporaryDirectory() + "/x.alog"])
        #expect(r.status != 0)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test("bad options are refused before any work")
    func badOptions() throws {
        let r = try CLI.run(["import-bars", CLI.fixture("bars-daily.csv"), "--out", "/tmp/x.alog", "--stamp", "middle"])
        #expect(r.status != 0 && r.stderr.contains("--stamp must be start or end"))
        let k = try CLI.run(["cat", "/tmp/x.alog", "--kind", "bars"])
        #expect(k.status != 0 && k.stderr.contains("unknown kind \"bars\""))
        let last = try CLI.run(["research", "models", "/tmp/x.alog", "--last=-1"])   // trapped in suffix(_:) before
        #expect(last.status == 64 && last.stderr.contains("--last must not be negative"), "\(last.status) \(last.stderr)")
        // Times and zones are the options' to get right: named, with the command's usage (exit 1 before).
        for (command, message) in [(["cat", "/tmp/x.alog", "--to", "soon"], "--to: \"soon\" is not a time"),
                                   (["state", "/tmp/x.alog", "--at", "2020-13-01"], "--at: \"2020-13-01\" is not a time (no such date 2020-13-01)"),
                                   (["backtest", "--start", "monday"], "--start: \"monday\" is not a time"),
                                   (["research", "evaluate", "--end", "later"], "--end: \"later\" is not a time"),
                                   (["import-bars", CLI.fixture("bars-daily.csv"), "--out", "/tmp/x.alog", "--tz", "Mars/Olympus"],
                                    "--tz: unknown time zone \"Mars/Olympus\"")] {
            let r = try CLI.run(command)
            #expect(r.status == 64 && r.stderr.contains(message) && r.stderr.contains("Usage: aurora \(command[0])"), "\(command): \(r.stderr)")
        }
    }

    @Test("what a log lacks is a failure of the work (exit 1, the problem, no usage); an option only the work can check is a misuse (exit 64, the command's usage)")
    func workFailures() throws {
        let log = CLI.temporaryDirectory() + "/daily.alog"
        try CLI.run(["import-bars", CLI.fixture("bars-daily.csv"), "--out", log])
        for command in [["cat", log, "--symbol", "NOPE"], ["audit", log, "--symbol", "NOPE"]] {
            let r = try CLI.run(command)
            #expect(r.status == 1, "\(command): \(r.status)")
            #expect(r.stderr.contains("the log has no symbol \"NOPE\"") && !r.stderr.contains("Usage:"), "\(r.stderr)")
        }
        let report = try CLI.run(["report", log, "--out", CLI.temporaryDirectory() + "/no/such/folder/r.html"])
        #expect(report.status == 1 && report.stderr.contains("cannot write here") && !report.stderr.contains("Usage:"), "\(report.stderr)")
        // An option only the work can check is still the option's fault: exit 64, the command's own usage.
        let benchmark = try CLI.run(["report", log, "--benchmark", "NOPE", "--out", CLI.temporaryDirectory() + "/r.html"])
        #expect(benchmark.status == 64 && benchmark.stderr.contains("--benchmark NOPE: neither a file nor a symbol"), "\(benchmark.stderr)")
        #expect(benchmark.stderr.contains("Usage: aurora report ") && benchmark.stderr.contains("See 'aurora report --help'")
                && !benchmark.stderr.contains("Usage: aurora <subcommand>"), "\(benchmark.stderr)")
    }

    @Test("verify's exit status: 0 sound, 1 damaged, 2 not a log, 3 torn tail; recover repairs a torn tail")
    func verifyAndRecover() throws {
        let dir = CLI.temporaryDirectory()
        let log = dir + "/daily.alog"
        try CLI.run(["import-bars", CLI.fixture("bars-daily.csv"), "--out", log])
        let whole = try Data(contentsOf: URL(fileURLWithPath: log))

        let torn = dir + "/torn.alog"
        try whole.prefix(whole.count - 100).write(to: URL(fileURLWithPath: torn))
        let t = try CLI.run(["verify", torn])
        #expect(t.status == 3)
        #expect(t.stderr.contains("torn tail"))
        let cat = try CLI.run(["cat", torn, "--kind", "bar", "--format", "csv"])
        #expect(cat.status == 0 && cat.stderr.contains("torn tail"))
        let recovered = try CLI.run(["recover", torn])
        #expect(recovered.status == 0, "\(recovered.stderr)")
        #expect(try CLI.run(["verify", torn]).status == 0)

        var flipped = whole
        flipped[flipped.count / 2] ^= 0x40
        try flipped.write(to: URL(fileURLWithPath: dir + "/flipped.alog"))
        let f = try CLI.run(["verify", dir + "/flipped.alog"])
        #expect(f.status == 1)
        #expect(f.stderr.contains("at byte"))

        try Data("date,open\n".utf8).write(to: URL(fileURLWithPath: dir + "/text.alog"))
        let n = try CLI.run(["verify", dir + "/text.alog"])
        #expect(n.status == 2 && n.stderr.contains("not an Aurora log"))
        _ = FileManager.default.createFile(atPath: dir + "/empty.alog", contents: Data())
        let e = try CLI.run(["info", dir + "/empty.alog"])
        #expect(e.status != 0 && e.stderr.contains("empty file"))
        #expect(try CLI.run(["verify", dir + "/none.alog"]).status == 2)

        // A log from a newer aurora: format version 9 in the file header, CRC kept valid.
        var newer = [UInt8](whole)
        newer[16] = 9
        let crc = crc32(Array(newer[8..<20]))
        newer.replaceSubrange(20..<24, with: withUnsafeBytes(of: crc.littleEndian, Array.init))
        try Data(newer).write(to: URL(fileURLWithPath: dir + "/newer.alog"))
        let v = try CLI.run(["info", dir + "/newer.alog"])
        #expect(v.status != 0)
        #expect(v.stderr.contains("newer.alog: at byte 16: log format version 9 is newer than this aurora reads (up to 1)"), "\(v.stderr)")
    }

    /// CRC-32 (IEEE), as the file header uses.
    private func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 != 0 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }

    @Test("zstd -dc accepts an Aurora log", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/zstd"), "zstd CLI not installed"))
    func zstdDecompresses() throws {
        let log = CLI.temporaryDirectory() + "/daily.alog"
        try CLI.run(["import-bars", CLI.fixture("bars-daily.csv"), "--out", log])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/zstd")
        process.arguments = ["-dc", log]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
