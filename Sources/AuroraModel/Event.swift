/// One entry of the log: a position in the total order, a time, and what happened.
public struct Event: Hashable, Sendable {
    /// 0 for the manifest, then +1 per event with no gaps.
    public var sequence: UInt64
    public var timestamp: Timestamp
    public var payload: EventPayload

    @inlinable
    public init(sequence: UInt64, timestamp: Timestamp, payload: EventPayload) {
        self.sequence = sequence
        self.timestamp = timestamp
        self.payload = payload
    }

    @inlinable public var kind: EventKind { payload.kind }
}

public enum EventPayload: Hashable, Sendable {
    case manifest(Manifest)
    case symbolDefinition(SymbolDefinition)
    case bar(Bar)
    case priceUpdate(PriceUpdate)
    case timer(TimerFired)
    case alphaValue(AlphaValue)
    case signal(Signal)
    case targetPosition(TargetPosition)
    case plannedTrade(PlannedTrade)
    case orderSlice(OrderSlice)
    case orderSubmitted(OrderSubmitted)
    case orderAccepted(OrderAccepted)
    case orderRejected(OrderRejected)
    case orderCancelled(OrderCancelled)
    case fill(Fill)
    case escalation(Escalation)
    case rateLimitWait(RateLimitWait)
    case sessionStart(SessionStart)
    case sessionEnd(SessionEnd)
    case checkpoint(Checkpoint)
    case alphaWeights(AlphaWeights)
    case connection(ConnectionChange)
    case inputNotice(InputNotice)
    case `extension`(ExtensionRecord)
    case corporateAction(CorporateAction)

    @inlinable
    public var kind: EventKind {
        switch self {
        case .manifest: .manifest
        case .symbolDefinition: .symbolDefinition
        case .bar: .bar
        case .priceUpdate: .priceUpdate
        case .timer: .timer
        case .alphaValue: .alphaValue
        case .signal: .signal
        case .targetPosition: .targetPosition
        case .plannedTrade: .plannedTrade
        case .orderSlice: .orderSlice
        case .orderSubmitted: .orderSubmitted
        case .orderAccepted: .orderAccepted
        case .orderRejected: .orderRejected
        case .orderCancelled: .orderCancelled
        case .fill: .fill
        case .escalation: .escalation
        case .rateLimitWait: .rateLimitWait
        case .sessionStart: .sessionStart
        case .sessionEnd: .sessionEnd
        case .checkpoint: .checkpoint
        case .alphaWeights: .alphaWeights
        case .connection: .connection
        case .inputNotice: .inputNotice
        case .extension: .extension
        case .corporateAction: .corporateAction
        }
    }

    /// The symbol the event is about, if it is about one.
    public var symbol: SymbolID? {
        switch self {
        case .symbolDefinition(let e): e.symbol
        case .bar(let e): e.symbol
        case .priceUpdate(let e): e.symbol
        case .alphaValue(let e): e.symbol
        case .signal(let e): e.symbol
        case .targetPosition(let e): e.symbol
        case .plannedTrade(let e): e.symbol
        case .orderSlice(let e): e.symbol
        case .orderSubmitted(let e): e.symbol
        case .fill(let e): e.symbol
        case .escalation(let e): e.symbol
        case .corporateAction(let e): e.symbol
        case .manifest, .timer, .orderAccepted, .orderRejected, .orderCancelled, .rateLimitWait,
             .sessionStart, .sessionEnd, .checkpoint, .alphaWeights, .connection, .inputNotice, .extension:
            nil
        }
    }
}
