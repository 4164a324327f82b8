/// SplitMix64: the one source of randomness the engine allows. Seeded, so a run is reproducible
/// from the seed in its manifest; uniform and normal (Box–Muller) draws on top.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64
    private var spare: Double?

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1), 53 bits.
    public mutating func uniform() -> Double { Double(next() >> 11) / Double(UInt64(1) << 53) }

    /// Standard normal.
    public mutating func normal() -> Double {
        if let s = spare {
            spare = nil
            return s
        }
        var u = uniform()
        while u <= 0 { u = uniform() }
        let v = uniform()
        let radius = (-2 * logarithm(u)).squareRoot()
        spare = radius * sine(2 * .pi * v)
        return radius * cosine(2 * .pi * v)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@inline(__always) private func logarithm(_ x: Double) -> Double { log(x) }
@inline(__always) private func sine(_ x: Double) -> Double { sin(x) }
@inline(__always) private func cosine(_ x: Double) -> Double { cos(x) }
