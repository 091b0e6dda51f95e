/// SplitMix64: a small deterministic generator, so a scenario seed reproduces a cluster.
struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }

    /// Kubernetes' name suffix alphabet (no vowels, no ambiguous characters).
    mutating func suffix(_ length: Int) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &self)] })
    }

    mutating func uuid() -> String {
        let hex = Array("0123456789abcdef")
        let groups = [8, 4, 4, 4, 12]
        return groups.map { n in String((0..<n).map { _ in hex[Int.random(in: 0..<16, using: &self)] }) }
            .joined(separator: "-")
    }

    mutating func hex(_ length: Int) -> String {
        let hex = Array("0123456789abcdef")
        return String((0..<length).map { _ in hex[Int.random(in: 0..<16, using: &self)] })
    }
}
