import Foundation
import AuroraTestSupport
@testable import AuroraLog
import AuroraModel

typealias SeededRandom = SeededGenerator

/// Random values that lean on the edges: extreme integers, NaN payloads, infinities, −0.0,
/// round decimals (the codec's fast path), long and non-ASCII strings.
struct EventGenerator {
    var rng: SeededRandom
    let symbolCount: Int

    init(seed: UInt64, symbolCount: Int) {
        rng = SeededRandom(seed: seed)
        self.symbolCount = symbolCount
    }

    mutating func int64() -> Int64 {
        switch Int.random(in: 0..<8, using: &rng) {
        case 0: return [Int64.min, Int64.max, 0, -1, 1, Int64.min + 1, Int64.max - 1].randomElement(using: &rng)!
        case 1: return Int64.random(in: -1_000...1_000, using: &rng)
        case 2, 3: return Int64.random(in: 1...100_000, using: &rng) * 10_000_000  // cents at scale 1e-9
        case 4: return Int64.random(in: -1_000_000_000...1_000_000_000, using: &rng) * Int64.random(in: 1...1_000, using: &rng)
        default: return Int64(bitPattern: rng.next())
        }
    }

    mutating func uint64() -> UInt64 {
        Bool.random(using: &rng) ? [0, 1, UInt64.max, UInt64(Int64.max)].randomElement(using: &rng)! : rng.next() >> UInt64.random(in: 0..<64, using: &rng)
    }

    mutating func double() -> Double {
        switch Int.random(in: 0..<6, using: &rng) {
        case 0:
            return [Double.nan, -Double.nan, Double.signalingNaN, Double(nan: 0x1234, signaling: false),
                    .infinity, -.infinity, 0.0, -0.0, .leastNonzeroMagnitude, -.greatestFiniteMagnitude,
                    .ulpOfOne].randomElement(using: &rng)!
        case 1: return Double(bitPattern: rng.next())
        default: return Double.random(in: -10...10, using: &rng)
        }
    }

    mutating func string() -> String {
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: return ""
        case 1: return String(repeating: "LONG_SYMBOL_NAME.", count: Int.random(in: 10...600, using: &rng))
        case 2: return "Ünïcødé ✓ 株式 \u{1F4C8}"
        case 3: return "quote\"comma,newline\n"
        default: return ["momentum_20d", "mean_reversion", "cutoff_time_reached", "BRK.B"].randomElement(using: &rng)!
        }
    }

    mutating func symbol() -> SymbolID { SymbolID(Int.random(in: 0..<symbolCount, using: &rng)) }
    mutating func price() -> Price { Price(rawValue: int64()) }
    mutating func quantity() -> Quantity { Quantity(rawValue: int64()) }
    mutating func maybePrice() -> Price? { Bool.random(using: &rng) ? price() : nil }
    mutating func maybeQuantity() -> Quantity? { Bool.random(using: &rng) ? quantity() : nil }
    mutating func time() -> Timestamp { Timestamp(rawValue: int64()) }
    mutating func bytes() -> [UInt8] { (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) } }
    mutating func pick<T: CaseIterable>(_: T.Type) -> T { T.allCases.randomElement(using: &rng)! }
    mutating func i32() -> Int32 { Int32(truncatingIfNeeded: int64()) }
    mutating func u32() -> UInt32 { UInt32(truncatingIfNeeded: uint64()) }

    /// A random payload of `kind` (manifest and symbol definitions included).
    mutating func payload(_ kind: EventKind) -> EventPayload {
        switch kind {
        case .manifest:
            return .manifest(Manifest(formatVersion: 1, engineVersion: string(), config: string(), configDigest: bytes(),
                                      dataSource: string(), seed: uint64(),
                                      properties: (0..<Int.random(in: 0...3, using: &rng)).map { _ in KeyValue(string(), string()) }))
        case .symbolDefinition: return .symbolDefinition(SymbolDefinition(symbol: symbol(), name: string()))
        case .bar:
            return .bar(Bar(symbol: symbol(), timeframe: Timeframe(rawValue: int64()), open: price(), high: price(),
                            low: price(), close: price(), volume: quantity()))
        case .priceUpdate:
            return .priceUpdate(PriceUpdate(symbol: symbol(), kind: pick(PriceUpdateKind.self), price: maybePrice(),
                                            size: maybeQuantity(), bid: maybePrice(), bidSize: maybeQuantity(),
                                            ask: maybePrice(), askSize: maybeQuantity()))
        case .timer: return .timer(TimerFired(timerID: uint64(), purpose: string()))
        case .alphaValue: return .alphaValue(AlphaValue(alpha: string(), symbol: symbol(), value: double()))
        case .signal:
            return .signal(Signal(symbol: symbol(), direction: pick(SignalDirection.self), score: double(), rank: i32(),
                                  contributions: (0..<Int.random(in: 0...4, using: &rng)).map { _ in AlphaContribution(alpha: string(), value: double()) },
                                  expectedReturn: Bool.random(using: &rng) ? double() : nil, confidence: Bool.random(using: &rng) ? double() : nil))
        case .targetPosition: return .targetPosition(TargetPosition(symbol: symbol(), quantity: quantity(), weight: double()))
        case .plannedTrade:
            return .plannedTrade(PlannedTrade(planID: uint64(), tradeID: uint64(), symbol: symbol(), side: pick(Side.self),
                                              quantity: quantity(), priority: i32(), limitPrice: maybePrice()))
        case .orderSlice:
            return .orderSlice(OrderSlice(tradeID: uint64(), sliceIndex: u32(), orderID: uint64(), symbol: symbol(),
                                          scheduledTime: time(), quantity: quantity()))
        case .orderSubmitted:
            return .orderSubmitted(OrderSubmitted(orderID: uint64(), tradeID: uint64(), symbol: symbol(), side: pick(Side.self),
                                                  type: pick(OrderType.self), quantity: quantity(), limitPrice: maybePrice()))
        case .orderAccepted: return .orderAccepted(OrderAccepted(orderID: uint64(), brokerOrderID: string()))
        case .orderRejected: return .orderRejected(OrderRejected(orderID: uint64(), reason: string()))
        case .orderCancelled: return .orderCancelled(OrderCancelled(orderID: uint64(), reason: string()))
        case .fill:
            return .fill(Fill(orderID: uint64(), symbol: symbol(), side: pick(Side.self), quantity: quantity(), price: price(),
                              fees: price(), liquidity: pick(Liquidity.self)))
        case .escalation:
            return .escalation(Escalation(tradeID: uint64(), orderID: uint64(), symbol: symbol(), side: pick(Side.self),
                                          quantity: quantity(), reason: string()))
        case .rateLimitWait: return .rateLimitWait(RateLimitWait(orderID: uint64(), until: time(), queueDepth: u32()))
        case .sessionStart: return .sessionStart(SessionStart(mode: pick(SessionMode.self), sessionID: string()))
        case .sessionEnd: return .sessionEnd(SessionEnd(reason: string()))
        case .checkpoint:
            return .checkpoint(Checkpoint(coversSequence: uint64(), reducer: string(), digest: bytes(), state: bytes()))
        case .alphaWeights:
            return .alphaWeights(AlphaWeights(model: string(), weights: (0..<Int.random(in: 0...4, using: &rng)).map { _ in AlphaContribution(alpha: string(), value: double()) }))
        case .connection:
            return .connection(ConnectionChange(link: pick(Link.self), state: pick(LinkState.self), attempt: u32(), detail: string()))
        case .inputNotice: return .inputNotice(InputNotice(link: pick(Link.self), detail: string()))
        case .corporateAction:
            return .corporateAction(CorporateAction(symbol: symbol(), kind: pick(CorporateAction.Kind.self), exDate: string(), ratio: double(),
                                                    cash: price(), target: symbol(), note: string()))
        case .extension: return .extension(ExtensionRecord(name: string(), version: UInt16(truncatingIfNeeded: uint64()), payload: bytes()))
        }
    }
}

/// A fresh temporary directory per test.
func temporaryDirectory() -> String { Paths.temporaryDirectory() }

/// Canonical bytes compare doubles by bits (NaN payloads, −0.0), which `==` on events does not.
func bitIdentical(_ a: Event, _ b: Event) -> Bool { EventCodec.canonicalBytes(a) == EventCodec.canonicalBytes(b) }

func readAll(_ path: String) throws -> [Event] {
    let reader = try LogReader(path: path)
    let cursor = reader.events()
    var out: [Event] = []
    while let e = try cursor.next() { out.append(e) }
    return out
}

/// A log of `symbols` definitions then `count` mixed events, in small frames.
@discardableResult
func writeSampleLog(_ path: String, count: Int, eventsPerFrame: Int = 25, seed: UInt64 = 7, pipelined: Bool = false) throws -> [Event] {
    var gen = EventGenerator(seed: seed, symbolCount: 5)
    let writer = try LogWriter.create(path: path, manifest: Manifest(formatVersion: 1, engineVersion: "test"),
                                      timestamp: Timestamp(rawValue: 1_000),
                                      options: LogWriterOptions(flush: FlushPolicy(maxEvents: eventsPerFrame), pipelined: pipelined))
    for i in 0..<5 { _ = try writer.symbol("S\(i)", at: Timestamp(rawValue: 1_000)) }
    let kinds = EventKind.allCases.filter { $0 != .manifest && $0 != .symbolDefinition }
    var t: Int64 = 1_000
    for _ in 0..<count {
        t += Int64.random(in: 0...3, using: &gen.rng) * 1_000_000
        try writer.append(gen.payload(kinds.randomElement(using: &gen.rng)!), at: Timestamp(rawValue: t))
    }
    try writer.close()
    return try readAll(path)
}
