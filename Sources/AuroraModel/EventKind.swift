/// The kind of an event. Raw values are written to logs: append new kinds, never renumber.
public enum EventKind: UInt8, Sendable, CaseIterable, Comparable {
    case manifest = 1
    case symbolDefinition = 2
    case bar = 3
    case priceUpdate = 4
    case timer = 5
    case alphaValue = 6
    case signal = 7
    case targetPosition = 8
    case plannedTrade = 9
    case orderSlice = 10
    case orderSubmitted = 11
    case orderAccepted = 12
    case orderRejected = 13
    case orderCancelled = 14
    case fill = 15
    case escalation = 16
    case rateLimitWait = 17
    case sessionStart = 18
    case sessionEnd = 19
    case checkpoint = 20
    case alphaWeights = 21
    case connection = 22
    case inputNotice = 23
    /// A typed record of a kind the core does not list (research events, a user's own): see `ExtensionRecord`.
    case `extension` = 24
    case corporateAction = 25

    public static func < (lhs: EventKind, rhs: EventKind) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The snake_case name used on the command line and in JSON/CSV output.
    public var name: String {
        switch self {
        case .manifest: "manifest"
        case .symbolDefinition: "symbol"
        case .bar: "bar"
        case .priceUpdate: "price_update"
        case .timer: "timer"
        case .alphaValue: "alpha"
        case .signal: "signal"
        case .targetPosition: "target"
        case .plannedTrade: "planned_trade"
        case .orderSlice: "order_slice"
        case .orderSubmitted: "order_submitted"
        case .orderAccepted: "order_accepted"
        case .orderRejected: "order_rejected"
        case .orderCancelled: "order_cancelled"
        case .fill: "fill"
        case .escalation: "escalation"
        case .rateLimitWait: "rate_limit_wait"
        case .sessionStart: "session_start"
        case .sessionEnd: "session_end"
        case .checkpoint: "checkpoint"
        case .alphaWeights: "alpha_weights"
        case .connection: "connection"
        case .inputNotice: "input_notice"
        case .extension: "extension"
        case .corporateAction: "corporate_action"
        }
    }

    public init?(name: String) {
        guard let kind = EventKind.allCases.first(where: { $0.name == name }) else { return nil }
        self = kind
    }

    /// Whether the event comes from outside the kernel (replay feeds these back in) or is a
    /// decision the kernel derived. Broker answers are inputs in live sessions.
    public var isInput: Bool {
        switch self {
        case .manifest, .symbolDefinition, .bar, .priceUpdate, .timer, .orderAccepted,
             .orderRejected, .orderCancelled, .fill, .sessionStart, .sessionEnd, .connection, .inputNotice, .corporateAction:
            true
        case .alphaValue, .alphaWeights, .signal, .targetPosition, .plannedTrade, .orderSlice, .orderSubmitted,
             .escalation, .rateLimitWait, .checkpoint, .extension:
            false
        }
    }
}
