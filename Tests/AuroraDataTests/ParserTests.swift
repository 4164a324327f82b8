import Testing
@testable import AuroraData
@testable import AuroraKernel
@testable import AuroraStats
import AuroraModel

@Suite("Number and time parsing")
struct ParserTests {
    func decimal(_ text: String, _ decimals: Int = 9) -> Int64? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { try? DecimalParser.parse(UnsafeRawBufferPointer($0), decimals: decimals) }
    }

    @Test("decimals become exact fixed point")
    func decimals() {
        #expect(decimal("15.07") == 15_070_000_000)
        #expect(decimal("-0.5") == -500_000_000)
        #expect(decimal(" 3 ") == 3_000_000_000)
        #expect(decimal("1.5e3", 6) == 1_500_000_000)
        #expect(decimal("2E-2") == 20_000_000)
        #expect(decimal("0.1234567895") == 123_456_790)   // rounds half away from zero at 9 places
        #expect(decimal("123.", 0) == 123)
        #expect(decimal("abc") == nil)
        #expect(decimal("1.2.3") == nil)
        #expect(decimal("") == nil)
        #expect(decimal("99999999999") == nil)            // 1e11 at scale 1e-9 overflows Int64
        #expect(decimal("9223372036.854775807") == Int64.max)
    }

    func time(_ text: String, zone: String = "America/New_York") -> String? {
        guard var parser = try? TimeParser(timeZone: zone, epochUnit: .seconds, sessionCloseMinutes: 960) else { return nil }
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { b in
            (try? parser.parse(UnsafeRawBufferPointer(b))).map { Timestamp(rawValue: $0.nanoseconds).iso8601 }
        }
    }

    @Test("times with zones, offsets, fractions and epochs")
    func times() {
        #expect(time("2013-02-08") == "2013-02-08T21:00:00Z")
        #expect(time("2013-07-08") == "2013-07-08T20:00:00Z")
        #expect(time("2011-01-03 09:31:00") == "2011-01-03T14:31:00Z")
        #expect(time("2011-01-03T09:31") == "2011-01-03T14:31:00Z")
        #expect(time("2011-01-03T14:31:00Z") == "2011-01-03T14:31:00Z")
        #expect(time("2011-01-03T09:31:00.25-05:00") == "2011-01-03T14:31:00.25Z")
        #expect(time("2011-01-03T15:31:00+0100") == "2011-01-03T14:31:00Z")
        #expect(time("1294065060") == "2011-01-03T14:31:00Z")
        #expect(time("2021-03-14 03:30:00") == "2021-03-14T07:30:00Z")
        #expect(time("2020-02-30") == nil)
        #expect(time("2020-01-02 25:00") == nil)
        #expect(time("yesterday") == nil)
        #expect(time("2011-01-03T09:31:00 UTC") == nil)
    }

    @Test("command-line times")
    func commandLine() throws {
        #expect(try TimeText.parse("2016-12-28").iso8601 == "2016-12-28T00:00:00Z")
        #expect(try TimeText.parse("2016-12-28", timeZone: "America/New_York").iso8601 == "2016-12-28T05:00:00Z")
        #expect(throws: BarCSVError.self) { try TimeText.parse("soon") }
    }
}
