/// The small closed vocabularies events use. Raw values are part of the log format: never reuse one.

public enum Side: UInt8, Sendable, CaseIterable {
    case buy = 1
    case sell = 2
}

public enum SignalDirection: UInt8, Sendable, CaseIterable {
    case buy = 1
    case sell = 2
    case hold = 3
}

public enum OrderType: UInt8, Sendable, CaseIterable {
    case market = 1
    case limit = 2
}

public enum Liquidity: UInt8, Sendable, CaseIterable {
    case unknown = 0
    case maker = 1
    case taker = 2
}

public enum PriceUpdateKind: UInt8, Sendable, CaseIterable {
    case trade = 1
    case quote = 2
}

public enum SessionMode: UInt8, Sendable, CaseIterable {
    case importer = 0
    case backtest = 1
    case live = 2
    case replay = 3
    case paper = 4
}

extension Side: CustomStringConvertible {
    public var description: String { self == .buy ? "BUY" : "SELL" }
}

extension SignalDirection: CustomStringConvertible {
    public var description: String {
        switch self {
        case .buy: "BUY"
        case .sell: "SELL"
        case .hold: "HOLD"
        }
    }
}
