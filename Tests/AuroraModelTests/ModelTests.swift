import Testing
import AuroraModel

@Suite("Model values")
struct ModelTests {
    @Test("fixed point prints exactly")
    func fixedPoint() {
        #expect(Price(rawValue: 15_070_000_000).description == "15.07")
        #expect(Price(rawValue: -3_000_000_000).description == "-3")
        #expect(Price(rawValue: 1).description == "0.000000001")
        #expect(Quantity(rawValue: 1_500_000).description == "1.5")
        #expect(Price(rawValue: Int64.min).description == "-9223372036.854775808")
        #expect(Price(180.25)?.rawValue == 180_250_000_000)
        #expect(Price(.nan) == nil && Price(1e300) == nil)
    }

    /// Every event is passed, copied and stored by value, so its payload's size is paid on every
    /// one; the largest case sets it (`PriceUpdate`, 97 bytes: six optional prices and sizes at 16
    /// bytes apiece). A 57-byte layout (those as raw values with presence bits, the manifest boxed)
    /// was measured and cost the top-10 backtest 1.5–7% more CPU, so this only keeps it from growing.
    @Test("event values do not grow")
    func eventLayout() {
        #expect(MemoryLayout<EventPayload>.stride <= 104)
        #expect(MemoryLayout<Event>.stride <= 120)
        // Bars, the most frequent payload, are inline, never boxed.
        #expect(MemoryLayout<Bar>.size == 56)
    }

    @Test("timeframes parse and print")
    func timeframes() {
        #expect(Timeframe(text: "1d") == .day)
        #expect(Timeframe(text: "5m")?.description == "5m")
        #expect(Timeframe(text: "1min") == .minute)
        #expect(Timeframe(text: "90s")?.description == "90s")
        #expect(Timeframe(text: "250ms")?.rawValue == 250_000_000)
        #expect(Timeframe(text: "0m") == nil && Timeframe(text: "m") == nil && Timeframe(text: "3w") == nil)
        #expect(Timeframe(text: "999999999999d") == nil)
    }

    @Test("timestamps print as ISO 8601 UTC")
    func iso8601() {
        #expect(Timestamp(rawValue: 0).iso8601 == "1970-01-01T00:00:00Z")
        #expect(Timestamp(rawValue: -1).iso8601 == "1969-12-31T23:59:59.999999999Z")
        #expect(Timestamp(rawValue: 1_360_357_200_000_000_000).iso8601 == "2013-02-08T21:00:00Z")
        #expect(Timestamp(rawValue: 951_782_400_000_000_000).iso8601 == "2000-02-29T00:00:00Z")
    }

    @Test("kinds have stable codes and names")
    func kinds() {
        #expect(EventKind.allCases.map(\.rawValue) == Array(1...25))
        #expect(EventKind.extension.name == "extension" && !EventKind.extension.isInput)
        for kind in EventKind.allCases { #expect(EventKind(name: kind.name) == kind) }
        #expect(EventKind.bar.isInput && !EventKind.signal.isInput)
        #expect(EventKind.connection.isInput && EventKind.inputNotice.isInput)
        #expect(EventKind.connection.name == "connection" && EventKind.inputNotice.name == "input_notice")
    }
}
