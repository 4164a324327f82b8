/// A gateway failure worth a clear message: bad credentials, an unreachable server, a refusal.
public struct GatewayError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
