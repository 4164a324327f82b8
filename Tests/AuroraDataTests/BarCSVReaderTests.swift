import Foundation
import Testing
import AuroraTestSupport
@testable import AuroraData
@testable import AuroraKernel
@testable import AuroraStats
import AuroraLog
import AuroraModel

@Suite("Reading bar CSV files")
struct BarCSVReaderTests {
    func read(_ text: String, _ options: BarCSVOptions = BarCSVOptions()) throws -> (BarTable, BarCSVReport) {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { try BarCSVReader.read(bytes: $0, path: "test.csv", options: options) }
    }

    func error(_ text: String, _ options: BarCSVOptions = BarCSVOptions()) -> BarCSVError? {
        do {
            _ = try read(text, options)
            return nil
        } catch let e as BarCSVError {
            return e
        } catch {
            return nil
        }
    }

    @Test("the daily fixture: symbols, bars, and bar ends at 16:00 New York time")
    func dailyFixture() throws {
        let (table, report) = try BarCSVReader.read(path: Paths.fixture("bars-daily.csv"), options: BarCSVOptions())
        #expect(report.dataRows == 3_120 && table.count == 3_120 && report.invalidTotal == 0)
        #expect(table.symbols.count == 12 && table.symbols.contains("BRK.B"))
        #expect(table.timeframe == .day)
        #expect(Timestamp(rawValue: table.end[0]).iso8601 == "2020-01-02T21:00:00Z")   // EST
        let june = table.end.firstIndex { Timestamp(rawValue: $0).iso8601.hasPrefix("2020-06-01") }
        #expect(june.map { Timestamp(rawValue: table.end[$0]).iso8601 } == "2020-06-01T20:00:00Z")   // EDT
        #expect(table.close[0] == 20_100_000_000)
    }

    @Test("the minute fixture: local bar-end stamps across a DST switch, RTH filter")
    func minuteFixture() throws {
        var options = BarCSVOptions(timeColumn: "timestamp_et", stamp: .end)
        options.filters = [RowFilter(column: "session", value: "RTH")]
        let (table, report) = try BarCSVReader.read(path: Paths.fixture("bars-1min.csv"), options: options)
        #expect(table.count == 780)
        #expect(report.filteredOut == report.dataRows - 780)
        #expect(table.timeframe == .minute)
        #expect(table.symbols == ["SPY"])
        let times = table.end.map { Timestamp(rawValue: $0).iso8601 }
        #expect(times.first == "2021-03-12T14:31:00Z")
        #expect(times.contains("2021-03-15T13:31:00Z"))
        #expect(times.last == "2021-03-15T20:00:00Z")
    }

    @Test("start stamps move to the bar end by one timeframe")
    func startStamps() throws {
        let csv = "timestamp,symbol,open,high,low,close,volume\n2021-01-04T14:30:00Z,X,1,2,0.5,1.5,10\n2021-01-04T14:31:00Z,X,1,2,0.5,1.5,10\n"
        let (table, _) = try read(csv, BarCSVOptions(stamp: .start))
        #expect(table.timeframe == .minute)
        #expect(Timestamp(rawValue: table.end[0]).iso8601 == "2021-01-04T14:31:00Z")
        let (ends, _) = try read(csv, BarCSVOptions(stamp: .end, timeframe: .seconds(30)))
        #expect(Timestamp(rawValue: ends.end[0]).iso8601 == "2021-01-04T14:30:00Z")
        #expect(ends.timeframe == .seconds(30))
    }

    @Test("custom column names, a fixed symbol, quotes, CRLF, a byte-order mark")
    func layouts() throws {
        let csv = "\u{FEFF}When;O;H;L;C;Qty\r\n\"2020-01-02\";1.5;2;1;1.75;\"1,000\"\r\n"
        let options = BarCSVOptions(timeColumn: "When", openColumn: "O", highColumn: "H", lowColumn: "L", closeColumn: "C",
                                    volumeColumn: "Qty", symbol: "ONLY", delimiter: UInt8(ascii: ";"))
        #expect(error(csv, options)?.message.contains("is not a number") == true)   // "1,000" is text, not a number
        let ok = "\u{FEFF}When;O;H;L;C;Qty;Name\r\n\"2020-01-02\";1.5;2;1;1.75;1000;\"A \"\"quoted\"\" name\"\r\n"
        var named = options
        named.symbol = nil
        let (table, _) = try read(ok, named)
        #expect(table.symbols == ["A \"quoted\" name"])
        #expect(table.volume == [1_000_000_000])
    }

    @Test("rows with empty or contradictory values are skipped and reported, or fail the import")
    func invalidRows() throws {
        let csv = try String(contentsOfFile: Paths.fixture("bad/invalid-rows.csv"), encoding: .utf8)
        let (table, report) = try read(csv)
        #expect(table.count == 3)
        #expect(report.count(.missingValue) == 1 && report.count(.lowAboveOpenOrClose) == 1)
        #expect(report.examples.map(\.line) == [3, 4])
        #expect(report.zeroVolume == 1)
        let failure = error(csv, BarCSVOptions(invalidRows: .fail))
        #expect(failure?.line == 3)
        #expect(failure?.message.contains("missing value") == true)
    }

    @Test("bad files stop with the line, column and what was expected", arguments: [
        ("empty.csv", 1, "empty file"),
        ("missing-column.csv", 1, "missing column for low"),
        ("unparsable-number.csv", 3, "\"1.5x\" is not a number"),
        ("duplicate-row.csv", 4, "duplicate time for AAA (also on line 3)"),
        ("time-backwards.csv", 4, "time goes backwards for AAA"),
        ("short-row.csv", 2, "expected 7 fields"),
        ("bad-date.csv", 2, "no such date"),
    ] as [(String, Int?, String)])
    func badFiles(name: String, line: Int?, message: String) throws {
        do {
            _ = try BarCSVReader.read(path: Paths.fixture("bad/" + name), options: BarCSVOptions())
            Issue.record("\(name) was accepted")
        } catch let e as BarCSVError {
            #expect(e.line == line, "\(e)")
            #expect(e.message.contains(message), "\(e)")
            #expect(e.path.hasSuffix(name))
        }
    }

    @Test("other problems name what is wrong")
    func otherProblems() {
        #expect(error("date,open,high,low,close,volume\n2020-01-02,1,2,0.5,1.5,1\n")?.message.contains("--symbol") == true)
        #expect(error("date,open,high,low,close,volume,Name\n2020-01-02,1,2,0.5,1.5,1,A\n", BarCSVOptions(timeZone: "Mars/Base"))?
            .message.contains("unknown time zone") == true)
        #expect(error("date,open,high,low,close,volume,Name\n2020-01-02,1,2,0.5,1.5,1,A\n", BarCSVOptions(timeColumn: "when"))?
            .message.contains("no column named \"when\"") == true)
        #expect(error("t,open,high,low,close,volume,Name\n1,1,2,0.5,1.5,1,A\n")?.message.contains("missing column for time") == true)
        #expect(error("timestamp,open,high,low,close,volume,Name\n2020-01-02 10:00,1,2,0.5,1.5,1,A\n")?
            .message.contains("cannot infer the bar length") == true)
        #expect(error("date,open,high,low,close,volume,Name\n2020-01-02,1,2,0.5,1.5,1,A\n2020-01-03 10:00,1,2,0.5,1.5,1,A\n")?
            .message.contains("mixes") == true)
        #expect(BarCSVReader.readFile("/nonexistent.csv")?.message == "no such file")
    }

    @Test("importing the same CSV twice gives byte-identical logs")
    func importIsDeterministic() throws {
        let a = Paths.temporary("a.alog"), b = Paths.temporary("b.alog")
        for path in [a, b] {
            let (table, report) = try BarCSVReader.read(path: Paths.fixture("bars-daily.csv"), options: BarCSVOptions())
            _ = try BarImporter.write(table, report: report, sourceName: "bars-daily.csv", options: BarCSVOptions(), to: path)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: b)))
        let reader = try LogReader(path: a)
        #expect(reader.symbols == reader.symbols.sorted())
        var last = (Int64.min, UInt32(0))
        let cursor = reader.events()
        while let e = try cursor.next() {
            guard case .bar(let bar) = e.payload else { continue }
            #expect((e.timestamp.rawValue, bar.symbol.rawValue) > last)
            last = (e.timestamp.rawValue, bar.symbol.rawValue)
        }
    }

    @Test("an .alog source with a date range reads only the frames it needs and gives the bars selecting would")
    func logRange() throws {
        let path = try Self.framedDailyLog("framed.alog")
        let frames = try LogReader(path: path).frames
        #expect(frames.count > 5)
        let (whole, _) = try LogDataSource(path: path).load()
        let from = Timestamp(rawValue: frames[frames.count / 3].firstTimestamp + 1)
        let to = Timestamp(rawValue: frames[2 * frames.count / 3].lastTimestamp)
        let expected = try whole.selecting(symbols: nil, from: from, to: to)
        let (ranged, _) = try LogDataSource(path: path, from: from, to: to).load()
        #expect(ranged.count == expected.count && ranged.count > 0 && ranged.count < whole.count)
        #expect(ranged.end == expected.end && ranged.symbol == expected.symbol && ranged.close == expected.close && ranged.symbols == expected.symbols)
        let after = Timestamp(rawValue: frames[frames.count - 1].lastTimestamp + 1)
        #expect(throws: DataError.self) { try LogDataSource(path: path, from: after, to: nil).load() }
    }
}

extension BarCSVReaderTests {
    /// The daily fixture imported into a log of many small frames (40 events each).
    static func framedDailyLog(_ name: String) throws -> String {
        let path = Paths.temporary(name)
        let (table, report) = try BarCSVReader.read(path: Paths.fixture("bars-daily.csv"), options: BarCSVOptions())
        _ = try BarImporter.write(table, report: report, sourceName: "bars-daily.csv", options: BarCSVOptions(), to: path,
                                  writerOptions: LogWriterOptions(flush: FlushPolicy(maxEvents: 40)))
        return path
    }

    @Test("an .alog source for some symbols reads only their bars and gives the bars selecting would; unknown names are named")
    func logSymbols() throws {
        let path = try Self.framedDailyLog("symbols.alog")
        let (whole, _) = try LogDataSource(path: path).load()
        #expect(whole.symbols.count >= 3)
        let frames = try LogReader(path: path).frames
        for (names, from, to) in [([whole.symbols[1]], nil, nil), ([whole.symbols[2], whole.symbols[0]], nil, nil),
                                  ([whole.symbols[0]], Timestamp(rawValue: frames[1].lastTimestamp), nil as Timestamp?)] {
            let (some, _) = try LogDataSource(path: path, from: from, to: to, symbols: names).load()
            // Every symbol still listed; only the named ones' bars read.
            #expect(some.symbols == whole.symbols)
            #expect(Set(some.symbol.map { whole.symbols[Int($0)] }) == Set(names))
            let expected = try whole.selecting(symbols: names, from: from, to: to)
            let got = try some.selecting(symbols: names, from: from, to: to)
            #expect(got.count == expected.count && got.count > 0)
            #expect(got.end == expected.end && got.symbol == expected.symbol && got.open == expected.open && got.high == expected.high
                    && got.low == expected.low && got.close == expected.close && got.volume == expected.volume && got.symbols == expected.symbols)
        }
        let unknown = #expect(throws: DataError.self) { try LogDataSource(path: path, symbols: ["NOPE"]).load() }
        #expect(unknown?.description.contains("unknown symbol \"NOPE\"") == true)
        let after = Timestamp(rawValue: frames[frames.count - 1].lastTimestamp + 1)
        let none = #expect(throws: DataError.self) { try LogDataSource(path: path, from: after, symbols: [whole.symbols[0]]).load() }
        #expect(none?.description.contains("holds no bars of \(whole.symbols[0])") == true)
    }
}

extension BarCSVReader {
    static func readFile(_ path: String) -> BarCSVError? {
        do { _ = try read(path: path, options: BarCSVOptions()); return nil } catch { return error as? BarCSVError }
    }
}

@Suite("Real data", .enabled(if: Paths.hasSharedData, "../shared/data is absent: real-data import tests skipped"))
struct RealDataTests {
    @Test("the S&P file: 499 symbols, the 22 bad rows reported by reason, every other bar kept")
    func sp500() throws {
        let (table, report) = try BarCSVReader.read(path: Paths.shared("sp500-daily-2013-2016.csv"), options: BarCSVOptions())
        #expect(report.dataRows == 479_878)
        #expect(table.count == 479_856)
        #expect(table.symbols.count == 499)
        #expect(report.count(.missingValue) == 10)
        #expect(report.count(.lowAboveOpenOrClose) == 11)
        #expect(report.count(.highBelowOpenOrClose) == 1)
        #expect(report.zeroVolume == 0)   // its four volume-0 rows also lack prices: skipped
        let path = Paths.temporary("sp.alog")
        let summary = try BarImporter.write(table, report: report, sourceName: "sp500.csv", options: BarCSVOptions(), to: path)
        #expect(Double(summary.fileSize) / Double(table.count) <= 12)
    }

    @Test("the SPY minute file: UTC bar-end stamps, regular session only")
    func spyMinutes() throws {
        var options = BarCSVOptions(stamp: .end)
        options.filters = [RowFilter(column: "session", value: "RTH")]
        let (table, _) = try BarCSVReader.read(path: Paths.shared("spy-1min-2011-01.csv"), options: options)
        #expect(table.count == 7_800)
        #expect(table.timeframe == .minute)
        #expect(Timestamp(rawValue: table.end[0]).iso8601 == "2011-01-03T14:31:00Z")
        var local = BarCSVOptions(timeColumn: "timestamp_et", stamp: .end)
        local.filters = options.filters
        let (same, _) = try BarCSVReader.read(path: Paths.shared("spy-1min-2011-01.csv"), options: local)
        #expect(same.end == table.end)
    }
}
