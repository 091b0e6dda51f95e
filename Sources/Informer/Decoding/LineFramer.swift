import Foundation

/// Splits a byte stream into `\n`-terminated lines, whatever the chunk boundaries.
///
/// Chunks never line up with lines (one event can span many chunks, one chunk can hold many
/// events). Splitting bytes on 0x0A is safe for UTF-8, whose multi-byte sequences never
/// contain 0x0A, so a character split across chunks is simply joined again.
struct LineFramer {
    private var buffer: [UInt8] = []
    /// How far `buffer` has been searched for a newline, so a megabyte event that arrives in
    /// many chunks is scanned once, not once per chunk.
    private var scanned = 0
    let maxLineLength: Int

    init(maxLineLength: Int = 64 << 20) {
        self.maxLineLength = maxLineLength
    }

    /// Appends a chunk and returns every line it completed (without the newline).
    mutating func append(_ chunk: some Collection<UInt8>) throws(KubeDecodingError) -> [[UInt8]] {
        buffer.append(contentsOf: chunk)
        var lines: [[UInt8]] = []
        var lineStart = 0
        let count = buffer.count
        buffer.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return }
            // memchr (vectorised in glibc) rather than a byte loop: a watch replay frames
            // tens of MB/s, and the loop was 3% of the informer's CPU.
            var i = scanned
            while i < count, let hit = memchr(base + i, 0x0A, count - i) {
                let newline = i + (UnsafeRawPointer(hit) - UnsafeRawPointer(base + i))
                lines.append(Array(b[lineStart..<newline]))
                lineStart = newline + 1
                i = newline + 1
            }
        }
        if lineStart > 0 { buffer.removeFirst(lineStart) }
        scanned = buffer.count
        if buffer.count > maxLineLength { throw .lineTooLong(limit: maxLineLength) }
        return lines
    }

    /// The final line when the stream ended without a newline (nil when nothing is pending).
    mutating func finish() -> [UInt8]? {
        defer {
            buffer = []
            scanned = 0
        }
        return buffer.isEmpty ? nil : buffer
    }

    /// Bytes received but not yet part of a complete line.
    var pendingByteCount: Int { buffer.count }
}
