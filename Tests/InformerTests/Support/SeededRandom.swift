/// A deterministic random source (SplitMix64) so "random" chunkings and jitter are
/// reproducible from a seed printed in the failure.
struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Cuts bytes into chunks of random sizes in 1...maxChunk.
func randomChunks(_ bytes: [UInt8], maxChunk: Int, rng: inout SeededRandom) -> [ArraySlice<UInt8>] {
    var chunks: [ArraySlice<UInt8>] = []
    var i = 0
    while i < bytes.count {
        let n = Int.random(in: 1...maxChunk, using: &rng)
        chunks.append(bytes[i..<min(bytes.count, i + n)])
        i += n
    }
    return chunks
}
