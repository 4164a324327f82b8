/// A symbol's interned id within one log: the index of its symbol-definition event.
///
/// Ids are dense (0, 1, 2, …) so per-symbol state can live in arrays rather than dictionaries.
public struct SymbolID: RawRepresentable, Hashable, Comparable, Sendable {
    public var rawValue: UInt32
    @inlinable public init(rawValue: UInt32) { self.rawValue = rawValue }
    @inlinable public init(_ value: Int) { self.rawValue = UInt32(truncatingIfNeeded: value) }
    @inlinable public var index: Int { Int(rawValue) }
    @inlinable public static func < (lhs: SymbolID, rhs: SymbolID) -> Bool { lhs.rawValue < rhs.rawValue }
}
