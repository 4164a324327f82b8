/// What happened to a security that is not a trade: a split, a cash dividend, a ticker change,
/// or the end of its data. An input event, logged at the first step on or after its ex-date,
/// before that step's bars (a delisting: before the step after the symbol's last bar), so the
/// reducers, the strategy and the execution model all see it before anything trades on it.
public struct CorporateAction: Hashable, Sendable {
    public enum Kind: UInt8, Sendable, CaseIterable {
        /// `ratio` new shares for one old (7 for a 7-for-1 split, 0.1 for a 1-for-10 reverse split).
        case split = 1
        /// `cash` per share to holders on the ex-date (a short position pays it).
        case dividend = 2
        /// The symbol trades as `target` from the ex-date: positions move there.
        case symbolChange = 3
        /// The symbol's data has ended: a position is closed at its last price, or kept as stale.
        case delisting = 4

        public var name: String {
            switch self {
            case .split: "split"
            case .dividend: "dividend"
            case .symbolChange: "symbol_change"
            case .delisting: "delisting"
            }
        }
    }

    public var symbol: SymbolID
    public var kind: Kind
    /// The local date it takes effect, `YYYY-MM-DD`.
    public var exDate: String
    public var ratio: Double
    public var cash: Price
    public var target: SymbolID
    public var note: String

    public init(symbol: SymbolID, kind: Kind, exDate: String, ratio: Double = 1, cash: Price = .zero, target: SymbolID? = nil,
                note: String = "") {
        self.symbol = symbol
        self.kind = kind
        self.exDate = exDate
        self.ratio = ratio
        self.cash = cash
        self.target = target ?? symbol
        self.note = note
    }
}
